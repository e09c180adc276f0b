"""``python -m alignment_tui.follow PATH [--contribute]``: the follow view alone (what
``serve`` runs for each visitor; ``--contribute`` lets the visitor add notes and dot
votes). One line on stderr and exit 2 for a file that cannot be used."""

from __future__ import annotations

import sys
from pathlib import Path

from ..sessions.errors import SessionFileError
from .source import FollowSource

USAGE = "usage: python -m alignment_tui.follow PATH [--contribute]"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    contribute = "--contribute" in args
    paths = [a for a in args if a != "--contribute"]
    if len(paths) != 1 or paths[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    source = FollowSource(Path(paths[0]))
    try:
        source.open()
    except SessionFileError as exc:
        print(f"Error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    from .app import FollowApp

    try:
        FollowApp(source, contribute=contribute).run()
    finally:
        source.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

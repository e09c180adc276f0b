"""``python -m alignment_tui.follow PATH``: the follow view alone (what ``serve`` runs for
each visitor). One line on stderr and exit 2 for a file that cannot be used."""

from __future__ import annotations

import sys
from pathlib import Path

from ..sessions.errors import SessionFileError
from .source import FollowSource


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m alignment_tui.follow PATH", file=sys.stderr)
        return 2
    source = FollowSource(Path(args[0]))
    try:
        source.open()
    except SessionFileError as exc:
        print(f"Error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    from .app import FollowApp

    try:
        FollowApp(source).run()
    finally:
        source.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

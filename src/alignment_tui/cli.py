"""Command line (placeholder until the CLI work lands)."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from .app import AlignmentApp

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    AlignmentApp(path).run()

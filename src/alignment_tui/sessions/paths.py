"""Where sessions live: the user's data folder (XDG rules via platformdirs).

Resolved when asked for, never at import time. ``ALIGNMENT_TUI_DATA_DIR``
overrides the folder (tests use it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SUFFIX = ".alignment.db"


def data_dir(create: bool = True) -> Path:
    override = os.environ.get("ALIGNMENT_TUI_DATA_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path("alignment-tui", appauthor=False) / "sessions"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("ALIGNMENT_TUI_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("alignment-tui", appauthor=False)


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return s[:60] or "session"


def session_path_for(title: str, folder: Path | None = None) -> Path:
    """A new, unused path for a session titled *title*."""
    folder = folder or data_dir()
    base = slug(title)
    path = folder / f"{base}{SUFFIX}"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}{SUFFIX}"
        n += 1
    return path


def normalise_path(path: Path) -> Path:
    """Add the suffix when the user gave a bare name."""
    path = Path(path).expanduser()
    if path.suffix == "" and not path.exists():
        path = path.with_name(path.name + SUFFIX)
    return path

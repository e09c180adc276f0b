"""Summaries of the sessions in a folder (for the start screen and `alignment-tui list`).

Reads each file read-only; a file that cannot be used is listed with its
one-line reason instead of its details. Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .paths import SUFFIX


@dataclass(frozen=True)
class SessionSummary:
    path: Path
    title: str = ""
    organisation: str = ""
    updated_at: dt.datetime | None = None
    workshop_date: dt.date | None = None
    complete_steps: int = 0
    total_steps: int = 0
    open_actions: int = 0
    error: str | None = None

    @property
    def progress_text(self) -> str:
        return f"{self.complete_steps}/{self.total_steps}" if self.total_steps else ""


def summarise(path: Path) -> SessionSummary:
    # The models and SQLite are imported on first use: an empty folder needs neither.
    from .errors import SessionFileError
    from .progress import progress
    from .store import read_session

    try:
        session = read_session(path)
    except SessionFileError as exc:
        return SessionSummary(path=path, error=str(exc))
    done, total = progress(session)
    return SessionSummary(
        path=path,
        title=session.meta.title,
        organisation=session.meta.organisation,
        updated_at=session.meta.updated_at,
        workshop_date=session.meta.workshop_date,
        complete_steps=done,
        total_steps=total,
        open_actions=len(session.open_actions()),
    )


def list_sessions(folder: Path) -> list[SessionSummary]:
    """Every ``*.alignment.db`` in *folder*, most recently edited first."""
    if not folder.is_dir():
        return []
    summaries = [summarise(p) for p in folder.glob(f"*{SUFFIX}") if p.is_file()]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    summaries.sort(key=lambda s: (s.updated_at or epoch, s.path.name), reverse=True)
    return summaries

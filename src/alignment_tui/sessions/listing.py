"""Summaries of the sessions in a folder (for the start screen and `alignment-tui list`).

Reads each file read-only; a file that cannot be used is listed with its
one-line reason instead of its details. Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import SUFFIX

#: ``list --due``: reviews due within this many days (or overdue).
DUE_WITHIN_DAYS = 14


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
    #: The next review's date (None: not set).
    next_review: dt.date | None = None
    #: The due dates of the open actions that have one: overdue is counted on the day
    #: the list is read, not the day the summary was written.
    open_due: tuple[dt.date, ...] = ()

    @property
    def progress_text(self) -> str:
        return f"{self.complete_steps}/{self.total_steps}" if self.total_steps else ""

    def overdue_actions(self, today: dt.date) -> int:
        """Open actions past their due date on *today*."""
        return sum(1 for due in self.open_due if due < today)

    def review_overdue(self, today: dt.date) -> bool:
        return self.next_review is not None and self.next_review < today

    def review_due(self, today: dt.date, within_days: int = DUE_WITHIN_DAYS) -> bool:
        """The next review is overdue or falls within *within_days* of *today*."""
        return self.next_review is not None and (self.next_review - today).days <= within_days


def summarise(path: Path) -> SessionSummary:
    """What the start screen and ``list`` show for *path* (its one-line reason if unusable).

    Uses the summary stored when the session was last closed; only a session
    changed since (a crash) or never closed by this version is read in full,
    which needs the models and costs about a hundred times as much.
    """
    summary = _summarise(path, cached_only=False)
    assert summary is not None
    return summary


def _summarise(path: Path, *, cached_only: bool) -> SessionSummary | None:
    from .errors import SessionFileError
    from .fileinfo import read_summary

    try:
        cached = read_summary(path)
    except SessionFileError as exc:
        return SessionSummary(path=path, error=str(exc))
    if cached is not None:
        try:
            return _from_cache(path, cached)
        except (KeyError, TypeError, ValueError):
            pass  # a summary we cannot read is only a cache: read the session
    if cached_only:
        return None
    from .progress import progress
    from .store import read_session

    try:
        session = read_session(path)
    except SessionFileError as exc:
        return SessionSummary(path=path, error=str(exc))
    done, total = progress(session)
    todo = session.open_actions()
    return SessionSummary(
        path=path,
        title=session.meta.title,
        organisation=session.meta.organisation,
        updated_at=session.meta.updated_at,
        workshop_date=session.meta.workshop_date,
        complete_steps=done,
        total_steps=total,
        open_actions=len(todo),
        next_review=session.meta.next_review,
        open_due=tuple(sorted(a.due for a in todo if a.due is not None)),
    )


def _from_cache(path: Path, data: dict[str, Any]) -> SessionSummary:
    updated = dt.datetime.fromisoformat(data["updated_at"])
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=dt.UTC)
    when = data["workshop_date"]
    return SessionSummary(
        path=path,
        title=str(data["title"]),
        organisation=str(data["organisation"]),
        updated_at=updated,
        workshop_date=dt.date.fromisoformat(when) if when else None,
        complete_steps=int(data["complete_steps"]),
        total_steps=int(data["total_steps"]),
        open_actions=int(data["open_actions"]),
        # a summary written before these were kept raises KeyError: the session is read
        next_review=dt.date.fromisoformat(nxt) if (nxt := data["next_review"]) else None,
        open_due=tuple(dt.date.fromisoformat(d) for d in data["open_due"]),
    )


def session_files(folder: Path) -> list[Path]:
    """The ``*.alignment.db`` files in *folder* (none if it is not a folder)."""
    if not folder.is_dir():
        return []
    return [p for p in folder.glob(f"*{SUFFIX}") if p.is_file()]


def list_sessions(folder: Path) -> list[SessionSummary]:
    """Every session in *folder*, most recently edited first."""
    return _sorted([summarise(path) for path in session_files(folder)])


def list_stored_summaries(folder: Path, limit: int) -> list[SessionSummary] | None:
    """Like :func:`list_sessions` from stored summaries alone (about a millisecond a file).

    None when the folder holds more than *limit* sessions, or as soon as one
    would have to be read in full.
    """
    files = session_files(folder)
    if len(files) > limit:
        return None
    summaries = []
    for path in files:
        summary = _summarise(path, cached_only=True)
        if summary is None:
            return None
        summaries.append(summary)
    return _sorted(summaries)


def _sorted(summaries: list[SessionSummary]) -> list[SessionSummary]:
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    summaries.sort(key=lambda s: (s.updated_at or epoch, s.path.name), reverse=True)
    return summaries


def by_review(summaries: list[SessionSummary], today: dt.date) -> list[SessionSummary]:
    """Reviews due first: overdue ones (longest overdue first), then the coming ones by
    date, then sessions with no review date (most recently edited first); files that
    cannot be used last."""
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)

    def key(s: SessionSummary) -> tuple[int, int, float, str]:
        if s.error is not None:
            return (3, 0, 0.0, s.path.name)
        if s.next_review is None:
            return (2, 0, -(s.updated_at or epoch).timestamp(), s.path.name)
        group = 0 if s.next_review < today else 1
        return (group, s.next_review.toordinal(), 0.0, s.path.name)

    return sorted(summaries, key=key)

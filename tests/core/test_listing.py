"""The start screen's and ``list``'s summaries: read from the file's stored summary
while nothing has changed since it was written, from the whole session otherwise."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from alignment_tui.sessions import listing, store
from alignment_tui.sessions.fileinfo import read_summary
from alignment_tui.sessions.models import Goal, new_session
from alignment_tui.sessions.service import SessionService


def _no_full_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} was read in full")

    monkeypatch.setattr(store, "read_session", refuse)


def test_closed_session_is_listed_from_its_summary(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = SessionService.open(session_file)
    svc.update_meta(title="Q4 alignment, day two")
    svc.add(Goal, statement="One pipeline number", measure="SQLs", target="400")
    done_before = listing.summarise(session_file)  # changed since the summary: full read
    svc.close()
    _no_full_read(monkeypatch)
    summary = listing.summarise(session_file)
    assert summary.title == "Q4 alignment, day two"
    assert summary.organisation == "Acme"
    assert summary == done_before  # the stored summary says what a full read says


def test_summary_left_by_a_crash_is_not_used(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.update_meta(title="Typed just before the power went")
    # no close(): the summary in the file is the one from before the edit
    assert read_summary(session_file) is None
    assert listing.summarise(session_file).title == "Typed just before the power went"
    svc.store.conn.close()


def test_a_change_by_another_program_is_noticed(session_file: Path) -> None:
    """Even one that keeps updated_at: SQLite's change counter has moved on."""
    assert read_summary(session_file) is not None
    conn = sqlite3.connect(session_file)
    with conn:
        conn.execute("UPDATE session SET title = 'Edited elsewhere'")
    conn.close()
    assert read_summary(session_file) is None
    assert listing.summarise(session_file).title == "Edited elsewhere"


def test_listing_a_folder_imports_neither_pydantic_nor_sqlite_utils(session_file: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from alignment_tui.sessions.listing import list_sessions;"
        f"s = list_sessions(Path({str(session_file.parent)!r}));"
        "assert [x.title for x in s] == ['Q4 alignment'], s;"
        "print(sorted(m for m in ('pydantic', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_stored_summaries_only_for_a_handful_of_sessions(session_file: Path) -> None:
    """The start screen lists before its first paint only up to a limit (more go to the worker)."""
    other = session_file.with_name("other.alignment.db")
    SessionService.create(other, new_session("Other")).close()
    assert listing.list_stored_summaries(session_file.parent, limit=1) is None
    listed = listing.list_stored_summaries(session_file.parent, limit=2)
    assert listed is not None and sorted(s.title for s in listed) == ["Other", "Q4 alignment"]

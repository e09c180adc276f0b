"""The session file: create, reopen, validate, refuse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from alignment_tui.sessions.errors import NewerSession, NotASession, SessionInUse
from alignment_tui.sessions.models import ActionStatus, FeedbackItem, FeedbackSide, Goal, StepId
from alignment_tui.sessions.service import ChangeRefused, SessionService
from alignment_tui.sessions.store import SCHEMA_VERSION, SessionStore, inspect_file


def test_changes_survive_reopen(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    action = svc.add_action("Share the CRM login", StepId.CRM, owner_id=4, due="2026-12-05")
    svc.add(Goal, statement="Grow pipeline", measure="Qualified pipeline value")
    svc.toggle_action(action)
    svc.set_step(StepId.CRM)
    before = svc.session
    svc.close()

    again = SessionService.open(session_file)
    assert again.session == before
    assert again.session.meta.current_step is StepId.CRM
    assert again.session.actions[0].status is ActionStatus.DONE
    again.close()


def test_refused_change_leaves_file_alone(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    action = svc.add_action("Book the room", StepId.SETUP)
    with pytest.raises(ChangeRefused, match="Due date"):
        svc.update(action, due="2026-02-30")
    with pytest.raises(ChangeRefused, match="must not be empty"):
        svc.update(action, text="   ")
    svc.close()
    again = SessionService.open(session_file)
    assert again.session.actions[0].text == "Book the room"
    assert again.session.actions[0].due is None
    again.close()


def test_newer_schema_is_refused_untouched(session_file: Path) -> None:
    conn = sqlite3.connect(session_file)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    data = session_file.read_bytes()
    with pytest.raises(NewerSession, match="newer"):
        SessionStore.open(session_file)
    assert session_file.read_bytes() == data


def test_foreign_sqlite_is_not_a_session(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table notes (id integer primary key, body text)")
    conn.commit()
    conn.close()
    data = path.read_bytes()
    with pytest.raises(NotASession):
        inspect_file(path)
    assert path.read_bytes() == data


def test_second_copy_is_warned(session_file: Path) -> None:
    first = SessionStore.open(session_file)
    # pretend the holder is another live process on this machine: our parent
    import json
    import os
    import socket

    with first.conn:
        first.conn.execute(
            "UPDATE app_meta SET value=? WHERE key='open_by'",
            (json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "since": "now"}),),
        )
    with pytest.raises(SessionInUse, match="already open"):
        SessionStore.open(session_file)
    ro = SessionStore.open(session_file, readonly=True)
    assert ro.load().meta.title == "Q4 alignment"
    ro.close()
    first.close()


def test_invalid_rows_are_refused_without_writing(session_file: Path) -> None:
    """A session holding a row the models refuse is not touched by an open attempt."""
    from alignment_tui.sessions.errors import DamagedSession

    conn = sqlite3.connect(session_file)
    conn.execute("UPDATE participants SET team = 'Finance' WHERE id = 3")
    conn.commit()
    conn.close()
    data = session_file.read_bytes()
    with pytest.raises(DamagedSession, match="invalid data"):
        SessionService.open(session_file)
    assert session_file.read_bytes() == data


def test_in_use_is_refused_before_any_write(session_file: Path) -> None:
    import json
    import os
    import socket

    conn = sqlite3.connect(session_file)
    conn.execute(
        "INSERT OR REPLACE INTO app_meta(key, value) VALUES ('open_by', ?)",
        (json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "since": "x"}),),
    )
    conn.commit()
    conn.close()
    data = session_file.read_bytes()
    with pytest.raises(SessionInUse):
        SessionService.open(session_file)
    assert session_file.read_bytes() == data


def test_session_file_has_one_meaningful_table_per_kind(session_file: Path) -> None:
    """sqlite-utils (and Datasette) see the session as named tables with a schema version."""
    import sqlite_utils

    db = sqlite_utils.Database(session_file)
    names = set(db.table_names())
    assert {
        "session",
        "participants",
        "goals",
        "behaviours",
        "story",
        "pillars",
        "proof_points",
        "retired_messages",
        "signoffs",
        "crm_grants",
        "feedback_items",
        "funnel_stages",
        "funnel_periods",
        "funnel_counts",
        "handovers",
        "actions",
        "agenda",
        "reviews",
    } <= names
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [r["name"] for r in db["participants"].rows] == [
        "Sam Sales",
        "Mia Marketing",
        "Ravi",
        "Lena",
    ]
    db.conn.close()


def test_a_feedback_item_moves_within_its_own_list(session_file: Path) -> None:
    """The three feedback lists (Sales brings, Marketing brings, ground rules) share one
    table: moving an item one place swaps it with the next item of its own list."""
    svc = SessionService.open(session_file)
    s1 = svc.add(FeedbackItem, side=FeedbackSide.SALES, position=1, text="stories")
    svc.add(FeedbackItem, side=FeedbackSide.RULE, position=2, text="owner decides")
    s2 = svc.add(FeedbackItem, side=FeedbackSide.SALES, position=3, text="objections")
    svc.move(s1, 1)
    svc.close()
    svc = SessionService.open(session_file)
    sales = sorted(
        (i for i in svc.session.feedback_items if i.side is FeedbackSide.SALES),
        key=lambda i: (i.position, i.id),
    )
    svc.close()
    assert [i.id for i in sales] == [s2.id, s1.id]

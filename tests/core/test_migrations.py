"""A session file of the first schema opens with today's code and loses nothing.

``tests/data/schema_v1.session.sqlite`` was written by schema version 1 (the
demo session), with ``schema_v1.json`` its JSON export at the time. Whatever
later versions add, every value of that export must still be in the migrated
session, and the file must then read as the current schema.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from alignment_tui.sessions import migrations, store
from alignment_tui.sessions.contributions import ContributionBox, new_visitor
from alignment_tui.sessions.jsonio import from_json, to_json
from alignment_tui.sessions.models import GoalValue, HandoverFigure, Review
from alignment_tui.sessions.service import SessionService

DATA = Path(__file__).parent / "data"


def _contains(new: Any, old: Any, where: str = "") -> None:
    """Every value in *old* is in *new* (new may have more fields)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, f"{where}.{key} was lost"
            _contains(new[key], value, f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), f"{where}: items lost"
        for i, (n, o) in enumerate(zip(new, old, strict=True)):
            _contains(n, o, f"{where}[{i}]")
    else:
        assert new == old, f"{where}: {old!r} became {new!r}"


def test_first_schema_file_opens_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    svc = SessionService.open(path)
    migrated = json.loads(to_json(svc.session))
    svc.close()
    old = json.loads((DATA / "schema_v1.json").read_text())
    _contains(migrated["session"], old["session"])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def _one_more_version(monkeypatch: pytest.MonkeyPatch, step: Callable[[Database], None]) -> int:
    """Add a (test-only) step after the real ones; the version it upgrades to."""
    current = migrations.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(store, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.STEPS, current, step)
    return current + 1


def test_migration_steps_run_in_order_and_bump_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The machinery itself: the real steps, then a test-only one, run once, in a transaction."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    ran: list[int] = []

    def step(db: Database) -> None:
        ran.append(1)
        db.execute("UPDATE session SET facilitator = facilitator || ' (migrated)'")

    newest = _one_more_version(monkeypatch, step)
    svc = SessionService.open(path)
    assert svc.session.meta.facilitator.endswith("(migrated)")
    svc.close()
    assert ran == [1]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == newest
    conn.close()
    # opening again does not migrate twice
    SessionService.open(path).close()
    assert ran == [1]


def test_older_file_opened_read_only_is_left_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    before = path.read_bytes()
    _one_more_version(monkeypatch, lambda db: None)
    session = store.read_session(path)
    assert session.meta.title
    assert session.feedback_items  # migrated in memory: the new column is there to read
    assert path.read_bytes() == before


# -- version 2: the facilitator's "reviewed: not a gate" on a feedback item -----------------


def _columns(path: Path, table: str) -> dict[str, tuple[int, str | None]]:
    """Each column of *table*: (not null, default)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"PRAGMA table_info([{table}])").fetchall()
    finally:
        conn.close()
    return {row[1]: (row[3], row[4]) for row in rows}


def test_v2_feedback_items_get_the_gate_review_not_set(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    assert "gate_reviewed" not in _columns(path, "feedback_items")
    old = json.loads((DATA / "schema_v1.json").read_text())["session"]["feedback_items"]

    svc = SessionService.open(path)
    try:
        items = sorted(svc.session.feedback_items, key=lambda i: i.id)
        assert [i.text for i in items] == [i["text"] for i in old]  # nothing lost
        assert not any(i.gate_reviewed for i in items)
        # the demo's gate rule, reviewed: saved in the file
        gate = next(i for i in items if i.text.startswith("Sales must approve"))
        svc.update(gate, gate_reviewed=True)
    finally:
        svc.close()
    assert _columns(path, "feedback_items")["gate_reviewed"] == (1, "0")
    svc = SessionService.open(path)
    try:
        reviewed = [i.id for i in svc.session.feedback_items if i.gate_reviewed]
        assert reviewed == [gate.id]
    finally:
        svc.close()


def test_v2_step_runs_again_after_a_stop_half_way(tmp_path: Path) -> None:
    """SQLite adds a column outside the transaction: a second run must not fail on it."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.STEPS[1](db)
    migrations.STEPS[1](db)  # the file still says version 1: the next open runs it again
    conn.close()
    assert "gate_reviewed" in _columns(path, "feedback_items")
    svc = SessionService.open(path)
    try:
        assert not any(i.gate_reviewed for i in svc.session.feedback_items)
    finally:
        svc.close()


# -- version 3: the loop's meeting as fields, e-mails, the full hand-over, message drafts ----


def test_v3_a_schema_2_file_gets_the_new_fields_empty_and_keeps_everything(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v2.session.sqlite", path)
    assert "email" not in _columns(path, "participants")
    assert not Database(sqlite3.connect(path))["message_drafts"].exists()
    svc = SessionService.open(path)
    try:
        migrated = json.loads(to_json(svc.session))
        session = svc.session
        # nothing reads as agreed that nobody agreed
        assert all(p.email == "" for p in session.participants)
        loop = session.feedback
        assert (loop.weekday, loop.start_time, loop.time_zone, loop.first_meeting) == (
            None,
            None,
            "",
            None,
        )
        assert all(h.follow_up_attempts is None and h.escalate_to == "" for h in session.handovers)
        assert session.funnel_plan.revenue_period is None
        assert session.message_drafts == []
        # the sign-offs given before still hold: the new, empty fields are no part of them
        assert all(svc.signoff_state(so.subject, so.role) == "signed" for so in session.signoffs)
        # and the new fields take values
        person = session.participants[0]
        svc.update(person, email="dana@example.com")
    finally:
        svc.close()
    old = json.loads((DATA / "schema_v2.json").read_text())
    _contains(migrated["session"], old["session"])
    assert _columns(path, "participants")["email"] == (1, "''")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    reopened = store.read_session(path)
    assert reopened.participants[0].email == "dana@example.com"


def test_v3_step_runs_again_after_a_stop_half_way(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v2.session.sqlite", path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.STEPS[2](db)
    migrations.STEPS[2](db)
    conn.close()
    svc = SessionService.open(path)
    try:
        assert svc.session.feedback.weekday is None
    finally:
        svc.close()


def test_a_schema_1_file_climbs_every_step(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    session = SessionService.open(path)
    try:
        assert session.session.message_drafts == []
        assert all(p.email == "" for p in session.session.participants)
    finally:
        session.close()
    assert "volume_commitment" in _columns(path, "handovers")


# -- version 4: a loop item's workbook document, a hand-over filled from a template -----------


def test_v4_a_schema_3_file_keeps_everything_and_nothing_reads_as_a_draft(
    tmp_path: Path,
) -> None:
    """``schema_v3.*`` is the demo as schema 3 wrote it, with a message draft added."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v3.session.sqlite", path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    assert "document" not in _columns(path, "feedback_items")
    assert "draft" not in _columns(path, "handovers")
    old = json.loads((DATA / "schema_v3.json").read_text())
    assert old["session"]["message_drafts"]  # the file holds every schema 3 table's data
    svc = SessionService.open(path)
    try:
        migrated = json.loads(to_json(svc.session))
        session = svc.session
        # no item points to a document, and every hand-over is the room's own (not a draft)
        assert session.feedback_items and all(i.document == "" for i in session.feedback_items)
        assert session.handovers and not any(h.draft for h in session.handovers)
        # the sign-offs given before still hold: the empty pointer is no part of them
        assert session.signoffs
        assert all(svc.signoff_state(so.subject, so.role) == "signed" for so in session.signoffs)
        # the new fields take values
        item = session.feedback_items[0]
        svc.update(item, document="campaign-brief")
        svc.update(session.handovers[0], draft=True)
    finally:
        svc.close()
    _contains(migrated["session"], old["session"])
    assert _columns(path, "feedback_items")["document"] == (1, "''")
    assert _columns(path, "handovers")["draft"] == (1, "0")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    reopened = store.read_session(path)
    assert next(i for i in reopened.feedback_items if i.id == item.id).document == "campaign-brief"
    assert reopened.handovers[0].draft


def test_v4_step_runs_again_after_a_stop_half_way(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v3.session.sqlite", path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.STEPS[3](db)
    migrations.STEPS[3](db)
    conn.close()
    svc = SessionService.open(path)
    try:
        assert all(i.document == "" for i in svc.session.feedback_items)
    finally:
        svc.close()


def test_a_schema_3_json_export_imports_with_the_new_fields_empty() -> None:
    session = from_json((DATA / "schema_v3.json").read_text())
    assert all(i.document == "" for i in session.feedback_items)
    assert not any(h.draft for h in session.handovers)


# -- version 5: reviews with goal values, hand-over figures, loop meetings, action targets ---


def test_v5_a_schema_4_file_keeps_everything_and_gains_nothing_it_did_not_hold(
    tmp_path: Path,
) -> None:
    """``schema_v4.*`` is the demo as schema 4 wrote it, with a message draft and a draft hand-over."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v4.session.sqlite", path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.close()
    assert "target_goal_id" not in _columns(path, "actions")
    assert not Database(sqlite3.connect(path))["goal_values"].exists()
    old = json.loads((DATA / "schema_v4.json").read_text())
    assert old["session"]["message_drafts"] and old["session"]["reviews"]
    assert any(h["draft"] for h in old["session"]["handovers"])
    svc = SessionService.open(path)
    try:
        migrated = json.loads(to_json(svc.session))
        session = svc.session
        # nothing reads as measured or aimed that nobody recorded
        assert session.goal_values == [] and session.handover_figures == []
        assert session.loop_meetings == []
        assert session.actions
        assert all(
            a.target_goal_id is None
            and a.target_stage_id is None
            and a.target_gone == ""
            and a.first_due is None
            and a.due_moved_on is None
            and a.done_on is None  # the day an old action was ticked is not known: not guessed
            for a in session.actions
        )
        assert all(r.next_review is None and r.period_id is None for r in session.reviews)
        assert all(h.returned_pct_max is None for h in session.handovers)
        assert session.signoffs
        assert all(svc.signoff_state(so.subject, so.role) == "signed" for so in session.signoffs)
        # the new fields and tables take values
        review = svc.add(Review, held_on=session.reviews[0].held_on.replace(day=28))
        svc.add(GoalValue, review_id=review.id, goal_id=session.goals[0].id, value=250)
        svc.add(
            HandoverFigure,
            review_id=review.id,
            handover_id=session.handovers[0].id,
            response_hours=20,
            returned_pct=8,
        )
        svc.update(session.actions[0], target_stage_id=session.funnel_stages[1].id)
    finally:
        svc.close()
    _contains(migrated["session"], old["session"])
    assert _columns(path, "actions")["target_gone"] == (1, "''")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    reopened = store.read_session(path)
    assert [v.value for v in reopened.goal_values] == [250.0]
    assert reopened.handover_figures[0].response_hours == 20
    assert reopened.actions[0].target_stage_id == reopened.funnel_stages[1].id


def test_v5_step_runs_again_after_a_stop_half_way(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v4.session.sqlite", path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.STEPS[4](db)
    migrations.STEPS[4](db)
    conn.close()
    svc = SessionService.open(path)
    try:
        assert all(a.done_on is None for a in svc.session.actions)
        assert svc.session.goal_values == []
    finally:
        svc.close()


def test_a_schema_4_json_export_imports_with_the_new_fields_empty() -> None:
    session = from_json((DATA / "schema_v4.json").read_text())
    assert session.goal_values == [] and session.loop_meetings == []
    assert all(a.target_goal_id is None and a.first_due is None for a in session.actions)


# -- version 6: the room's contributions and settings, the timer's state ---------------------


def test_v6_a_schema_5_file_keeps_everything_and_the_room_starts_closed(tmp_path: Path) -> None:
    """``schema_v5.*`` is the demo after two reviews as schema 5 wrote it (goal values,
    hand-over figures, loop meetings, aimed actions, a draft, time spent on every step)."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v5.session.sqlite", path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.close()
    assert "added_seconds" not in _columns(path, "agenda")
    assert not Database(sqlite3.connect(path))["contributions"].exists()
    old = json.loads((DATA / "schema_v5.json").read_text())
    assert old["session"]["goal_values"] and old["session"]["loop_meetings"]
    assert all(a["spent_seconds"] > 0 for a in old["session"]["agenda"])
    svc = SessionService.open(path)
    try:
        migrated = json.loads(to_json(svc.session))
        session = svc.session
        # no timer was added to, reset or left running
        assert all(
            a.added_seconds == 0 and a.zero_seconds == 0 and a.running_since is None
            for a in session.agenda
        )
        # the room is closed, with the default budget, and nothing waits
        settings = svc.room_settings()
        assert (settings.open, settings.vote_budget) == (False, 3)
        assert svc.contributions() == [] and svc.waiting_counts() == {} and svc.vote_tally() == {}
        assert all(svc.signoff_state(so.subject, so.role) == "signed" for so in session.signoffs)
        # the new fields take values
        svc.update(session.agenda[0], added_seconds=60, running_since="2026-12-05T15:00:00Z")
        svc.set_contributions_open(True)
    finally:
        svc.close()
    _contains(migrated["session"], old["session"])
    assert _columns(path, "agenda")["added_seconds"] == (1, "0.0")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 6
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    reopened = store.read_session(path)
    assert reopened.agenda[0].added_seconds == 60
    assert reopened.agenda[0].running_since == "2026-12-05T15:00:00Z"
    # a visitor can now join it
    with ContributionBox.open(path) as box:
        assert box.settings().open
        box.vote(new_visitor(), "Sam", reopened.goals[0].id)


def test_v6_step_runs_again_after_a_stop_half_way(tmp_path: Path) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v5.session.sqlite", path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.STEPS[5](db)
    migrations.STEPS[5](db)
    conn.commit()
    assert conn.execute("SELECT COUNT(*) FROM room").fetchone()[0] == 1
    conn.close()
    svc = SessionService.open(path)
    try:
        assert all(a.added_seconds == 0 for a in svc.session.agenda)
        assert svc.room_settings().vote_budget == 3
    finally:
        svc.close()


def test_v6_a_new_session_has_the_room_closed(tmp_path: Path) -> None:
    from alignment_tui.sessions.models import new_session

    svc = SessionService.create(tmp_path / "new.alignment.db", new_session("New"))
    try:
        assert svc.room_settings().open is False
        assert svc.room_settings().vote_budget == 3
    finally:
        svc.close()


def test_a_schema_5_json_export_imports_with_the_timers_at_rest() -> None:
    session = from_json((DATA / "schema_v5.json").read_text())
    assert all(a.added_seconds == 0 and a.running_since is None for a in session.agenda)

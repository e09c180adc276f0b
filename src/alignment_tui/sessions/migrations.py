"""Schema migrations of the session file.

``SCHEMA_VERSION`` is the version this code writes. Each step ``n -> n+1`` is a
function in ``STEPS``; ``migrate`` runs them in order in one transaction.
Version 1 is the first released schema; ``tests/data/schema_v1.alignment.db``
keeps a file of it so that every later migration is tested against real data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by whoever migrates: checking a file needs only SCHEMA_VERSION
    from sqlite_utils import Database

SCHEMA_VERSION = 5


def _v2_feedback_gate_review(db: Database) -> None:
    """2: the facilitator can mark a feedback item flagged as a gate as reviewed, not a gate.

    Every item of an older file starts not reviewed (a table the file lacks is
    created whole, with the column, by ``create_schema`` after the steps). SQLite
    runs an ``ALTER TABLE`` outside the surrounding transaction, so the step
    checks first: a migration stopped half-way can run again.
    """
    table = db["feedback_items"]
    if table.exists() and "gate_reviewed" not in table.columns_dict:
        db.execute(
            "ALTER TABLE [feedback_items] ADD COLUMN [gate_reviewed] INTEGER NOT NULL DEFAULT 0"
        )


#: Columns schema 3 adds to tables an older file has: (table, column, SQL definition).
_V3_COLUMNS: list[tuple[str, str, str]] = [
    ("participants", "email", "TEXT NOT NULL DEFAULT ''"),
    ("feedback_loop", "weekday", "TEXT"),
    ("feedback_loop", "start_time", "TEXT"),
    ("feedback_loop", "time_zone", "TEXT NOT NULL DEFAULT ''"),
    ("feedback_loop", "first_meeting", "TEXT"),
    ("handovers", "follow_up_attempts", "INTEGER"),
    ("handovers", "escalate_to", "TEXT NOT NULL DEFAULT ''"),
    ("handovers", "volume_commitment", "TEXT NOT NULL DEFAULT ''"),
    ("funnel_plan", "revenue_period", "TEXT"),
]


def _v3_calendar_and_workbook(db: Database) -> None:
    """3: what the calendar file and the workbook need.

    The feedback loop's meeting as fields (weekday, start time, time zone, first
    meeting), an e-mail per participant, the rest of a full hand-over agreement
    (follow-up attempts, who to escalate to, marketing's volume commitment), the
    period a revenue target covers, and message drafts (a new table, created by
    ``create_schema``). Every new value starts empty: nothing reads as agreed
    that nobody agreed. Each column is checked first, so a stopped run can run
    again (SQLite adds columns outside the transaction).
    """
    for table_name, column, definition in _V3_COLUMNS:
        table = db[table_name]
        if table.exists() and column not in table.columns_dict:  # type: ignore[union-attr]
            db.execute(f"ALTER TABLE [{table_name}] ADD COLUMN [{column}] {definition}")


#: Columns schema 4 adds: (table, column, SQL definition).
_V4_COLUMNS: list[tuple[str, str, str]] = [
    ("feedback_items", "document", "TEXT NOT NULL DEFAULT ''"),
    ("handovers", "draft", "INTEGER NOT NULL DEFAULT 0"),
]


def _v4_documents_and_drafts(db: Database) -> None:
    """4: a loop item points to a workbook document; a hand-over filled from a template is a draft.

    Every item of an older file points to no document, and every hand-over it
    holds is the room's own (not a draft): what the room agreed before stays
    agreed. Each column is checked first, so a stopped run can run again.
    """
    for table_name, column, definition in _V4_COLUMNS:
        table = db[table_name]
        if table.exists() and column not in table.columns_dict:  # type: ignore[union-attr]
            db.execute(f"ALTER TABLE [{table_name}] ADD COLUMN [{column}] {definition}")


#: Columns schema 5 adds: (table, column, SQL definition).
_V5_COLUMNS: list[tuple[str, str, str]] = [
    ("actions", "target_goal_id", "INTEGER"),
    ("actions", "target_stage_id", "INTEGER"),
    ("actions", "target_gone", "TEXT NOT NULL DEFAULT ''"),
    ("actions", "first_due", "TEXT"),
    ("actions", "due_moved_on", "TEXT"),
    ("actions", "done_on", "TEXT"),
    ("reviews", "next_review", "TEXT"),
    ("reviews", "period_id", "INTEGER"),
    ("handovers", "returned_pct_max", "FLOAT"),
]


def _v5_follow_through(db: Database) -> None:
    """5: reviews that show what improved and why.

    A review's next date and the funnel period it looks at; an action's target
    (a goal or a stage), its first due date and the days it was moved and done;
    the share of returned leads a hand-over agreement allows. New tables (each
    goal's value at a review, each hand-over's figures at a review, the loop's
    meetings held) are created by ``create_schema``. Everything an older file
    holds keeps its meaning: no action aims at anything, none was moved, the
    days done actions were ticked are not known (None, never guessed), and the
    reviews it recorded have no next date or period. Each column is checked
    first, so a stopped run can run again.
    """
    for table_name, column, definition in _V5_COLUMNS:
        table = db[table_name]
        if table.exists() and column not in table.columns_dict:  # type: ignore[union-attr]
            db.execute(f"ALTER TABLE [{table_name}] ADD COLUMN [{column}] {definition}")


#: from_version -> function that upgrades the database to from_version + 1
STEPS: dict[int, Callable[[Database], None]] = {
    1: _v2_feedback_gate_review,
    2: _v3_calendar_and_workbook,
    3: _v4_documents_and_drafts,
    4: _v5_follow_through,
}


def migrate(db: Database, from_version: int, create_schema: Callable[[Database], None]) -> None:
    """Upgrade *db* from *from_version* to ``SCHEMA_VERSION`` in one transaction."""
    conn = db.conn
    with conn:
        version = from_version
        while version < SCHEMA_VERSION:
            step = STEPS[version]
            step(db)
            version += 1
        # create any table added since (idempotent; the store knows the tables)
        create_schema(db)
        # the cached summary (see store.write_summary) may predate the new schema
        conn.execute("DELETE FROM app_meta WHERE key = 'summary'")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

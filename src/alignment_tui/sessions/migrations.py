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

SCHEMA_VERSION = 6


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


#: Columns schema 6 adds: (table, column, SQL definition).
_V6_COLUMNS: list[tuple[str, str, str]] = [
    ("agenda", "added_seconds", "FLOAT NOT NULL DEFAULT 0.0"),
    ("agenda", "zero_seconds", "FLOAT NOT NULL DEFAULT 0.0"),
    ("agenda", "running_since", "TEXT"),
]

#: The room's tables (schema 6), outside the session's records: what visitors send in
#: (``contributions``, written by the visitors' own processes) and the room's settings
#: (``room``, one row, written only by the facilitator's copy). Plain SQL, so a
#: visitor's process needs neither sqlite-utils nor the models to check them. Ids are
#: AUTOINCREMENT: a withdrawn vote's id is never given again, so "everything after id
#: n" is exactly what arrived since n was seen.
ROOM_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS [room] (
    [id] INTEGER PRIMARY KEY CHECK ([id] = 1),
    [contributions_open] INTEGER NOT NULL DEFAULT 0,
    [vote_budget] INTEGER NOT NULL DEFAULT 3
);
INSERT OR IGNORE INTO [room] ([id], [contributions_open], [vote_budget]) VALUES (1, 0, 3);
CREATE TABLE IF NOT EXISTS [contributions] (
    [id] INTEGER PRIMARY KEY AUTOINCREMENT,
    [step] TEXT NOT NULL,
    [kind] TEXT NOT NULL CHECK ([kind] IN ('note', 'vote')),
    [author] TEXT NOT NULL,
    [visitor] TEXT NOT NULL,
    [text] TEXT NOT NULL DEFAULT '',
    [goal_id] INTEGER,
    [created_at] TEXT NOT NULL,
    [state] TEXT NOT NULL DEFAULT 'new' CHECK ([state] IN ('new', 'accepted', 'dismissed')),
    [decided_at] TEXT,
    [accepted_as] TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS [contributions_by_visitor] ON [contributions] ([visitor], [kind]);
CREATE INDEX IF NOT EXISTS [contributions_waiting] ON [contributions] ([kind], [state], [step]);
"""

#: The tables a visitor's process may write to (see :mod:`.contributions`).
ROOM_TABLES = ("room", "contributions")


def create_room_tables(db: Database) -> None:
    """Create the room's tables and its settings row, if missing (inside the caller's transaction)."""
    for statement in ROOM_TABLES_SQL.split(";"):
        if statement.strip():
            db.conn.execute(statement)


def _v6_the_room(db: Database) -> None:
    """6: the room takes part: contributions from visitors, the room's settings, the timer.

    Two new tables (:data:`ROOM_TABLES_SQL`): what visitors send in, kept apart
    from the facilitator's records, and the room's settings, contributions
    closed and three dots per visitor until the facilitator says otherwise.
    Each step's timebox gains the timer's state (time added with "a minute
    more", the time spent at the last reset, when the current run started):
    an older file's timers added nothing, were never reset and are not
    running. Each column is checked first, so a stopped run can run again.
    """
    for table_name, column, definition in _V6_COLUMNS:
        table = db[table_name]
        if table.exists() and column not in table.columns_dict:  # type: ignore[union-attr]
            db.execute(f"ALTER TABLE [{table_name}] ADD COLUMN [{column}] {definition}")
    create_room_tables(db)


#: from_version -> function that upgrades the database to from_version + 1
STEPS: dict[int, Callable[[Database], None]] = {
    1: _v2_feedback_gate_review,
    2: _v3_calendar_and_workbook,
    3: _v4_documents_and_drafts,
    4: _v5_follow_through,
    5: _v6_the_room,
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

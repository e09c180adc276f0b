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

SCHEMA_VERSION = 2


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


#: from_version -> function that upgrades the database to from_version + 1
STEPS: dict[int, Callable[[Database], None]] = {1: _v2_feedback_gate_review}


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

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
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from alignment_tui.sessions import migrations, store
from alignment_tui.sessions.jsonio import to_json
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


def test_migration_steps_run_in_order_and_bump_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The machinery itself: a (test-only) step 1 -> 2 runs once, in a transaction."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v1.session.sqlite", path)
    ran: list[int] = []

    def step(db: Database) -> None:
        ran.append(1)
        db.execute("UPDATE session SET facilitator = facilitator || ' (migrated)'")

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 1, step)
    svc = SessionService.open(path)
    assert svc.session.meta.facilitator.endswith("(migrated)")
    svc.close()
    assert ran == [1]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
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
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 1, lambda db: None)
    session = store.read_session(path)
    assert session.meta.title
    assert path.read_bytes() == before

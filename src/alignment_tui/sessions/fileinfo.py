"""Checking a session file, and reading its cached summary, with ``sqlite3`` alone.

The start screen and ``alignment-tui list`` look at every session in the data
folder; ``open`` and ``export`` check a file before anything else. None of that
needs the pydantic models or sqlite-utils, whose import and class building cost
more than the rest of the start-up together (see benchmarks/RESULTS.md), so
this module imports only the standard library. The store re-exports
:func:`inspect_file`.

Imports neither textual nor rich.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from . import migrations
from .errors import DamagedSession, NewerSession, NotASession, SessionFileError, SessionInUse

APP_ID = "alignment-tui"
SQLITE_HEADER = b"SQLite format 3\x00"
#: ``app_meta`` key of the summary written when a session is closed (see store).
SUMMARY_KEY = "summary"
#: The table and column the summary is checked against.
META_TABLE = "session"


def writable(path: Path) -> bool:
    """Whether the app may change *path* (a session file or its folder).

    Both the system must allow it and the file must have a write permission
    bit. The superuser may write to any file, but a file (or a folder) with no
    write bit at all (``chmod 444``) was made read-only on purpose: it is
    treated as read-only whoever runs the app, as it is for everyone else.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_IMODE(mode) & 0o222 != 0 and os.access(path, os.W_OK)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=2.0)
    return conn


def _recover_interrupted_write(path: Path) -> None:
    """Roll back a write that a crash or kill interrupted, as any SQLite reader would.

    A process killed inside a transaction leaves a "hot" rollback journal
    beside the file. A read-only connection cannot roll it back and fails with
    "attempt to write a readonly database", so without this step the session
    would be refused as damaged after every crash mid-save. Opening a normal
    connection and reading makes SQLite restore the last committed state (and
    does nothing when the journal belongs to a live writer or is not hot).
    """
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or not writable(path) or not writable(path.parent):
        return
    try:
        conn = sqlite3.connect(path, timeout=2.0)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # the read-only checks below report what is wrong


def inspect_file(path: Path) -> int:
    """Check that *path* is a session this app can open; return its schema version.

    Raises a :class:`SessionFileError` with a one-line reason otherwise. Never
    writes to the file.
    """
    name = path.name
    if not path.exists():
        raise SessionFileError(f"{path}: no such file")
    if path.is_dir():
        raise NotASession(f"{path}: is a folder, not a session file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise SessionFileError(f"{path}: cannot be read (permission denied)") from exc
    except OSError as exc:
        raise SessionFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not header:
        raise NotASession(f"{name}: the file is empty, not an alignment-tui session")
    if header != SQLITE_HEADER:
        raise NotASession(f"{name}: not an alignment-tui session (not a SQLite file)")
    _recover_interrupted_write(path)
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error as exc:
        raise DamagedSession(f"{name}: cannot be opened ({exc})") from exc
    try:
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise DamagedSession(f"{name}: the session file is damaged ({check and check[0]})")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            app = None
            if "app_meta" in tables:
                row = conn.execute("SELECT value FROM app_meta WHERE key='app'").fetchone()
                app = row[0] if row else None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise SessionInUse(f"{name}: locked by another program; try again") from exc
            raise DamagedSession(f"{name}: the session file is damaged ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            raise DamagedSession(f"{name}: the session file is damaged ({exc})") from exc
    finally:
        conn.close()
    if app != APP_ID:
        raise NotASession(f"{name}: a SQLite file, but not an alignment-tui session")
    if version > migrations.SCHEMA_VERSION:
        raise NewerSession(
            f"{name}: made by a newer alignment-tui (schema {version}; "
            f"this version reads up to {migrations.SCHEMA_VERSION}); please upgrade"
        )
    if version < 1:
        raise DamagedSession(f"{name}: the session file has no schema version")
    return int(version)


def change_counter(path: Path) -> int | None:
    """SQLite's file change counter (header offset 24): one more after every commit."""
    try:
        with path.open("rb") as fh:
            header = fh.read(28)
    except OSError:
        return None
    return int.from_bytes(header[24:28], "big") if len(header) == 28 else None


def read_summary(path: Path) -> dict[str, Any] | None:
    """The summary stored in *path* when it was last closed, if it is still current.

    Checks the file first (:func:`inspect_file`, so a file that cannot be used
    raises its one-line :class:`SessionFileError`). Returns None when there is
    no summary, or when anything was committed to the file after it was
    written (SQLite's change counter moved on: a crash mid-workshop, another
    program, another version): the caller then reads the whole session.
    """
    version = inspect_file(path)
    if version != migrations.SCHEMA_VERSION:
        return None
    try:
        conn = _connect_readonly(path)
        try:
            row = conn.execute(
                "SELECT value FROM app_meta WHERE key = ?", (SUMMARY_KEY,)
            ).fetchone()
            meta = conn.execute(f"SELECT updated_at FROM [{META_TABLE}] LIMIT 2").fetchall()
        finally:
            conn.close()
        if not row or len(meta) != 1:
            return None
        summary = json.loads(row[0])
    except (sqlite3.Error, ValueError, TypeError):
        return None
    if not isinstance(summary, dict) or summary.get("updated_at") != meta[0][0]:
        return None
    counter = change_counter(path)
    if counter is None or summary.get("change_counter") != counter:
        return None
    return summary

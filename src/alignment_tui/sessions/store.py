"""The session file: one SQLite database per session.

* One table per kind of record (see ``models.COLLECTIONS`` and ``SINGLETONS``),
  plus ``app_meta`` (key/value: which app wrote it, who has it open).
* The schema version lives in ``PRAGMA user_version``.
* Every write happens in one transaction; the rollback journal (not WAL) keeps
  the session a single file on disk whenever the app is not writing.
* A file is checked read-only before anything is written to it, so a file that
  is not a session, is damaged or is newer is left byte-for-byte untouched.

sqlite-utils creates the tables from the models (and runs migrations and whole
rewrites); reading a session and the autosave's upserts are two plain SQL
statements, so opening, exporting and saving never import it (it costs about
as much to import as the whole rest of ``export``). Checking a file is in
:mod:`.fileinfo`, which needs only the standard library.

Imports neither textual nor rich.
"""

from __future__ import annotations

import json
import os
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from . import clock, migrations
from .errors import (
    DamagedSession,
    ReadOnlySession,
    SessionFileError,
    SessionInUse,
    describe_validation_error,
)
from .fileinfo import (
    APP_ID,
    SUMMARY_KEY,
    _connect_readonly,
    change_counter,
    writable,
)
from .fileinfo import (
    inspect_file as inspect_file,  # re-exported: the store is where callers look
)
from .models import COLLECTIONS, SINGLETONS, Record, Session

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA_VERSION = migrations.SCHEMA_VERSION
#: How long a save waits for the file while visitors' contributions commit (milliseconds).
SAVE_BUSY_MS = 10_000
SUFFIX = ".alignment.db"


def _database(conn: sqlite3.Connection) -> Database:
    from sqlite_utils import Database

    return Database(conn)


# ---------------------------------------------------------------------------
# Schema derived from the models
# ---------------------------------------------------------------------------


def _column_type(annotation: Any) -> type:
    """SQLite column type for a pydantic field annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _column_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _column_type(args[0])
    if origin in (list, dict):
        return str
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return int
        if issubclass(annotation, Enum):
            return str
        if issubclass(annotation, int):
            return int
        if issubclass(annotation, float):
            return float
    return str


def _is_optional(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_optional(typing.get_args(annotation)[0])
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


def table_columns(model: type[Record]) -> dict[str, type]:
    return {name: _column_type(f.annotation) for name, f in model.model_fields.items()}


def create_schema(db: Database) -> None:
    """Create every table of the current schema (empty).

    The room's tables come first: they stay small, and a new file then ends in
    the session's own pages (a file cut short loses data a check can see).
    """
    migrations.create_room_tables(db)
    for _attr, model in SINGLETONS + COLLECTIONS:
        cols = table_columns(model)
        not_null = {
            name
            for name, f in model.model_fields.items()
            if f.is_required() and not _is_optional(f.annotation)
        }
        db[model.TABLE].create(cols, pk="id", not_null=not_null, if_not_exists=True)  # type: ignore[union-attr]
    db["app_meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)  # type: ignore[union-attr]


@cache
def _upsert_sql(model: type[Record]) -> str:
    """``INSERT ... ON CONFLICT(id) DO UPDATE`` for every column of *model*'s table."""
    cols = list(model.model_fields)
    names = ", ".join(f"[{c}]" for c in cols)
    marks = ", ".join(f":{c}" for c in cols)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c != "id")
    return (
        f"INSERT INTO [{model.TABLE}] ({names}) VALUES ({marks}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}"
    )


def _rows(conn: sqlite3.Connection, table: str, limit: int | None = None) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM [{table}] ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def to_row(record: Record) -> dict[str, Any]:
    row = record.model_dump(mode="json")
    for name in record.JSON_FIELDS:
        row[name] = json.dumps(row[name], ensure_ascii=False)
    for name, value in row.items():
        if isinstance(value, bool):
            row[name] = int(value)
    return row


def from_row(model: type[Record], row: dict[str, Any]) -> Record:
    data = dict(row)
    for name in model.JSON_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = json.loads(data[name])
    return model.model_validate(data)


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class SessionStore:
    """An open session file."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.conn = conn
        self._holds_lock = False

    @cached_property
    def db(self) -> Database:
        """sqlite-utils on this connection (imported only for schema work)."""
        return _database(self.conn)

    # -- opening --------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, session: Session, *, overwrite: bool = False) -> SessionStore:
        """Write *session* into a new file at *path*."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise SessionFileError(f"{path}: already exists; choose another name")
        if not path.parent.exists():
            raise SessionFileError(f"{path.parent}: no such folder")
        tmp = path.with_name(path.name + ".creating")
        if tmp.exists():
            tmp.unlink()
        try:
            conn = sqlite3.connect(tmp, timeout=2.0)
            db = _database(conn)
            with conn:
                create_schema(db)
                db["app_meta"].insert_all(  # type: ignore[union-attr]
                    [{"key": "app", "value": APP_ID}], pk="key", replace=True
                )
                _write_session(db, session)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            counter = change_counter(tmp)
            if counter is not None:
                with conn:
                    _put_summary(conn, session, counter + 1)
            conn.close()
            os.replace(tmp, path)
        except PermissionError as exc:
            raise SessionFileError(f"{path}: cannot write here (permission denied)") from exc
        except (OSError, sqlite3.Error) as exc:
            raise SessionFileError(f"{path}: cannot be created ({exc})") from exc
        finally:
            if tmp.exists():
                tmp.unlink()
        return cls.open(path)

    @classmethod
    def open(
        cls, path: Path, *, readonly: bool = False, force: bool = False, lock: bool = True
    ) -> SessionStore:
        """Open an existing session; migrate an older schema.

        Raises :class:`SessionInUse` when another running copy has it open,
        unless *force* or *readonly*; nothing is written in that case. A
        read-only open of an older schema migrates a copy in memory and leaves
        the file alone. With ``lock=False`` the caller takes the "open" marker
        later with :meth:`acquire` (after it has checked the data loads), so a
        file holding invalid data is not written to at all.
        """
        path = Path(path)
        version = inspect_file(path)
        if readonly:
            conn = _connect_readonly(path)
            if version < SCHEMA_VERSION:
                mem = sqlite3.connect(":memory:")
                conn.backup(mem)
                conn.close()
                migrations.migrate(_database(mem), version, create_schema)
                conn = mem
            return cls(path, conn, readonly=True)
        # Not os.access alone: it lets the superuser write to a file made read-only.
        if not writable(path):
            raise ReadOnlySession(f"{path.name}: the file is read-only")
        if not writable(path.parent):
            raise ReadOnlySession(f"{path.name}: its folder is read-only")
        conn = sqlite3.connect(path, timeout=2.0)
        store = cls(path, conn, readonly=False)
        try:
            holder = store.lock_holder()
            if holder is not None and not force:
                raise SessionInUse(
                    f"{path.name}: already open in another alignment-tui "
                    f"(pid {holder['pid']} on {holder['host']} since {holder['since']})",
                    holder=holder,
                )
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION:
                migrations.migrate(store.db, version, create_schema)
            if lock:
                store._take_lock()
            # Visitors' contributions (issue 14) commit between the facilitator's saves;
            # under a burst of them a save waits its turn rather than fail. Opening
            # keeps the two-second wait: a file another program holds is reported soon.
            conn.execute(f"PRAGMA busy_timeout = {SAVE_BUSY_MS}")
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" in str(exc):
                raise SessionInUse(f"{path.name}: locked by another program; try again") from exc
            raise DamagedSession(f"{path.name}: cannot be opened ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        return store

    def acquire(self) -> None:
        """Take the "open by this copy" marker (see ``open(lock=False)``)."""
        if not self.readonly and not self._holds_lock:
            self._take_lock()

    # -- the "open by another copy" marker -------------------------------------

    def lock_holder(self) -> dict[str, Any] | None:
        """Who else has this session open, if anyone still running."""
        row = self.conn.execute("SELECT value FROM app_meta WHERE key='open_by'").fetchone()
        if not row or not row[0]:
            return None
        try:
            holder = json.loads(row[0])
            pid = int(holder["pid"])
        except (ValueError, KeyError, TypeError):
            return None
        import socket  # only when a lock is checked: export and list never need it

        if holder.get("host") == socket.gethostname():
            if pid == os.getpid() or not _pid_alive(pid):
                return None
        return dict(holder)

    def _take_lock(self) -> None:
        import socket

        value = json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": clock.local_now().replace(microsecond=0, tzinfo=None).isoformat(sep=" "),
            }
        )
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO app_meta(key, value) VALUES ('open_by', ?)", (value,)
            )
        self._holds_lock = True

    def close(self, session: Session | None = None) -> None:
        """Remove the "open" marker and, given the *session*, store its summary.

        The summary is what the start screen and ``list`` show, so they need not
        load every session. It records the SQLite change counter this commit
        leaves; a reader uses it only while the counter still matches
        (:func:`.fileinfo.read_summary`), so a summary left behind by a crash,
        or by a program that changed the file since, is never shown.
        """
        try:
            if not self.readonly and (self._holds_lock or session is not None):
                with self.conn:
                    # Hold the file before reading its counter: a visitor's contribution
                    # committed in between would make the summary stale from the start.
                    self.conn.execute("BEGIN IMMEDIATE")
                    counter = change_counter(self.path) if session is not None else None
                    if self._holds_lock:
                        self.conn.execute("DELETE FROM app_meta WHERE key='open_by'")
                    if session is not None and counter is not None:
                        _put_summary(self.conn, session, counter + 1)
        except sqlite3.Error:
            pass  # the marker of a dead process is ignored; the summary is only a cache
        finally:
            self._holds_lock = False
            self.conn.close()

    # -- reading --------------------------------------------------------------

    def load(self) -> Session:
        """Read the whole session."""
        try:
            data: dict[str, Any] = {}
            for attr, model in SINGLETONS:
                rows = _rows(self.conn, model.TABLE, limit=1)
                if rows:
                    data[attr] = from_row(model, rows[0])
            if "meta" not in data:
                raise DamagedSession(f"{self.path.name}: the session record is missing")
            for attr, model in COLLECTIONS:
                # Read all rows before validating: a row that fails validation must not
                # leave a half-read cursor (and its read lock) alive in the traceback.
                rows = _rows(self.conn, model.TABLE)
                data[attr] = [from_row(model, r) for r in rows]
            return Session.model_validate(data)
        except ValidationError as exc:
            raise DamagedSession(
                f"{self.path.name}: the session holds invalid data ({describe_validation_error(exc)})"
            ) from exc
        except (sqlite3.DatabaseError, json.JSONDecodeError) as exc:
            raise DamagedSession(f"{self.path.name}: the session file is damaged ({exc})") from exc

    # -- writing --------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlySession(f"{self.path.name}: opened read-only; changes are not saved")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._check_writable()
        with self.conn:
            yield

    def save(self, *records: Record) -> None:
        """Insert or replace records, all in one transaction."""
        self._check_writable()
        with self.conn:
            for record in records:
                self.conn.execute(_upsert_sql(type(record)), to_row(record))

    def delete(self, records: Iterable[Record]) -> None:
        self._check_writable()
        with self.conn:
            for record in records:
                self.conn.execute(f"DELETE FROM [{record.TABLE}] WHERE id = ?", (record.id,))

    def apply(
        self,
        upserts: Iterable[Record] = (),
        deletes: Iterable[Record] = (),
        *,
        also: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        """Upserts and deletes in a single transaction.

        *also* runs last, inside the same transaction (a contribution marked
        accepted with the record it became); if it raises, nothing is saved.
        """
        self._check_writable()
        with self.conn:
            for record in deletes:
                self.conn.execute(f"DELETE FROM [{record.TABLE}] WHERE id = ?", (record.id,))
            for record in upserts:
                self.conn.execute(_upsert_sql(type(record)), to_row(record))
            if also is not None:
                also(self.conn)

    # -- drafts of dialogs ------------------------------------------------------------

    def save_draft(self, name: str, data: dict[str, str]) -> None:
        """Keep what is typed in an open dialog (*name*), so a crash does not lose it.

        Drafts live in ``app_meta``: they are not part of the session and are
        never exported. A read-only copy keeps none.
        """
        if self.readonly:
            return
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO app_meta(key, value) VALUES (?, ?)",
                (DRAFT_PREFIX + name, json.dumps(data, ensure_ascii=False)),
            )

    def read_draft(self, name: str) -> dict[str, str] | None:
        """The draft kept for dialog *name*, if there is a readable one."""
        row = self.conn.execute(
            "SELECT value FROM app_meta WHERE key = ?", (DRAFT_PREFIX + name,)
        ).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except (TypeError, json.JSONDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}

    def drop_draft(self, name: str) -> None:
        """Forget dialog *name*'s draft (it was saved or cancelled)."""
        if self.readonly:
            return
        with self.conn:
            self.conn.execute("DELETE FROM app_meta WHERE key = ?", (DRAFT_PREFIX + name,))

    def replace_all(self, session: Session) -> None:
        """Rewrite every table from *session* in one transaction."""
        self._check_writable()
        with self.conn:
            for _attr, model in SINGLETONS + COLLECTIONS:
                self.conn.execute(f"DELETE FROM [{model.TABLE}]")
            self.conn.execute("DELETE FROM app_meta WHERE key = ?", (SUMMARY_KEY,))
            _write_session(self.db, session)


#: ``app_meta`` keys of the drafts of open dialogs start with this.
DRAFT_PREFIX = "draft:"


def _write_session(db: Database, session: Session) -> None:
    for attr, model in SINGLETONS:
        record = getattr(session, attr)
        db[model.TABLE].insert(to_row(record), pk="id", replace=True)  # type: ignore[union-attr]
    for attr, model in COLLECTIONS:
        rows = [to_row(r) for r in getattr(session, attr)]
        if rows:
            db[model.TABLE].insert_all(rows, pk="id", replace=True)  # type: ignore[union-attr]


def _put_summary(conn: sqlite3.Connection, session: Session, counter: int) -> None:
    """Write the summary (inside the caller's transaction, which must leave *counter*)."""
    from .progress import progress

    done, total = progress(session)
    meta = session.meta
    todo = session.open_actions()
    summary = {
        "updated_at": to_row(meta)["updated_at"],
        "title": meta.title,
        "organisation": meta.organisation,
        "workshop_date": meta.workshop_date.isoformat() if meta.workshop_date else None,
        "complete_steps": done,
        "total_steps": total,
        "open_actions": len(todo),
        # what `list` needs to say whose review is due and how many actions are overdue
        # (counted on the day it is read, so the due dates, not a count)
        "next_review": meta.next_review.isoformat() if meta.next_review else None,
        "open_due": sorted(a.due.isoformat() for a in todo if a.due is not None),
        "change_counter": counter,
    }
    conn.execute(
        "INSERT OR REPLACE INTO app_meta(key, value) VALUES (?, ?)",
        (SUMMARY_KEY, json.dumps(summary, ensure_ascii=False)),
    )


def read_session(path: Path) -> Session:
    """Load a session without taking the 'open' marker or writing anything."""
    store = SessionStore.open(Path(path), readonly=True)
    try:
        return store.load()
    finally:
        store.conn.close()


def dump_model(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")

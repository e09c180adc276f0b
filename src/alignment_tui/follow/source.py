"""The session file as the follow view reads it: read-only, and only when it changed.

The file is opened the way every read-only copy is (:meth:`SessionStore.open`
with ``readonly=True``: a ``file:…?mode=ro`` URI, so SQLite itself refuses any
write). One connection stays open; each poll asks it ``PRAGMA data_version``,
which moves only when another connection commits, and costs one shared lock and
a read of the file's first page. Only then is the whole session read again, in
one read transaction (a save landing between two tables cannot give a torn
session).

A save holds the file for a moment; so does any program with ``BEGIN
EXCLUSIVE``. The connection waits at most :data:`BUSY_MS` for it (the poll runs
on the UI's thread), then :meth:`FollowSource.poll` answers "nothing new" and
remembers to read again on the next poll. What was last read stays shown.

An older schema cannot be read in place (the store migrates a copy in memory,
which never changes): then the file's change counter (:func:`change_counter`)
tells when to open it again, until the editing copy has migrated it.

Imports neither textual nor rich.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..sessions.errors import SessionFileError
from ..sessions.fileinfo import change_counter
from ..sessions.models import Session
from ..sessions.store import SessionStore

#: The longest a poll waits for a save that holds the file (milliseconds).
BUSY_MS = 20


@dataclass(frozen=True)
class Waiting:
    """Why the last poll could not read the file, and since when (``time.monotonic``)."""

    reason: str
    since: float


class FollowSource:
    """A session file, followed read-only.

    :meth:`open` reads it once (raising :class:`SessionFileError` with one line
    when it cannot be used); :meth:`poll` then says whether there is a newer
    :attr:`session`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.session: Session | None = None
        self.waiting: Waiting | None = None
        #: How many times the whole session was read (tests and benchmarks).
        self.reads = 0
        self._store: SessionStore | None = None
        self._seen: int | None = None
        self._counter: int | None = None
        self._stale = True

    # -- opening and closing ------------------------------------------------------

    def open(self) -> Session:
        """Read the session for the first time; a file that cannot be used raises."""
        self._reopen()
        if not self._read():
            reason = self.waiting.reason if self.waiting else "cannot be read"
            raise SessionFileError(f"{self.path.name}: {reason}")
        assert self.session is not None
        return self.session

    def close(self) -> None:
        if self._store is not None:
            self._store.conn.close()
            self._store = None

    def _reopen(self) -> None:
        self.close()
        store = SessionStore.open(self.path, readonly=True)
        self._seen = None
        if self._in_place(store):
            store.conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            # Taken before the read: a commit landing in between is read on the next poll.
            self._seen = store.conn.execute("PRAGMA data_version").fetchall()[0][0]
        self._store = store
        self._counter = change_counter(self.path)
        self._stale = True

    @staticmethod
    def _in_place(store: SessionStore) -> bool:
        """Whether *store* reads the file itself (not a migrated copy in memory)."""
        row = store.conn.execute("PRAGMA database_list").fetchall()
        return bool(row and row[0][2])

    @property
    def migrated_copy(self) -> bool:
        """The file has an older schema: what is shown is a copy migrated in memory."""
        return self._store is not None and not self._in_place(self._store)

    # -- polling --------------------------------------------------------------------

    def poll(self) -> bool:
        """Whether :attr:`session` changed since the last poll (read it again if so)."""
        try:
            if self._store is None or self.migrated_copy:
                counter = change_counter(self.path)
                if self._store is not None and counter == self._counter and not self._stale:
                    return False
                self._reopen()
            else:
                version = self._store.conn.execute("PRAGMA data_version").fetchall()[0][0]
                if version != self._seen:
                    self._seen = version
                    self._stale = True
                if not self._stale:
                    return False
        except (sqlite3.Error, SessionFileError) as exc:
            self._wait(exc)
            return False
        return self._read()

    def _read(self) -> bool:
        """Read the whole session in one read transaction; False when it cannot be now."""
        store = self._store
        if store is None:
            return False
        conn = store.conn
        try:
            in_place = self._in_place(store)
            if in_place:
                conn.execute("BEGIN")
            try:
                session = store.load()
            finally:
                if in_place and conn.in_transaction:
                    conn.execute("ROLLBACK")
        except (sqlite3.Error, SessionFileError) as exc:
            self._wait(exc)
            return False
        self.reads += 1
        self._stale = False
        self.waiting = None
        if session == self.session:
            return False
        self.session = session
        return True

    def _wait(self, exc: BaseException) -> None:
        """Keep what was read; try again on the next poll."""
        self._stale = True
        cause = exc.__cause__ or exc
        reason = "busy: a save is in progress" if _is_busy(cause) else str(exc)
        if self.waiting is None:
            self.waiting = Waiting(reason, time.monotonic())
        elif self.waiting.reason != reason:
            self.waiting = Waiting(reason, self.waiting.since)


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)

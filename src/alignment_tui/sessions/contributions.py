"""Contributions from the room: notes and dot votes that visitors send into a session.

A visitor (someone following the session with ``follow --contribute`` or
through ``serve --contribute``) writes from their own process into two tables
that are no part of the facilitator's records (:data:`.migrations.ROOM_TABLES_SQL`):

* ``contributions``: one row per note or dot vote, as the visitor typed it;
* ``room``: the room's settings (contributions open or closed, dots per
  visitor), one row, written only by the facilitator's copy and read by every
  visitor on each poll (a one-row primary-key read).

:class:`ContributionBox` is the visitor's side. It opens its own connection:
not :meth:`.store.SessionStore.open`, so it takes no "open by" marker (the
facilitator has the session open), never migrates (a file of another schema is
refused with one line), and writes nothing but ``contributions``. Every write
is one short ``BEGIN IMMEDIATE`` transaction under a busy timeout, so twenty
visitors and the facilitator's autosave take turns instead of failing; each
rule (open, budget, the goal exists) is checked inside the transaction that
writes, so two visitors cannot both take the last dot.

The facilitator's side (listing, accepting, dismissing, the tally) is on
:class:`.service.SessionService`, built from the reading functions here.

Rules for what a visitor sends (each refusal is :class:`ContributionRefused`
with one line, and leaves the file as it was, byte for byte):

* nothing while the facilitator keeps contributions closed (the default),
  not even a dot taken back: the tally the room sees stays put;
* a note holds something besides spaces and at most :data:`MAX_NOTE` characters;
  it is stored exactly as typed (markup, escape sequences, line breaks and
  all): whoever shows it uses the core's one rule for control characters
  (:mod:`.text`), and nothing reads markup in it;
* at most :data:`MAX_NOTES_PER_VISITOR` notes per visitor, so one runaway
  client cannot bury the room's notes;
* a name is one line of 1 to :data:`MAX_NAME` characters, without control
  characters;
* a visitor cannot take a lead's or the facilitator's name: a note signed
  "Dana Okafor" would read as the Sales lead's own. Names are compared by
  their words, with case, accents and full-width forms folded and punctuation
  ignored (:func:`takes_name`): "dana  OKAFOR", "Dana.Okafor" and "Dana
  Okafor (Sales lead)" are all refused; a first name alone ("Dana") is not.
  A lead who joins as a visitor signs with something else ("Dana, on the
  phone");
* a dot goes to a joint goal that exists, within the budget of dots per
  visitor the facilitator set (default 3, 1 to 20); several dots may go to one
  goal. Lowering the budget keeps the dots already placed; a dot the
  facilitator dismissed, or on a goal removed since, is given back.

Imports neither textual nor rich (nor sqlite-utils: a visitor's process needs
only the standard library's sqlite3 and pydantic).
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from . import clock
from .errors import SessionFileError, SessionInUse
from .fileinfo import inspect_file, writable
from .migrations import ROOM_TABLES, SCHEMA_VERSION
from .models import StepId
from .text import one_line

#: The longest note a visitor can send (characters).
MAX_NOTE = 2_000
#: The longest name a visitor can give (characters).
MAX_NAME = 60
#: The most notes one visitor can send into one session.
MAX_NOTES_PER_VISITOR = 100
#: Dots per visitor: the default and the range the facilitator may set.
DEFAULT_VOTE_BUDGET = 3
MIN_VOTE_BUDGET = 1
MAX_VOTE_BUDGET = 20
#: How long a visitor's write waits for the file while another copy saves (seconds).
BUSY_TIMEOUT = 5.0
#: The longest ``accepted_as`` the facilitator's side keeps ("behaviour 12").
MAX_ACCEPTED_AS = 200


class ContributionKind(StrEnum):
    NOTE = "note"
    VOTE = "vote"


class ContributionState(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class ContributionRefused(ValueError):
    """A contribution the rules refuse; ``str(exc)`` is one line for the visitor."""


class Contribution(BaseModel):
    """A note or a dot vote from a visitor, as stored (text exactly as typed)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: int
    step: StepId
    kind: ContributionKind
    #: The name the visitor gave.
    author: str
    #: The visitor's process (:func:`new_visitor`): whose dots count against one budget.
    visitor: str
    #: A note's text ("" for a vote).
    text: str = ""
    #: The goal a vote is for (None for a note).
    goal_id: int | None = None
    #: When it arrived (ISO 8601, UTC).
    created_at: str
    state: ContributionState = ContributionState.NEW
    #: When the facilitator accepted or dismissed it (ISO 8601, UTC).
    decided_at: str | None = None
    #: What it became when accepted ("behaviour 12"); "" otherwise.
    accepted_as: str = ""

    @property
    def is_note(self) -> bool:
        return self.kind is ContributionKind.NOTE


class RoomSettings(BaseModel):
    """What the facilitator allows the room: contributions open or not, dots per visitor."""

    model_config = ConfigDict(frozen=True)

    open: bool = False
    vote_budget: int = DEFAULT_VOTE_BUDGET


def new_visitor() -> str:
    """A random token for one visitor's process (their dots count against one budget)."""
    return secrets.token_hex(8)


def utc_stamp(when: dt.datetime | None = None) -> str:
    """*when* (default: the app clock's now) as ISO 8601 UTC to the second: ``2026-12-05T15:20:01Z``."""
    moment = (when or clock.now()).astimezone(dt.UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# Reading (both sides)
# ---------------------------------------------------------------------------

_COLUMNS = (
    "id, step, kind, author, visitor, text, goal_id, created_at, state, decided_at, accepted_as"
)
_NAMES = [c.strip() for c in _COLUMNS.split(",")]


def _contribution(row: tuple[Any, ...]) -> Contribution | None:
    """A row as a contribution; None for a row no version of the app wrote (a hostile file)."""
    try:
        return Contribution.model_validate(dict(zip(_NAMES, row, strict=True)))
    except (ValidationError, ValueError):
        return None


def read_settings(conn: sqlite3.Connection) -> RoomSettings:
    """The room's settings; a missing row or a value out of range reads as the default."""
    row = conn.execute("SELECT contributions_open, vote_budget FROM room WHERE id = 1").fetchone()
    if row is None:
        return RoomSettings()
    is_open, budget = row
    if not isinstance(budget, int) or not MIN_VOTE_BUDGET <= budget <= MAX_VOTE_BUDGET:
        budget = DEFAULT_VOTE_BUDGET
    return RoomSettings(open=is_open == 1, vote_budget=budget)


def read_contributions(
    conn: sqlite3.Connection,
    *,
    step: StepId | None = None,
    state: str | None = ContributionState.NEW,
    kind: str | None = ContributionKind.NOTE,
    visitor: str | None = None,
    after_id: int = 0,
) -> list[Contribution]:
    """Contributions in the order they arrived, filtered by whichever arguments are not None."""
    where = ["id > ?"]
    params: list[Any] = [after_id]
    for column, value in (("step", step), ("state", state), ("kind", kind), ("visitor", visitor)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(str(value))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM contributions WHERE {' AND '.join(where)} ORDER BY id", params
    ).fetchall()
    return [c for c in map(_contribution, rows) if c is not None]


def read_waiting_counts(conn: sqlite3.Connection) -> dict[StepId, int]:
    """How many new notes wait per step (steps with none are left out)."""
    counts: dict[StepId, int] = {}
    rows = conn.execute(
        "SELECT step, COUNT(*) FROM contributions WHERE kind = 'note' AND state = 'new' "
        "GROUP BY step"
    ).fetchall()
    for step, n in rows:
        try:
            counts[StepId(step)] = int(n)
        except ValueError:
            continue  # a step no version of the app has
    return counts


def read_vote_tally(conn: sqlite3.Connection) -> dict[int, int]:
    """Dots per goal id (dismissed ones not counted); goals without dots are left out."""
    rows = conn.execute(
        "SELECT goal_id, COUNT(*) FROM contributions WHERE kind = 'vote' "
        "AND state != 'dismissed' AND goal_id IS NOT NULL GROUP BY goal_id"
    ).fetchall()
    return {int(goal): int(n) for goal, n in rows}


def last_id(conn: sqlite3.Connection) -> int:
    """The id of the latest contribution (0: none yet); ``after_id`` for what comes next."""
    row = conn.execute("SELECT MAX(id) FROM contributions").fetchone()
    return int(row[0] or 0)


def decide(
    conn: sqlite3.Connection, contribution_id: int, state: ContributionState, accepted_as: str = ""
) -> bool:
    """Mark a new contribution accepted or dismissed (in the caller's transaction).

    False when it is not waiting any more (decided already, or a withdrawn dot).
    """
    cursor = conn.execute(
        "UPDATE contributions SET state = ?, decided_at = ?, accepted_as = ? "
        "WHERE id = ? AND state = 'new'",
        (str(state), utc_stamp(), accepted_as, contribution_id),
    )
    return cursor.rowcount == 1


# ---------------------------------------------------------------------------
# Rules for what a visitor sends
# ---------------------------------------------------------------------------


def name_words(name: str) -> list[str]:
    """*name*'s words for comparing who is who: compatibility forms (full-width letters),
    case and accents folded, anything but letters and digits a gap."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    words: list[str] = []
    word = ""
    for ch in folded:
        if ch.isalnum():
            word += ch
        elif unicodedata.category(ch) != "Mn":  # an accent belongs to its letter
            if word:
                words.append(word)
            word = ""
    return [*words, word] if word else words


def takes_name(name: str, other: str) -> bool:
    """Whether *name* passes for *other*: the same words ("dana  OKAFOR", full-width letters),
    the same letters run together ("DanaOkafor", "dana.okafor"), or *other*'s words
    within it ("Dana Okafor (Sales lead)"). A first name alone ("Dana") does not."""
    mine, theirs = name_words(name), name_words(other)
    if not theirs:
        return False
    if "".join(mine) == "".join(theirs):
        return True
    n = len(theirs)
    return any(mine[i : i + n] == theirs for i in range(len(mine) - n + 1))


def check_name(author: str, protected: list[str]) -> str:
    """The visitor's name, stripped; refused when empty, too long, not one line, or a lead's.

    *protected* are the names no visitor may take (the leads', the facilitator's).
    """
    name = author.strip()
    if not name:
        raise ContributionRefused("Give your name first (it shows beside what you send)")
    if len(name) > MAX_NAME:
        raise ContributionRefused(f"A name holds at most {MAX_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in name):
        raise ContributionRefused("A name is one line, without control characters")
    if not name_words(name):
        raise ContributionRefused("A name needs a letter or a digit")
    for other in protected:
        if takes_name(name, other):
            raise ContributionRefused(
                f"{one_line(' '.join(other.split()))} is this session's lead or facilitator: "
                "sign with a name of your own"
            )
    return name


def check_note(text: str) -> str:
    """A note as typed; refused when it holds nothing to read or is longer than :data:`MAX_NOTE`."""
    if len(text) > MAX_NOTE:
        raise ContributionRefused(
            f"A note holds at most {MAX_NOTE:,} characters (this one has {len(text):,}); "
            "shorten it or send it in parts"
        )
    # spaces, line breaks and invisible format characters (zero-width space …) are nothing to read
    if all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise ContributionRefused("The note is empty: write something first")
    return text


def _check_visitor(visitor: str) -> str:
    if not visitor or len(visitor) > 64 or not visitor.isprintable():
        raise ContributionRefused("This window has no visitor token; open the link again")
    return visitor


# ---------------------------------------------------------------------------
# The visitor's side
# ---------------------------------------------------------------------------


class ContributionBox:
    """A visitor's way into one session's ``contributions`` table.

    Methods raise :class:`ContributionRefused` (one line) for what the rules
    refuse, and :class:`SessionFileError` (one line) when the file cannot be
    reached: gone, damaged, or held by another program for longer than
    :data:`BUSY_TIMEOUT`. Use one box from one thread (sqlite3's rule).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        #: The file this box writes to; a session replaced at *path* since is another file.
        self._identity = _identity(path)

    @classmethod
    def open(cls, path: Path) -> ContributionBox:
        """Open *path* for contributions; refuse with one line unless it is a schema-6 session."""
        path = Path(path)
        version = _inspect_patiently(path)
        if version != SCHEMA_VERSION:
            raise SessionFileError(
                f"{path.name}: written by an older alignment-tui (schema {version}); "
                "open it once in the facilitator's copy to update it, then join again"
            )
        if not writable(path) or not writable(path.parent):
            raise SessionFileError(
                f"{path.name}: read-only here, so nothing sent from the room could be saved"
            )
        try:
            # autocommit: the box opens each transaction itself, with BEGIN IMMEDIATE
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise SessionFileError(f"{path.name}: cannot be opened ({exc})") from exc
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.Error as exc:
            conn.close()
            raise SessionFileError(f"{path.name}: cannot be read ({exc})") from exc
        if not set(ROOM_TABLES) <= tables:
            conn.close()
            raise SessionFileError(f"{path.name}: has no place for contributions (damaged?)")
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ContributionBox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise _file_error(self.path, exc) from exc
        except sqlite3.DatabaseError as exc:
            raise SessionFileError(f"{self.path.name}: cannot be read ({exc})") from exc

    def settings(self) -> RoomSettings:
        """The room's settings now (cheap enough to ask on every poll)."""
        with self._reading():
            return read_settings(self.conn)

    def votes_left(self, visitor: str) -> int:
        """How many dots *visitor* may still place."""
        with self._reading():
            return self._votes_left(visitor)

    def _votes_left(self, visitor: str) -> int:
        budget = read_settings(self.conn).vote_budget
        # a dot on a goal the facilitator removed since is given back
        row = self.conn.execute(
            "SELECT COUNT(*) FROM contributions WHERE visitor = ? AND kind = 'vote' "
            "AND state != 'dismissed' AND goal_id IN (SELECT id FROM goals)",
            (visitor,),
        ).fetchone()
        return max(budget - int(row[0]), 0)

    def my_contributions(self, visitor: str) -> list[Contribution]:
        """Everything *visitor* sent (notes and dots, any state), in the order sent."""
        with self._reading():
            return read_contributions(self.conn, state=None, kind=None, visitor=visitor)

    # -- writing ------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, holding the file from the first check to the commit."""
        conn = self.conn
        if _identity(self.path) != self._identity:
            # a note written through the old connection would land in a file nobody opens
            raise SessionFileError(
                f"{self.path.name}: the session file was replaced or moved; join again"
            )
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _file_error(self.path, exc) from exc
        try:
            if not read_settings(conn).open:
                raise ContributionRefused(
                    "Contributions are closed now; the facilitator opens them"
                )
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise _file_error(self.path, exc) from exc
            if isinstance(exc, sqlite3.DatabaseError):
                raise SessionFileError(f"{self.path.name}: cannot be written ({exc})") from exc
            raise

    def _protected_names(self, conn: sqlite3.Connection) -> list[str]:
        names = [r[0] for r in conn.execute("SELECT name FROM participants WHERE is_lead = 1")]
        names += [r[0] for r in conn.execute("SELECT facilitator FROM session")]
        return [n for n in names if isinstance(n, str) and n.strip()]

    def _insert(self, conn: sqlite3.Connection, **fields: Any) -> Contribution:
        fields.setdefault("text", "")
        fields.setdefault("goal_id", None)
        fields["created_at"] = utc_stamp()
        fields["state"] = ContributionState.NEW.value
        cursor = conn.execute(
            "INSERT INTO contributions (step, kind, author, visitor, text, goal_id, created_at, "
            "state) VALUES (:step, :kind, :author, :visitor, :text, :goal_id, :created_at, :state)",
            fields,
        )
        return Contribution(id=int(cursor.lastrowid or 0), **fields)

    def add_note(self, visitor: str, author: str, step: StepId, text: str) -> Contribution:
        """Send a note to *step*; refused (one line) by the rules in the module's docstring."""
        visitor = _check_visitor(visitor)
        step = StepId(step)
        with self._writing() as conn:
            check_note(text)
            name = check_name(author, self._protected_names(conn))
            row = conn.execute(
                "SELECT COUNT(*) FROM contributions WHERE visitor = ? AND kind = 'note'",
                (visitor,),
            ).fetchone()
            if int(row[0]) >= MAX_NOTES_PER_VISITOR:
                raise ContributionRefused(
                    f"You have sent {MAX_NOTES_PER_VISITOR} notes, the most one visitor can"
                )
            return self._insert(
                conn,
                step=step.value,
                kind=ContributionKind.NOTE.value,
                author=name,
                visitor=visitor,
                text=text,
            )

    def vote(self, visitor: str, author: str, goal_id: int) -> Contribution:
        """Place one dot on joint goal *goal_id*, within the visitor's budget."""
        visitor = _check_visitor(visitor)
        with self._writing() as conn:
            name = check_name(author, self._protected_names(conn))
            if conn.execute("SELECT 1 FROM goals WHERE id = ?", (goal_id,)).fetchone() is None:
                raise ContributionRefused("That goal is no longer there")
            if self._votes_left(visitor) <= 0:
                budget = read_settings(conn).vote_budget
                raise ContributionRefused(
                    f"All your {budget} dot{'s' if budget != 1 else ''} are placed; "
                    "take one back to move it"
                )
            return self._insert(
                conn,
                step=StepId.GOALS.value,
                kind=ContributionKind.VOTE.value,
                author=name,
                visitor=visitor,
                goal_id=goal_id,
            )

    def unvote(self, visitor: str, goal_id: int) -> None:
        """Take back one of *visitor*'s dots on *goal_id* (the latest placed)."""
        visitor = _check_visitor(visitor)
        with self._writing() as conn:
            row = conn.execute(
                "SELECT MAX(id) FROM contributions WHERE visitor = ? AND kind = 'vote' "
                "AND goal_id = ? AND state = 'new'",
                (visitor, goal_id),
            ).fetchone()
            if row is None or row[0] is None:
                raise ContributionRefused("You have no dot on that goal")
            conn.execute("DELETE FROM contributions WHERE id = ?", (row[0],))


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file *path* is now (device and inode); None when there is none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _inspect_patiently(path: Path) -> int:
    """:func:`inspect_file`, asked again while saves keep the file busy (up to
    :data:`BUSY_TIMEOUT`): a visitor joining a room in full flow should get in."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            return inspect_file(path)
        except SessionInUse:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _file_error(path: Path, exc: sqlite3.OperationalError) -> SessionFileError:
    if "locked" in str(exc) or "busy" in str(exc):
        return SessionInUse(f"{path.name}: busy with another save for too long; try again")
    return SessionFileError(f"{path.name}: cannot be used ({exc})")

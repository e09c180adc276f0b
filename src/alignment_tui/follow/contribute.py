"""The visitor's side of the room: who they are, what the facilitator allows, what they gave.

``follow PATH --contribute`` (and each visitor of ``serve --contribute``) opens a
:class:`~alignment_tui.sessions.contributions.ContributionBox` beside the read-only
:class:`~.source.FollowSource`: the follow view still reads the session read-only,
and every note and dot vote goes through the box, which writes the contributions
table only (short transactions; the core refuses what is not allowed and says why).

:class:`Room` holds what the screen shows of it: the name given once, the room's
settings (open or closed, the vote budget), this visitor's own notes and votes.
It is read again only when the file changed (the follow source read it again) or
after the visitor's own write, so an idle view does no more work than before.

The box is used on one thread of its own, never the app's: a note sent while the
facilitator's save holds the file waits there (up to the busy timeout), and the
visitor's screen keeps answering keys meanwhile ("saving…").

A file the box cannot use (an older schema, a file or folder that cannot be
written, not a session) leaves the view read-only, with one line saying why.

Imports neither textual nor rich.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple, TypeVar

from ..sessions.contributions import (
    Contribution,
    ContributionBox,
    ContributionKind,
    ContributionRefused,
    ContributionState,
    RoomSettings,
    check_name,
    new_visitor,
)
from ..sessions.errors import SessionFileError, SessionInUse
from ..sessions.models import Session, StepId

T = TypeVar("T")

#: The kinds a note can be given on each step (a prefix to its text; none is "just a note").
NOTE_KINDS: dict[StepId, tuple[str, ...]] = {
    StepId.SETUP: ("Question", "Who else should be here"),
    StepId.GOALS: ("Proposed goal", "Proposed behaviour", "Proposed action"),
    StepId.STORY: ("Customer story", "Proof point", "Message to retire", "Proposed action"),
    StepId.CRM: ("What marketing should watch", "Concern", "Proposed action"),
    StepId.FEEDBACK: (
        "Customer story",
        "Complaint",
        "What my side brings to the loop",
        "Proposed action",
    ),
    StepId.FUNNEL: ("Hand-over problem", "Lost reason", "Proposed action"),
    StepId.WRAPUP: ("Proposed action", "Comment"),
}


def with_kind(kind: str | None, text: str) -> str:
    """The note as stored: *text* after its kind (``Customer story: …``), or alone."""
    return f"{kind}: {text}" if kind else text


def one_reason(exc: BaseException) -> str:
    """An error's message on one line (a reason line is one line)."""
    return " ".join(str(exc).split()) or type(exc).__name__


class Reading(NamedTuple):
    """What the room's thread read of the file, handed to the UI thread (:meth:`Room.take`)."""

    #: The box is open: contributing is possible, if the facilitator allows it.
    ready: bool
    #: Why contributing is off (one line), or None.
    off: str | None = None
    settings: RoomSettings | None = None
    mine: tuple[Contribution, ...] = ()
    #: A save held the file longer than the busy timeout: nothing was read this time.
    busy: bool = False


class Sent(NamedTuple):
    """What became of one write: the contribution saved, or the one-line reason it was not."""

    reading: Reading
    saved: Contribution | None = None
    refused: str | None = None


class _Keeper:
    """The room's thread's side: it alone opens, uses and closes the box, whose sqlite3
    connection belongs to the thread that made it. Nothing here raises: each outcome is
    a :class:`Reading` or a :class:`Sent`."""

    def __init__(self, path: Path, visitor: str) -> None:
        self.path = path
        self.visitor = visitor
        self.box: ContributionBox | None = None
        self.off: str | None = None

    def open(self) -> Reading:
        self.close()
        reason = _not_writable(self.path)
        if reason is None:
            try:
                self.box = ContributionBox.open(self.path)
            except (SessionFileError, sqlite3.Error, OSError) as exc:
                reason = one_reason(exc)
        if reason is not None:
            self.off = f"Contributing is off: {reason}"
            return Reading(ready=False, off=self.off)
        self.off = None
        return self.read()

    def look(self) -> Reading:
        """Read again, or open first when the box is not open (an older file may have
        been brought up to date by the facilitator's copy since)."""
        return self.read() if self.box is not None else self.open()

    def read(self) -> Reading:
        box = self.box
        if box is None:
            return Reading(ready=False, off=self.off)
        try:
            settings = box.settings()
            mine = box.my_contributions(self.visitor)
        except SessionInUse:
            return Reading(ready=True, busy=True)  # read again on the next poll
        except (SessionFileError, sqlite3.Error) as exc:
            self.off = f"Contributing is off: {one_reason(exc)}"
            self.close()
            return Reading(ready=False, off=self.off)
        return Reading(ready=True, settings=settings, mine=tuple(mine))

    def write(self, do: Callable[[ContributionBox], Contribution | None]) -> Sent:
        box = self.box
        if box is None:
            return Sent(self.read(), refused=self.off or "Contributing is off")
        try:
            saved = do(box)
        except (ContributionRefused, SessionFileError, sqlite3.Error) as exc:
            return Sent(self.read(), refused=one_reason(exc))
        return Sent(self.read(), saved=saved)

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
            self.box = None


class Room:
    """One visitor's contributions to the session at *path*.

    Every use of the file happens on the room's one thread (:class:`_Keeper`): a
    note or a dot waits there while the facilitator's save holds the file (up to
    the busy timeout), and the screen stays alive meanwhile. The methods that
    touch the file return at once with an :class:`asyncio.Future` to await (call
    them on the app's event loop); what each read or write brings back is taken
    in (:meth:`take`) on that loop, in the order they were asked, and the
    listeners are told.

    :meth:`refresh` first; :attr:`off` then says why contributing is off
    (``None`` when it is on). The visitor's token is random per process: the
    core counts votes against the budget per token, so two people who give the
    same name do not share dots.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.visitor = new_visitor()
        self.name: str | None = None
        #: Why contributing is off (one line), or None.
        self.off: str | None = None
        self.settings: RoomSettings | None = None
        self.mine: list[Contribution] = []
        #: The last reading found the file held by a save: read again on the next poll.
        self.stale = False
        #: Writes on their way (a note, dots): shown as "saving…".
        self.sending = 0
        #: A note typed and cancelled, per step: offered again by the next note on that step.
        self.drafts: dict[StepId, str] = {}
        #: Called (on the event loop) after each reading taken in.
        self.listeners: list[Callable[[], None]] = []
        self._ready = False
        self._keeper = _Keeper(self.path, self.visitor)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="room")
        self._looking: asyncio.Future[Reading] | None = None
        self._again = False
        self._closed = False

    def _submit(self, job: Callable[[], T]) -> asyncio.Future[T]:
        return asyncio.wrap_future(self._thread.submit(job))

    # -- reading ------------------------------------------------------------------

    def refresh(self) -> asyncio.Future[Reading] | None:
        """Look at the room again (open the box first if it is not open); None when a
        look is already on its way: one more follows it, so nothing written meanwhile
        is missed."""
        if self._closed:
            return None
        if self._looking is not None:
            self._again = True
            return None
        self._again = False
        future = self._looking = self._submit(self._keeper.look)
        future.add_done_callback(self._looked)
        return future

    def _looked(self, future: asyncio.Future[Reading]) -> None:
        self._looking = None
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            # not one of the file's expected troubles: said, not swallowed
            self.take(Reading(ready=False, off=f"Contributing is off: {one_reason(error)}"))
        else:
            self.take(future.result())
        if self._again:
            self.refresh()

    def take(self, reading: Reading) -> bool:
        """Take in what the room's thread read; whether anything shown changed."""
        if reading.busy:
            self.stale = True
            return False
        self.stale = False
        before = (self._ready, self.off, self.settings, self.mine)
        self._ready, self.off = reading.ready, reading.off
        if reading.ready:
            self.settings, self.mine = reading.settings, list(reading.mine)
        changed = before != (self._ready, self.off, self.settings, self.mine)
        for listener in list(self.listeners):
            listener()
        return changed

    def close(self) -> None:
        """Close the box on its thread once what was asked of it is done (a note sent just
        before leaving still lands)."""
        if self._closed:
            return
        self._closed = True
        self._thread.submit(self._keeper.close)
        self._thread.shutdown(wait=False)

    # -- what the screen shows ----------------------------------------------------

    @property
    def ready(self) -> bool:
        """The box is open (contributing is possible, if the facilitator allows it)."""
        return self._ready

    @property
    def is_open(self) -> bool:
        """The facilitator takes contributions now."""
        return self._ready and self.settings is not None and self.settings.open

    def my_votes(self, goals: Collection[int] | None = None) -> Counter[int]:
        """This visitor's dots per goal id, on *goals* only when given: a dot the
        facilitator dismissed, or on a goal removed since, is given back (as the core
        counts the budget)."""
        return Counter(
            c.goal_id
            for c in self.mine
            if c.kind is ContributionKind.VOTE
            and c.goal_id is not None
            and c.state is not ContributionState.DISMISSED
            and (goals is None or c.goal_id in goals)
        )

    def votes_left(self, goals: Collection[int] | None = None) -> int:
        budget = self.settings.vote_budget if self.settings is not None else 0
        return max(0, budget - sum(self.my_votes(goals).values()))

    def notes_line(self) -> str:
        """``your notes: 3 · 1 accepted · 1 dismissed`` (what became of what was given)."""
        notes = [c for c in self.mine if c.kind is ContributionKind.NOTE]
        parts = [f"your notes: {len(notes)}"]
        for state in (ContributionState.ACCEPTED, ContributionState.DISMISSED):
            n = sum(1 for c in notes if c.state is state)
            if n:
                parts.append(f"{n} {state.value}")
        return " · ".join(parts)

    def check_name(self, name: str, session: Session | None) -> None:
        """Refuse (:class:`ContributionRefused`, the core's reason) a name the core would
        refuse on the first note: empty, too long, not one line, a lead's or the
        facilitator's as *session* names them."""
        protected = [p.name for p in session.participants if p.is_lead] if session else []
        if session is not None:
            protected.append(session.meta.facilitator)
        check_name(name, [n for n in protected if n.strip()])

    # -- the visitor's writes ------------------------------------------------------
    #
    # Each returns at once; the future's Sent says what was saved or the one-line
    # reason it was not (the rules' refusal, or a file held too long by a save).
    # Writes run one after another, in the order asked, each its own transaction.

    def send_note(self, step: StepId, text: str) -> asyncio.Future[Sent]:
        name = self.name or ""
        return self._write(lambda box: box.add_note(self.visitor, name, step, text))

    def vote(self, goal_id: int) -> asyncio.Future[Sent]:
        name = self.name or ""
        return self._write(lambda box: box.vote(self.visitor, name, goal_id))

    def unvote(self, goal_id: int) -> asyncio.Future[Sent]:
        return self._write(lambda box: box.unvote(self.visitor, goal_id))

    def _write(self, do: Callable[[ContributionBox], Contribution | None]) -> asyncio.Future[Sent]:
        if self._closed:
            done: asyncio.Future[Sent] = asyncio.get_running_loop().create_future()
            done.set_result(Sent(Reading(ready=False, off=self.off), refused="The view is closing"))
            return done
        self.sending += 1
        future = self._submit(lambda: self._keeper.write(do))
        future.add_done_callback(self._sent)
        return future

    def _sent(self, future: asyncio.Future[Sent]) -> None:
        self.sending -= 1
        if not future.cancelled() and future.exception() is None:
            self.take(future.result().reading)


def _not_writable(path: Path) -> str | None:
    """Why the visitor's process cannot write *path* (SQLite also needs its folder for the
    journal), or None."""
    if not os.access(path, os.W_OK):
        return "the session file cannot be written from here (read-only)"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "the session's folder cannot be written from here (read-only)"
    return None

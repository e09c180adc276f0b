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

A file the box cannot use (an older schema, a file or folder that cannot be
written, not a session) leaves the view read-only, with one line saying why.

Imports neither textual nor rich.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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


class Room:
    """One visitor's contributions to the session at *path*.

    :meth:`open` first; :attr:`off` then says why contributing is off (``None`` when
    it is on). The visitor's token is random per process: the core counts votes
    against the budget per token, so two people who give the same name do not
    share dots.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.visitor = new_visitor()
        self.name: str | None = None
        self.box: ContributionBox | None = None
        #: Why contributing is off (one line), or None.
        self.off: str | None = None
        self.settings: RoomSettings | None = None
        self.mine: list[Contribution] = []
        #: The last reading that failed (a save held the file): tried again on the next change.
        self.stale = False
        #: A note typed and cancelled, per step: offered again by the next note on that step.
        self.drafts: dict[StepId, str] = {}

    # -- opening and closing ------------------------------------------------------

    def open(self) -> bool:
        """Open the box; False (with :attr:`off` said) when this file takes no contributions."""
        self.close()
        reason = _not_writable(self.path)
        if reason is None:
            try:
                self.box = ContributionBox.open(self.path)
            except (SessionFileError, sqlite3.Error, OSError) as exc:
                reason = one_reason(exc)
        if reason is not None:
            self.off = f"Contributing is off: {reason}"
            return False
        self.off = None
        self.refresh()
        return True

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
            self.box = None

    # -- what the screen shows ----------------------------------------------------

    @property
    def ready(self) -> bool:
        """The box is open (contributing is possible, if the facilitator allows it)."""
        return self.box is not None

    @property
    def is_open(self) -> bool:
        """The facilitator takes contributions now."""
        return self.box is not None and self.settings is not None and self.settings.open

    def refresh(self) -> bool:
        """Read the settings and this visitor's contributions again; whether they changed."""
        box = self.box
        if box is None:
            return False
        try:
            settings = box.settings()
            mine = box.my_contributions(self.visitor)
        except SessionInUse:
            self.stale = True  # a save holds the file: read again on the next poll
            return False
        except (SessionFileError, sqlite3.Error) as exc:
            self.off = f"Contributing is off: {one_reason(exc)}"
            self.close()
            return True
        self.stale = False
        changed = settings != self.settings or mine != self.mine
        self.settings, self.mine = settings, mine
        return changed

    def my_votes(self) -> Counter[int]:
        """This visitor's dots per goal id (a dot the facilitator dismissed is given back)."""
        return Counter(
            c.goal_id
            for c in self.mine
            if c.kind is ContributionKind.VOTE
            and c.goal_id is not None
            and c.state is not ContributionState.DISMISSED
        )

    def votes_left(self) -> int:
        budget = self.settings.vote_budget if self.settings is not None else 0
        return max(0, budget - sum(self.my_votes().values()))

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

    # -- the visitor's writes (each refused one raises ContributionRefused) --------

    def _box(self) -> ContributionBox:
        if self.box is None:
            raise ContributionRefused(self.off or "Contributing is off")
        return self.box

    def add_note(self, step: StepId, text: str) -> Contribution:
        return self._write(lambda box: box.add_note(self.visitor, self.name or "", step, text))

    def vote(self, goal_id: int) -> None:
        self._write(lambda box: box.vote(self.visitor, self.name or "", goal_id))

    def unvote(self, goal_id: int) -> None:
        self._write(lambda box: box.unvote(self.visitor, goal_id))

    def _write(self, do: Callable[[ContributionBox], T]) -> T:
        box = self._box()
        try:
            out = do(box)
        except (SessionFileError, sqlite3.Error) as exc:
            raise ContributionRefused(one_reason(exc)) from exc
        finally:
            self.refresh()
        return out


def _not_writable(path: Path) -> str | None:
    """Why the visitor's process cannot write *path* (SQLite also needs its folder for the
    journal), or None."""
    if not os.access(path, os.W_OK):
        return "the session file cannot be written from here (read-only)"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "the session's folder cannot be written from here (read-only)"
    return None

"""What the room sends in (notes and dot votes from ``serve --contribute``), as the facilitator sees it.

The visitors' processes write their contributions into the session file; the
facilitator's app does not hear them. :class:`RoomWatch` asks the service every
second whether the file changed (a cheap look at SQLite's change counter), and
only then counts the notes waiting per step and the votes per goal. Whatever
shows them (the step list's "✉ 3", the header, the goals' tally, the list of
notes being gone through) listens to the watch, and is told only when a count
changed: a session that nobody contributes to never repaints for it.

The pieces that show a note (:func:`note_text`, :func:`author_line`) show its
words literally, cut at :data:`NOTE_CAP` characters with a line that says how
many more there are: a visitor may send markup, escape sequences or a whole
book, and the list must stay readable and the terminal untouched.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content

from ..sessions.errors import SessionFileError
from ..sessions.models import StepId
from ..sessions.text import one_line, visible

if TYPE_CHECKING:
    from ..sessions.service import SessionService

#: Characters of a note shown in the list; the rest is counted, not shown.
NOTE_CAP = 400
#: Lines of a note shown in the list (a note of a thousand short lines stays short too).
NOTE_LINES = 6
#: Characters of a visitor's name shown (names are given by the visitors themselves).
NAME_CAP = 40

Listener = Callable[[], None]


def note_text(text: str, *, cap: int = NOTE_CAP, lines: int = NOTE_LINES) -> Content:
    """A note's words as the facilitator reads them: literal, controls shown, cut with a count."""
    shown = visible(text.strip("\n"))
    cut = shown[:cap]
    kept = cut.split("\n")
    if len(kept) > lines:
        cut = "\n".join(kept[:lines])
    rest = len(shown) - len(cut)
    body = Content(cut or "(an empty note)")
    if rest <= 0:
        return body
    return Content.assemble(body, ("\n… ", "dim"), (f"({rest:,} more characters)", "dim italic"))


def author_name(name: str) -> str:
    """A visitor's name on one line, cut: they chose it, so it is quoted, never trusted."""
    shown = one_line(" ".join(name.split())) or "someone"
    if len(shown) > NAME_CAP:
        shown = shown[: NAME_CAP - 1] + "…"
    return f"“{shown}”"


def local_time(stamp: str | None) -> str:
    """The local time ("10:42") of a contribution's UTC stamp; "" for none or one that is not a time."""
    if not stamp:
        return ""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%H:%M")


def author_line(name: str, when: str | None, step: StepId | None = None) -> Content:
    """Who sent a note, when, and (listing all steps) for which step: “Ana” · 10:42 · Joint goals."""
    parts: list[str | tuple[str, str]] = [(author_name(name), "bold")]
    shown = local_time(when)
    if shown:
        parts.append(f" · {shown}")
    if step is not None:
        parts.append(f" · {step.short}")
    return Content.assemble(*parts)


def waiting_summary(counts: dict[StepId, int], key: str | None) -> str:
    """The header's line: how many notes wait in all (and the key that opens them)."""
    total = sum(counts.values())
    if not total:
        return ""
    noun = "note" if total == 1 else "notes"
    how = f" ({key})" if key else ""
    return f"✉ {total} {noun}{how}"


def votes_label(n: int) -> str:
    """The room's dots beside a goal: "● 5 votes from the room"."""
    return f"● {n} vote{'' if n == 1 else 's'} from the room"


class RoomWatch:
    """The notes waiting per step and the room's votes per goal, kept up to date by polling.

    :meth:`poll` is called on a timer (the workshop screen's, every
    :data:`INTERVAL` seconds); it costs one ``PRAGMA data_version`` while the
    file is unchanged. Listeners are called after a poll that changed a count.
    """

    #: Seconds between two looks at the file: the room sees its note counted within this.
    INTERVAL = 1.0

    def __init__(self, service: SessionService) -> None:
        self.service = service
        self.counts: dict[StepId, int] = {}
        self.tally: dict[int, int] = {}
        self._listeners: list[Listener] = []
        # the file's change counter as it stands now, then the counts: a note written
        # between the two is counted now, and one written after is seen by the next poll
        self.poll()
        self.read()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def read(self) -> bool:
        """Count again from the file; True when a count changed (listeners are then told)."""
        try:
            counts = {s: n for s, n in self.service.waiting_counts().items() if n}
            tally = {g: n for g, n in self.service.vote_tally().items() if n}
        except (sqlite3.Error, SessionFileError):
            return False  # a file held by a save a moment too long: look again next time
        if counts == self.counts and tally == self.tally:
            return False
        self.counts, self.tally = counts, tally
        for listener in list(self._listeners):
            listener()
        return True

    def poll(self) -> None:
        """Look at the file's change counter; count again only when someone wrote to it."""
        try:
            changed = self.service.room_changed()
        except (sqlite3.Error, SessionFileError):
            return  # as in read()
        if changed:
            self.read()

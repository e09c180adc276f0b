"""The step timer as the follow view knows it: from what the editing copy saves.

The editing copy (``widgets/timer.py``) saves its timer's state in the step's
``AgendaItem`` (schema 6) when it starts, pauses, adds a minute (F6) or resets
(Shift+F6), and the time spent every :data:`SAVE_EVERY` seconds while it runs:

* time spent now = ``spent_seconds`` + (now - ``running_since``) while it runs
  (``running_since`` is the moment ``spent_seconds`` was measured), or
  ``spent_seconds`` while it stands;
* time left = ``minutes`` * 60 + ``added_seconds`` - (time spent - ``zero_seconds``).

So the follow view shows the same time left as the editing copy, counting on one
second at a time between the file's changes, and shows a pause, a minute added or
a reset at its next look at the file. A run the editing copy stopped saving for
:data:`STALE_AFTER` seconds (it ended without pausing: closed abruptly, or the
laptop went to sleep) is shown paused at the time last saved.

A file of an older schema (:attr:`FollowSource.migrated_copy`: an older copy of
the app edits it) holds only the time spent: then, as before, the timer counts as
running while the saved time spent has grown within the last :data:`RUNNING_FOR`
seconds, a minute added and a reset are not shown, and a pause shows late.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ..sessions import clock as wall_clock
from ..sessions.models import AgendaItem, Session, StepId
from ..widgets.timer import SAVE_EVERY, STATE_SYMBOL, Countdown, WallClock
from .source import FollowSource

#: An older file: seconds after the saved time spent last grew during which the timer
#: counts as running.
RUNNING_FOR = SAVE_EVERY + 1.5
#: Seconds after the last save of a running timer past which its copy is taken to have
#: stopped (it saves every SAVE_EVERY seconds while it runs).
STALE_AFTER = 3 * SAVE_EVERY


def parse_since(text: str | None) -> dt.datetime | None:
    """``running_since`` as an aware moment; None for none, or for text that is not one."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class FollowTimer(Static):
    """One line: the current step's countdown, coloured as the editing copy colours it."""

    DEFAULT_CSS = """
    FollowTimer {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: WallClock = wall_clock.now,
        **kwargs: object,
    ) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        #: The time of day, read against ``running_since`` (tests pin the app's clock).
        self.wall = wall
        #: Whether the file holds the timer's state (schema 6); None: ask the screen's source.
        self.exact: bool | None = None
        self._step: StepId | None = None
        self._item: AgendaItem | None = None
        self._minutes = 0
        self._spent: float | None = None
        self._grew_at: float | None = None
        self._ticker: Timer | None = None
        self._shown: Content | None = None

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self.render_state, pause=True)

    def _exact(self) -> bool:
        if self.exact is not None:
            return self.exact
        source = getattr(self.screen, "source", None)
        return not (isinstance(source, FollowSource) and source.migrated_copy)

    def show(self, session: Session) -> None:
        """The session as last read: its current step's timer."""
        step = session.meta.current_step
        item = session.timebox(step)
        if self._exact():
            self._step, self._item = step, item
        else:
            self._item = None
            if step is not self._step:
                self._step, self._spent, self._grew_at = step, None, None
            elif self._spent is not None and item.spent_seconds > self._spent:
                self._grew_at = self.clock()
            self._spent = item.spent_seconds
            self._minutes = item.minutes
        self.render_state()

    @property
    def from_state(self) -> bool:
        """Whether the timer shown is read from its saved state (not guessed)."""
        return self._item is not None

    @property
    def running(self) -> bool:
        if self._item is not None:
            return self._running_for() is not None
        return self._grew_at is not None and self.clock() - self._grew_at < RUNNING_FOR

    def _running_for(self) -> float | None:
        """Seconds the timer has run since its time spent was saved; None: it stands."""
        assert self._item is not None
        since = parse_since(self._item.running_since)
        if since is None:
            return None
        ran = (self.wall() - since).total_seconds()
        if ran > STALE_AFTER:
            return None  # its copy stopped saving: shown where it was left
        return max(0.0, ran)  # a clock a little behind the editing copy's: not back in time

    def countdown(self) -> Countdown:
        item = self._item
        if item is not None:
            ran = self._running_for()
            now = self.clock()
            countdown = Countdown(
                item.minutes,
                spent=item.spent_seconds + (ran or 0.0),
                added=item.added_seconds,
                zero=item.zero_seconds,
                clock=lambda: now,  # the time spent is counted to this moment already
            )
            if ran is not None:
                countdown.start()
            return countdown
        spent = self._spent or 0.0
        running = self.running
        if running and self._grew_at is not None:
            spent += self.clock() - self._grew_at
        countdown = Countdown(self._minutes, spent=spent, clock=self.clock)
        if running:
            countdown.start()
        return countdown

    def render_state(self) -> None:
        if self._step is None:
            return
        countdown = self.countdown()
        text = Content.assemble(
            (STATE_SYMBOL[countdown.state] + " ", "bold"),
            (self._step.short, "bold"),
            " · ",
            countdown.describe(),
        )
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line of a fixed size: no layout
        level = countdown.level if countdown.state != "idle" else "normal"
        for name in ("warning", "error", "over"):
            self.set_class(level == name, f"-{name}")
        if self._ticker is not None:
            if countdown.running:
                self._ticker.resume()
            else:
                self._ticker.pause()

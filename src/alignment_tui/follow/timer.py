"""The step timer as the follow view knows it: from what the editing copy saves.

The editing copy keeps its countdown in memory and writes the time spent on the
step (``AgendaItem.spent_seconds``) every :data:`SAVE_EVERY` seconds while it
runs, and when it is paused or the room moves on. So the follow view shows the
time left of the timebox from the saved time spent; when the saved time has
grown within the last :data:`RUNNING_FOR` seconds the timer is running, and it
counts on between two saves (one second at a time, like the editing copy's).

What the file does not hold, the follow view cannot show: a minute added with
F6, and a reset (Shift+F6), live only in the editing copy's memory; a pause
shows up to :data:`RUNNING_FOR` seconds late.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ..sessions.models import Session, StepId
from ..widgets.timer import SAVE_EVERY, STATE_SYMBOL, Countdown

#: Seconds after the saved time spent last grew during which the timer counts as running.
RUNNING_FOR = SAVE_EVERY + 1.5


class FollowTimer(Static):
    """One line: the current step's countdown, coloured as the editing copy colours it."""

    DEFAULT_CSS = """
    FollowTimer {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self._step: StepId | None = None
        self._minutes = 0
        self._spent: float | None = None
        self._grew_at: float | None = None
        self._ticker: Timer | None = None
        self._shown: Content | None = None

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self.render_state, pause=True)

    def show(self, session: Session) -> None:
        """The session as last read: its current step's timebox and time spent."""
        step = session.meta.current_step
        item = session.timebox(step)
        if step is not self._step:
            self._step, self._spent, self._grew_at = step, None, None
        elif self._spent is not None and item.spent_seconds > self._spent:
            self._grew_at = self.clock()
        self._spent = item.spent_seconds
        self._minutes = item.minutes
        self.render_state()

    @property
    def running(self) -> bool:
        return self._grew_at is not None and self.clock() - self._grew_at < RUNNING_FOR

    def countdown(self) -> Countdown:
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

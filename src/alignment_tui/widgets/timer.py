"""The step timer: a countdown of the current step's timebox.

Two parts:

* :class:`Countdown` — the pure state machine (idle / running / paused, time
  left, the 20 % and 5 % thresholds, overtime). It reads the time only through
  its ``clock`` callable (default :func:`time.monotonic`), so tests drive it
  with a fake clock.
* :class:`StepTimer` — the one-line widget in the workshop screen. It keeps one
  ``Countdown`` per step, shows the state in words and symbols (never colour
  alone), sets the classes ``-warning`` / ``-error`` / ``-over`` for the
  colours, nudges when a step is entered with its timer not running (the line
  lights up for a few seconds, class ``-nudged``; a read-only copy, whose timer
  cannot be started, shows no key hint and never nudges), and
  records the time actually spent per step in ``AgendaItem.spent_seconds``
  (at most every ``SAVE_EVERY`` seconds while running, and on pause, reset,
  step change and quit — never on every tick).

What is saved (schema 6) is enough for another copy (the follow view) to show the
same time left at any moment, without guessing:

* ``spent_seconds`` — the time spent, measured at ``running_since``;
* ``running_since`` — while the timer runs, the moment (UTC, ISO 8601) from which
  it has run on top of ``spent_seconds``: the run's start, moved on with each save
  of the time spent; ``None`` while it stands. So the time spent now is
  ``spent_seconds + (now - running_since)``;
* ``added_seconds`` — the minutes added with F6 (cleared by a reset);
* ``zero_seconds`` — the time spent at the last reset (Shift+F6).

Start, pause, F6 and reset save at once, so a follow view shows them at its next
look at the file. A timer the file says runs when this copy opens (the copy that
ran it ended without pausing it) is saved as paused.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from typing import Literal

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ..sessions import clock as wall_clock
from ..sessions.clock import mmss
from ..sessions.errors import SessionFileError
from ..sessions.models import DEFAULT_TIMEBOX, AgendaItem, StepId
from ..sessions.service import SessionService
from .footer import key_for

Clock = Callable[[], float]
#: The time of day (aware), for ``running_since``: the follow view in another process
#: reads it against its own.
WallClock = Callable[[], dt.datetime]
State = Literal["idle", "running", "paused"]
Level = Literal["normal", "warning", "error", "over"]

#: Share of the timebox left at which the timer turns to a warning.
WARNING_AT = 0.20
#: Share of the timebox left at which the timer turns to an error.
ERROR_AT = 0.05
#: Seconds between saves of the spent time while a timer runs.
SAVE_EVERY = 5.0


class Countdown:
    """The countdown of one step: a small state machine with an injectable clock.

    ``spent`` is all the running time ever recorded for the step (it starts
    from what the session file holds and is never reset); ``elapsed`` is the
    running time since the last :meth:`reset`, which the countdown uses.
    """

    def __init__(
        self,
        minutes: float,
        *,
        spent: float = 0.0,
        added: float = 0.0,
        zero: float = 0.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.clock = clock
        self.timebox = max(0.0, float(minutes) * 60)
        self.extra = max(0.0, float(added))
        self._base_spent = max(0.0, float(spent))
        self._accumulated = 0.0
        self._run_start: float | None = None
        self._zero = min(max(0.0, float(zero)), self._base_spent)
        self._state: State = "paused" if self._base_spent > self._zero else "idle"

    # -- reading ------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def running(self) -> bool:
        return self._state == "running"

    @property
    def spent(self) -> float:
        """Every second this step's timer has run, including earlier visits."""
        current = self.clock() - self._run_start if self._run_start is not None else 0.0
        return self._base_spent + self._accumulated + max(0.0, current)

    @property
    def elapsed(self) -> float:
        return self.spent - self._zero

    @property
    def zero(self) -> float:
        """The time spent at the last reset (0: never reset)."""
        return self._zero

    @property
    def total(self) -> float:
        """The timebox plus the minutes added."""
        return self.timebox + self.extra

    @property
    def remaining(self) -> float:
        """Seconds left; negative once the time is up."""
        return self.total - self.elapsed

    @property
    def fraction_left(self) -> float:
        if self.total <= 0:
            return 0.0
        return max(0.0, self.remaining) / self.total

    @property
    def level(self) -> Level:
        if self.total <= 0:
            return "over" if self.elapsed > 0 else "normal"
        if self.remaining <= 0:
            return "over"
        left = self.fraction_left
        if left <= ERROR_AT:
            return "error"
        if left <= WARNING_AT:
            return "warning"
        return "normal"

    # -- changing -----------------------------------------------------------------

    def start(self) -> None:
        if self._state != "running":
            self._run_start = self.clock()
            self._state = "running"

    def pause(self) -> None:
        if self._state == "running" and self._run_start is not None:
            self._accumulated += max(0.0, self.clock() - self._run_start)
            self._run_start = None
            self._state = "paused"

    def toggle(self) -> State:
        if self.running:
            self.pause()
        else:
            self.start()
        return self._state

    def add_minutes(self, minutes: float = 1) -> None:
        self.extra += minutes * 60

    def reset(self) -> None:
        """Stop, and start the countdown again from the full timebox (spent time is kept)."""
        self.pause()
        self._zero = self.spent
        self.extra = 0.0
        self._state = "idle"

    def set_minutes(self, minutes: float) -> None:
        self.timebox = max(0.0, float(minutes) * 60)

    # -- words --------------------------------------------------------------------

    def describe(self) -> str:
        """The state in words, e.g. ``⚠ 2:30 left of 40:00`` or ``⏰ time's up, over by 1:05``."""
        box = mmss(self.total)
        if self._state == "idle":
            return f"timebox {box} · not started"
        level = self.level
        if level == "over":
            text = f"⏰ time's up, over by {mmss(self.remaining)} (timebox {box})"
        elif level == "error":
            text = f"⚠ {mmss(self.remaining)} left of {box} · wrap up"
        elif level == "warning":
            text = f"⚠ {mmss(self.remaining)} left of {box}"
        else:
            text = f"{mmss(self.remaining)} left of {box}"
        if self._state == "paused":
            return f"paused · {text}"
        return text


STATE_SYMBOL: dict[State, str] = {"idle": "⏱", "running": "▶", "paused": "⏸"}
#: What the start/pause key does next, by state.
KEY_DOES: dict[State, str] = {"idle": "starts", "running": "pauses", "paused": "resumes"}


class StepTimer(Static):
    """The countdown of the current step, one line, always visible in the workshop.

    The line and every toast about the timer (the answers to its keys) are made from
    one description, :meth:`words`, so they cannot disagree.

    The nudge to start a step's timer lights up this line rather than showing a toast:
    a toast, at any width, sits over the forms the room is working in (at 120 columns
    over the leads' Sign buttons) for seconds at every step change.
    """

    #: Seconds the room stays on a step (or on the step a session opens at) before
    #: the nudge to start its timer: walking through the steps does not flash the
    #: line at every step.
    NUDGE_AFTER = 1.0
    #: Seconds the timer line stays lit by the nudge.
    NUDGE_SECONDS = 4.0

    def __init__(
        self,
        service: SessionService,
        *,
        clock: Clock = time.monotonic,
        wall: WallClock = wall_clock.now,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.service = service
        self._clock = clock
        #: The time of day written as ``running_since`` (tests pin the app's clock).
        self.wall = wall
        self._countdowns: dict[StepId, Countdown] = {}
        self._step: StepId | None = None
        self._saved_at: dict[StepId, float] = {}
        self._shown: Content | None = None
        self._nudge: Timer | None = None
        self._unnudge: Timer | None = None
        self.tooltip = (
            "Step timer: the time spent as the editing copy saved it (read-only), F4 agenda"
            if service.readonly
            else "Step timer: F5 start/pause, F6 add a minute, Shift+F6 reset, F4 agenda"
        )

    # -- clock ----------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self._clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        """Use another clock (tests): every countdown reads it from now on."""
        self._clock = clock
        for countdown in self._countdowns.values():
            countdown.clock = clock

    # -- lifecycle --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.service.subscribe(self._on_session_changed)
        self.set_interval(1.0, self.tick, name="step-timer")
        self.render_state()
        self._stop_left_running()

    def _stop_left_running(self) -> None:
        """A timer the file says runs is one a copy left without pausing (it ended
        abruptly): this copy shows it paused, and saves it so, for the follow view."""
        if self.service.readonly:
            return
        for item in list(self.service.session.agenda):
            if item.running_since is not None:
                self.countdown(item.step)
                self.save(item.step)

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._on_session_changed)
        self.save_all()

    def on_resize(self) -> None:
        self.render_state()  # more or less room for the key hints

    def _on_session_changed(self, what: str) -> None:
        if what == "agenda":
            for step, countdown in self._countdowns.items():
                item = self._item(step)
                if item is not None and countdown.timebox != item.minutes * 60:
                    countdown.set_minutes(item.minutes)
            self.render_state()

    # -- countdowns -------------------------------------------------------------------

    @property
    def step(self) -> StepId | None:
        return self._step

    def _item(self, step: StepId) -> AgendaItem | None:
        return next((a for a in self.service.session.agenda if a.step is step), None)

    def countdown(self, step: StepId | None = None) -> Countdown:
        """The countdown of *step* (default: the current step), made on first use."""
        step = step or self._step or self.service.session.meta.current_step
        found = self._countdowns.get(step)
        if found is None:
            item = self._item(step)
            if item is None:
                found = Countdown(DEFAULT_TIMEBOX[step], clock=self._clock)
            else:
                found = Countdown(
                    item.minutes,
                    spent=item.spent_seconds,
                    added=item.added_seconds,
                    zero=item.zero_seconds,
                    clock=self._clock,
                )
            self._countdowns[step] = found
        return found

    def enter_step(self, step: StepId) -> None:
        """The room moved to *step*: pause the last step's timer, save it, nudge if idle."""
        if step is self._step:
            return
        previous = self._step
        if previous is not None:
            self.countdown(previous).pause()
            self.save(previous)
        self._step = step
        self.render_state()
        if self._nudge is not None:
            self._nudge.stop()
            self._nudge = None
        self._put_out()  # a lit line was about the step the room left
        if self.countdown(step).running or self.service.readonly:
            return
        if self.NUDGE_AFTER <= 0:
            self.nudge(step)
        else:
            # On opening a session too: the room sees the workshop first, and the
            # nudge a moment later if nobody has started the timer by then.
            self._nudge = self.set_timer(self.NUDGE_AFTER, lambda: self.nudge(step))

    def nudge(self, step: StepId) -> None:
        """Remind the room to start (or resume) *step*'s timer, if it still has not."""
        self._nudge = None
        if self.service.readonly:
            return  # nothing to start in a copy that cannot keep the time
        if step is not self._current() or self.countdown(step).running:
            return
        # The line already says the state and the key ("F5 starts"): it lights up.
        self._put_out()
        self.add_class("-nudged")
        self._unnudge = self.set_timer(self.NUDGE_SECONDS, self._put_out)

    def _put_out(self) -> None:
        """End the nudge: the line goes back to its state's colours."""
        if self._unnudge is not None:
            self._unnudge.stop()
            self._unnudge = None
        self.remove_class("-nudged")

    def words(self, step: StepId | None = None) -> tuple[str, str, str, str, str, str]:
        """The timer of *step* (default: current) in words: its symbol, the step's name,
        the state (``paused · ⏰ time's up, over by 0:55 (timebox 15:00)``), the start /
        pause key, what that key does next, and the +1 minute key while running."""
        step = step or self._current()
        countdown = self.countdown(step)
        key = self._key("toggle_timer", "F5")
        more = f"{self._key('add_minute', 'F6')} +1 min" if countdown.running else ""
        return (
            STATE_SYMBOL[countdown.state],
            step.short,
            countdown.describe(),
            key,
            KEY_DOES[countdown.state],
            more,
        )

    def summary(self) -> str:
        """The current step's timer in one line, as a toast says it."""
        symbol, name, state, key, does, more = self.words()
        hint = f"{key} {does}" + (f" · {more}" if more else "")
        return f"{symbol} {name} · {state} — {hint}"

    def _key(self, binding_id: str, default: str) -> str:
        """How the key of *binding_id* shows (the user's keymap may have moved it)."""
        return key_for(self.screen, binding_id) or default

    # -- verbs --------------------------------------------------------------------------

    def toggle(self) -> State:
        countdown = self.countdown()
        state = countdown.toggle()
        self.save()  # started or paused: a follow view shows it at its next look
        if state == "running":
            self._put_out()  # done what the nudge asked
        self.render_state()
        return state

    def add_minute(self) -> None:
        self.countdown().add_minutes(1)
        self.save()
        self.render_state()

    def reset(self) -> None:
        self.countdown().reset()
        self.save()
        self.render_state()

    def _current(self) -> StepId:
        return self._step or self.service.session.meta.current_step

    # -- ticking and saving ---------------------------------------------------------------

    def tick(self) -> None:
        """Called every second (and by tests after moving a fake clock)."""
        self.render_state()
        step = self._current()
        countdown = self.countdown(step)
        if countdown.running:
            last = self._saved_at.get(step)
            now = self._clock()
            if last is None or now - last >= SAVE_EVERY:
                self.save(step)

    def save(self, step: StepId | None = None) -> None:
        """Write the timer of *step* (default: current) if it changed: the time spent
        and, for other copies, the minutes added, the reset point and whether it runs."""
        step = step or self._current()
        countdown = self._countdowns.get(step)
        if countdown is None:
            return
        self._saved_at[step] = self._clock()
        if self.service.readonly:
            return
        # The time spent and the moment it was measured, together.
        spent = round(countdown.spent, 1)
        since = self.wall().astimezone(dt.UTC).isoformat(timespec="milliseconds")
        state = {
            "spent_seconds": spent,
            "added_seconds": round(countdown.extra, 1),
            "zero_seconds": round(min(countdown.zero, spent), 1),
            "running_since": since if countdown.running else None,
        }
        item = self._item(step)
        try:
            if item is None:
                self.service.add(AgendaItem, step=step, minutes=DEFAULT_TIMEBOX[step], **state)
            elif (
                abs(item.spent_seconds - spent) >= 0.05
                or item.added_seconds != state["added_seconds"]
                or item.zero_seconds != state["zero_seconds"]
                or (item.running_since is None) != (state["running_since"] is None)
            ):
                self.service.update(item, **state)
        except (ValueError, SessionFileError) as exc:
            self.app.notify(f"Time spent not saved: {exc}", severity="error", markup=False)
        except sqlite3.ProgrammingError:  # the file was already closed (app shutting down)
            pass

    def save_all(self) -> None:
        for step, countdown in list(self._countdowns.items()):
            countdown.pause()
            self.save(step)

    # -- showing -------------------------------------------------------------------------

    def render_state(self) -> None:
        step = self._current()
        countdown = self.countdown(step)
        symbol, name, state, key, does, more = self.words(step)
        # The state always shows; the key hints give way, longest first, before the
        # line would be cut (running past its timebox at 80 columns). A read-only
        # copy has no timer keys, so no hint.
        room = self.content_region.width or self.app.size.width - 2
        if self.service.readonly:
            hints = [""]
        elif more:
            hints = [f"{key} {does} · {more}", f"{key} {does}", ""]
        else:
            hints = [f"{key} {does}", ""]
        for hint in hints:
            text = Content.from_markup(
                "$symbol [b]$step[/b] · $state" + ("   ($hint)" if hint else ""),
                symbol=symbol,
                step=name,
                state=state,
                hint=hint,
            )
            if text.cell_length <= room:
                break
        if text != self._shown:
            self._shown = text
            # One line of a fixed size (timer.tcss): a new text needs no layout,
            # which would reflow every widget on the screen once a second while
            # the timer runs, under the facilitator's typing.
            self.update(text, layout=False)
        level = countdown.level if countdown.state != "idle" else "normal"
        self.set_class(level == "warning", "-warning")
        self.set_class(level == "error", "-error")
        self.set_class(level == "over", "-over")
        for state in ("idle", "running", "paused"):
            self.set_class(countdown.state == state, f"-{state}")

"""The step timer (state machine with a fake clock, and the widget in the app) and the agenda."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.agenda import AgendaScreen, plan_summary
from alignment_tui.form.fields import SavingInput
from alignment_tui.form.refusal import reason_of
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.clock import mmss
from alignment_tui.sessions.models import AgendaItem, Session, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.timer import Countdown, StepTimer
from screen_text import widget_text


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# -- the state machine ----------------------------------------------------------------


def test_mmss() -> None:
    assert mmss(0) == "0:00"
    assert mmss(59.9) == "0:59"
    assert mmss(150) == "2:30"
    assert mmss(-65) == "1:05"
    assert mmss(3725) == "1:02:05"


def test_countdown_starts_idle_and_counts_only_while_running() -> None:
    clock = FakeClock()
    cd = Countdown(10, clock=clock)
    assert cd.state == "idle"
    clock.advance(100)
    assert cd.remaining == 600
    assert "not started" in cd.describe()
    cd.start()
    clock.advance(60)
    assert cd.state == "running"
    assert cd.remaining == 540
    assert cd.describe() == "9:00 left of 10:00"


def test_countdown_thresholds_at_20_and_5_percent_then_overtime() -> None:
    clock = FakeClock()
    cd = Countdown(10, clock=clock)
    cd.start()
    clock.advance(479)  # 121 s left: just above 20 %
    assert cd.level == "normal"
    clock.advance(1)  # 120 s left: exactly 20 %
    assert cd.level == "warning"
    assert cd.describe() == "⚠ 2:00 left of 10:00"
    clock.advance(89)  # 31 s left: above 5 %
    assert cd.level == "warning"
    clock.advance(1)  # 30 s left: 5 %
    assert cd.level == "error"
    assert cd.describe().startswith("⚠ 0:30 left")
    clock.advance(30)
    assert cd.remaining == 0
    assert cd.level == "over"
    clock.advance(65)
    assert cd.state == "running"  # overtime keeps counting, work goes on
    assert cd.remaining == -65
    assert "over by 1:05" in cd.describe()
    assert cd.describe().startswith("⏰ time's up")


def test_countdown_pause_resume() -> None:
    clock = FakeClock()
    cd = Countdown(5, clock=clock)
    cd.start()
    clock.advance(30)
    assert cd.toggle() == "paused"
    clock.advance(1000)
    assert cd.remaining == 270
    assert cd.spent == 30
    assert cd.describe().startswith("paused · 4:30 left")
    assert cd.toggle() == "running"
    clock.advance(10)
    assert cd.remaining == 260


def test_countdown_add_minute_moves_back_out_of_warning() -> None:
    clock = FakeClock()
    cd = Countdown(10, clock=clock)
    cd.start()
    clock.advance(500)  # 100 s left of 600: warning
    assert cd.level == "warning"
    cd.add_minutes(1)
    assert cd.total == 660
    assert cd.remaining == 160
    assert cd.level == "normal"
    assert cd.describe() == "2:40 left of 11:00"


def test_countdown_reset_keeps_spent_time() -> None:
    clock = FakeClock()
    cd = Countdown(10, clock=clock)
    cd.start()
    cd.add_minutes(2)
    clock.advance(730)
    assert cd.level == "over"
    cd.reset()
    assert cd.state == "idle"
    assert cd.remaining == 600
    assert cd.level == "normal"
    assert cd.spent == 730
    clock.advance(50)
    assert cd.spent == 730  # not running after a reset


def test_countdown_resumes_from_time_already_spent() -> None:
    clock = FakeClock()
    cd = Countdown(10, spent=120, clock=clock)
    assert cd.state == "paused"
    assert cd.remaining == 480
    cd.start()
    clock.advance(10)
    assert cd.spent == 130


def test_countdown_zero_timebox_is_over_once_running() -> None:
    clock = FakeClock()
    cd = Countdown(0, clock=clock)
    assert cd.level == "normal"
    cd.start()
    clock.advance(1)
    assert cd.level == "over"


# -- the widget in the workshop ----------------------------------------------------------


def _spent(path: Path, step: StepId) -> float:
    svc = SessionService.open(path)
    try:
        return next(a.spent_seconds for a in svc.session.agenda if a.step is step)
    finally:
        svc.close()


@pytest.fixture(autouse=True)
def _nudge_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The nudge on arriving at a step waits a moment in the app; not in these tests."""
    monkeypatch.setattr(StepTimer, "NUDGE_AFTER", 0.0, raising=False)


def _messages(app: AlignmentApp) -> list[str]:
    """The toasts on the screen, one line each (``run_test(notifications=True)``)."""
    return [" ".join(str(toast.render()).split()) for toast in app.screen.query("Toast")]


async def _toast_about(pilot: Pilot[None], words: str) -> str:
    """The toast that mentions *words*, once it is shown."""
    for _ in range(20):
        await pilot.pause()
        found = [m for m in _messages(pilot.app) if words in m]  # type: ignore[arg-type]
        if found:
            return found[-1]
    raise AssertionError(f"no toast about {words!r} in {_messages(pilot.app)}")  # type: ignore[arg-type]


def _status(timer: StepTimer) -> str:
    """The timer's line without its symbol, step and key hint: the state in words."""
    return str(timer.render()).split(" · ", 1)[1].rsplit("   (", 1)[0]


async def test_toasts_say_what_the_status_line_says(tmp_path: Path, session: Session) -> None:
    """A step left paused past its timebox: the nudge on arriving lights the line that
    says so, and each timer key's toast describes the timer as its line does (not
    "not started" beside "paused")."""
    session.agenda = [
        a.model_copy(update={"spent_seconds": a.minutes * 60 + 55}) if a.step is StepId.GOALS else a
        for a in session.agenda
    ]
    path = tmp_path / "over.alignment.db"
    SessionService.create(path, session).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        timer.clock = FakeClock()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert timer.step is StepId.GOALS
        line = _status(timer)
        assert "paused" in line and "over by 0:55" in line
        await pilot.pause()
        assert timer.has_class("-nudged")
        nudge = str(timer.render())
        assert "not started" not in nudge
        assert line in nudge and "F5 resumes" in nudge
        assert not [m for m in _messages(app) if "Timebox" in m]
        for key in ("f5", "f6", "f5", "shift+f6"):
            app.clear_notifications()
            await pilot.press(key)
            toast = await _toast_about(pilot, "Joint goals")
            assert _status(timer) in toast, (key, toast)


async def test_the_timer_line_fits_at_80_columns(tmp_path: Path, session: Session) -> None:
    """Running past its timebox the line is at its longest: it gives up its key hints
    before it is cut."""
    session.agenda = [
        a.model_copy(update={"spent_seconds": a.minutes * 60 + 55}) for a in session.agenda
    ]
    path = tmp_path / "over.alignment.db"
    SessionService.create(path, session).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        timer.clock = FakeClock()
        await pilot.press("f5")
        await pilot.pause()
        shown = widget_text(timer)[0].strip()
        assert "time's up, over by 0:55 (timebox 10:00)" in shown
        assert shown.endswith(")"), shown  # the hint whole, not "(F5 pauses · F6 +1"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert "F6 +1 min)" in widget_text(timer)[0]  # room again for every key


async def test_only_a_step_the_room_stays_on_nudges(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walking through the steps does not stack a nudge per step over the forms."""
    monkeypatch.setattr(StepTimer, "NUDGE_AFTER", 3600.0)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        app.clear_notifications()
        timer = app.screen.query_one(StepTimer)
        for _ in range(3):
            await pilot.press("ctrl+pagedown")
            await pilot.pause()
            assert not timer.has_class("-nudged")
        assert not [m for m in _messages(app) if "Timebox" in m]


async def test_opening_a_session_shows_the_workshop_before_the_nudge(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The step a session opens at nudges like any step: after the room has stayed a moment."""
    monkeypatch.setattr(StepTimer, "NUDGE_AFTER", 3600.0)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        assert not timer.has_class("-nudged")
        assert "not started" in widget_text(timer)[0]  # the line still says so
        timer.nudge(app.screen.step)  # what the timer set on opening calls
        await pilot.pause()
        assert timer.has_class("-nudged")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_nudge_lights_the_timer_line_not_a_toast(
    session_file: Path, size: tuple[int, int]
) -> None:
    """At any width: a toast would sit over the forms (at 120 columns over the leads'
    Sign buttons) on every step change. Starting the timer puts the line out."""
    app = AlignmentApp(session_file)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        app.clear_notifications()
        timer = app.screen.query_one(StepTimer)
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        await pilot.pause()
        assert not [m for m in _messages(app) if "Timebox" in m]
        assert timer.has_class("-nudged")
        line = widget_text(timer)[0]
        assert "Joint goals" in line and "not started" in line and "(F5 starts)" in line
        await pilot.press("f5")
        await pilot.pause()
        assert not timer.has_class("-nudged")
        assert "F5 pauses" in widget_text(timer)[0]


async def test_moving_on_puts_out_the_last_steps_nudge(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lit line was about the step the room left: the next step is not lit until
    its own nudge comes."""
    monkeypatch.setattr(StepTimer, "NUDGE_SECONDS", 3600.0)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        assert timer.has_class("-nudged")
        monkeypatch.setattr(StepTimer, "NUDGE_AFTER", 3600.0)
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert not timer.has_class("-nudged"), "lit for a step it was not about"


async def test_timer_widget_thresholds_pause_and_step_change_save(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        timer = screen.query_one(StepTimer)
        clock = FakeClock()
        timer.clock = clock
        assert timer.step is StepId.SETUP
        await pilot.pause()
        assert timer.has_class("-nudged")
        assert "Set-up · timebox 10:00 · not started" in widget_text(timer)[0]
        assert timer.has_class("-idle")

        await pilot.press("f5")
        assert timer.countdown().state == "running"
        clock.advance(481)  # setup is 10 min: 119 s left (under 20 %)
        timer.tick()
        await pilot.pause()
        text = str(timer.render())
        assert "⚠ 1:59 left of 10:00" in text
        assert timer.has_class("-warning") and not timer.has_class("-error")

        clock.advance(90)  # 29 s left (under 5 %)
        timer.tick()
        await pilot.pause()
        assert "⚠ 0:29 left" in str(timer.render())
        assert timer.has_class("-error") and not timer.has_class("-warning")

        clock.advance(35)  # 6 s over
        timer.tick()
        await pilot.pause()
        assert "over by 0:06" in str(timer.render())
        assert timer.has_class("-over")
        assert timer.countdown().state == "running"

        await pilot.press("ctrl+t")  # pause (the second key)
        assert timer.countdown().state == "paused"
        assert "paused" in str(timer.render())
        clock.advance(300)  # paused time is not spent time
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert timer.step is StepId.GOALS
        await pilot.pause()
        assert timer.has_class("-nudged")
        assert "Joint goals · timebox" in widget_text(timer)[0]
    assert _spent(session_file, StepId.SETUP) == pytest.approx(606, abs=0.2)


async def test_timer_saves_at_most_every_few_seconds(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        clock = FakeClock()
        timer.clock = clock
        service = app.service
        assert service is not None
        writes: list[str] = []
        service.subscribe(writes.append)
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        pane = screen.pane(StepId.SETUP)
        refreshed: list[int] = []
        original = pane.refresh_from_session

        def counting() -> None:
            refreshed.append(1)
            original()

        pane.refresh_from_session = counting  # type: ignore[method-assign]
        await pilot.press("f5")
        assert writes.count("agenda") == 1  # started: saved at once, for the follow view
        for _ in range(4):
            clock.advance(1)
            timer.tick()
        assert writes.count("agenda") == 1  # 4 s: the time spent not saved yet
        clock.advance(1.5)
        timer.tick()
        assert writes.count("agenda") == 2
        item = next(a for a in service.session.agenda if a.step is StepId.SETUP)
        assert item.spent_seconds == pytest.approx(5.5)
        await pilot.pause()
        assert refreshed == []  # saving the time spent does not rebuild the forms
        # the step change while running pauses and saves
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert timer.countdown(StepId.SETUP).state == "paused"
    assert _spent(session_file, StepId.SETUP) == pytest.approx(5.5)


async def test_a_running_timer_redraws_its_line_without_laying_out_the_screen(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timer's line has a fixed size: its new text each second must not reflow
    every widget on the screen under the facilitator's typing."""
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        clock = FakeClock()
        timer.clock = clock
        await pilot.press("f5")
        await pilot.pause()
        layouts: list[bool] = []
        refresh = timer.refresh

        def count(*regions: object, layout: bool = False, **kwargs: object) -> object:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(timer, "refresh", count)
        before = str(timer.render())
        for _ in range(3):
            clock.advance(1)
            timer.tick()
        await pilot.pause()
        assert str(timer.render()) != before  # the new time is shown
        assert layouts and True not in layouts


async def test_add_minute_and_reset_keys(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        clock = FakeClock()
        timer.clock = clock
        await pilot.press("f5")
        clock.advance(30)
        await pilot.press("f6")
        timer.tick()
        assert "10:30 left of 11:00" in str(timer.render())
        await pilot.press("shift+f6")
        assert timer.countdown().state == "idle"
        assert "timebox 10:00" in str(timer.render())
    assert _spent(session_file, StepId.SETUP) == pytest.approx(30, abs=0.2)


async def test_timer_creates_missing_agenda_item(tmp_path: Path, session: Session) -> None:
    session.agenda = [a for a in session.agenda if a.step is not StepId.SETUP]
    path = tmp_path / "no-agenda.alignment.db"
    SessionService.create(path, session).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        clock = FakeClock()
        timer.clock = clock
        await pilot.press("f5")
        clock.advance(12)
        await pilot.press("f5")
    assert _spent(path, StepId.SETUP) == pytest.approx(12)


# -- the agenda ---------------------------------------------------------------------------


def test_plan_summary_warns_when_over(session: Session) -> None:
    text, over = plan_summary(session)
    assert not over
    assert text.startswith("✔ Planned 180 of 180 min")
    session.agenda[0] = session.agenda[0].model_copy(update={"minutes": 40})
    text, over = plan_summary(session)
    assert over
    assert "30 min over the 180-minute workshop" in text


async def _type_into(pilot, field: SavingInput, text: str) -> None:  # type: ignore[no-untyped-def]
    field.focus()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_agenda_edit_saved_and_bad_minutes_refused(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        total = agenda.query_one("#agenda-total", Static)
        assert "Planned 180 of 180 min" in str(total.render())

        await _type_into(pilot, agenda.query_one("#agenda-story", SavingInput), "70")
        assert "⚠ Planned 210 min — 30 min over" in str(total.render())
        assert total.has_class("-over")

        crm = agenda.query_one("#agenda-crm", SavingInput)
        await _type_into(pilot, crm, "abc")
        reason = reason_of(crm)
        assert reason is not None and reason.display
        assert "Minutes for CRM access must be a whole number" in str(reason.render())
        assert crm.has_class("-invalid")

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
    svc = SessionService.open(session_file)
    minutes = {a.step: a.minutes for a in svc.session.agenda}
    svc.close()
    assert minutes[StepId.STORY] == 70
    assert minutes[StepId.CRM] == 15  # the refused value left the saved one alone


async def test_agenda_creates_missing_item_and_timer_follows(
    tmp_path: Path, session: Session
) -> None:
    session.agenda = []
    path = tmp_path / "empty-agenda.alignment.db"
    SessionService.create(path, session).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        agenda = app.screen
        await _type_into(pilot, agenda.query_one("#agenda-setup", SavingInput), "12")
        await pilot.press("escape")
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        assert "timebox 12:00" in str(timer.render())
        switcher = app.screen.query_one("#panes", ContentSwitcher)
        assert switcher.current == "pane-setup"
    svc = SessionService.open(path)
    items: list[AgendaItem] = list(svc.session.agenda)
    svc.close()
    assert [(a.step, a.minutes) for a in items] == [(StepId.SETUP, 12)]

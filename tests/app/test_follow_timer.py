"""The timer in the follow view shows what the editing copy's timer shows: F6 (a minute
more), Shift+F6 (reset) and a pause reach it at its next look at the file.

Both apps run in this test, on one session file. Time is injected: the editing copy's
countdown reads a fake clock, and the app's clock (``sessions.clock``, which
``running_since`` is written and read with) is pinned and moved by hand; waits are
bounded loops of short pauses until the follow view shows what the file holds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from alignment_tui.app import AlignmentApp
from alignment_tui.follow.app import FollowApp
from alignment_tui.follow.screen import FollowScreen
from alignment_tui.follow.timer import STALE_AFTER, FollowTimer
from alignment_tui.sessions import clock
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import AgendaItem, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.timer import StepTimer
from step_helpers import put_room_on_step

#: Short pauses a change may take to reach the follow view (it looks every 0.25 s).
PATIENCE = 400
STEP = StepId.FEEDBACK  # nothing spent on it in the demo: its timer starts idle
DATA = Path(__file__).parent.parent / "core" / "data"


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "timer.alignment.db"
    SessionService.create(path, demo_session()).close()
    put_room_on_step(path, STEP)
    return path


def saved(path: Path) -> AgendaItem:
    """The step's timer as the file holds it."""
    service = SessionService.open(path, readonly=True)
    try:
        return service.session.timebox(STEP)
    finally:
        service.close()


async def until(pilot: Pilot[None], done: Callable[[], bool], what: str) -> None:
    for _ in range(PATIENCE):
        if done():
            return
        await pilot.pause(0.02)
    assert done(), what


async def test_f6_reset_and_pause_show_in_the_follow_view_at_once(demo_file: Path) -> None:
    fake = FakeClock()

    def later(seconds: int) -> None:
        """Both clocks move on, a second at a time: the editing copy's countdown and the
        time of day; the editing copy ticks each second (and saves every few)."""
        for _ in range(seconds):
            fake.now += 1
            clock.advance(1)
            timer.tick()

    with clock.pinned("2026-12-04T10:00:00"):
        editing = AlignmentApp(demo_file)
        follow = FollowApp(demo_file)
        async with editing.run_test(size=(80, 24)) as ed, follow.run_test(size=(80, 24)) as fo:
            await ed.pause()
            timer = editing.screen.query_one(StepTimer)
            timer.clock = fake
            assert timer.step is STEP
            screen = follow.screen
            assert isinstance(screen, FollowScreen)
            shown = screen.query_one(FollowTimer)

            def line() -> str:
                return str(shown.content)

            def same() -> bool:
                """The follow view's line says what the editing copy's countdown says."""
                shown.render_state()
                return line().endswith(timer.countdown().describe())

            await until(fo, lambda: "not started" in line(), "the idle timebox")
            assert shown.from_state
            timebox = timer.countdown().total

            await ed.press("f5")  # start
            await until(fo, lambda: line().startswith("▶"), "the start")
            later(90)
            assert "left of" in timer.countdown().describe()
            await until(fo, same, "the time running")
            assert saved(demo_file).running_since is not None

            await ed.press("f6")  # a minute more
            assert timer.countdown().total == timebox + 60
            await until(fo, same, "the minute added")
            assert saved(demo_file).added_seconds == 60
            later(1)  # and it counts on, one second at a time, between saves
            assert same()

            await ed.press("shift+f6")  # reset: the full timebox, not started
            await until(fo, lambda: "not started" in line(), "the reset")
            assert same() and shown.countdown().total == timebox
            item = saved(demo_file)
            assert item.running_since is None and item.added_seconds == 0
            assert item.zero_seconds == item.spent_seconds == pytest.approx(91, abs=0.1)

            await ed.press("f5")
            later(30)
            await until(fo, same, "running again")
            await ed.press("f5")  # pause: no clock moves, the next look shows it
            await until(fo, lambda: line().startswith("⏸"), "the pause")
            assert "paused" in line() and same()
            assert saved(demo_file).running_since is None


async def test_a_run_its_copy_stopped_saving_shows_where_it_was_left(demo_file: Path) -> None:
    """The editing copy ended without pausing (killed): the file still says "running".
    The follow view shows it paused once no save came for a while; the next editing copy
    that opens the file saves it paused."""
    with clock.pinned("2026-12-04T10:00:00"):
        service = SessionService.open(demo_file)
        try:
            item = service.session.timebox(STEP)
            service.update(item, spent_seconds=120.0, running_since=clock.now().isoformat())
        finally:
            service.close()
        follow = FollowApp(demo_file)
        async with follow.run_test(size=(80, 24)) as fo:
            shown = follow.screen.query_one(FollowTimer)
            await until(fo, lambda: str(shown.content).startswith("▶"), "running")
            clock.advance(STALE_AFTER - 1)
            shown.render_state()
            assert shown.running and shown.countdown().spent == pytest.approx(120 + STALE_AFTER - 1)
            clock.advance(2)
            shown.render_state()
            assert str(shown.content).startswith("⏸") and not shown.running
            assert shown.countdown().spent == pytest.approx(120)

        editing = AlignmentApp(demo_file)
        async with editing.run_test(size=(80, 24)) as ed:
            await ed.pause()
            assert editing.screen.query_one(StepTimer).countdown(STEP).state == "paused"
        item = saved(demo_file)
        assert item.running_since is None and item.spent_seconds == pytest.approx(120)


async def test_an_older_file_keeps_the_guess_from_the_time_spent(tmp_path: Path) -> None:
    """A schema-5 file (an older copy of the app edits it) holds only the time spent:
    the follow view reads a copy migrated in memory and guesses as before."""
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v5.session.sqlite", path)
    follow = FollowApp(path)
    async with follow.run_test(size=(80, 24)) as fo:
        await fo.pause()
        assert follow.source.migrated_copy
        shown = follow.screen.query_one(FollowTimer)
        await until(fo, lambda: str(shown.content) != "", "the timer line")
        assert not shown.from_state and not shown.running

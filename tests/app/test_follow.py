"""The follow view (``alignment-tui follow``): a live, read-only view of a session that
another copy (here the test, through SessionService, as the facilitator's app saves) edits.

Waits are bounded loops of ``pilot.pause`` until the view shows what the file holds; no
test measures the wall clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from alignment_tui.follow.app import FollowApp
from alignment_tui.follow.blocks import Block, Cols, Text, bullet_lines, draw, text
from alignment_tui.follow.house import MessageHouse
from alignment_tui.follow.screen import FollowScreen
from alignment_tui.follow.timer import RUNNING_FOR, FollowTimer
from alignment_tui.sessions.contributions import ContributionBox, new_visitor
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.fileinfo import change_counter
from alignment_tui.sessions.models import STEP_ORDER, Goal, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.funnel.chart import FunnelChart
from screen_text import record_notifications
from step_helpers import put_room_on_step

#: Polls of the file (0.25 s each) a change may take to show, at most, before a test fails.
PATIENCE = 200


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path


def _text(widget: Widget) -> str:
    if isinstance(widget, MessageHouse | FunnelChart | Block):
        return widget.plain
    if isinstance(widget, Static):
        return str(widget.content)
    return ""


def body_text(screen: FollowScreen) -> str:
    """Everything the step's presentation shows, as plain text (scrolled out of view too)."""
    pane = screen.pane
    return "" if pane is None else "\n".join(_text(w) for w in pane.query("*"))


def actions_text(screen: FollowScreen) -> str:
    return "\n".join(_text(w) for w in screen.query("#follow-actions *"))


def step_text(screen: FollowScreen) -> str:
    return str(screen.query_one("#follow-step", Static).content)


async def until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the app run until *done* (a bounded number of short pauses)."""
    for _ in range(PATIENCE):
        if done():
            return
        await pilot.pause(0.05)
    assert done(), "the follow view did not show the change"


def follow_screen(app: FollowApp) -> FollowScreen:
    screen = app.screen
    assert isinstance(screen, FollowScreen)
    return screen


async def test_it_shows_the_current_step_and_never_writes(demo_file: Path) -> None:
    put_room_on_step(demo_file, StepId.GOALS)
    before = demo_file.read_bytes()
    counter = change_counter(demo_file)
    app = FollowApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = follow_screen(app)
        await until(pilot, lambda: screen.shown is not None)
        assert "Common ground and joint goals" in step_text(screen)
        text = body_text(screen)
        assert "Grow qualified pipeline from mid-sized manufacturers" in text
        assert "Sales commits to" in text and "Marketing commits to" in text
        assert "Agreed by the leads" in text
        assert "Open actions of this step (1)" in actions_text(screen)
        for _ in range(8):  # a couple of polls of the file
            await pilot.pause(0.05)
        await pilot.press("q")
    assert demo_file.read_bytes() == before
    assert change_counter(demo_file) == counter
    assert not demo_file.with_name(demo_file.name + "-journal").exists()


async def test_the_connection_cannot_write(demo_file: Path) -> None:
    app = FollowApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: follow_screen(app).shown is not None)
        store = app.source._store
        assert store is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("UPDATE session SET title = 'x'")


async def test_a_saved_change_and_a_step_change_follow(demo_file: Path) -> None:
    put_room_on_step(demo_file, StepId.GOALS)
    facilitator = SessionService.open(demo_file)
    try:
        app = FollowApp(demo_file)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = follow_screen(app)
            await until(pilot, lambda: screen.shown is not None)
            assert screen.pane is not None
            before = list(screen.pane.children)
            goal = facilitator.session.goals[0]
            facilitator.update(goal, statement="Halve the time to a first meeting")
            await until(pilot, lambda: "Halve the time to a first meeting" in body_text(screen))
            # Words changed, not the shape: the same widgets show them (nothing remounted).
            assert list(screen.pane.children) == before

            facilitator.set_step(StepId.STORY)
            await until(
                pilot, lambda: screen.pane is not None and bool(screen.pane.query(MessageHouse))
            )
            assert "One baseline story" in step_text(screen)
            assert "Kestrel turns the numbers" in body_text(screen)
            assert "Halve the time" not in body_text(screen)

            facilitator.set_step(StepId.FUNNEL)
            await until(
                pilot, lambda: screen.pane is not None and bool(screen.pane.query(FunnelChart))
            )
            text = body_text(screen)
            assert "hand-over: Marketing → Shared" in text
            assert "Hand-overs" in text

            # Back to a step seen before: the same widgets, brought up to date.
            goals_pane = screen._panes[StepId.GOALS]
            facilitator.update(goal, statement="Changed while the room was elsewhere")
            facilitator.set_step(StepId.GOALS)
            await until(pilot, lambda: "Changed while the room" in body_text(screen))
            assert screen.pane is goals_pane and list(goals_pane.children) == before
    finally:
        facilitator.close()


async def test_a_locked_file_is_waited_for(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holds the file (BEGIN EXCLUSIVE) and writes: the view goes on
    showing what it had, says nothing alarming, and catches up once the file is free."""
    put_room_on_step(demo_file, StepId.SETUP)
    app = FollowApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        toasts = record_notifications(app, monkeypatch)
        screen = follow_screen(app)
        await until(pilot, lambda: screen.shown is not None)
        title = screen.query_one("#follow-title", Static)
        other = sqlite3.connect(demo_file, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            other.execute("UPDATE session SET title = 'Renamed while locked'")
            await until(pilot, lambda: app.source.waiting is not None)
            for _ in range(10):
                await pilot.pause(0.05)
            assert "Revenue team alignment 2027" in str(title.content)
            assert app.is_running
            other.execute("COMMIT")
        finally:
            other.close()
        await until(pilot, lambda: "Renamed while locked" in str(title.content))
        assert app.source.waiting is None
        assert "live" in str(screen.query_one("#follow-live", Static).content)
        assert toasts == []


HOSTILE = "[bold]not bold[/bold] \x1b[31mred\x1b[0m $accent\nsecond line"


async def test_hostile_text_shows_literally(demo_file: Path) -> None:
    svc = SessionService.open(demo_file)
    goal = svc.session.goals[0]
    svc.update(goal, statement=HOSTILE, measure="[link=x]m[/link]")
    svc.add(Goal, statement="[/]", position=99)
    person = svc.session.participants[0]
    svc.update(person, name="[red]Dana[/red]\x07")
    svc.set_step(StepId.GOALS)
    svc.close()
    app = FollowApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = follow_screen(app)
        await until(pilot, lambda: screen.shown is not None)
        text = body_text(screen)
        assert "[bold]not bold[/bold] ␛[31mred␛[0m $accent" in text
        assert "second line" in text
        assert "[link=x]m[/link]" in text
        assert "[/]" in text
        assert "\x1b" not in text and "\x07" not in text
        svc = SessionService.open(demo_file)
        try:
            svc.set_step(StepId.SETUP)
            await until(pilot, lambda: "[red]Dana[/red]␇" in body_text(screen))
        finally:
            svc.close()


async def test_keys_theme_density_and_leave(demo_file: Path) -> None:
    put_room_on_step(demo_file, StepId.GOALS)  # longer than 80x24 shows
    app = FollowApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = follow_screen(app)
        await until(pilot, lambda: screen.shown is not None)
        assert screen.has_class("-compact")  # 80x24: the most of the step in view
        # the keys scroll the step on screen (its pane never takes the focus itself)
        pane = screen.pane
        assert pane is not None and pane.scroll_y == 0
        # laid out first (on a busy machine the step can be shown before its size is
        # known, and a page down then has nowhere to go)
        await until(pilot, lambda: pane.max_scroll_y > 0)
        await pilot.press("pagedown")
        await until(pilot, lambda: pane.scroll_y > 0)
        await pilot.press("home")
        await until(pilot, lambda: pane.scroll_y == 0)
        await pilot.press("plus")
        assert screen.has_class("-spacious") and not screen.has_class("-compact")
        await pilot.press("minus")
        assert screen.has_class("-compact")
        first = app.theme
        await pilot.press("f8")
        assert app.theme != first
        await pilot.press("f8")
        assert app.theme == first
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_the_open_actions_follow(demo_file: Path) -> None:
    put_room_on_step(demo_file, StepId.CRM)
    facilitator = SessionService.open(demo_file)
    try:
        app = FollowApp(demo_file)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = follow_screen(app)
            await until(pilot, lambda: screen.shown is not None)
            action = facilitator.add_action("Book the CRM training", StepId.CRM)
            await until(pilot, lambda: "Book the CRM training" in actions_text(screen))
            facilitator.toggle_action(action)
            await until(pilot, lambda: "Book the CRM training" not in actions_text(screen))
    finally:
        facilitator.close()


def test_the_follow_app_loads_its_own_stylesheet_only() -> None:
    """Not the workshop's: the follow view is another app (see test_stylesheets)."""
    folder = Path(FollowApp.__module__.replace(".", "/")).parent.name
    assert folder == "follow"
    paths = [Path(str(p)) for p in FollowApp.CSS_PATH]  # type: ignore[union-attr]
    assert [p.name for p in paths] == ["follow.tcss"] and all(p.exists() for p in paths)


async def test_the_timer_follows_the_saved_time_spent(demo_file: Path) -> None:
    """A file of an older schema (only the time spent is saved): running while the editing
    copy's saves of the time spent keep coming (every 5 s), counting on between them; paused
    once they stop. (A schema-6 file's timer: test_follow_timer.py.)"""
    put_room_on_step(demo_file, StepId.CRM)
    now = [1000.0]
    app = FollowApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = follow_screen(app)
        await until(pilot, lambda: screen.shown is not None)
        timer = screen.query_one(FollowTimer)
        timer.clock = lambda: now[0]
        timer.exact = False  # as for a copy migrated in memory
        session = screen.shown
        assert session is not None
        item = session.timebox(StepId.CRM)
        timer.show(session)
        assert not timer.running
        spent = item.spent_seconds
        saved = session.model_copy(
            update={
                "agenda": [
                    a.model_copy(update={"spent_seconds": spent + 5}) if a.step is StepId.CRM else a
                    for a in session.agenda
                ]
            }
        )
        timer.show(saved)
        assert timer.running and timer.countdown().state == "running"
        left = timer.countdown().remaining
        now[0] += 3
        assert timer.countdown().remaining == pytest.approx(left - 3)
        now[0] += RUNNING_FOR
        assert not timer.running
        assert "paused" in timer.countdown().describe()


async def test_moving_on_mounts_nothing_and_a_visitors_note_draws_nothing(
    demo_file: Path,
) -> None:
    """Every step's pane is built, hidden, once the first is drawn: the room moving on
    shows one that is there (nothing mounted or removed). A visitor's note makes the
    view read the file again, and draw nothing."""
    put_room_on_step(demo_file, StepId.GOALS)
    facilitator = SessionService.open(demo_file)
    facilitator.set_contributions_open(True)
    try:
        app = FollowApp(demo_file)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = follow_screen(app)
            await until(pilot, lambda: len(screen._panes) == len(STEP_ORDER))
            body = screen.query_one("#follow-body")
            await until(pilot, lambda: len(body.children) == len(STEP_ORDER))
            widgets = set(screen.query("*"))
            funnel = screen._panes[StepId.FUNNEL]
            assert not funnel.display
            facilitator.set_step(StepId.FUNNEL)
            await until(pilot, lambda: screen.pane is funnel and funnel.display)
            assert "hand-over: Marketing → Shared" in body_text(screen)
            assert set(screen.query("*")) == widgets

            shown, reads = screen.shown, app.source.reads
            box = ContributionBox.open(demo_file)
            try:
                box.add_note(new_visitor(), "Sam", StepId.FUNNEL, "Leads wait a week")
            finally:
                box.close()
            await until(pilot, lambda: app.source.reads > reads)
            await pilot.pause()
            assert screen.shown is shown  # read, found the same, not shown again
    finally:
        facilitator.close()


def test_a_block_draws_its_rows_at_its_width() -> None:
    """Wrapped bullets keep their indent; columns stand side by side, each its share of
    the width less the gap; roomier text puts blank lines above a row of columns."""
    rows = (
        text(bullet_lines([Content("alpha beta gamma delta")]), "bullets"),
        Cols(((Text(Content("left words here")),), (Text(Content("right")),))),
    )
    lines = [line.plain.rstrip() for line in draw(rows, 16)]
    assert lines == ["  • alpha beta", "  gamma delta", "left    right", "words", "here"]
    roomier = [line.plain.rstrip() for line in draw(rows, 16, above=1)]
    assert roomier == [*lines[:2], "", *lines[2:]]
    assert all(line.cell_length <= 16 for line in draw(rows, 16))

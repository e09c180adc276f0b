"""Wrap-up step: where the keys land, a read-only copy, and its own styles."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from textual.color import Color
from textual.widgets import Button, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.wrapup.pane import WrapupPane
from alignment_tui.stylesheets import PACKAGE
from conftest import PinnedClock
from step_helpers import put_room_on_step

SIZE = (120, 40)


def pane(app: AlignmentApp) -> WrapupPane:
    return app.screen.query_one(WrapupPane)


async def test_a_step_change_puts_the_keys_in_the_next_review(
    session_file: Path, clock: PinnedClock
) -> None:
    """Issue 11: after ctrl+pagedown onto the wrap-up the keys typed land in its field
    (the next review's date), and after leaving it they land where the room was."""
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        await pilot.pause()
        assert app.service is not None
        assert app.service.session.meta.current_step is StepId.WRAPUP
        review = pane(app).query_one("#wrapup-next-review", Input)
        assert review.has_focus
        await pilot.press(*"+4w", "enter")
        await pilot.pause()
        expected = clock.today() + dt.timedelta(weeks=4)
        assert app.service.session.meta.next_review == expected

        # Ctrl+↓ jumps to the next section (the export button); coming back to the
        # step finds the focus there again.
        await pilot.press("ctrl+down")
        await pilot.pause()
        export = pane(app).query_one("#wrapup-export", Button)
        assert export.has_focus
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        await pilot.pause()
        assert export.has_focus
        app.exit()
    service = SessionService.open(session_file)
    try:
        assert service.session.meta.next_review == expected
    finally:
        service.close()


async def test_read_only_wrapup_cannot_change(session_file: Path) -> None:
    """Issue 11: in a read-only copy the next review cannot change; export still works."""
    put_room_on_step(session_file, StepId.WRAPUP)
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        wrapup = pane(app)
        review = wrapup.query_one("#wrapup-next-review", Input)
        assert review.disabled and not review.has_focus
        assert not wrapup.query_one("#wrapup-export", Button).disabled
        # The keys typed go into no field.
        assert not isinstance(app.screen.focused, Input)
        await pilot.press(*"+4w", "enter")
        await pilot.pause()
        assert review.value == ""
        app.exit()
    assert session_file.read_bytes() == before


async def test_overdue_count_is_drawn_in_the_error_colour(
    session_file: Path, clock: PinnedClock
) -> None:
    seed = SessionService.open(session_file)
    seed.set_step(StepId.WRAPUP)
    seed.add_action("Late", StepId.GOALS, owner_id=2, due=clock.today() - dt.timedelta(days=3))
    seed.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        counts = pane(app).query_one("#wrapup-counts", Static)
        assert counts.has_class("-overdue")
        assert counts.styles.color == Color.parse(app.theme_variables["error"])
        # Ticked done, the count is no longer overdue (the pane follows the session).
        assert app.service is not None
        (late,) = app.service.session.actions
        app.service.toggle_action(late)
        await pilot.pause()
        await pilot.pause()
        assert not counts.has_class("-overdue")
        assert "0 overdue" in str(counts.content)
        app.exit()


async def test_the_next_review_is_in_view_when_the_keys_land_there(session_file: Path) -> None:
    """At 80x24 the date field sits below the actions table: shown the step, it is scrolled
    into view, so the room sees where its keys go."""
    seed = SessionService.open(session_file)
    for n in range(6):
        seed.add_action(f"Action {n} with a text long enough to wrap in the table", StepId.GOALS)
    seed.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9", "end", "enter")
        await pilot.pause()
        await pilot.pause()
        wrapup = pane(app)
        review = wrapup.query_one("#wrapup-next-review", Input)
        assert review.has_focus
        assert wrapup.scrollable_content_region.contains_region(review.region)
        app.exit()


def test_wrapup_styles_live_in_its_room_and_are_scoped() -> None:
    own = (PACKAGE / "steps" / "wrapup" / "wrapup.tcss").read_text()
    rules = re.sub(r"/\*.*?\*/", "", own, flags=re.S)
    selectors = [s.strip() for s in re.findall(r"([^{}]+)\{", rules)]
    assert selectors
    assert all(part.strip().startswith("#pane-wrapup") for s in selectors for part in s.split(","))
    setup = (PACKAGE / "steps" / "setup" / "setup.tcss").read_text()
    assert "wrapup" not in setup.lower()


def test_the_counts_say_one_action_not_one_actions() -> None:
    from alignment_tui.sessions.models import Action, new_session
    from alignment_tui.steps.wrapup.pane import counts_text

    session = new_session("One action")
    session.actions = [Action(id=1, text="Send the summary", step=StepId.WRAPUP)]
    assert counts_text(session)[0].plain.startswith("1 action: ")
    session.actions.append(Action(id=2, text="Book the review", step=StepId.WRAPUP))
    assert counts_text(session)[0].plain.startswith("2 actions: ")

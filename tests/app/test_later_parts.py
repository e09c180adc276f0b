"""Parts of a step built when the room comes to them (``form.later``): the funnel's
hand-overs, plan and actions, the story's lower sections.

What a facilitator does: opens a step, scrolls down to a part, Tabs into it, jumps
to it with Ctrl+↓, and types into it; the part is there each way, shows the
session as it is then, and what is typed in it is saved.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.later import Later
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.base import StepPane
from step_helpers import put_room_on_step, reach_every_part


def demo_on(tmp_path: Path, step: StepId) -> Path:
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    put_room_on_step(path, step)
    return path


@asynccontextmanager
async def opened(
    tmp_path: Path, step: StepId, size: tuple[int, int] = (120, 40), **kwargs: Any
) -> AsyncIterator[tuple[AlignmentApp, Pilot[None]]]:
    """The app on the demo session, opened on *step* and settled."""
    app = AlignmentApp(demo_on(tmp_path, step), **kwargs)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


def pane(app: AlignmentApp, step: StepId) -> StepPane:
    return app.screen.query_one(f"#pane-{step.value}", StepPane)


def later_ids(app: AlignmentApp, step: StepId) -> list[str]:
    return [w.id or "" for w in pane(app, step).query(Later)]


async def test_the_funnel_opens_without_its_lower_parts_and_builds_them_as_it_scrolls(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path, StepId.FUNNEL, (120, 40)) as (app, pilot):
        funnel = pane(app, StepId.FUNNEL)
        assert later_ids(app, StepId.FUNNEL) == [
            "later-handovers",
            "later-plan",
            "later-actions-funnel",
        ]
        assert not app.screen.query("#ho-editor")
        # The titles stand where the parts will be: the landmarks are there to find.
        assert [str(w.content) for w in funnel.query(Later)] == [
            "Hand-over agreements",
            "What it takes",
            "Actions from this step",
        ]
        funnel.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        # Each part built in its place, in order; the title of each is there once.
        assert not funnel.query(Later)
        ids = [w.id for w in funnel.children]
        assert ids[-3:] == ["funnel-handovers", "funnel-plan", "actions-funnel"]
        assert len(funnel.query("#funnel-handovers")) == 1


async def test_tab_walks_into_a_part_not_built_yet_and_on_into_its_first_field(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path, StepId.STORY, (120, 40)) as (app, pilot):
        story = pane(app, StepId.STORY)
        later = story.query_one("#later-story-retired", Later)
        # Tab from the last field before it, as the room would (the pane not scrolled:
        # the part is still out of view).
        chain = [w for w in app.screen.focus_chain if story in w.ancestors]
        app.screen.set_focus(chain[chain.index(later) - 1], scroll_visible=False)
        await pilot.pause()
        assert story.query("#later-story-retired")
        await pilot.press("tab")
        await pilot.pause()
        assert not story.query("#later-story-retired")
        retired = story.query_one("#story-retired")
        focused = app.focused
        assert focused is not None and retired in focused.ancestors
        assert isinstance(focused, Input)


async def test_letters_typed_while_a_part_builds_reach_its_first_field(tmp_path: Path) -> None:
    async with opened(tmp_path, StepId.STORY, (120, 40)) as (app, pilot):
        story = pane(app, StepId.STORY)
        later = story.query_one("#later-story-retired", Later)
        # The focus comes to the part (Tab, a click) and two letters follow at once, as
        # a terminal sends them, none waiting for the part to be built.
        app.screen.set_focus(later, scroll_visible=False)
        for key in "zq":
            app.post_message(events.Key(key, key))
        for _ in range(20):
            await pilot.pause()
            if not story.query(Later) or not story.query("#later-story-retired"):
                break
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, Input)
        assert story.query_one("#story-retired") in focused.ancestors
        assert focused.value.endswith("zq")


async def test_ctrl_down_jumps_into_a_part_not_built_yet(tmp_path: Path) -> None:
    async with opened(tmp_path, StepId.FUNNEL, (120, 40)) as (app, pilot):
        funnel = pane(app, StepId.FUNNEL)
        # From the figures (the last section built), the next section is the hand-overs.
        funnel.query_one("#funnel-conversion").scroll_visible(animate=False, immediate=True)
        app.screen.query_one("#funnel-grid").focus()
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+down")
            await pilot.pause()
            await pilot.pause()
            focused = app.focused
            if (
                focused is not None
                and funnel.query("#funnel-handovers")
                and (funnel.query_one("#funnel-handovers") in focused.ancestors)
            ):
                break
        assert not funnel.query(Later)
        focused = app.focused
        assert focused is not None
        assert funnel.query_one("#funnel-handovers") in focused.ancestors


async def test_a_part_built_after_a_change_shows_the_session_as_it_is_then_and_saves(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path, StepId.FUNNEL, (120, 40)) as (app, pilot):
        funnel = pane(app, StepId.FUNNEL)
        service = app.screen.service  # type: ignore[attr-defined]
        # A change made while the part is not built (another field, an undo, the room).
        service.update(service.session.funnel_plan, revenue_target=987_654)
        funnel.refresh_from_session()
        await pilot.pause()
        await reach_every_part(pilot)  # the room scrolls down to the plan
        target = funnel.query_one("#plan-target", Input)
        assert target.value.replace(",", "") == "987654"
        target.focus()
        target.value = ""
        target.insert_text_at_cursor("120000")
        await pilot.press("enter")
        await pilot.pause()
    svc = SessionService.open(tmp_path / "demo.alignment.db")
    try:
        assert svc.session.funnel_plan.revenue_target == 120_000
    finally:
        svc.close()


async def test_a_read_only_copy_scrolls_to_its_lower_parts(tmp_path: Path) -> None:
    async with opened(tmp_path, StepId.STORY, (80, 24), readonly=True) as (app, pilot):
        story = pane(app, StepId.STORY)
        assert story.query(Later)
        story.focus()
        # One End: every part built on the way, and the view at the step's true end.
        await pilot.press("end")
        for _ in range(10):
            await pilot.pause()
            if not story.query(Later) and story.scroll_y and story.scroll_y == story.max_scroll_y:
                break
        assert not story.query(Later)
        assert story.query_one("#story-signoff")
        assert story.max_scroll_y > 0 and story.scroll_y == story.max_scroll_y
        actions = story.query_one("#actions-story")
        assert actions.region.bottom <= story.region.bottom  # the last part is in view


async def test_enter_on_a_goal_builds_its_editor_and_goes_into_it(tmp_path: Path) -> None:
    """At 80x24 the goal editor is below the list, not built as the step opens; Enter on
    a goal, as in any record list, puts the focus in its first field all the same."""
    async with opened(tmp_path, StepId.GOALS, (80, 24)) as (app, pilot):
        goals = pane(app, StepId.GOALS)
        assert goals.query("#later-goal-editor") and not goals.query("#goal-statement")
        goals.query_one("#goals-list-rows").focus(scroll_visible=False)
        await pilot.pause()
        await pilot.press("down", "enter")
        for _ in range(10):
            await pilot.pause()
            if app.focused is not None and app.focused.id == "goal-statement":
                break
        focused = app.focused
        assert isinstance(focused, Input) and focused.id == "goal-statement"
        statements = [g.statement for g in sorted(demo_session().goals, key=lambda g: g.position)]
        assert focused.value == statements[1]
        assert "Goal 2 of" in str(goals.query_one("#goal-head", Static).content)

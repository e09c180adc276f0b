"""Step 0, joint goals: the facilitator fills goals by keyboard; what the room agrees is saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import Behaviour, Goal, LeadRole, SignOffSubject, StepId, Team
from alignment_tui.sessions.service import SessionService


def open_on(path: Path, step: StepId) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(step)
    svc.close()
    return AlignmentApp(path)


def text(app: AlignmentApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


async def press_button(pilot: Pilot[None], selector: str) -> None:
    """Move the focus to a button (scrolling it into view) and press it with enter."""
    button = pilot.app.screen.query_one(selector)
    button.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, value: str, *, clear: bool = False) -> None:
    """Focus a field, optionally clear it, type, and leave it (which saves)."""
    widget: Widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if clear:
        await pilot.press("end", *["backspace"] * len(getattr(widget, "value", "")))
    await pilot.press(*value)
    await pilot.press("tab")
    await pilot.pause()


async def test_fill_a_goal_and_both_leads_agree(session_file: Path) -> None:
    app = open_on(session_file, StepId.GOALS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Still needed" in text(app, "#status-goals")
        await type_into(pilot, "#goals-warmup", "Buyers")
        await press_button(pilot, "#add-goal")
        # the new goal's statement has the focus: type straight away
        assert app.screen.focused is app.screen.query_one("#goal-statement-1")
        await pilot.press(*"Grow", "tab")
        await pilot.press(*"SALs", "tab")
        await pilot.press(*"40", "tab")
        await pilot.press(*"2026-12-31", "tab")
        await pilot.press(*"7", "tab")
        await pilot.pause()
        await press_button(pilot, "#goal-add-sales-1")
        await pilot.press(*"Call", "tab")
        await press_button(pilot, "#goal-add-marketing-1")
        await pilot.press(*"Brief", "tab")
        await pilot.pause()
        assert "Ranked by dot votes: 1. Grow (7)" in text(app, "#goals-ranking")
        assert "Still needed: the Sales lead's agreement" in text(app, "#status-goals")
        await press_button(pilot, "#sign-goals-sales")
        await press_button(pilot, "#sign-goals-marketing")
        assert "signed by Sam Sales" in text(app, "#signoff-goals-sales")
        assert "signed by Mia Marketing" in text(app, "#signoff-goals-marketing")
        assert "✔ Complete" in text(app, "#status-goals")

    svc = SessionService.open(session_file)
    try:
        s = svc.session
        assert s.meta.warmup_notes == "Buyers"
        [goal] = s.goals
        assert (goal.statement, goal.measure, goal.target) == ("Grow", "SALs", "40")
        assert goal.due == dt.date(2026, 12, 31)
        assert goal.votes == 7
        assert [b.text for b in svc.behaviours_for(goal.id, Team.SALES)] == ["Call"]
        assert [b.text for b in svc.behaviours_for(goal.id, Team.MARKETING)] == ["Brief"]
        for role in LeadRole:
            assert svc.signoff_state(SignOffSubject.GOALS, role) == "signed"
    finally:
        svc.close()

    # reopened, the screen shows what was saved
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#goal-statement-1", Input).value == "Grow"
        assert app.screen.query_one("#goal-due-1", Input).value == "2026-12-31"
        assert app.screen.query_one("#goal-votes-1", Input).value == "7"
        assert app.screen.query_one("#goals-warmup", TextArea).text == "Buyers"
        assert "✔ Complete" in text(app, "#status-goals")


def _one_goal(path: Path) -> None:
    svc = SessionService.open(path)
    goal = svc.add(Goal, statement="Shorter sales cycle", measure="days to close", votes=2)
    svc.update(goal, due=dt.date(2026, 12, 1))
    svc.add(Behaviour, goal_id=goal.id, team=Team.SALES, text="Log lost reasons")
    svc.set_step(StepId.GOALS)
    svc.close()


async def test_bad_votes_and_date_are_refused_with_the_reason(session_file: Path) -> None:
    _one_goal(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        votes = app.screen.query_one("#goal-votes-1", Input)
        await type_into(pilot, "#goal-votes-1", "-3", clear=True)
        error = votes.parent.query_one(".field-error", Static)  # type: ignore[union-attr]
        assert "Dot votes cannot be negative" in str(error.render())
        assert votes.has_class("-invalid")
        assert votes.value == "-3"  # what was typed stays for correction
        await type_into(pilot, "#goal-votes-1", "abc", clear=True)
        assert "Dot votes must be a whole number" in str(error.render())
        due = app.screen.query_one("#goal-due-1", Input)
        await type_into(pilot, "#goal-due-1", "2026-02-30", clear=True)
        due_error = due.parent.query_one(".field-error", Static)  # type: ignore[union-attr]
        assert "2026-02-30 is not a real date" in str(due_error.render())
        await type_into(pilot, "#goal-due-1", "soon", clear=True)
        assert "must be a date like" in str(due_error.render())
        # the rest of the goal is untouched and still shown
        assert app.screen.query_one("#goal-statement-1", Input).value == "Shorter sales cycle"
        # a relative date is accepted and shown as the real date on leaving
        await type_into(pilot, "#goal-due-1", "+2w", clear=True)
        assert due.value == (dt.date.today() + dt.timedelta(weeks=2)).isoformat()
        assert not due.has_class("-invalid")

    svc = SessionService.open(session_file)
    try:
        [goal] = svc.session.goals
        assert goal.votes == 2
        assert goal.due == dt.date.today() + dt.timedelta(weeks=2)
        assert goal.statement == "Shorter sales cycle"
        assert goal.measure == "days to close"
    finally:
        svc.close()


async def test_reorder_rank_and_remove_goals(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    first = svc.add(Goal, statement="Alpha", votes=1)
    svc.add(Goal, statement="Beta", votes=5)
    svc.add(Behaviour, goal_id=first.id, team=Team.SALES, text="x")
    svc.set_step(StepId.GOALS)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "1. Beta (5) · 2. Alpha (1)" in text(app, "#goals-ranking")
        assert text(app, "#goal-head-1") == "Goal 1 of 2"
        await press_button(pilot, "#goal-down-1")
        await pilot.pause()
        rows = [w.id for w in app.screen.query_one("#goals-list").children]
        assert rows == ["goal-2", "goal-1"]
        assert text(app, "#goal-head-1") == "Goal 2 of 2"
        # removing asks first; "n" keeps the goal, then "y" removes it
        await press_button(pilot, "#goal-remove-1")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query("#goal-1")
        await press_button(pilot, "#goal-remove-1")
        await pilot.press("y")
        await pilot.pause()
        assert not app.screen.query("#goal-1")
        assert text(app, "#goal-head-2") == "Goal 1 of 1"

    svc = SessionService.open(session_file)
    try:
        assert [g.statement for g in svc.session.goals] == ["Beta"]
        assert svc.session.behaviours == []  # removed with its goal
    finally:
        svc.close()


async def test_markup_escapes_and_emoji_are_shown_and_saved_literally(session_file: Path) -> None:
    tricky = "[b]markup[/b] \x1b[31m 🚀 $x"
    svc = SessionService.open(session_file)
    goal = svc.add(Goal, statement=tricky, votes=3)
    svc.add(Behaviour, goal_id=goal.id, team=Team.MARKETING, text=tricky)
    svc.update_meta(warmup_notes=tricky)
    svc.set_step(StepId.GOALS)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#goal-statement-1", Input).value == tricky
        assert app.screen.query_one("#beh-text-1", Input).value == tricky
        assert app.screen.query_one("#goals-warmup", TextArea).text == tricky
        assert "[b]markup[/b]" in text(app, "#goals-ranking")
        # typing more markup keeps it literal
        await type_into(pilot, "#goal-measure-1", "[i]✨")

    svc = SessionService.open(session_file)
    try:
        [goal] = svc.session.goals
        assert goal.statement == tricky
        assert goal.measure == "[i]✨"
        assert svc.session.behaviours[0].text == tricky
        assert svc.session.meta.warmup_notes == tricky
    finally:
        svc.close()


def test_still_needed_names_goals_by_their_place_in_the_list(session) -> None:  # type: ignore[no-untyped-def]
    from alignment_tui.sessions.progress import step_status

    # positions keep gaps after a removal; the step shows "Goal 1", "Goal 2"
    session.goals = [Goal(id=4, position=5, statement="B"), Goal(id=3, position=2, statement="A")]
    missing = step_status(session, StepId.GOALS).missing
    assert missing[:2] == ["a measure for goal 1", "a Sales behaviour for goal 1"]
    assert "a measure for goal 2" in missing
    assert not any("goal 5" in m for m in missing)


async def test_read_only_session_refuses_adding_without_crashing(session_file: Path) -> None:
    _one_goal(session_file)
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await press_button(pilot, "#add-goal")
        await press_button(pilot, "#goal-add-marketing-1")
        assert len(app.screen.query(".goal-row")) == 1
        assert any("read-only" in str(n.message) for n in app._notifications)
        assert app.screen.query_one("#sign-goals-sales").disabled
    svc = SessionService.open(session_file)
    try:
        assert len(svc.session.goals) == 1
        assert len(svc.session.behaviours) == 1
    finally:
        svc.close()

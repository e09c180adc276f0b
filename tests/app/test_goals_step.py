"""Step 0, joint goals: the facilitator fills goals by keyboard; what the room agrees is saved.

The pane shows a compact list of goals and one editor for the highlighted
goal, so a session with many goals stays quick to open and to type in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.form.fields import SAVE_DELAY, SavingInput
from alignment_tui.form.records import GAP, RecordList, fit_columns
from alignment_tui.form.refusal import Reason
from alignment_tui.sessions.models import (
    Action,
    Behaviour,
    Goal,
    LeadRole,
    SignOffSubject,
    StepId,
    Team,
)
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.goals.behaviours import BehaviourLine
from alignment_tui.steps.goals.pane import GoalsPane
from conftest import PinnedClock
from step_helpers import reach_every_part


def open_on(path: Path, step: StepId) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(step)
    svc.close()
    return AlignmentApp(path)


def text(app: AlignmentApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


def value(app: AlignmentApp, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


def goals_list(app: AlignmentApp) -> RecordList[Goal]:
    return app.screen.query_one("#goals-list", RecordList)


def table_rows(app: AlignmentApp) -> list[list[str]]:
    """The goals list as shown: one list of cell texts per line."""
    records = goals_list(app)
    rows = records.rows
    fitted = fit_columns(records.columns, rows.scrollable_content_region.width)
    shown = []
    for i in range(rows.option_count):
        line = str(rows.get_option_at_index(i).prompt)
        cells, x = [], 0
        for _column, width in fitted:
            cells.append(line[x : x + width].strip())
            x += width + GAP
        shown.append(cells)
    return shown


def reasons(app: AlignmentApp) -> list[str]:
    """The reason lines shown under refused fields."""
    return [str(r.render()) for r in app.screen.query(Reason) if r.display]


async def until(pilot: Pilot[None], condition: Callable[[], bool], *, tries: int = 100) -> None:
    """Let the app work until *condition* holds (however busy the machine); fail if it never does."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the screen never showed what was expected")


async def press_button(pilot: Pilot[None], selector: str) -> None:
    """Move the focus to a button (scrolling it into view) and press it with enter."""
    button = pilot.app.screen.query_one(selector)
    button.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, typed: str, *, clear: bool = False) -> None:
    """Focus a field, optionally clear it, type, and leave it (which saves)."""
    widget: Widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if clear:
        await pilot.press("end", *["backspace"] * len(getattr(widget, "value", "")))
    await pilot.press(*typed)
    await pilot.press("tab")
    await pilot.pause()


async def test_fill_a_goal_and_both_leads_agree(session_file: Path) -> None:
    app = open_on(session_file, StepId.GOALS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Still needed" in text(app, "#status-goals")
        assert not app.screen.query_one("#goal-editor").display  # no goal yet
        await type_into(pilot, "#goals-warmup", "Buyers")
        await press_button(pilot, "#add-goal")
        # the new goal's statement has the focus: type straight away
        assert app.screen.focused is app.screen.query_one("#goal-statement")
        await pilot.press(*"Grow", "tab")
        await pilot.press(*"SALs", "tab")
        await pilot.press(*"40", "tab")
        await pilot.press(*"2026-12-31", "tab")
        await pilot.press(*"7", "tab")
        await pilot.pause()
        assert table_rows(app) == [["1", "Grow", "SALs", "7", "⚠ 0", "⚠ 0"]]
        assert "⚠ none yet" in text(app, "#goal-sales-head")
        await press_button(pilot, "#goal-add-sales")
        await pilot.press(*"Call", "tab")
        # a second behaviour, typed by mistake, is removed (it has text: asks first)
        await press_button(pilot, "#goal-add-sales")
        await pilot.press(*"Oops", "tab")
        await pilot.pause()
        assert table_rows(app)[0][4] == "2"
        # the bar's Remove acts on the highlighted line (the one just typed in): a click
        assert app.screen.query_one("#sales-beh-text-1").has_class("-current")
        await pilot.click("#goal-remove-sales")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.screen.query_one("#sales-beh-text-1").display
        assert value(app, "#sales-beh-text-0") == "Call"
        await press_button(pilot, "#goal-add-marketing")
        await pilot.press(*"Brief", "tab")
        await pilot.pause()
        assert table_rows(app) == [["1", "Grow", "SALs", "7", "1", "1"]]
        assert "⚠" not in text(app, "#goal-sales-head")
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
        assert value(app, "#goal-statement") == "Grow"
        assert value(app, "#goal-due") == "2026-12-31"
        assert value(app, "#goal-votes") == "7"
        assert value(app, "#sales-beh-text-0") == "Call"
        assert app.screen.query_one("#goals-warmup", TextArea).text == "Buyers"
        assert "✔ Complete" in text(app, "#status-goals")


def _one_goal(path: Path) -> None:
    svc = SessionService.open(path)
    goal = svc.add(Goal, statement="Shorter sales cycle", measure="days to close", votes=2)
    svc.update(goal, due=dt.date(2026, 12, 1))
    svc.add(Behaviour, goal_id=goal.id, team=Team.SALES, text="Log lost reasons")
    svc.set_step(StepId.GOALS)
    svc.close()


async def test_bad_votes_and_date_are_refused_with_the_reason(
    session_file: Path, clock: PinnedClock
) -> None:
    _one_goal(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        votes = app.screen.query_one("#goal-votes", Input)
        assert not app.screen.query(Reason)  # no reason line until one is needed
        await type_into(pilot, "#goal-votes", "-3", clear=True)
        error = app.screen.query_one("#goal-votes-reason", Static)
        assert "Dot votes cannot be negative" in str(error.render())
        assert votes.has_class("-invalid")
        assert votes.value == "-3"  # what was typed stays for correction
        await type_into(pilot, "#goal-votes", "abc", clear=True)
        assert "Dot votes must be a whole number" in str(error.render())
        due = app.screen.query_one("#goal-due", Input)
        await type_into(pilot, "#goal-due", "2026-02-30", clear=True)
        due_error = app.screen.query_one("#goal-due-reason", Static)
        assert "2026-02-30 is not a real date" in str(due_error.render())
        await type_into(pilot, "#goal-due", "soon", clear=True)
        assert "must be a date like" in str(due_error.render())
        # the rest of the goal is untouched and still shown; the refused votes stay typed
        assert value(app, "#goal-statement") == "Shorter sales cycle"
        assert votes.value == "abc"
        assert table_rows(app)[0][3] == "2"
        # a relative date is accepted and shown as the real date on leaving
        await type_into(pilot, "#goal-due", "+2w", clear=True)
        assert due.value == (clock.today() + dt.timedelta(weeks=2)).isoformat()
        assert not due.has_class("-invalid")
        assert not due_error.display
        # votes put right: the red mark and the reason go
        await type_into(pilot, "#goal-votes", "4", clear=True)
        assert not votes.has_class("-invalid")
        assert not error.display
        assert table_rows(app)[0][3] == "4"

    svc = SessionService.open(session_file)
    try:
        [goal] = svc.session.goals
        assert goal.votes == 4
        assert goal.due == clock.today() + dt.timedelta(weeks=2)
        assert goal.statement == "Shorter sales cycle"
        assert goal.measure == "days to close"
    finally:
        svc.close()


async def test_keys_in_the_goal_editor_stop_at_the_field_and_still_save(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing above the goals step's fields listens for their changes, so a key
    visits only the field (not eight containers up to the app), and a save with
    no reason to clear mounts no reason line (a mount would lay out the whole
    screen)."""
    _one_goal(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        for selector in ("#goal-statement", "#sales-beh-text-0", "#goals-warmup"):
            field = screen.query_one(selector)
            parent = field.parent
            assert parent is not None
            heard: list[Message] = []
            post = parent.post_message

            def listen(message: Message, post: Any = post, heard: list[Message] = heard) -> bool:
                if isinstance(
                    message, (Input.Changed, TextArea.Changed, TextArea.SelectionChanged)
                ):
                    heard.append(message)
                return bool(post(message))

            monkeypatch.setattr(parent, "post_message", listen)
            field.focus()
            await pilot.pause()
            await pilot.press("end", *" now")
            await pilot.pause()
            assert heard == []
        screen.query_one("#goal-statement", SavingInput).focus()
        await pilot.pause()
        await pilot.press("end", "!")
        await pilot.pause(SAVE_DELAY + 0.3)
        goal = screen.service.session.goals[0]  # type: ignore[attr-defined]
        assert goal.statement == "Shorter sales cycle now!"
        assert not screen.query(Reason)
        await pilot.press("tab")
        await pilot.pause()
    svc = SessionService.open(session_file)
    try:
        [behaviour] = svc.session.behaviours
        assert behaviour.text == "Log lost reasons now"
        assert svc.session.meta.warmup_notes == " now"
    finally:
        svc.close()


async def test_the_ranking_lays_out_the_screen_only_when_it_needs_more_lines(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_goal(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ranking = app.screen.query_one("#goals-ranking", Static)
        assert ranking.size.height == 1
        layouts: list[bool] = []
        refresh = ranking.refresh

        def count(*regions: Any, layout: bool = False, **kwargs: Any) -> Any:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)

        monkeypatch.setattr(ranking, "refresh", count)
        app.screen.query_one("#goal-statement").focus()
        await pilot.pause()
        await pilot.press("end", "!")
        await pilot.pause(SAVE_DELAY + 0.2)
        assert "1. Shorter sales cycle! (2)" in text(app, "#goals-ranking")
        assert layouts and True not in layouts  # same one line: no layout
        service = app.screen.service  # type: ignore[attr-defined]
        for n in range(6):
            service.add(Goal, statement=f"Another goal with a long name {n}", votes=n + 3)
        await pilot.pause()
        assert True in layouts  # the ranking now wraps: laid out to show every line
        assert ranking.size.height > 1
        assert "Another goal with a long na" in text(app, "#goals-ranking")


async def test_choose_reorder_rank_and_remove_goals(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    first = svc.add(Goal, statement="Alpha", votes=1)
    svc.add(Goal, statement="Beta", votes=5)
    svc.add(Behaviour, goal_id=first.id, team=Team.SALES, text="x")
    svc.set_step(StepId.GOALS)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        assert "1. Beta (5) · 2. Alpha (1)" in text(app, "#goals-ranking")
        assert [r[:2] for r in table_rows(app)] == [["1", "Alpha"], ["2", "Beta"]]
        assert [r[4] for r in table_rows(app)] == ["1", "⚠ 0"]
        assert text(app, "#goal-head") == "Goal 1 of 2"
        assert value(app, "#goal-statement") == "Alpha"
        assert value(app, "#sales-beh-text-0") == "x"
        # typing, then choosing another goal (a click on its line) before the
        # save is due: the typing is saved to the first goal and the editor
        # shows the other one
        app.screen.query_one("#goal-measure").focus()
        await pilot.press(*"m1")
        await pilot.click("#goals-list-rows", offset=(6, 1))
        await pilot.pause()
        assert value(app, "#goal-statement") == "Beta"
        assert value(app, "#goal-measure") == ""
        assert not app.screen.query_one("#sales-beh-text-0").display  # Beta has no behaviour
        assert table_rows(app)[0][2] == "m1"
        # choosing with the keyboard in the list: up shows Alpha again
        goals_list(app).rows.focus()
        await pilot.press("up")
        await pilot.pause()
        assert value(app, "#goal-statement") == "Alpha"
        assert value(app, "#goal-measure") == "m1"
        await press_button(pilot, "#goal-down")
        assert [r[:2] for r in table_rows(app)] == [["1", "Beta"], ["2", "Alpha"]]
        assert text(app, "#goal-head") == "Goal 2 of 2"
        assert value(app, "#goal-statement") == "Alpha"  # still editing Alpha
        # removing asks first; "n" keeps the goal, then "y" removes it
        await press_button(pilot, "#goal-remove")
        await pilot.press("n")
        await pilot.pause()
        assert len(table_rows(app)) == 2
        await press_button(pilot, "#goal-remove")
        await pilot.press("y")
        await pilot.pause()
        assert [r[:2] for r in table_rows(app)] == [["1", "Beta"]]
        assert text(app, "#goal-head") == "Goal 1 of 1"
        assert value(app, "#goal-statement") == "Beta"

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
        assert value(app, "#goal-statement") == tricky
        assert value(app, "#marketing-beh-text-0") == tricky
        assert app.screen.query_one("#goals-warmup", TextArea).text == tricky
        assert "[b]markup[/b]" in text(app, "#goals-ranking")
        assert table_rows(app)[0][1].startswith("[b]markup[/b]")
        assert "\x1b" not in table_rows(app)[0][1]
        # typing more markup keeps it literal
        await type_into(pilot, "#goal-measure", "[i]✨")
        assert table_rows(app)[0][2] == "[i]✨"

    svc = SessionService.open(session_file)
    try:
        [goal] = svc.session.goals
        assert goal.statement == tricky
        assert goal.measure == "[i]✨"
        assert svc.session.behaviours[0].text == tricky
        assert svc.session.meta.warmup_notes == tricky
    finally:
        svc.close()


async def test_many_goals_mount_few_widgets(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for n in range(1, 41):
        goal = svc.add(Goal, statement=f"Goal number {n}", measure=f"m{n}", votes=n % 7)
        for team in (Team.SALES, Team.MARKETING):
            svc.add(Behaviour, goal_id=goal.id, team=team, text=f"{team.value} does {n}")
    svc.set_step(StepId.GOALS)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(GoalsPane)
        assert len(list(pane.query("*"))) < 200
        assert len(table_rows(app)) == 40
        # the end of the list, by keys: the editor shows the last goal
        goals_list(app).rows.focus()
        await pilot.press("end")
        await pilot.pause()
        assert value(app, "#goal-statement") == "Goal number 40"
        assert text(app, "#goal-head") == "Goal 40 of 40"
        shown = [w for w in pane.query(BehaviourLine) if w.display]
        assert [w.value for w in shown] == ["Sales does 40", "Marketing does 40"]
        # typing in a behaviour saves to the last goal's behaviour
        app.screen.query_one("#sales-beh-text-0").focus()
        await pilot.press("end", "!", "tab")
        await pilot.pause()
        assert len(list(pane.query("*"))) < 200

    svc = SessionService.open(session_file)
    try:
        assert [b.text for b in svc.session.behaviours if b.text.endswith("!")] == [
            "Sales does 40!"
        ]
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


async def test_a_read_only_copy_cannot_be_typed_in(session_file: Path) -> None:
    """Issue 11: a read-only copy took typing and then said it was not saved. Its fields
    and its add, move and remove buttons cannot change; nothing typed is refused."""
    _one_goal(session_file)
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        screen = app.screen
        fields = [
            "#goals-warmup",
            "#goal-statement",
            "#goal-measure",
            "#goal-target",
            "#goal-due",
            "#goal-votes",
            "#sales-beh-text-0",
        ]
        buttons = [
            "#add-goal",
            "#goal-up",
            "#goal-down",
            "#goal-remove",
            "#goal-add-sales",
            "#goal-remove-sales",
            "#goal-add-marketing",
            "#goal-remove-marketing",
            "#sign-goals-sales",
        ]
        for selector in fields + buttons:
            assert not screen.query_one(selector).focusable, selector
        # keys typed at a field, pressed on a button or on the list change nothing
        for selector in fields:
            screen.query_one(selector).focus()
            await pilot.press(*"x", "enter")
        for selector in buttons:
            screen.query_one(selector).scroll_visible(animate=False)
            await pilot.pause()
            await pilot.click(selector)
        goals_list(app).rows.focus()
        await pilot.press("insert", "delete", "alt+down")
        await pilot.pause()
        assert len(table_rows(app)) == 1
        assert value(app, "#goal-statement") == "Shorter sales cycle"
        assert reasons(app) == []
        assert not [str(t.render()) for t in screen.query("Toast")]
        assert isinstance(app.screen, type(screen))  # no question asked either
    svc = SessionService.open(session_file)
    try:
        [goal] = svc.session.goals
        assert goal.statement == "Shorter sales cycle"
        assert [b.text for b in svc.session.behaviours] == ["Log lost reasons"]
        assert svc.session.meta.warmup_notes == ""
    finally:
        svc.close()


async def test_goal_list_fits_its_width_when_the_guidance_is_hidden(session_file: Path) -> None:
    """F3 widens the pane: the goal list's columns follow, also when it is focused at once
    (Textual then rebuilds its map of widgets before the layout that would send a Resize)."""
    svc = SessionService.open(session_file)
    svc.add(Goal, statement="Grow qualified pipeline from our key sector", measure="SALs a month")
    for n in range(20):  # a pane taller than the screen
        svc.add(Action, text=f"Action {n}", step=StepId.GOALS)
    svc.close()
    app = open_on(session_file, StepId.GOALS)
    async with app.run_test(size=(120, 40)) as pilot:
        rows = goals_list(app).rows

        def drawn() -> int:
            return len(str(rows.get_option_at_index(0).prompt)) if rows.option_count else 0

        await until(pilot, lambda: drawn() > 0)
        narrow = drawn()
        await pilot.press("f3")
        await pilot.pause()
        rows.focus()
        await until(pilot, lambda: drawn() > narrow)
        assert drawn() <= rows.scrollable_content_region.width  # and still fits
        statement, measure = table_rows(app)[0][1:3]
        # a text longer than its column ends visibly
        assert statement == "Grow qualified pipeline from our key sector" or (
            statement.startswith("Grow qualified") and statement.endswith("…")
        )
        assert measure == "SALs a month"


def shown_texts(root: Widget) -> list[str]:
    """The texts of the Statics under *root* that are displayed (with all their containers)."""
    return [
        str(w.render())
        for w in root.query(Static)
        if all(node.display for node in [w, *w.ancestors] if root in node.ancestors)
    ]


async def test_no_goals_yet_goes_once_a_goal_is_added(session_file: Path) -> None:
    """Issue 11: "No goals yet" stayed on screen after a goal was added."""
    app = open_on(session_file, StepId.GOALS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(GoalsPane)
        assert any("No goals yet" in t for t in shown_texts(pane))
        await press_button(pilot, "#add-goal")
        assert not any("No goals yet" in t for t in shown_texts(pane))
        await pilot.press(*"Grow", "tab")
        await pilot.pause()
        assert "Ranked by dot votes" in text(app, "#goals-ranking")
        assert not any("No goals yet" in t for t in shown_texts(pane))


async def test_a_step_change_puts_the_next_keys_in_the_first_field(session_file: Path) -> None:
    """Issue 11: after Ctrl+PageDown nothing had the focus and the next keys were lost.
    They land in the step's first field (the warm-up notes) and are saved."""
    _one_goal(session_file)
    app = open_on(session_file, StepId.SETUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert isinstance(app.screen.query_one("#pane-goals"), GoalsPane)
        await pilot.press(*"Buyers")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#goals-warmup")
    svc = SessionService.open(session_file)
    try:
        assert svc.session.meta.warmup_notes == "Buyers"
    finally:
        svc.close()


async def test_back_on_the_step_the_keys_go_to_the_field_used_last(session_file: Path) -> None:
    _one_goal(session_file)
    app = open_on(session_file, StepId.GOALS)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#goal-measure").focus()
        await pilot.pause()
        await pilot.press("ctrl+pagedown")  # on to the story
        await pilot.pause()
        await pilot.press("ctrl+pageup")  # and back
        await pilot.pause()
        await pilot.press("end", *" each week")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#goal-measure")
    svc = SessionService.open(session_file)
    try:
        assert svc.session.goals[0].measure == "days to close each week"
    finally:
        svc.close()


async def test_a_long_field_shows_its_start_once_left(session_file: Path) -> None:
    """Typing leaves the view at the end of a long text; leaving the field shows its start."""
    svc = SessionService.open(session_file)
    svc.add(Goal, statement="")
    svc.close()
    app = open_on(session_file, StepId.GOALS)
    long = "Grow qualified pipeline from our key sector " * 3
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
        field = app.screen.query_one("#goal-statement", SavingInput)
        field.focus()
        await pilot.pause()
        field.insert_text_at_cursor(long[:-1])
        await pilot.press(long[-1])  # (the last key typed, as a facilitator would)
        await pilot.pause()
        assert field.scroll_x > 0  # typing: the end of the text is in view
        await pilot.press("tab")
        await pilot.pause()
        assert field.scroll_x == 0 and field.cursor_position == 0
        assert field.value == long  # nothing lost
    assert saved_goal_statement(session_file) == long


def saved_goal_statement(path: Path) -> str:
    svc = SessionService.open(path)
    statement = svc.session.goals[0].statement
    svc.close()
    return statement


async def test_behaviour_lines_move_and_go_by_keys(session_file: Path) -> None:
    """alt+↑ / alt+↓ move the focused behaviour within its team's list; alt+delete removes
    it, asking first when it has text; the other team's lines stay as they were."""
    svc = SessionService.open(session_file)
    goal = svc.add(Goal, statement="Grow", measure="SALs")
    for said in ("First", "Second", "Third"):
        svc.add(Behaviour, goal_id=goal.id, team=Team.SALES, text=said)
    svc.add(Behaviour, goal_id=goal.id, team=Team.MARKETING, text="Brief")
    svc.set_step(StepId.GOALS)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen

        def lines(key: str) -> list[str]:
            return [w.value for w in screen.query(BehaviourLine) if w.display and w.key == key]

        screen.query_one("#sales-beh-text-2", Input).focus()
        await pilot.pause()
        await pilot.press("alt+up")
        await pilot.pause()
        assert lines("sales") == ["First", "Third", "Second"]
        assert screen.focused is screen.query_one("#sales-beh-text-1")  # the focus follows
        await pilot.press("alt+up", "alt+up")  # the second stops at the top
        await pilot.pause()
        assert lines("sales") == ["Third", "First", "Second"]
        assert screen.focused is screen.query_one("#sales-beh-text-0")
        await pilot.press("alt+down")
        await pilot.pause()
        assert lines("sales") == ["First", "Third", "Second"]
        # alt+delete on a line with text asks: "n" keeps it, "y" removes it
        await pilot.press("alt+delete")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert lines("sales") == ["First", "Third", "Second"]
        await pilot.press("alt+delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert lines("sales") == ["First", "Second"]
        assert isinstance(screen.focused, BehaviourLine)  # the focus stays in the list
        assert screen.focused.value == "Second"
        # an empty line goes without a question
        await press_button(pilot, "#goal-add-sales")
        assert lines("sales") == ["First", "Second", ""]
        await pilot.press("alt+delete")
        await pilot.pause()
        assert lines("sales") == ["First", "Second"]
        assert lines("marketing") == ["Brief"]
        assert app.screen is screen  # no question left open
        # the bar's Remove on the last line: the focus goes to the bar's add button
        await press_button(pilot, "#goal-remove-marketing")
        await pilot.press("y")
        await pilot.pause()
        assert lines("marketing") == []
        assert screen.query_one("#goal-remove-marketing").disabled
        assert screen.focused is screen.query_one("#goal-add-marketing")
        assert "⚠ none yet" in text(app, "#goal-marketing-head")

    svc = SessionService.open(session_file)
    try:
        [goal] = svc.session.goals
        assert [b.text for b in svc.behaviours_for(goal.id, Team.SALES)] == ["First", "Second"]
        assert svc.behaviours_for(goal.id, Team.MARKETING) == []
    finally:
        svc.close()


async def test_a_refused_value_is_forgotten_when_another_goal_is_chosen(
    session_file: Path,
) -> None:
    svc = SessionService.open(session_file)
    svc.add(Goal, statement="Alpha", votes=1)
    svc.add(Goal, statement="Beta", votes=5)
    svc.set_step(StepId.GOALS)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#goal-votes", "lots", clear=True)
        error = app.screen.query_one("#goal-votes-reason", Static)
        assert error.display and "whole number" in str(error.render())
        # the list, by keys: down shows Beta, its votes and no reason
        goals_list(app).rows.focus()
        await pilot.press("down")
        await pilot.pause()
        assert value(app, "#goal-statement") == "Beta"
        assert value(app, "#goal-votes") == "5"
        assert not error.display
        assert not app.screen.query_one("#goal-votes").has_class("-invalid")
    svc = SessionService.open(session_file)
    try:
        assert [g.votes for g in svc.session.goals] == [1, 5]
    finally:
        svc.close()

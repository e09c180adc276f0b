"""Actions, driven by keys: add from two steps, tick one done, quit, reopen, all there.

Also: a bad due date is refused with the reason next to the field and nothing
typed is lost; the table keeps its cursor on the same action; the wrap-up
shows one table of every action.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.action_dialog import ActionDialog
from alignment_tui.sessions.models import Action, ActionStatus, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.widgets.actions import (
    ActionsPanel,
    ActionsTable,
    fit_lines,
    is_overdue,
    short_date,
)
from conftest import PinnedClock
from screen_text import widget_text
from step_helpers import put_room_on_step, reach_every_part

SIZE = (120, 40)


def table_text(table: DataTable) -> list[dict[str, str]]:
    """Every row of *table* as {column key: plain text}, in display order.

    In a narrow pane the all-steps table puts the step tag in front of the
    text ("3 Feedback · Book forum") instead of a Step column; ``step`` and
    ``action`` give both the same way.
    """
    keys = [str(c.key.value) for c in table.ordered_columns]
    rows = []
    for i in range(table.row_count):
        cells = [str(getattr(c, "plain", c)) for c in table.get_row_at(i)]
        row = dict(zip(keys, cells, strict=True))
        if "step" not in row and " · " in row["text"]:
            row["step"], row["action"] = row["text"].split(" · ", 1)
        else:
            row["action"] = row["text"]
        rows.append(row)
    return rows


async def add_action(
    pilot: Pilot, text: str, *, owner_downs: int, due: str, step_downs: int = 0
) -> None:
    """F2, type the text, pick the step and owner with the arrow keys, type the due date, enter."""
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ActionDialog)
    await pilot.press(*text)
    await pilot.press("tab")  # step
    if step_downs:
        await pilot.press("enter", *(["down"] * step_downs), "enter")
    await pilot.press("tab")  # owner
    await pilot.press("enter", *(["down"] * owner_downs), "enter")
    await pilot.press("tab", "tab")  # status, due
    await pilot.press(*due)
    await pilot.press("enter")
    await pilot.pause()


async def go_to_step_list_end(pilot: Pilot) -> None:
    """Choose the last step (wrap-up) in the step list by keys."""
    await pilot.press("f9", "end", "enter")
    await pilot.pause()
    await pilot.pause()


async def test_acceptance_add_tick_quit_reopen(session_file: Path, clock: PinnedClock) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Owners in the dialog: nobody yet, Lena, Mia Marketing, Ravi, Sam Sales.
        await add_action(pilot, "Share calendar", owner_downs=2, due="2026-12-15")
        # Tagged with another step through the Step choice (Set-up -> 3. Feedback loop).
        await add_action(pilot, "Book forum", owner_downs=3, due="+2w", step_downs=4)
        await go_to_step_list_end(pilot)
        assert app.service is not None
        assert app.service.session.meta.current_step is StepId.WRAPUP
        await add_action(pilot, "Send checklist", owner_downs=4, due="2026-12-01")

        # The wrap-up shows one table of all three actions, with the step tags.
        screen = app.screen
        panels = list(screen.query_one("#pane-wrapup").query(ActionsPanel))
        assert len(panels) == 1 and panels[0].step is None
        table = panels[0].query_one(ActionsTable)
        rows = table_text(table)
        assert [r["action"] for r in rows] == [
            "Share calendar",
            "Book forum",
            "Send checklist",
        ]
        assert [r["step"] for r in rows] == ["Set-up", "3 Feedback", "Wrap-up"]

        # Tick the middle one done with space (cursor moved there by keys).
        table.focus()
        await pilot.pause()
        await pilot.press("home", "down", "space")
        await pilot.pause()
        await pilot.pause()
        rows = table_text(table)
        assert rows[1]["done"] == "[x]" and rows[1]["status"] == "done"
        assert rows[0]["done"] == "[ ]"
        # The cursor stays on the action it was on after the rebuild.
        assert table.cursor_row == 1
        app.exit()

    service = SessionService.open(session_file)
    try:
        s = service.session
        by_text = {a.text: a for a in s.actions}
        assert set(by_text) == {
            "Share calendar",
            "Book forum",
            "Send checklist",
        }
        a1, a2, a3 = (
            by_text["Share calendar"],
            by_text["Book forum"],
            by_text["Send checklist"],
        )
        assert (a1.step, s.owner_name(a1), a1.due, a1.status) == (
            StepId.SETUP,
            "Mia Marketing",
            dt.date(2026, 12, 15),
            ActionStatus.OPEN,
        )
        assert (a2.step, s.owner_name(a2), a2.due, a2.status) == (
            StepId.FEEDBACK,
            "Ravi",
            clock.today() + dt.timedelta(weeks=2),
            ActionStatus.DONE,
        )
        assert (a3.step, s.owner_name(a3), a3.due, a3.status) == (
            StepId.WRAPUP,
            "Sam Sales",
            dt.date(2026, 12, 1),
            ActionStatus.OPEN,
        )
        assert s.meta.current_step is StepId.WRAPUP
    finally:
        service.close()

    # Reopen the app: the room is on the wrap-up, and the table shows all three.
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        pane = app.screen.query_one("#pane-wrapup")
        assert pane.display and pane.parent is not None
        assert app.screen.query_one("#panes").current == "pane-wrapup"  # type: ignore[attr-defined]
        table = pane.query_one(ActionsTable)
        rows = table_text(table)
        # (A narrow pane shows owners by first name.)
        assert [(r["done"], r["step"], r["action"], r["owner"].split()[0]) for r in rows] == [
            ("[ ]", "Set-up", "Share calendar", "Mia"),
            ("[x]", "3 Feedback", "Book forum", "Ravi"),
            ("[ ]", "Wrap-up", "Send checklist", "Sam"),
        ]
        assert rows[0]["due"] in ("2026-12-15", "15 Dec", "15 Dec 26")
        counts = pane.query_one("#wrapup-counts", Static)
        assert "2 open" in str(counts.content) and "1 done" in str(counts.content)


async def test_bad_due_date_is_refused_and_typing_kept(
    session_file: Path, clock: PinnedClock
) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        await pilot.press(*"Agree MQL")
        await pilot.press("tab", "tab", "tab", "tab")
        await pilot.press(*"2026-02-30", "enter")
        await pilot.pause()
        # Still open, the reason next to the due date, both texts kept.
        assert app.screen is dialog
        error = dialog.query_one("#action-due-reason", Static)
        assert error.display
        assert "2026-02-30 is not a real date" in str(error.content)
        assert dialog.query_one("#action-due", Input).value == "2026-02-30"
        assert dialog.query_one("#action-text", Input).value == "Agree MQL"
        assert dialog.query_one("#action-due", Input).has_focus
        assert app.service is not None and app.service.session.actions == []

        # An empty text is named too; fixing both saves.
        await pilot.press("ctrl+u", *"today", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        await pilot.press("end", "ctrl+u", "enter")
        await pilot.pause()
        text_error = dialog.query_one("#action-text-reason", Static)
        assert text_error.display and "required" in str(text_error.content)
        await pilot.press(*"Agree MQL", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        app.exit()

    service = SessionService.open(session_file)
    try:
        (action,) = service.session.actions
        assert action.text == "Agree MQL"
        assert action.due == clock.today()
        assert action.owner_id is None
        assert action.step is StepId.SETUP
    finally:
        service.close()


async def test_edit_remove_and_escape_by_keys(session_file: Path) -> None:
    service = SessionService.open(session_file)
    service.add_action("First", StepId.SETUP, due=dt.date(2020, 1, 1))
    service.add_action("Second [b]not bold[/b]", StepId.SETUP, owner_id=3)
    service.close()

    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        panel = app.screen.query_one("#actions-setup", ActionsPanel)
        table = panel.query_one(ActionsTable)
        rows = table_text(table)
        # Markup-looking text is shown literally; the overdue one says so in words.
        assert rows[1]["action"] == "Second [b]not bold[/b]"
        assert rows[0]["status"] == "overdue"
        assert "1 overdue" in str(panel.query_one(".actions-title", Static).content)

        # Escape leaves everything as it was.
        table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        assert dialog.query_one("#action-owner", Select).value == 3
        await pilot.press("end", *" now", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)

        # Enter edits the highlighted action; status by keys (Open -> Doing).
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("end", "backspace", *"!]", "tab", "tab", "tab")
        await pilot.press("enter", "down", "enter", "tab")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        rows = table_text(table)
        assert rows[1]["action"] == "Second [b]not bold[/b!]"
        assert rows[1]["done"] == "[~]" and rows[1]["status"] == "doing"
        assert table.cursor_row == 1

        # Delete asks first; cancelling keeps it, confirming removes it.
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert [r["action"] for r in table_text(table)] == ["First"]
        app.exit()

    service = SessionService.open(session_file)
    try:
        assert [a.text for a in service.session.actions] == ["First"]
    finally:
        service.close()


async def test_empty_panel_says_how_to_add(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        panel = app.screen.query_one("#actions-setup", ActionsPanel)
        empty = panel.query_one(".actions-empty", Static)
        assert empty.display and "F2 adds one" in str(empty.content)
        assert not panel.query_one(ActionsTable).display
        # The panel's own button opens the dialog for this step.
        panel.query_one(".actions-add").press()
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#action-step", Select).value is StepId.SETUP
        await pilot.press(*"Invite Lena", "enter")
        await pilot.pause()
        await pilot.pause()
        assert not empty.display
        assert panel.query_one(ActionsTable).row_count == 1


def test_table_helpers_fit_text_and_dates() -> None:
    today = dt.date(2026, 11, 27)
    assert short_date(dt.date(2026, 12, 15), today) == "15 Dec"
    assert short_date(dt.date(2027, 1, 5), today) == "5 Jan 27"
    assert short_date(None, today) == "—"
    text, lines = fit_lines("one two three four five six seven eight nine ten", 10, 2)
    assert lines == 2 and text.endswith("…") and len(text) <= 21
    assert fit_lines("short", 10) == ("short", 1)
    late = Action(id=1, text="x", due=dt.date(2026, 11, 26))
    assert is_overdue(late, today)
    assert not is_overdue(late.model_copy(update={"status": ActionStatus.DONE}), today)
    assert not is_overdue(late, dt.date(2026, 11, 26))


async def test_wrapup_next_review_counts_and_step_summary(
    session_file: Path, clock: PinnedClock
) -> None:
    seed = SessionService.open(session_file)
    seed.set_step(StepId.WRAPUP)
    seed.add_action("Share calendar", StepId.GOALS, owner_id=2, due=dt.date(2020, 1, 1))
    seed.close()

    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#pane-wrapup")
        # Only one actions table on the wrap-up: all steps.
        assert [p.step for p in pane.query(ActionsPanel)] == [None]
        counts = str(pane.query_one("#wrapup-counts", Static).content)
        assert "1 open" in counts and "1 overdue" in counts
        summary = str(pane.query_one("#wrapup-steps", Static).content)
        assert "✔ Set-up — complete" in summary
        assert "Wrap-up — still needed: the next review date" in summary

        review = pane.query_one("#wrapup-next-review", Input)
        review.focus()
        await pilot.press(*"2026-02-30", "tab")
        await pilot.pause()
        assert review.has_class("-invalid") and review.value == "2026-02-30"
        review.focus()
        await pilot.press("end", "ctrl+u", *"+4w", "tab")
        await pilot.pause()
        await pilot.pause()
        summary = str(pane.query_one("#wrapup-steps", Static).content)
        assert "✔ Wrap-up — complete" in summary
        # Shown as a real date once the field is left.
        expected = clock.today() + dt.timedelta(weeks=4)
        assert review.value == expected.isoformat()
        app.exit()

    service = SessionService.open(session_file)
    try:
        assert service.session.meta.next_review == expected
    finally:
        service.close()


async def test_the_dialog_buttons_save_and_cancel(session_file: Path) -> None:
    """FormDialog: the Save and Cancel buttons (by mouse) do what Enter and Escape do."""
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = len(app.service.session.actions)  # type: ignore[union-attr]
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"Not this one")
        await pilot.click("#action-cancel")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        assert len(app.service.session.actions) == before  # type: ignore[union-attr]
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Book the review room")
        await pilot.click("#action-save")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        texts = [a.text for a in app.service.session.actions]  # type: ignore[union-attr]
        assert texts[-1] == "Book the review room" and len(texts) == before + 1
    assert read_session(session_file).actions[-1].text == "Book the review room"


async def test_the_wrapup_table_fits_80_columns_without_a_sideways_scrollbar(
    tmp_path: Path,
) -> None:
    """Every column shows whole at 80x24: nothing hides behind a horizontal scrollbar."""
    from alignment_tui.sessions.demo import demo_session
    from alignment_tui.widgets.actions import ActionsTable

    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    put_room_on_step(path, StepId.WRAPUP)
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = next(t for t in app.screen.query(ActionsTable) if t.display and t.region.area)
        assert table.row_count > 5
        assert not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width


# -- what an action aims at ---------------------------------------------------------------


async def test_an_action_aims_at_a_goal_or_stage_and_says_so_when_it_is_removed(
    session_file: Path,
) -> None:
    """ "Aims at" by keys: a funnel stage for one action, a joint goal for another; the table
    says what each aims at after its text. The stage removed, its action says so plainly,
    the dialog offers the removed name until "—" is chosen, which clears it."""
    from alignment_tui.dialogs.action_dialog import GONE_TARGET
    from alignment_tui.sessions.models import Goal

    service = SessionService.open(session_file)
    goal = service.add(Goal, statement="Grow [b]qualified[/b] pipeline")
    enquiry = next(s for s in service.session.funnel_stages if s.name == "Enquiry")
    service.close()

    async def add_aimed(pilot: Pilot, text: str, downs: int) -> None:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ActionDialog)
        await pilot.press(*text)
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # step, owner, status, due, aims
        assert pilot.app.screen.query_one("#action-target", Select).has_focus
        await pilot.press("enter", *(["down"] * downs), "enter")
        await pilot.press("shift+tab", "enter")  # back to the due date; Enter saves
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ActionDialog)

    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # "—", the goal, then the stages in funnel order: Reach, Enquiry, …
        await add_aimed(pilot, "Booking link", downs=3)
        await add_aimed(pilot, "Case study", downs=1)
        actions = {a.text: a for a in read_session(session_file).actions}
        assert actions["Booking link"].target_stage_id == enquiry.id
        assert actions["Booking link"].target_goal_id is None
        assert actions["Case study"].target_goal_id == goal.id

        await reach_every_part(pilot)
        table = app.screen.query_one("#actions-setup", ActionsPanel).query_one(ActionsTable)
        rows = {r["action"].split(" → ")[0]: r["action"] for r in table_text(table)}
        assert rows["Booking link"].endswith("→ Stage: Enquiry")
        assert "→ Goal: Grow [b]qualified[/b]" in rows["Case study"]  # literal, not bold
        # the goal reworded (in the goals step): the table follows
        assert app.service is not None
        app.service.update(app.service.session.goals[0], statement="Grow pipeline")
        await pilot.pause()
        await pilot.pause()
        rows = {r["action"].split(" → ")[0]: r["action"] for r in table_text(table)}
        assert rows["Case study"] == "Case study → Goal: Grow pipeline"

        # The stage is removed (by another hand): the action keeps what it aimed at.
        app.service.remove(next(s for s in app.service.session.funnel_stages if s.id == enquiry.id))
        await pilot.pause()
        rows = {r["action"].split(" → ")[0]: r["action"] for r in table_text(table)}
        assert rows["Booking link"].endswith("→ Stage: Enquiry (removed)")

        # Editing it offers the removed name; "—" clears it.
        table.focus()
        keys = [str(r.value) for r in table.rows]
        table.move_cursor(row=keys.index(str(actions["Booking link"].id)), animate=False)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        choice = dialog.query_one("#action-target", Select)
        assert choice.value == GONE_TARGET
        assert any("Stage: Enquiry (removed)" in row for row in widget_text(choice))
        await pilot.press("tab", "tab", "tab", "tab", "tab", "enter", "up", "enter")
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
        saved = next(a for a in read_session(session_file).actions if a.text == "Booking link")
        assert (saved.target_stage_id, saved.target_goal_id, saved.target_gone) == (None, None, "")
        rows = {r["action"].split(" → ")[0]: r["action"] for r in table_text(table)}
        assert rows["Booking link"] == "Booking link"

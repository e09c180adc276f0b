"""Help (F1), the command palette's workshop commands, and quitting safely (Ctrl+Q)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Input, Markdown

from alignment_tui.app import AlignmentApp
from alignment_tui.commands import workshop_commands
from alignment_tui.form.choice import Choice
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.form.fields import SavingInput
from alignment_tui.screens.help import HelpScreen
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.models import STEP_ORDER, CrmGrant, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.guidance import guidance
from alignment_tui.widgets.timer import StepTimer


async def test_f1_shows_guidance_of_current_step_and_every_key(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.set_step(StepId.STORY)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.step is StepId.STORY
        markdown = help_screen.query_one("#help-guidance", Markdown)
        assert markdown.source == guidance(StepId.STORY)
        table = help_screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        by_id = {row[3]: row for row in rows}
        assert by_id["toggle_timer"][0] == "F5 / ^t"
        assert by_id["agenda"][0] == "F4"
        assert by_id["add_action"][1] == "Add action"
        assert by_id["toggle_theme"][0] == "F8"
        assert by_id["help"][0] == "F1"
        assert "end_workshop" in by_id
        assert "quit" not in by_id  # the app's ctrl+q is the screen's, listed once
        assert "command palette" in str(help_screen.query_one("#help-palette").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)


async def test_f1_lists_the_keys_of_the_focused_field_first(session_file: Path) -> None:
    """A choice's arrows are in its own bindings, not the screen's: help lists them first."""
    svc = SessionService.open(session_file)
    svc.add(CrmGrant, participant_id=None)
    svc.set_step(StepId.CRM)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
        app.screen.query_one("#grant-status", Choice).focus()
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        ids = [row[3] for row in rows]
        assert rows[0][:2] == ["→", "Next"] and ids[0] == "choice.next"
        assert "choice.previous" in ids
        assert ids.index("choice.previous") < ids.index("toggle_timer")  # before the screen's
        await pilot.press("escape")
        await pilot.pause()
        # with an input focused (Textual's own keys), the table starts with the screen's
        app.screen.query_one("#grant-due", Input).focus()
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        ids = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert not any(i.startswith("choice.") for i in ids)
        assert "toggle_timer" in ids


def rendered_words(widget: Widget) -> set[str]:
    """Every word *widget* draws over its whole height (scrolled into view or not)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return set(" ".join(line.text for line in lines).split())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_help_names_every_key_for_people_and_cuts_nothing(
    session_file: Path, size: tuple[int, int]
) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        by_keys = {row[0]: row for row in rows}
        # Textual's own focus keys, in our words, each its own
        assert by_keys["tab"][1:3] == ["Next field", "Move to the next field or button"]
        assert by_keys["shift+tab"][1:3] == [
            "Previous field",
            "Move back to the previous field or button",
        ]
        for row in rows:
            assert row[1] != row[2], f"the explanation only repeats the name: {row}"
        # every word of every row is drawn: long explanations wrap, none ends in "…"
        words = rendered_words(table)
        assert not any(word.endswith("…") for word in words)
        for row in rows:
            for cell in row:
                missing = [word for word in cell.split() if word not in words]
                assert not missing, f"{missing} of {cell!r} not shown at {size}"


def test_palette_offers_every_step_and_verb(session_file: Path) -> None:
    class FakeScreen:
        app = object()

        def show_step(self, step: StepId) -> None: ...

        def action_add_action(self) -> None: ...

        def action_toggle_timer(self) -> None: ...

        def action_agenda(self) -> None: ...

    names = [name for name, _cb, _help in workshop_commands(FakeScreen())]  # type: ignore[arg-type]
    for step in STEP_ORDER:
        assert f"Go to step: {step.label}" in names
    assert "Add action" in names
    assert "Start or pause the timer" in names
    assert "Open the agenda" in names
    assert "Reset the timer" not in names  # the fake screen has no such verb
    assert "Sign off: One baseline story" in names


async def test_palette_goes_to_funnel_and_runs_verbs(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Go to step: Funnel")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        assert screen.query_one("#panes", ContentSwitcher).current == "pane-funnel"
        assert app.service is not None
        assert app.service.session.meta.current_step is StepId.FUNNEL

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"start or pause the timer")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(StepTimer).countdown().state == "running"
    svc = SessionService.open(session_file)
    step = svc.session.meta.current_step
    svc.close()
    assert step is StepId.FUNNEL


async def test_ctrl_q_asks_flushes_and_cancel_keeps_working(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        field = app.screen.query_one("#agenda-story", SavingInput)
        field.focus()
        await pilot.press("end", "5")
        # at once, before the debounce: ctrl+q saves what is pending and asks
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.title_text == "End the workshop?"
        assert "Everything is saved" in dialog.message
        svc = SessionService.open(session_file, readonly=True, force=True)
        assert svc.session.timebox(StepId.STORY).minutes == 405
        svc.close()
        # a stray enter lands on "Keep working": nothing ends
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert app.is_running
        # a second ctrl+q and "y" end it
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_from_start_screen_quits_without_asking(tmp_path: Path) -> None:
    app = AlignmentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, WorkshopScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


def _new_session_file(folder: Path, title: str) -> Path:
    from alignment_tui.sessions.models import new_session

    path = folder / f"{title.lower()}.alignment.db"
    SessionService.create(path, new_session(title)).close()
    return path


async def test_guidance_key_at_80_columns_opens_help_instead_of_squeezing(
    tmp_path: Path,
) -> None:
    """At 80x24 the side panel would leave the forms a sliver: F3 shows the guidance in help."""
    path = _new_session_file(tmp_path, "Narrow")
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#guidance").display
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
    async with AlignmentApp(path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.query_one("#guidance").display
        await pilot.press("f3")
        await pilot.pause()
        assert not screen.query_one("#guidance").display


async def test_guidance_steps_aside_when_the_terminal_narrows_and_returns_when_it_widens(
    tmp_path: Path,
) -> None:
    """A projector at 80 columns mid-workshop: the forms keep their room."""
    path = _new_session_file(tmp_path, "Resized")
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one("#guidance")
        assert panel.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not panel.display
        panel_parent = screen.query_one("#panes")
        assert panel_parent.size.width > 40  # the forms have the room
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert panel.display
        # hidden with F3, it stays hidden through a resize
        await pilot.press("f3")
        await pilot.pause()
        assert not panel.display
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert not panel.display

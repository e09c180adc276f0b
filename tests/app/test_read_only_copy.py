"""A read-only copy looks read-only: a line at the top says why, its fields cannot change,
nothing offers a change (no Add action, no timer keys, no nudge to start a timer), and
closing it does not claim anything was saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, ContentSwitcher, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.commands import workshop_commands
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.actions import ActionsPanel
from alignment_tui.widgets.footer import KeyFooter
from alignment_tui.widgets.timer import StepTimer
from screen_text import footer_text, widget_text
from step_helpers import put_room_on_step, reach_every_part


async def test_read_only_copy_says_why_and_takes_no_typing(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.CRM)
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        banner = screen.query_one("#read-only-banner", Static)
        assert "Read-only" in str(banner.content)
        assert "--read-only" in str(banner.content)
        fields = [w for w in screen.query(Input) if w.display]
        assert fields, "the CRM step shows fields"
        assert all(w.disabled for w in fields)
        # Typing goes nowhere that could be refused: no field has the focus.
        await pilot.press(*"typed")
        await pilot.pause()
        assert not any("typed" in w.value for w in screen.query(Input))
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Everything is saved" not in dialog.message
        assert "nothing in it was changed" in dialog.message
        await pilot.press("escape")
    assert session_file.read_bytes() == before


async def test_an_editing_copy_has_no_banner(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#read-only-banner")
    svc = SessionService.open(session_file)
    svc.close()


async def test_read_only_copy_moves_between_steps_from_the_step_on_screen(
    session_file: Path,
) -> None:
    """Next and previous step count from the step being read, not the one saved in the file."""
    put_room_on_step(session_file, StepId.WRAPUP)
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        visited = []
        for _ in range(3):
            await pilot.press("ctrl+pageup")
            await pilot.pause()
            visited.append(screen.query_one(ContentSwitcher).current)
        assert visited == ["pane-funnel", "pane-feedback", "pane-crm"]
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert screen.query_one(ContentSwitcher).current == "pane-feedback"
    assert session_file.read_bytes() == before


async def test_read_only_copy_hides_the_verbs_that_would_change_it(session_file: Path) -> None:
    """Not greyed out, which reads as "not now": a read-only copy never offers them."""
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        footer = screen.query_one(KeyFooter)
        shown = {key.description for key in footer.keys}
        assert not shown & {"Add action", "Timer", "+1 min", "Reset timer"}, shown
        footer_line = " ".join(footer_text(screen))
        assert "Add action" not in footer_line and "Timer" not in footer_line
        palette = {name for name, _callback, _help in workshop_commands(screen)}
        assert "Export" in " ".join(palette)
        assert not palette & {"Add action", "Start or pause the timer", "Add a minute"}
        assert not [n for n in palette if "timer" in n.lower() or "minute" in n.lower()]
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen, "no Add action dialog to type into and lose"
        await pilot.press("f5")
        await pilot.pause()
        assert "not started" in " ".join(widget_text(screen.query_one("#step-timer")))
    # An editing copy offers them.
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        offered = {key.description: key.enabled for key in footer.keys}
        assert offered.get("Add action") and offered.get("Timer")


async def test_read_only_copy_offers_no_action_verbs_and_closes_by_name(
    session_file: Path,
) -> None:
    """The palette closes the copy (it ends no workshop); an empty actions panel does not
    point at F2; the actions table's own editing keys are not in the footer."""
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        palette = {name for name, _callback, _help in workshop_commands(screen)}
        assert "Close this read-only copy" in palette
        assert "End the workshop" not in palette
        await reach_every_part(pilot)
        panel = screen.query_one(f"#pane-{screen.step.value} ActionsPanel", ActionsPanel)
        note = str(panel.query_one(".actions-empty", Static).render())
        assert "No actions yet" in note and "F2" not in note
        table = panel.table
        table.display = True  # as with rows: its keys are still not offered
        table.focus()
        await pilot.pause()
        shown = {key.description for key in screen.query_one(KeyFooter).keys}
        assert not shown & {"Edit", "Done/undo", "Remove", "Add"}, shown


async def shown_actions_panel(pilot: Pilot[None], step: StepId) -> list[str]:
    """The lines of *step*'s actions panel, scrolled into view."""
    await reach_every_part(pilot)
    panel = pilot.app.screen.query_one(f"#pane-{step.value} ActionsPanel", ActionsPanel)
    panel.scroll_visible(animate=False, top=True)
    await pilot.pause()
    return widget_text(panel)


async def test_read_only_copy_has_no_add_action_button(tmp_path: Path) -> None:
    path = tmp_path / "kestrel.alignment.db"
    SessionService.create(path, demo_session()).close()
    put_room_on_step(path, StepId.CRM)
    app = AlignmentApp(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = " ".join(await shown_actions_panel(pilot, StepId.CRM))
        assert "Actions" in shown  # the panel itself is there
        assert "Add action" not in shown
        button = app.screen.query_one("#pane-crm .actions-add", Button)
        assert not button.display and not button.focusable
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Add action" in " ".join(await shown_actions_panel(pilot, StepId.CRM))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_read_only_timer_neither_offers_its_key_nor_nudges(
    session_file: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setattr(StepTimer, "NUDGE_AFTER", 0.0)
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        for _ in range(2):
            await pilot.press("ctrl+pagedown")
            await pilot.pause()
            await pilot.pause()
            line = " ".join(widget_text(timer))
            assert "not started" in line
            assert "F5" not in line and "starts" not in line, line
            assert not timer.has_class("-nudged")
            toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
            assert not [t for t in toasts if "Timebox" in t or "F5" in t], toasts


async def _quit_dialog(pilot: Pilot[None]) -> ConfirmDialog:
    """Ctrl+Q, and the dialog it asks with."""
    await pilot.pause()
    await pilot.press("ctrl+q")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmDialog)
    return dialog


async def test_closing_a_read_only_copy_says_close(session_file: Path) -> None:
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _quit_dialog(pilot)
        shown = " ".join(widget_text(dialog.query_one("#confirm-box")))
        assert "Close" in str(dialog.query_one("#confirm-yes", Button).label)
        assert "End workshop" not in shown and "End the workshop" not in shown
        assert "nothing in it was changed" in " ".join(shown.split())
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    assert session_file.read_bytes() == before
    # The editing copy still ends the workshop.
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _quit_dialog(pilot)
        assert "End workshop" in str(dialog.query_one("#confirm-yes", Button).label)
        await pilot.press("escape")

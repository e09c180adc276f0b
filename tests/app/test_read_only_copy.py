"""A read-only copy looks read-only: a line at the top says why, its fields cannot change,
and ending it does not claim anything was saved."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import ContentSwitcher, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.footer import KeyFooter
from screen_text import widget_text
from step_helpers import put_room_on_step


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


async def test_read_only_copy_greys_the_verbs_that_would_change_it(session_file: Path) -> None:
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        greyed = {key.description for key in footer.keys if not key.enabled}
        assert {"Add action", "Timer", "+1 min"} <= greyed
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
        assert all(key.enabled for key in footer.keys if key.description == "Add action")

"""Exporting from the app: the dialog picks format and path, never overwrites silently."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.export_dialog import ExportDialog, default_export_path
from alignment_tui.sessions.export import render
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService


def _with_actions(path: Path) -> None:
    svc = SessionService.open(path)
    svc.add_action("Give Lena read access | pipeline", StepId.CRM, owner_id=4, due="2026-12-05")
    svc.add_action("Retire the *old* tagline", StepId.STORY, owner_id=2)
    svc.close()


async def _wait_for(pilot, predicate, tries: int = 50) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.05)


async def test_export_checklist_next_to_the_session(session_file: Path) -> None:
    _with_actions(session_file)
    target = default_export_path(session_file, "checklist")
    assert target.name == "q4.checklist.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.click("#export-go")
        await _wait_for(pilot, target.exists)
        assert target.exists()
        session = app.service.session  # type: ignore[union-attr]
        assert target.read_text() == render(session, "checklist")

        # a second export to the same file is refused until 'Replace' is ticked
        before = target.read_text()
        target.write_text("keep me")
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        error = str(dialog.query_one("#export-error", Static).content)
        assert "already exists" in error
        await pilot.click("#export-go")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert target.read_text() == "keep me"
        await pilot.click("#export-overwrite")
        await pilot.click("#export-go")
        await _wait_for(pilot, lambda: target.read_text() != "keep me")
        assert target.read_text() == before


async def test_export_report_to_a_chosen_path(session_file: Path, tmp_path: Path) -> None:
    _with_actions(session_file)
    out = tmp_path / "out" / "room.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.click("#fmt-report")
        path_input = dialog.query_one("#export-path")
        path_input.value = str(out)  # type: ignore[attr-defined]
        await pilot.pause()
        error = str(dialog.query_one("#export-error", Static).content)
        assert "does not exist" in error
        await pilot.click("#export-go")
        assert isinstance(app.screen, ExportDialog)
        assert path_input.has_focus  # the refused export sends the room back to the path
        out.parent.mkdir()
        path_input.value = str(out) + " "  # type: ignore[attr-defined]
        await pilot.pause()
        # Enter in the path field exports (a click could race the layout that the
        # vanishing error line causes: the button moves up a line)
        await pilot.press("enter")
        await _wait_for(pilot, out.exists)
        assert out.read_text() == render(app.service.session, "report")  # type: ignore[union-attr]
        assert "Give Lena read access \\| pipeline" in out.read_text()

"""The Export dialog's "Replace the file if it exists" starts unticked, looks unticked, and an
existing file is refused with one line until it is ticked, keeping what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.export_dialog import ExportDialog
from alignment_tui.sessions.export import render
from screen_text import widget_text
from step_helpers import paste


def replace_box_shown(dialog: ExportDialog) -> str:
    """The row of the tick box that shows its label (the others are its border)."""
    rows = widget_text(dialog.query_one("#export-overwrite", Checkbox))
    return next(row for row in rows if "Replace" in row)


async def _wait_for(pilot, predicate, tries: int = 50) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.05)


@pytest.mark.parametrize("theme", ["alignment", "alignment-projector"])
async def test_replace_starts_unticked_and_looks_it(session_file: Path, theme: str) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.theme = theme
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        box = dialog.query_one("#export-overwrite", Checkbox)
        assert box.value is False
        shown = replace_box_shown(dialog)
        assert "Replace the file if it exists" in shown
        assert "X" not in shown, shown  # no mark drawn in an unticked box
        # Ticked by keys, it shows its mark.
        await pilot.press("tab", "tab", "space")
        await pilot.pause()
        assert box.has_focus and box.value is True
        assert "X" in replace_box_shown(dialog)


async def test_an_existing_file_is_kept_until_replace_is_ticked(
    session_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "room.checklist.md"
    target.write_text("keep me")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        await pilot.press("tab", "ctrl+u")
        await paste(pilot, str(target))  # a long tmp path: pasted, not typed key by key
        await pilot.press("enter")
        await pilot.pause()
        # Refused: the dialog stays, with the path given, the focus in it, and one line why.
        assert app.screen is dialog
        assert path_input.value == str(target)
        assert path_input.has_focus
        error = dialog.query_one("#export-error", Static)
        shown = [line.strip() for line in widget_text(error) if line.strip()]
        assert len(shown) == 1, shown
        assert "already exists" in shown[0] and "Replace" in shown[0]
        assert target.read_text() == "keep me"
        # Ticked, the same Enter replaces it.
        await pilot.press("tab", "space", "shift+tab", "enter")
        await _wait_for(pilot, lambda: target.read_text() != "keep me")
        assert target.read_text() == render(app.service.session, "checklist")  # type: ignore[union-attr]

        # The next export starts unticked again: replacing is chosen each time.
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-overwrite", Checkbox).value is False
        assert "X" not in replace_box_shown(dialog)

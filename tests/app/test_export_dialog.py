"""Exporting from the app: the dialog picks format and path, never overwrites silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.export_dialog import ExportDialog, default_export_path
from alignment_tui.sessions.export import render
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from screen_text import widget_text
from step_helpers import paste


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


# -- the path field, by keys and by a click ------------------------------------------


async def _open_export(pilot, app: AlignmentApp) -> ExportDialog:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("f7")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


def _shown_path(dialog: ExportDialog) -> str:
    """The row of the path field that shows its text (the others are its border)."""
    rows = widget_text(dialog.query_one("#export-path", Input))
    return rows[len(rows) // 2].strip(" ▊▎▌▐")


async def test_a_path_typed_after_tab_replaces_the_default(
    session_file: Path, tmp_path: Path
) -> None:
    """Tab into "Save to" and type a whole path: it is the path, not appended to the default.

    The first key is typed (the "/" that makes it a path of its own); the rest is pasted,
    so it also shows the cursor was left at the end of the replaced text."""
    (tmp_path / "x").mkdir()
    out = tmp_path / "x" / "checklist.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == str(default_export_path(session_file, "checklist"))
        await pilot.press("tab")
        assert path_input.has_focus
        typed = str(out)
        await pilot.press(typed[0])
        assert path_input.value == typed[0]
        await paste(pilot, typed[1:])
        assert path_input.value == str(out)
        assert not dialog.query_one("#export-error", Static).display
        await pilot.press("enter")
        await _wait_for(pilot, out.exists)
        assert out.read_text() == render(app.service.session, "checklist")  # type: ignore[union-attr]


async def test_a_path_typed_after_a_click_replaces_the_default(
    session_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A click into the field (after its text) and a path from ~: the path replaces the default."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "out").mkdir()
    app = AlignmentApp(Path(session_file.name))  # a short default: "q4.checklist.md"
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == "q4.checklist.md"
        await pilot.click("#export-path", offset=(40, 1))
        await pilot.pause()
        assert path_input.has_focus
        await pilot.press(*"~/out/room.md")
        await pilot.pause()
        assert path_input.value == "~/out/room.md"
        assert not dialog.query_one("#export-error", Static).display


async def test_a_long_path_reads_from_its_start_away_from_the_focus(
    session_file: Path, tmp_path: Path
) -> None:
    """Left, a path wider than the field shows its start and ends in "…", not its tail."""
    folder = tmp_path / "quarterly-planning-workshops-for-the-whole-revenue-team"
    long_path = str(folder / "sales-and-marketing-alignment.checklist.md")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        path_input = dialog.query_one("#export-path", Input)
        await pilot.press("tab", "ctrl+u")
        await paste(pilot, long_path)
        await pilot.press("tab")  # on to the Replace box
        await pilot.pause()
        assert not path_input.has_focus
        assert path_input.value == long_path
        shown = _shown_path(dialog)
        assert shown.endswith("…"), shown
        assert long_path.startswith(shown.removesuffix("…")), shown
        assert "alignment.checklist.md" not in shown, shown


@pytest.mark.parametrize(
    "folder", ["nothere", "no-such-folder-for-the-quarterly-planning-workshop-of-the-team"]
)
async def test_buttons_stay_in_view_at_80x24_with_an_error(
    session_file: Path, tmp_path: Path, folder: str
) -> None:
    """A reason does not push Export, Copy and Cancel out of the dialog: one line fits above
    them as it is; a longer one (a long folder name) scrolls the body, the buttons stay."""
    missing = tmp_path / folder / "checklist.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        await pilot.press("tab", "ctrl+u")
        # Pasted but for the last key, which is typed: the state after typing a path.
        # (Pasted whole, a reason that wraps stays behind the buttons: the dialog
        # scrolls it into view only on a change after the reason's first layout.)
        await paste(pilot, str(missing)[:-1])
        await pilot.press(str(missing)[-1])
        await pilot.pause()
        error = dialog.query_one("#export-error", Static)
        assert str(error.content) == f"Save to: the folder {folder} does not exist"
        # The whole reason is shown, and the path being typed.
        shown = " ".join(row.strip() for row in widget_text(error))
        assert " ".join(shown.split()) == str(error.content), widget_text(error)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.has_focus
        assert any("checklist.md" in row for row in widget_text(path_input))
        for button_id, label in (
            ("#export-go", "Export"),
            ("#export-copy", "Copy to clipboard"),
            ("#export-cancel", "Cancel"),
        ):
            button = dialog.query_one(button_id, Button)
            assert dialog.region.contains_region(button.region), (button_id, button.region)
            assert any(label in row for row in widget_text(button)), widget_text(button)
        if len(folder) < 20:  # a one-line reason: nothing scrolled away, the title shows
            assert error.region.height == 1
            title = dialog.query_one("#export-title")
            assert any("Export" in row for row in widget_text(title))


async def test_a_file_where_a_folder_should_be_is_named(session_file: Path) -> None:
    """A path under a file names the file, not a folder that "does not exist"."""
    under_a_file = session_file.with_name("notes.md") / "x" / "checklist.md"
    under_a_file.parent.parent.write_text("a file")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        dialog.query_one("#export-path", Input).value = str(under_a_file)
        await pilot.pause()
        error = dialog.query_one("#export-error", Static)
        assert str(error.content) == "Save to: notes.md is a file, not a folder"


async def test_a_refused_path_is_typed_over_when_the_room_comes_back_to_it(
    session_file: Path, tmp_path: Path
) -> None:
    """After "the folder … does not exist", Shift+Tab away and Tab back: the next path typed
    replaces the refused one instead of being added to its end.

    The paths are pasted but for the first key of the second one: that key is what must
    replace the refused path."""
    bad = tmp_path / "nosuchdir" / "checklist.md"
    out = tmp_path / "checklist.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open_export(pilot, app)
        path_input = dialog.query_one("#export-path", Input)
        await pilot.press("tab", "ctrl+u")
        await paste(pilot, str(bad))
        assert path_input.value == str(bad)
        assert dialog.query_one("#export-error", Static).display
        await pilot.press("shift+tab", "tab")
        assert path_input.has_focus
        typed = str(out)
        await pilot.press(typed[0])
        assert path_input.value == typed[0]
        await paste(pilot, typed[1:])
        assert path_input.value == str(out)
        await pilot.press("enter")
        await _wait_for(pilot, out.exists)


# -- the facilitator's version of the report --------------------------------------------


async def test_the_facilitator_tick_box_comes_with_the_report_formats(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offered with the report and its web page only; ticked, the request asks for the
    facilitator's version; another format never carries it."""
    from alignment_tui.dialogs.export_dialog import ExportRequest
    from alignment_tui.screens.workshop import WorkshopScreen

    requests: list[ExportRequest] = []
    monkeypatch.setattr(
        WorkshopScreen, "run_export", lambda self, request: requests.append(request)
    )
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await _open_export(pilot, app)
        box = dialog.query_one("#export-facilitator", Checkbox)
        assert not box.display  # the checklist has no facilitator's version
        await pilot.click("#fmt-report")
        await pilot.pause()
        assert box.display and not box.value
        assert "For the facilitator (status, timings)" in " ".join(widget_text(box))
        await pilot.click("#export-facilitator")
        await pilot.click("#fmt-html")
        await pilot.pause()
        assert box.display and box.value
        await pilot.click("#export-copy")
        await pilot.pause()
        assert requests[-1].fmt == "html" and requests[-1].facilitator

        # Ticked for a report, then another format chosen: not for the facilitator.
        dialog = await _open_export(pilot, app)
        await pilot.click("#fmt-report")
        await pilot.click("#export-facilitator")
        await pilot.click("#fmt-csv")
        await pilot.pause()
        assert not dialog.query_one("#export-facilitator", Checkbox).display
        await pilot.click("#export-copy")
        await pilot.pause()
        assert requests[-1].fmt == "csv" and not requests[-1].facilitator

        # Unticked (the default each time the dialog opens): the directors' report.
        dialog = await _open_export(pilot, app)
        await pilot.click("#fmt-report")
        await pilot.pause()
        assert not dialog.query_one("#export-facilitator", Checkbox).value
        await pilot.click("#export-copy")
        await pilot.pause()
        assert requests[-1].fmt == "report" and not requests[-1].facilitator


async def test_the_facilitator_tick_box_in_view_at_80x24(session_file: Path) -> None:
    """With the report chosen on a small terminal the tick box can be reached and the
    buttons stay in view."""
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        await pilot.click("#fmt-report")
        await pilot.pause()
        box = dialog.query_one("#export-facilitator", Checkbox)
        box.focus()
        await pilot.pause()
        assert dialog.region.contains_region(box.region), box.region
        for button_id in ("#export-go", "#export-copy", "#export-cancel"):
            button = dialog.query_one(button_id, Button)
            assert dialog.region.contains_region(button.region), button_id
            assert not box.region.overlaps(button.region), (box.region, button.region)
        # Nothing scrolled away: the title and the whole format list are in view.
        title = dialog.query_one("#export-title")
        assert any("Export" in row for row in widget_text(title))
        assert dialog.query_one("#export-box").scroll_y == 0
        # Back to a format without it: the dialog is as it was.
        await pilot.click("#fmt-checklist")
        await pilot.pause()
        assert not box.display
        assert dialog.query_one("#export-title").styles.margin.bottom == 1


async def test_the_facilitator_report_is_written_when_ticked(
    session_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "facilitator.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await _open_export(pilot, app)
        await pilot.click("#fmt-report")
        await pilot.click("#export-facilitator")
        path_input = dialog.query_one("#export-path", Input)
        path_input.value = str(out)
        path_input.focus()
        await pilot.pause()
        await pilot.press("enter")
        await _wait_for(pilot, out.exists)
        session = app.service.session  # type: ignore[union-attr]
        text = out.read_text()
        assert text == render(session, "report", facilitator=True)
        assert "## For the facilitator" in text and "_Status:" in text


async def test_a_pasted_path_to_a_missing_folder_shows_its_whole_reason_at_80x24(
    session_file: Path, tmp_path: Path
) -> None:
    """Pasted in one go, a long path's reason appears and wraps at once: it is still
    brought into view once its height is known, not left behind the buttons."""
    folder = "no-such-folder-for-the-quarterly-planning-workshop-of-the-team"
    missing = tmp_path / folder / "checklist.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        await pilot.press("tab", "ctrl+u")
        await paste(pilot, str(missing))
        await pilot.pause()
        await pilot.pause()
        error = dialog.query_one("#export-error", Static)
        assert str(error.content) == f"Save to: the folder {folder} does not exist"
        shown = " ".join(row.strip() for row in widget_text(error))
        assert " ".join(shown.split()) == str(error.content), widget_text(error)
        for button_id in ("#export-go", "#export-copy", "#export-cancel"):
            button = dialog.query_one(button_id, Button)
            assert dialog.region.contains_region(button.region), (button_id, button.region)


# -- the seven formats at 80x24, and the review pack ------------------------------------


async def test_the_review_pack_is_offered_and_every_format_fits_at_80x24(
    session_file: Path, tmp_path: Path
) -> None:
    """Seven formats in two columns: all in view with the title and the buttons at 80x24.
    "Since the last review" is chosen by keys (Down along the rows, Enter), its default
    name ends ``.review.md``, and a name ending ``.html`` writes the pack as a web page."""
    from alignment_tui.dialogs.export_dialog import FORMAT_LABELS
    from alignment_tui.sessions.export import REVIEW_HTML

    out = tmp_path / "pack.html"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        assert any("Export" in row for row in widget_text(dialog.query_one("#export-title")))
        for key, label in FORMAT_LABELS.items():
            button = dialog.query_one(f"#fmt-{key}")
            assert dialog.region.contains_region(button.region), key
            assert any(label in row for row in widget_text(button)), key
        for button_id in ("#export-go", "#export-copy", "#export-cancel"):
            assert dialog.region.contains_region(dialog.query_one(button_id).region)
        await pilot.press(*["down"] * 6, "enter")
        await pilot.pause()
        assert dialog.fmt == "review"
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == str(session_file.with_name("q4.review.md"))
        note = " ".join(widget_text(dialog.query_one("#export-note")))
        assert "For the directors" in note
        assert not dialog.query_one("#export-facilitator", Checkbox).display
        await pilot.press("tab", "ctrl+u")
        await paste(pilot, str(out))
        await pilot.press("enter")
        await _wait_for(pilot, out.exists)
        session = app.service.session  # type: ignore[union-attr]
        assert out.read_text() == render(session, REVIEW_HTML)
        assert out.read_text().lstrip().lower().startswith("<!doctype html")


async def test_a_paste_that_brings_a_reason_keeps_the_cursor_end_in_view(
    session_file: Path,
) -> None:
    """A name pasted after the default path makes a folder that does not exist; its long
    reason overflows the box at 80x24 and the box's scroll bar narrows the field: the
    field still shows the end of what was pasted, where the cursor is."""
    tail = "quarterly-planning-workshops-for-the-whole-revenue-team/alignment.checklist.md"
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_export(pilot, app)
        path_input = dialog.query_one("#export-path", Input)
        await pilot.press("tab")
        await paste(pilot, tail)
        await pilot.pause()
        await pilot.pause()
        assert path_input.value.endswith(tail)
        assert dialog.query_one("#export-error", Static).display
        assert _shown_path(dialog).endswith("alignment.checklist.md"), widget_text(path_input)

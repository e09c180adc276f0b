"""The story's messages: a draft started from a workbook template, filled from the house.

The room picks a template by keys (the chooser shows the draft as this house
would fill it), edits the draft it makes, and finds it again in the file.
A part the house lacks shows in brackets; a removal asks first; a read-only
copy offers no new draft.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, OptionList, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.workbook_dialog import WorkbookDialog
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import MessageDraft, StepId, new_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from screen_text import footer_text
from step_helpers import put_room_on_step, reach_every_part

#: Ctrl+↓ presses from the story's first field to its messages.
TO_MESSAGES = 4


def on_story(tmp_path: Path, *, demo: bool = True, draft: bool = False) -> Path:
    path = tmp_path / "story.alignment.db"
    SessionService.create(path, demo_session() if demo else new_session("Fresh")).close()
    if draft:
        svc = SessionService.open(path)
        svc.add(MessageDraft, title="Elevator line", audience="CFOs", text="For CFOs: less waste.")
        svc.close()
    put_room_on_step(path, StepId.STORY)
    return path


def footer(app: AlignmentApp) -> str:
    return " ".join(footer_text(app.screen))


async def test_a_draft_from_a_template_by_keys_is_edited_and_kept(tmp_path: Path) -> None:
    path = on_story(tmp_path)
    core = read_session(path).story.core_message
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(TO_MESSAGES):
            await pilot.press("ctrl+down")
            await pilot.pause()
        # no drafts yet: the section's first stop is the button that starts one
        assert app.screen.focused is app.screen.query_one("#draft-new", Button)
        assert "New draft…" in footer(app)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        # the highlighted template is shown as this house fills it
        preview = str(dialog.query_one("#workbook-detail", Static).content)
        assert "Elevator line" in preview and core in preview
        await pilot.press("down", "enter")  # the e-mail opener
        await pilot.pause()
        assert not isinstance(app.screen, WorkbookDialog)
        text = app.screen.query_one("#draft-text", TextArea)
        assert app.screen.focused is text
        assert core in text.text
        assert "New draft…" not in footer(app), "typing into the draft, N types"
        await pilot.press(*"Hi. ")
        await pilot.press("shift+tab")  # saved on leaving, to the audience
        await pilot.pause()
        audience = app.screen.query_one("#draft-audience", Input)
        assert app.screen.focused is audience
        await pilot.press("ctrl+u", *"Finance directors", "enter")
        await pilot.pause()
        await pilot.pause()
        rows = app.screen.query_one("#drafts-list-rows", OptionList)
        assert "Finance directors" in str(rows.get_option_at_index(0).prompt)
    saved = read_session(path)
    (draft,) = saved.message_drafts
    assert draft.template == "email-opener"
    assert draft.title == "E-mail opener"
    assert draft.audience == "Finance directors"
    assert draft.text.startswith("Hi. ") and core in draft.text


async def test_a_part_not_written_shows_in_brackets_and_the_audience_is_the_storys(
    tmp_path: Path,
) -> None:
    path = on_story(tmp_path, demo=False)
    svc = SessionService.open(path)
    svc.update(svc.session.story, audience="plant managers", core_message="Fewer surprises.")
    svc.close()
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        button = app.screen.query_one("#draft-new", Button)
        button.focus()
        await pilot.pause()
        await pilot.press("enter")  # the button does what N does
        await pilot.pause()
        assert isinstance(app.screen, WorkbookDialog)
        await pilot.press("down", "down", "enter")  # the first-call talk track
        await pilot.pause()
        missing = str(app.screen.query_one("#draft-missing", Static).content)
        assert "pillar 1" in missing and "proof point 1" in missing
        assert app.screen.query_one("#draft-audience", Input).value == "plant managers"
    (draft,) = read_session(path).message_drafts
    assert draft.audience == "plant managers"
    assert "Open: Fewer surprises." in draft.text
    assert "[pillar 1] ([proof point 1])" in draft.text


async def test_a_cancelled_chooser_adds_nothing_and_a_removal_asks_first(tmp_path: Path) -> None:
    path = on_story(tmp_path, draft=True)
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(TO_MESSAGES):
            await pilot.press("ctrl+down")
            await pilot.pause()
        rows = app.screen.query_one("#drafts-list-rows")
        assert app.screen.focused is rows
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WorkbookDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert len(read_session(path).message_drafts) == 1
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not app.screen.query_one("#draft-editor").display
    assert read_session(path).message_drafts == []


async def test_a_read_only_copy_shows_the_drafts_and_offers_no_new_one(tmp_path: Path) -> None:
    path = on_story(tmp_path, draft=True)
    before = path.read_bytes()
    app = AlignmentApp(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        assert not app.screen.query_one("#draft-new", Button).display
        assert app.screen.query_one("#draft-text", TextArea).text == "For CFOs: less waste."
        rows = app.screen.query_one("#drafts-list-rows")
        rows.focus()
        await pilot.pause()
        assert all(b.binding.id != "story.new_draft" for b in app.active_bindings.values())
        assert "New draft" not in footer(app)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, WorkbookDialog)
    assert path.read_bytes() == before

"""Ending the workshop from the middle of typing: ctrl+q asks, the focus starts on "Keep
working" (a stray Enter ends nothing), the question says that y ends it, and the typing
on the line the room was in is in the file whatever the answer."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.sessions.models import FeedbackItem, FeedbackSide, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.feedback.lines import ItemInput
from step_helpers import shown


def one_line_on_feedback(path: Path) -> int:
    svc = SessionService.open(path)
    svc.set_step(StepId.FEEDBACK)
    rid = svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Lost deals").id
    svc.close()
    return rid


def text_of(path: Path, rid: int) -> str:
    return next(i.text for i in read_session(path).feedback_items if i.id == rid)


async def test_the_quit_question_starts_on_keep_working_and_names_y(session_file: Path) -> None:
    rid = one_line_on_feedback(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = next(w for w in app.screen.query(ItemInput) if w.rid == rid)
        line.focus()
        await pilot.press("end", *" and why")
        await pilot.press("ctrl+q")  # before the debounce: saved first
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "confirm-no"
        assert str(focused.label) == "Keep working"
        said = shown(dialog.query_one("#confirm-message", Static))
        assert "Press y to end it, n or Escape to keep working." in said
        assert text_of(session_file, rid) == "Lost deals and why"
        # Enter (on Keep working) and n both keep working, back on the line
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmDialog)
        assert app.focused is line
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and app.focused is line
        await pilot.press(*", told plainly", "ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
    assert text_of(session_file, rid) == "Lost deals and why, told plainly"

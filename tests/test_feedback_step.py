"""Step 3, Feedback loop not approvals: driven through the real app, checked in the saved file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, OptionList, Select, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.screens.confirm import ConfirmDialog
from alignment_tui.sessions.models import (
    Cadence,
    FeedbackItem,
    FeedbackSide,
    LeadRole,
    SignOffSubject,
    StepId,
)
from alignment_tui.sessions.progress import is_approval_gate
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.steps.crm import RemoveButton
from alignment_tui.widgets.steps.feedback import GATE_FLAG, ItemRow, brief_text
from step_helpers import put_room_on_step, shown, type_into


def _rows(screen, side: FeedbackSide) -> list[ItemRow]:  # type: ignore[no-untyped-def]
    return list(screen.query_one(f"#fb-items-{side.value.lower()}").query_children(ItemRow))


def _error_under(widget: Input) -> Static:
    return widget.parent.query_one(".field-error", Static)  # type: ignore[union-attr]


def test_approval_gate_words_match_whole_words() -> None:
    assert is_approval_gate("Sales must approve every campaign")
    assert is_approval_gate("Needs a sign-off from the CMO")
    assert not is_approval_gate("Marketing investigates why deals were lost")
    assert not is_approval_gate("Feedback is advice: the owner of the work decides")


async def test_agree_the_feedback_loop(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FEEDBACK)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        status = screen.query_one("#status-feedback", Static)

        cadence = screen.query_one("#fb-cadence", Select)
        cadence.focus()
        await pilot.press("enter", "up", "enter")  # fortnightly -> weekly
        await pilot.pause()
        assert cadence.value is Cadence.WEEKLY

        duration = screen.query_one("#fb-duration", Input)
        await type_into(pilot, duration, "-5")
        assert shown(_error_under(duration)) == "Duration (minutes) cannot be negative"
        await type_into(pilot, duration, "30")
        assert not _error_under(duration).display

        await type_into(pilot, screen.query_one("#fb-forum", Input), "Tuesday [red]x[/red] call")
        screen.query_one("#fb-attendees").focus()
        await pilot.press(*"Both leads")

        # one key adds a suggestion: the first Sales one
        sales = screen.query_one("#fb-suggest-sales", OptionList)
        sales.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [r.text_input.value for r in _rows(screen, FeedbackSide.SALES)] == [
            "Customer stories from recent calls"
        ]
        assert sales.get_option_at_index(0).disabled  # offered once only

        # Marketing: briefs six weeks ahead, then the suggested brief item
        await type_into(pilot, screen.query_one("#fb-brief-weeks", Input), "6")
        marketing = screen.query_one("#fb-suggest-marketing", OptionList)
        marketing.focus()
        await pilot.press("enter")
        await pilot.pause()

        # a Sales item typed by hand that reads like a gate is flagged as typed
        add_sales = screen.query_one("#fb-add-sales")
        add_sales.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#fb-add-sales")
        await pilot.pause()
        gate_row = _rows(screen, FeedbackSide.SALES)[-1]
        assert app.focused is gate_row.text_input
        await pilot.press(*"Sales must approve every campaign")
        flag = gate_row.query_one(".fb-flag", Static)
        assert flag.display and shown(flag) == GATE_FLAG

        # a ground rule and the agreement
        rules = screen.query_one("#fb-suggest-rule", OptionList)
        rules.focus()
        await pilot.press("enter")
        agreement = screen.query_one("#fb-agreement", Checkbox)
        agreement_state = screen.query_one("#fb-agreement-state", Static)
        assert shown(agreement_state).startswith("○ Not agreed yet")
        agreement.focus()
        await pilot.press("space")
        await pilot.pause(0.5)  # let the typed item save
        assert shown(agreement_state).startswith("✔ Agreed")
        assert "1 item(s) worded as approval gates" in shown(status)
        assert "Complete" not in shown(status)

        # reworded as feedback: the flag goes and the step is complete
        gate_row.text_input.focus()
        await pilot.press("ctrl+u", *"Sales comments", "enter")
        await pilot.pause()
        assert not flag.display
        assert "Complete" in shown(status)

    svc = SessionService.open(session_file)
    try:
        s = svc.session
        assert s.feedback.cadence is Cadence.WEEKLY
        assert s.feedback.duration_minutes == 30
        assert s.feedback.forum == "Tuesday [red]x[/red] call"
        assert s.feedback.attendees == "Both leads"
        assert s.feedback.brief_weeks == 6
        assert s.feedback.not_approval_agreed is True
        by_side = {
            side: [i.text for i in s.feedback_items if i.side is side] for side in FeedbackSide
        }
        assert by_side[FeedbackSide.SALES] == [
            "Customer stories from recent calls",
            "Sales comments",
        ]
        assert by_side[FeedbackSide.MARKETING] == ["Campaign briefs 6 weeks before launch"]
        assert by_side[FeedbackSide.RULE] == ["Feedback is advice: the owner of the work decides"]
    finally:
        svc.close()

    # reopened: everything is back, and markup-like text shows literally
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#fb-forum", Input).value == "Tuesday [red]x[/red] call"
        assert screen.query_one("#fb-duration", Input).value == "30"
        assert screen.query_one("#fb-brief-weeks", Input).value == "6"
        assert screen.query_one("#fb-cadence", Select).value is Cadence.WEEKLY
        assert screen.query_one("#fb-agreement", Checkbox).value is True
        assert len(_rows(screen, FeedbackSide.SALES)) == 2
        assert "Complete" in shown(screen.query_one("#status-feedback", Static))


async def test_brief_weeks_limits_and_literal_item_text(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(FeedbackItem, side=FeedbackSide.MARKETING, text=brief_text(4))
    svc.add(FeedbackItem, side=FeedbackSide.RULE, text="[red]x[/red] stays as typed")
    svc.set_step(StepId.FEEDBACK)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        weeks = screen.query_one("#fb-brief-weeks", Input)
        await type_into(pilot, weeks, "53")
        assert shown(_error_under(weeks)) == "Weeks before launch must be 52 or fewer (a year)"
        await type_into(pilot, weeks, "two")
        assert "whole number" in shown(_error_under(weeks))
        # the rule with markup-like text is shown exactly as typed
        (rule,) = _rows(screen, FeedbackSide.RULE)
        assert rule.text_input.value == "[red]x[/red] stays as typed"
        # a valid number renames the suggested brief item to match
        await type_into(pilot, weeks, "3")
        await pilot.pause()
        (brief,) = _rows(screen, FeedbackSide.MARKETING)
        assert brief.text_input.value == "Campaign briefs 3 weeks before launch"
        # removing a non-empty item asks first; the question quotes it literally
        rule.query_one(RemoveButton).focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        message = str(dialog.query_one("#confirm-message", Static).content)
        assert "[red]x[/red] stays as typed" in message
        await pilot.press("y")
        await pilot.pause()
        assert _rows(screen, FeedbackSide.RULE) == []
        # the Sales lead signs the loop off
        sign = screen.query_one("#sign-feedback-sales")
        sign.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#sign-feedback-sales")
        await pilot.pause()
        line = screen.query_one("#signoff-feedback-sales", Static)
        assert "signed by Sam Sales" in shown(line)
    svc = SessionService.open(session_file)
    try:
        assert svc.session.feedback.brief_weeks == 3
        texts = [i.text for i in svc.session.feedback_items]
        assert texts == ["Campaign briefs 3 weeks before launch"]
        assert svc.signoff_state(SignOffSubject.FEEDBACK, LeadRole.SALES) == "signed"
        assert svc.signoff_state(SignOffSubject.FEEDBACK, LeadRole.MARKETING) == "missing"
    finally:
        svc.close()

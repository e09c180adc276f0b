"""Step 3, Feedback loop not approvals: driven through the real app, checked in the saved file.

The meeting is a small form (the cadence an in-place choice); each item is one
compact line; alt+↑ / alt+↓ / alt+delete on a line (or the bar under its list)
move and remove it; the suggestions under a list add a line with one key.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Button, Checkbox, Input, OptionList, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.form.choice import Choice
from alignment_tui.form.confirm import ConfirmDialog
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
from alignment_tui.steps.feedback.lines import ItemInput
from alignment_tui.steps.feedback.words import (
    AGREED,
    GATE_FLAG,
    GATE_REVIEWED,
    NOT_AGREED,
    RULE_SUGGESTIONS,
    brief_text,
)
from alignment_tui.widgets.step_list import StepList
from screen_text import footer_text
from step_helpers import put_room_on_step, reach_every_part, shown, type_into


def _lines(screen, side: FeedbackSide) -> list[ItemInput]:  # type: ignore[no-untyped-def]
    """The lines of one list, in the order the screen shows them."""
    return [w for w in screen.query_one("#pane-feedback").query(ItemInput) if w.side is side]


def _texts(screen, side: FeedbackSide) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.value for line in _lines(screen, side)]


def _saved(path: Path) -> dict[FeedbackSide, list[str]]:
    """Each list's items as saved, in their order."""
    svc = SessionService.open(path)
    try:
        items = sorted(svc.session.feedback_items, key=lambda i: (i.position, i.id))
        return {side: [i.text for i in items if i.side is side] for side in FeedbackSide}
    finally:
        svc.close()


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
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        status = screen.query_one("#status-feedback", Static)
        assert not screen.query(".reason")  # mounted only when a save is refused

        cadence = screen.query_one("#fb-cadence", Choice)
        assert cadence.label == "Fortnightly"
        cadence.focus()
        await pilot.press("left")  # fortnightly -> weekly
        assert cadence.label == "Weekly"

        duration = screen.query_one("#fb-duration", Input)
        await type_into(pilot, duration, "-5")
        error = screen.query_one("#fb-duration-reason", Static)
        assert shown(error) == "Duration (minutes) cannot be negative"
        assert error.display and duration.has_class("-invalid")
        row = duration.parent  # the reason is right under its field
        assert row is not None and row.children.index(error) == row.children.index(duration) + 1
        await type_into(pilot, duration, "30")
        assert not error.display and not duration.has_class("-invalid")

        await type_into(pilot, screen.query_one("#fb-forum", Input), "Tuesday [red]x[/red] call")
        screen.query_one("#fb-attendees", TextArea).focus()
        await pilot.press(*"Both leads")

        # one key adds a suggestion: the first Sales one
        sales = screen.query_one("#fb-suggest-sales", OptionList)
        sales.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["Customer stories from recent calls"]
        assert sales.get_option_at_index(0).disabled  # offered once only
        assert "✔ added" in str(sales.get_option_at_index(0).prompt)
        assert sales.highlighted == 1  # the next one is a key away

        # Marketing: briefs six weeks ahead, then the suggested brief item
        await type_into(pilot, screen.query_one("#fb-brief-weeks", Input), "6")
        marketing = screen.query_one("#fb-suggest-marketing", OptionList)
        marketing.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.MARKETING) == [brief_text(6)]

        # a Sales item typed by hand that reads like a gate is flagged as typed (mouse)
        screen.query_one("#fb-add-sales").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#fb-add-sales")
        await pilot.pause()
        gate_line = _lines(screen, FeedbackSide.SALES)[-1]
        assert app.focused is gate_line
        assert gate_line.has_class("-current")  # the bar under the list acts on it
        assert not screen.query(".fb-flag")
        await pilot.press(*"Sales must approve every campaign")
        flag = screen.query_one(f"#{gate_line.id}-flag", Static)
        assert flag.display and shown(flag) == GATE_FLAG

        # a ground rule and the agreement
        rules = screen.query_one("#fb-suggest-rule", OptionList)
        rules.focus()
        await pilot.press("enter")
        agreement = screen.query_one("#fb-agreement", Checkbox)
        agreement_state = screen.query_one("#fb-agreement-state", Static)
        assert shown(agreement_state) == NOT_AGREED
        agreement.focus()
        await pilot.press("space")
        await pilot.pause(0.5)  # let the typed item save
        assert shown(agreement_state) == AGREED
        assert "1 item(s) worded as approval gates" in shown(status)
        assert "Complete" not in shown(status)

        # reworded as feedback: the flag goes and the step is complete
        gate_line.focus()
        await pilot.press("ctrl+u", *"Sales comments", "enter")
        await pilot.pause()
        assert not flag.display and not gate_line.has_class("-gate")
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
    finally:
        svc.close()
    assert _saved(session_file) == {
        FeedbackSide.SALES: ["Customer stories from recent calls", "Sales comments"],
        FeedbackSide.MARKETING: ["Campaign briefs 6 weeks before launch"],
        FeedbackSide.RULE: ["Feedback is advice: the owner of the work decides"],
    }

    # reopened: everything is back, and markup-like text shows literally
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        screen = app.screen
        assert screen.query_one("#fb-forum", Input).value == "Tuesday [red]x[/red] call"
        assert screen.query_one("#fb-duration", Input).value == "30"
        assert screen.query_one("#fb-brief-weeks", Input).value == "6"
        assert screen.query_one("#fb-attendees", TextArea).text == "Both leads"
        assert screen.query_one("#fb-cadence", Choice).value is Cadence.WEEKLY
        assert screen.query_one("#fb-agreement", Checkbox).value is True
        assert _texts(screen, FeedbackSide.SALES) == [
            "Customer stories from recent calls",
            "Sales comments",
        ]
        assert "Complete" in shown(screen.query_one("#status-feedback", Static))


async def test_brief_weeks_limits_and_literal_item_text(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(FeedbackItem, side=FeedbackSide.MARKETING, text=brief_text(4))
    svc.add(FeedbackItem, side=FeedbackSide.RULE, text="[red]x[/red] stays as typed")
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Marketing must get approval first")
    svc.set_step(StepId.FEEDBACK)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        # an item saved as a gate is flagged from the start
        (gate,) = _lines(screen, FeedbackSide.SALES)
        assert gate.has_class("-gate")
        assert shown(screen.query_one(f"#{gate.id}-flag", Static)) == GATE_FLAG
        weeks = screen.query_one("#fb-brief-weeks", Input)
        await type_into(pilot, weeks, "53")
        error = screen.query_one("#fb-brief-weeks-reason", Static)
        assert shown(error) == "Briefs, weeks ahead must be 52 or fewer (a year)"
        await type_into(pilot, weeks, "two")
        assert "whole number" in shown(error)
        # the rule with markup-like text is shown exactly as typed
        (rule,) = _lines(screen, FeedbackSide.RULE)
        assert rule.value == "[red]x[/red] stays as typed"
        # a valid number renames the suggested brief item to match
        await type_into(pilot, weeks, "3")
        await pilot.pause()
        assert not error.display
        assert _texts(screen, FeedbackSide.MARKETING) == ["Campaign briefs 3 weeks before launch"]
        option = screen.query_one("#fb-suggest-marketing", OptionList).get_option_at_index(0)
        assert str(option.prompt) == "✔ added Campaign briefs 3 weeks before launch"
        # removing a non-empty item asks first; the question quotes it literally
        rule.focus()
        await pilot.press("alt+delete")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        message = str(dialog.query_one("#confirm-message", Static).content)
        assert "[red]x[/red] stays as typed" in message
        await pilot.press("y")
        await pilot.pause()
        assert _lines(screen, FeedbackSide.RULE) == []
        # nothing left to act on: the focus goes to the list's add button, its bar is off
        assert app.focused is screen.query_one("#fb-add-rule", Button)
        assert screen.query_one("#fb-remove-rule", Button).disabled
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
        assert texts == [
            "Campaign briefs 3 weeks before launch",
            "Marketing must get approval first",
        ]
        assert svc.signoff_state(SignOffSubject.FEEDBACK, LeadRole.SALES) == "signed"
        assert svc.signoff_state(SignOffSubject.FEEDBACK, LeadRole.MARKETING) == "missing"
    finally:
        svc.close()


async def test_move_and_remove_lines_by_keys_and_by_the_bar(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    # the three lists share one order in the file: interleave them
    for side, text in [
        (FeedbackSide.SALES, "S1"),
        (FeedbackSide.RULE, "R1"),
        (FeedbackSide.SALES, "S2"),
        (FeedbackSide.MARKETING, "M1"),
        (FeedbackSide.SALES, "S3"),
    ]:
        svc.add(FeedbackItem, side=side, text=text)
    svc.set_step(StepId.FEEDBACK)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        s1, s2, s3 = _lines(screen, FeedbackSide.SALES)
        assert s1.has_class("-current") and not s2.has_class("-current")

        # alt+↓ on S1 moves it below S2, jumping the other lists' items
        s1.focus()
        await pilot.press("alt+down")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S2", "S1", "S3"]
        assert app.focused is s1  # still typing in the same line
        await pilot.press("alt+down", "alt+down")  # the second one is past the end
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S2", "S3", "S1"]
        await pilot.press("alt+up")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S2", "S1", "S3"]

        # the bar acts on the list's current line: the last one focused (S3)
        s3.focus()
        await pilot.pause()
        assert s3.has_class("-current") and not s1.has_class("-current")
        up = screen.query_one("#fb-up-sales", Button)
        up.focus()
        await pilot.press("enter")
        await pilot.pause(0.3)  # a button takes a second press once its press effect ends
        await pilot.press("enter")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S3", "S2", "S1"]
        down = screen.query_one("#fb-down-sales", Button)
        down.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S2", "S3", "S1"]

        # an empty line goes without a question; the focus moves to the next line
        await pilot.click("#fb-add-sales")
        await pilot.pause()
        empty = _lines(screen, FeedbackSide.SALES)[-1]
        assert app.focused is empty and empty.value == ""
        await pilot.press("alt+delete")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert _texts(screen, FeedbackSide.SALES) == ["S2", "S3", "S1"]
        assert app.focused is s1  # the one before it

        # the bar's ✕ asks first for a line with text; "no" keeps it
        s2.focus()
        remove = screen.query_one("#fb-remove-sales", Button)
        remove.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S2", "S3", "S1"]
        remove.focus()
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert _texts(screen, FeedbackSide.SALES) == ["S3", "S1"]
        assert _lines(screen, FeedbackSide.SALES)[0].has_class("-current")
    saved = _saved(session_file)
    assert saved[FeedbackSide.SALES] == ["S3", "S1"]
    assert saved[FeedbackSide.MARKETING] == ["M1"]
    assert saved[FeedbackSide.RULE] == ["R1"]


async def test_changes_made_elsewhere_are_shown(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Lost reasons")
    svc.add(FeedbackItem, side=FeedbackSide.RULE, text="Share early")
    svc.set_step(StepId.FEEDBACK)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        service: SessionService = screen.service  # type: ignore[attr-defined]
        s = service.session
        # The step opened in its duration field, which keeps its text while the room
        # is in it (form layer): here the room has moved on to the step list.
        screen.query_one(StepList).focus()
        await pilot.pause()
        service.update(s.feedback, forum="Monday stand-up", cadence=Cadence.MONTHLY)
        service.update(s.feedback, duration_minutes=20, not_approval_agreed=True)
        sales = next(i for i in s.feedback_items if i.side is FeedbackSide.SALES)
        service.update(sales, text="Sales must sign off briefs")
        rule = next(i for i in s.feedback_items if i.side is FeedbackSide.RULE)
        service.remove(rule)
        service.add(FeedbackItem, side=FeedbackSide.MARKETING, text="Drafts shared for comment")
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#fb-forum", Input).value == "Monday stand-up"
        assert screen.query_one("#fb-duration", Input).value == "20"
        assert screen.query_one("#fb-cadence", Choice).label == "Monthly"
        assert screen.query_one("#fb-agreement", Checkbox).value is True
        assert shown(screen.query_one("#fb-agreement-state", Static)) == AGREED
        (line,) = _lines(screen, FeedbackSide.SALES)
        assert line.value == "Sales must sign off briefs"
        assert shown(screen.query_one(f"#{line.id}-flag", Static)) == GATE_FLAG
        assert _lines(screen, FeedbackSide.RULE) == []
        assert screen.query_one("#fb-remove-rule", Button).disabled
        assert _texts(screen, FeedbackSide.MARKETING) == ["Drafts shared for comment"]
        marketing = screen.query_one("#fb-suggest-marketing", OptionList)
        assert marketing.get_option_at_index(1).disabled  # the suggestion it matches
        # the new line is a working line: alt+delete on it removes it (asks first: it has text)
        new = _lines(screen, FeedbackSide.MARKETING)[0]
        new.focus()
        await pilot.press("alt+delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert _lines(screen, FeedbackSide.MARKETING) == []
        assert not marketing.get_option_at_index(1).disabled  # offered again
    assert _saved(session_file)[FeedbackSide.MARKETING] == []


async def test_refused_text_keeps_what_was_typed_and_says_why_under_it(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Lost reasons")
    svc.set_step(StepId.FEEDBACK)
    svc.close()
    too_long = "x" * 20_001
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        # an item: the reason is mounted under its line
        (line,) = _lines(screen, FeedbackSide.SALES)
        line.focus()
        await pilot.press("ctrl+u")
        line.post_message(events.Paste(too_long))
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        error = screen.query_one(f"#{line.id}-reason", Static)
        holder = line.parent  # the reason is right under its line
        assert holder is not None
        assert holder.children.index(error) == holder.children.index(line) + 1
        assert "20000" in shown(error)
        assert error.display and line.has_class("-invalid")
        assert line.value == too_long  # what was typed stays
        line.focus()
        await pilot.press("ctrl+u", *"Lost deals", "tab")
        await pilot.pause()
        assert not error.display and not line.has_class("-invalid")
        # the attendees: the reason goes under the field, across the form
        attendees = screen.query_one("#fb-attendees", TextArea)
        attendees.focus()
        attendees.insert(too_long)
        await pilot.press("tab")
        await pilot.pause()
        reason = screen.query_one("#fb-attendees-reason", Static)
        row = attendees.parent
        assert row is not None
        assert row.children.index(reason) == row.children.index(attendees) + 1
        assert "20000" in shown(reason) and reason.display
        assert reason.region.x < attendees.region.x  # across both columns
        attendees.focus()
        attendees.load_text("Both leads")
        await pilot.press("tab")
        await pilot.pause()
        assert not reason.display and not attendees.has_class("-invalid")
    svc = SessionService.open(session_file)
    try:
        assert [i.text for i in svc.session.feedback_items] == ["Lost deals"]
        assert svc.session.feedback.attendees == "Both leads"
    finally:
        svc.close()


# -- issue 11: keys in a live room --------------------------------------------------------


def _fill_lists(path: Path, step: StepId = StepId.FEEDBACK) -> None:
    """Three lines in each list, so the ground rules sit well below the meeting."""
    svc = SessionService.open(path)
    for side in FeedbackSide:
        for n in range(1, 4):
            svc.add(FeedbackItem, side=side, text=f"{side.value.lower()} {n}")
    svc.set_step(step)
    svc.close()


async def test_ctrl_arrows_jump_between_the_parts_of_the_step(session_file: Path) -> None:
    _fill_lists(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        # the step's first field that takes words (a choice and a number come before it)
        assert app.focused is screen.query_one("#fb-forum", Input)
        await pilot.press("ctrl+down")
        assert app.focused is _lines(screen, FeedbackSide.SALES)[0]
        await pilot.press("ctrl+down")
        assert app.focused is screen.query_one("#fb-brief-weeks", Input)
        await pilot.press("ctrl+down")
        first_rule = _lines(screen, FeedbackSide.RULE)[0]
        assert app.focused is first_rule
        await pilot.pause()
        pane = screen.query_one("#pane-feedback")
        assert pane.region.contains_region(first_rule.region)  # scrolled to it
        # typed keys go into the rule
        await pilot.press("end", *" and more", "enter")
        await pilot.press("ctrl+down")
        assert app.focused is screen.query_one("#fb-agreement", Checkbox)
        await pilot.press("ctrl+down")  # the last part: the focus stays
        assert app.focused is screen.query_one("#fb-agreement", Checkbox)
        await pilot.press("ctrl+up", "ctrl+up")
        assert app.focused is screen.query_one("#fb-brief-weeks", Input)
    assert _saved(session_file)[FeedbackSide.RULE][0] == "rule 1 and more"


async def test_keys_typed_after_a_step_change_land_in_the_step(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.CRM)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        screen = app.screen
        forum = screen.query_one("#fb-forum", Input)
        # the first field that takes words (not the duration's 45, which keys would add to)
        assert app.focused is forum
        # back to the cadence choice, over the meeting's day, time, zone and first date
        await pilot.press(*["shift+tab"] * 6)
        assert app.focused is screen.query_one("#fb-cadence", Choice)
        await pilot.press("right")  # fortnightly -> monthly, saved at once
        # the field used last is where the room comes back to
        await pilot.press(*["tab"] * 6)
        assert app.focused is forum
        await pilot.press(*"Tuesday")
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        assert app.focused is not forum
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert app.focused is forum
        await pilot.press("end", *" call", "enter")
        await pilot.pause()
    svc = SessionService.open(session_file)
    try:
        assert svc.session.feedback.cadence is Cadence.MONTHLY
        assert svc.session.feedback.forum == "Tuesday call"
    finally:
        svc.close()


async def test_a_read_only_copy_shows_the_loop_and_takes_no_change(session_file: Path) -> None:
    _fill_lists(session_file)
    svc = SessionService.open(session_file)
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Sales must approve briefs")
    svc.close()
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        pane = screen.query_one("#pane-feedback")
        # every field shows its value and cannot change
        fields = [*pane.query(Input), *pane.query(TextArea), *pane.query(Choice)]
        # the lines, the meeting (with its day, time, zone and first date) and the brief weeks
        assert len(fields) == 9 + 8 + 1 + 1
        assert all(f.disabled for f in fields)
        assert screen.query_one("#fb-forum", Input).value == ""
        assert _texts(screen, FeedbackSide.RULE) == ["rule 1", "rule 2", "rule 3"]
        assert pane.query_one("#fb-agreement", Checkbox).disabled
        # no verb offered: the bars and the suggestions are off
        for side in ("sales", "marketing", "rule"):
            for verb in ("add", "up", "down", "remove"):
                assert pane.query_one(f"#fb-{verb}-{side}", Button).disabled
            assert pane.query_one(f"#fb-suggest-{side}", OptionList).disabled
        # the gate is still flagged: the room can read why the step is not complete
        gate = _lines(screen, FeedbackSide.SALES)[-1]
        assert shown(screen.query_one(f"#{gate.id}-flag", Static)) == GATE_FLAG
        # keys go nowhere that could be refused
        await pilot.press("ctrl+down", *"typed", "alt+delete", "enter", "space")
        await pilot.pause()
        assert not pane.query(".reason")
        assert not isinstance(app.screen, ConfirmDialog)
        assert all("typed" not in line.value for line in pane.query(ItemInput))
    assert session_file.read_bytes() == before


async def test_a_refused_line_low_in_the_step_shows_its_reason_in_view(session_file: Path) -> None:
    _fill_lists(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        pane = screen.query_one("#pane-feedback")
        last_rule = _lines(screen, FeedbackSide.RULE)[-1]
        # the room scrolled until the line is the pane's last one, then went into it
        view = pane.scrollable_content_region
        at = last_rule.region.y - view.y + pane.scroll_offset.y  # in the pane's content
        pane.scroll_to(y=at - (view.height - 1), animate=False, immediate=True)
        await pilot.pause()
        last_rule.focus()
        await pilot.pause()
        assert last_rule.region.y == pane.scrollable_content_region.bottom - 1
        await pilot.press("ctrl+u")
        last_rule.post_message(events.Paste("x" * 20_001))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        reason = screen.query_one(f"#{last_rule.id}-reason", Static)
        assert "20000" in shown(reason)
        assert pane.region.contains_region(reason.region)  # seen without scrolling
        assert app.focused is last_rule  # still there to correct it
    assert _saved(session_file)[FeedbackSide.RULE][-1] == "rule 3"


async def test_the_mouse_adds_cycles_ticks_and_removes(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FEEDBACK)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        # a click on the cadence steps it on; a click on its ◂ steps it back
        cadence = screen.query_one("#fb-cadence", Choice)
        await pilot.click(cadence, offset=(8, 0))
        assert cadence.value is Cadence.MONTHLY
        await pilot.click(cadence, offset=(0, 0))
        await pilot.click(cadence, offset=(0, 0))
        assert cadence.value is Cadence.WEEKLY
        # a click on a suggestion adds it
        rules = screen.query_one("#fb-suggest-rule", OptionList)
        rules.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(rules, offset=(4, 1))
        await pilot.pause()
        assert _texts(screen, FeedbackSide.RULE) == [RULE_SUGGESTIONS[1]]
        # the tick
        agreement = screen.query_one("#fb-agreement", Checkbox)
        agreement.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(agreement)
        await pilot.pause()
        assert shown(screen.query_one("#fb-agreement-state", Static)) == AGREED
        # the bar's ✕ asks for a line with text; its Remove button removes it
        remove = screen.query_one("#fb-remove-rule", Button)
        remove.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(remove)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert _lines(screen, FeedbackSide.RULE) == []
    svc = SessionService.open(session_file)
    try:
        assert svc.session.feedback.cadence is Cadence.WEEKLY
        assert svc.session.feedback.not_approval_agreed is True
        assert svc.session.feedback_items == []
    finally:
        svc.close()


# -- issue 12: the facilitator's review of a flagged line ---------------------------------


def _reviewed(path: Path) -> dict[str, bool]:
    """Each item's saved review, by its text."""
    svc = SessionService.open(path)
    try:
        return {i.text: i.gate_reviewed for i in svc.session.feedback_items}
    finally:
        svc.close()


def _loop_ready_but_for_a_gate(path: Path) -> None:
    """Everything the step needs, and one Sales line the check reads as a gate."""
    svc = SessionService.open(path)
    svc.update(svc.session.feedback, forum="Tuesday call", not_approval_agreed=True)
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Lost reasons each fortnight")
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Sales OKs the tone of each campaign")
    svc.add(FeedbackItem, side=FeedbackSide.MARKETING, text="Drafts shared for comment")
    svc.set_step(StepId.FEEDBACK)
    svc.close()


async def test_a_flagged_line_is_marked_not_a_gate_by_keys_and_by_the_bar(
    session_file: Path,
) -> None:
    gate_text = "Sales OKs the tone of each campaign"
    assert is_approval_gate(gate_text)
    _loop_ready_but_for_a_gate(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        status = screen.query_one("#status-feedback", Static)
        assert "1 item(s) worded as approval gates" in shown(status)
        plain, gate = _lines(screen, FeedbackSide.SALES)
        flag = screen.query_one(f"#{gate.id}-flag", Static)
        assert shown(flag) == GATE_FLAG and gate.has_class("-gate")
        button = screen.query_one("#fb-gate-sales", Button)
        # offered only on a flagged line: not in the footer of the forum, nor of a plain line
        assert app.focused is screen.query_one("#fb-forum", Input)
        assert "Not a gate" not in "\n".join(footer_text(screen))
        plain.focus()
        await pilot.pause()
        assert "Not a gate" not in "\n".join(footer_text(screen))
        assert not button.display  # the bar acts on the plain line
        gate.focus()
        await pilot.pause()
        assert "^g Not a gate" in "\n".join(footer_text(screen))
        assert button.display and str(button.label) == "✔ Not a gate"

        # by keys: reviewed, saved, the step complete; the same key takes it back
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert shown(flag) == GATE_REVIEWED and not gate.has_class("-gate")
        assert "Complete" in shown(status)
        assert "^g Flag again" in "\n".join(footer_text(screen))
        assert str(button.label) == "⚠ Flag again"
        assert _reviewed(session_file)[gate_text] is True
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert shown(flag) == GATE_FLAG and "Complete" not in shown(status)
        assert _reviewed(session_file)[gate_text] is False
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert _reviewed(session_file)[gate_text] is True

        # other words need a new review: flagged again as they are typed, and once saved
        await pilot.press("end", *" and copy")
        assert shown(flag) == GATE_FLAG and gate.has_class("-gate")
        await pilot.press("enter")
        await pilot.pause()
        assert "1 item(s) worded as approval gates" in shown(status)
        assert _reviewed(session_file) == {
            "Lost reasons each fortnight": False,
            f"{gate_text} and copy": False,
            "Drafts shared for comment": False,
        }

        # by mouse: the bar's button reviews the list's highlighted line
        button.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(button)
        await pilot.pause()
        assert shown(flag) == GATE_REVIEWED and "Complete" in shown(status)
        assert str(button.label) == "⚠ Flag again"
    assert _reviewed(session_file)[f"{gate_text} and copy"] is True

    # reopened: the review is back; a read-only copy shows it and offers nothing
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        _plain, gate = _lines(screen, FeedbackSide.SALES)
        assert shown(screen.query_one(f"#{gate.id}-flag", Static)) == GATE_REVIEWED
        assert "Complete" in shown(screen.query_one("#status-feedback", Static))
        assert not screen.query_one("#fb-gate-sales", Button).display
        footer = "\n".join(footer_text(screen))
        assert "Not a gate" not in footer and "Flag again" not in footer
        await pilot.press("ctrl+g")
        await pilot.pause()
    assert _reviewed(session_file)[f"{gate_text} and copy"] is True

"""The feedback loop from the workbook, and the loop's meeting as fields: driven by keys.

An example agreement is chosen in the workbook's chooser (ctrl+l, or the button
above the meeting) and fills the meeting and the three lists in one save,
asking first when the loop already has words in it. The meeting's day, start
time, time zone and first date are bound fields; a value they cannot read is
refused with its reason under the field and the file keeps what it had.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.workbook_dialog import WorkbookDialog
from alignment_tui.form.choice import Choice
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.sessions import workbook
from alignment_tui.sessions.models import (
    Cadence,
    FeedbackItem,
    FeedbackSide,
    Session,
    StepId,
    Weekday,
    new_session,
)
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.feedback.lines import ItemInput
from alignment_tui.steps.feedback.schedule import TIME_EXAMPLE
from screen_text import record_notifications, widget_text
from step_helpers import put_room_on_step, reach_every_part, shown, type_into

EXAMPLE_BINDING = "feedback.example"
#: The brief-preview example's line that follows the campaign-brief document.
BRIEF_LINE = "The brief for each campaign starting in the next six weeks"


def example(key: str) -> workbook.LoopExample:
    return next(e for e in workbook.load().loop_examples() if e.key == key)


def fresh_on_feedback(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.alignment.db"
    SessionService.create(path, new_session("Fresh start")).close()
    put_room_on_step(path, StepId.FEEDBACK)
    return path


def lists(session: Session) -> dict[FeedbackSide, list[str]]:
    """Each list's items as saved, in their order."""
    items = sorted(session.feedback_items, key=lambda i: (i.position, i.id))
    return {side: [i.text for i in items if i.side is side] for side in FeedbackSide}


def example_lists(wanted: workbook.LoopExample) -> dict[FeedbackSide, list[str]]:
    return {
        FeedbackSide.SALES: list(wanted.sales_brings),
        FeedbackSide.MARKETING: list(wanted.marketing_brings),
        FeedbackSide.RULE: list(wanted.rules),
    }


def shown_lines(screen, side: FeedbackSide) -> list[str]:  # type: ignore[no-untyped-def]
    pane = screen.query_one("#pane-feedback")
    return [w.value for w in pane.query(ItemInput) if w.side is side]


def offered(app: AlignmentApp) -> bool:
    """Whether the example key is offered where the focus is (and so in the footer)."""
    return any(b.binding.id == EXAMPLE_BINDING for b in app.screen.active_bindings.values())


def written_loop(path: Path) -> None:
    """A loop the room has already written: forum, attendees, items, its meeting and the tick."""
    svc = SessionService.open(path)
    svc.set_step(StepId.FEEDBACK)
    svc.update(
        svc.session.feedback,
        forum="Our own Monday huddle",
        attendees="Ana, Ravi",
        not_approval_agreed=True,
        weekday=Weekday.MONDAY,
        start_time=dt.time(9, 0),
        time_zone="Europe/Lisbon",
        first_meeting=dt.date(2027, 1, 4),
    )
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Stories from the week")
    svc.add(FeedbackItem, side=FeedbackSide.SALES, text="Lost deals")
    svc.add(FeedbackItem, side=FeedbackSide.RULE, text="Be kind")
    svc.close()


async def test_an_example_fills_a_fresh_loop_by_keys_and_stays_editable(tmp_path: Path) -> None:
    path = fresh_on_feedback(tmp_path)
    wanted = example("brief-preview")
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        forum = screen.query_one("#fb-forum", Input)
        assert app.focused is forum
        assert offered(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        # each example is read whole before it is chosen
        detail = str(dialog.query_one("#workbook-detail", Static).content)
        assert example("pipeline-round-table").forum in detail
        await pilot.press("down")
        await pilot.pause()
        detail = str(dialog.query_one("#workbook-detail", Static).content)
        assert wanted.forum in detail and wanted.rules[0] in detail
        assert "↳ follows the Campaign brief template" in detail  # the line it points
        await pilot.press("enter")  # a fresh loop: nothing to replace, nothing asked
        await pilot.pause()
        assert app.screen is screen
        # the screen shows what was saved, from the top of the step
        assert forum.value == wanted.forum
        assert app.focused is screen.query_one("#fb-example", Button)
        assert screen.query_one("#fb-cadence", Choice).label == "Monthly"
        assert screen.query_one("#fb-duration", Input).value == "30"
        assert screen.query_one("#fb-brief-weeks", Input).value == "6"
        assert screen.query_one("#fb-attendees", TextArea).text == wanted.attendees
        for side, texts in example_lists(wanted).items():
            assert shown_lines(screen, side) == texts
        # the example's brief line follows the workbook's campaign brief, and says so
        brief = next(w for w in screen.query(ItemInput) if w.value == BRIEF_LINE)
        note = screen.query_one(f"#{brief.id}-doc", Static)
        assert note.display and shown(note) == "↳ follows the Campaign brief template"
        # nobody had agreed a day or time: the example's fill them
        assert screen.query_one("#fb-weekday", Choice).label == "Thursday"
        assert screen.query_one("#fb-start-time", Input).value == "10:00"
        # everything stays editable: the forum, and a line of a list
        await type_into(pilot, forum, "Brief preview, first Tuesday")
        rule = next(
            w for w in screen.query(ItemInput) if w.side is FeedbackSide.RULE
        )  # the first rule
        await type_into(pilot, rule, "Sales comments; marketing decides")
    saved = read_session(path)
    loop = saved.feedback
    assert (loop.cadence, loop.duration_minutes, loop.brief_weeks) == (Cadence.MONTHLY, 30, 6)
    assert (loop.weekday, loop.start_time) == (wanted.weekday, wanted.start_time)
    assert (wanted.weekday, wanted.start_time) == (Weekday.THURSDAY, dt.time(10, 0))
    assert loop.time_zone == "" and loop.first_meeting is None  # left as they were
    assert loop.forum == "Brief preview, first Tuesday"
    assert loop.attendees == wanted.attendees
    assert lists(saved) == {
        **example_lists(wanted),
        FeedbackSide.RULE: ["Sales comments; marketing decides", *wanted.rules[1:]],
    }
    documents = {i.text: i.document for i in saved.feedback_items if i.document}
    assert documents == {BRIEF_LINE: "campaign-brief"}


async def test_the_button_offers_the_examples_to_the_mouse(tmp_path: Path) -> None:
    path = fresh_on_feedback(tmp_path)
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert await pilot.click("#fb-example")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        dialog.query_one("#workbook-list", OptionList).highlighted = 3
        await pilot.pause()
        assert await pilot.click("#workbook-use")
        await pilot.pause()
        assert not isinstance(app.screen, WorkbookDialog)
    wanted = example("customer-story-swap")
    saved = read_session(path)
    assert saved.feedback.cadence is Cadence.WEEKLY
    assert saved.feedback.forum == wanted.forum
    assert lists(saved) == example_lists(wanted)


async def test_a_written_loop_is_replaced_only_once_the_room_says_so(session_file: Path) -> None:
    written_loop(session_file)
    before = read_session(session_file)
    wanted = example("lead-quality-review")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen

        async def choose_the_third() -> ConfirmDialog:
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, WorkbookDialog)
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            question = app.screen
            assert isinstance(question, ConfirmDialog)
            return question

        # it says what would be replaced, and what stays
        question = await choose_the_third()
        said = shown(question.query_one("#confirm-message", Static))
        assert "“Our own Monday huddle”" in said
        assert "the attendees, 2 things Sales brings and 1 ground rule" in said
        assert f"“{wanted.title}”" in said
        # the example meets on Wednesdays at 14:00: the room's own day and time stay, and it says so
        assert (wanted.weekday, wanted.start_time) == (Weekday.WEDNESDAY, dt.time(14, 0))
        assert "The day and time the room set (Mondays at 09:00) stay" in said
        assert "time zone" in said  # stays
        assert "nobody has agreed yet" not in said
        # "Keep" (where the focus starts): nothing changes, on screen or in the file
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#fb-forum", Input).value == "Our own Monday huddle"
        assert shown_lines(screen, FeedbackSide.SALES) == ["Stories from the week", "Lost deals"]
        kept = read_session(session_file)
        assert kept.feedback == before.feedback
        assert kept.feedback_items == before.feedback_items

        # "Replace" (y): the example's meeting and lists; the room's schedule and tick stay
        await choose_the_third()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#fb-weekday", Choice).label == "Monday"
        assert screen.query_one("#fb-start-time", Input).value == "09:00"
        assert screen.query_one("#fb-forum", Input).value == wanted.forum
        for side, texts in example_lists(wanted).items():
            assert shown_lines(screen, side) == texts
    saved = read_session(session_file)
    loop = saved.feedback
    assert loop.forum == wanted.forum
    assert loop.attendees == wanted.attendees
    assert (loop.cadence, loop.duration_minutes) == (wanted.cadence, wanted.duration_minutes)
    assert lists(saved) == example_lists(wanted)
    assert loop.not_approval_agreed
    assert (loop.weekday, loop.start_time, loop.time_zone, loop.first_meeting) == (
        Weekday.MONDAY,
        dt.time(9, 0),
        "Europe/Lisbon",
        dt.date(2027, 1, 4),
    )
    old_ids = {i.id for i in before.feedback_items}
    assert not old_ids & {i.id for i in saved.feedback_items}


async def test_an_example_fills_only_the_day_or_time_the_room_has_not_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day set and no time: the example fills the time, keeps the day, and says so."""
    path = fresh_on_feedback(tmp_path)
    svc = SessionService.open(path)
    svc.update(svc.session.feedback, weekday=Weekday.MONDAY, time_zone="Europe/Dublin")
    svc.close()
    wanted = example("pipeline-round-table")
    assert (wanted.weekday, wanted.start_time) == (Weekday.TUESDAY, dt.time(16, 0))
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = record_notifications(app, monkeypatch)
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        detail = shown(dialog.query_one("#workbook-detail", Static))
        assert "Tuesdays at 16:00, where the room has set no day or time" in detail
        await pilot.press("enter")  # no words written: nothing to replace, nothing asked
        await pilot.pause()
        assert not isinstance(app.screen, (WorkbookDialog, ConfirmDialog))
        assert notes == ["Kept the day the room set (Mondays)."]
        screen = app.screen
        assert screen.query_one("#fb-weekday", Choice).label == "Monday"
        assert screen.query_one("#fb-start-time", Input).value == "16:00"
        assert screen.query_one("#fb-time-zone", Input).value == "Europe/Dublin"
    loop = read_session(path).feedback
    assert (loop.weekday, loop.start_time, loop.time_zone) == (
        Weekday.MONDAY,
        dt.time(16, 0),
        "Europe/Dublin",
    )
    assert loop.forum == wanted.forum


async def test_the_question_says_which_day_and_time_an_example_would_set(
    session_file: Path,
) -> None:
    """Words written, no day or time set: the question says what the example sets."""
    svc = SessionService.open(session_file)
    svc.set_step(StepId.FEEDBACK)
    svc.update(svc.session.feedback, forum="Our huddle")
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("end", "enter")  # the customer-story swap: Fridays at 11:30
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        said = shown(question.query_one("#confirm-message", Static))
        assert "It sets the day and time nobody has agreed yet: Fridays at 11:30." in said
        assert "The time zone, first meeting and the agreement stay as they are." in said
        await pilot.press("y")
        await pilot.pause()
    loop = read_session(session_file).feedback
    assert (loop.weekday, loop.start_time) == (Weekday.FRIDAY, dt.time(11, 30))


async def shows(pilot: Pilot[None], field: Input, text: str) -> bool:
    """Whether *field* comes to show *text*: what it understood replaces what was typed
    once Enter has gone through the field's own message queue (bounded; on a busy
    machine that takes more than one pause)."""
    for _ in range(100):
        if field.value == text:
            return True
        await pilot.pause(0.02)
    return field.value == text


async def test_the_meeting_is_saved_as_fields(session_file: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 11, 27))
    put_room_on_step(session_file, StepId.FEEDBACK)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        weekday = screen.query_one("#fb-weekday", Choice)
        assert weekday.label == "Not agreed"
        weekday.focus()
        await pilot.press("right", "right")  # not agreed -> Monday -> Tuesday
        assert weekday.label == "Tuesday"
        start = screen.query_one("#fb-start-time", Input)
        await type_into(pilot, start, "4pm")
        assert await shows(pilot, start, "16:00")  # shown as understood
        zone = screen.query_one("#fb-time-zone", Input)
        await type_into(pilot, zone, "europe/london")
        assert await shows(pilot, zone, "Europe/London")
        first = screen.query_one("#fb-first-meeting", Input)
        await type_into(pilot, first, "+2w")
        assert await shows(pilot, first, "2026-12-11")
        assert widget_text(start)[0].startswith("16:00")
    loop = read_session(session_file).feedback
    assert (loop.weekday, loop.start_time, loop.time_zone, loop.first_meeting) == (
        Weekday.TUESDAY,
        dt.time(16, 0),
        "Europe/London",
        dt.date(2026, 12, 11),
    )


async def test_a_time_or_zone_it_cannot_read_is_refused_with_its_reason(
    session_file: Path,
) -> None:
    svc = SessionService.open(session_file)
    svc.set_step(StepId.FEEDBACK)
    svc.update(svc.session.feedback, start_time=dt.time(16, 0), time_zone="Europe/Berlin")
    svc.close()
    before = read_session(session_file).feedback
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = screen.query_one("#fb-start-time", Input)
        assert start.value == "16:00"
        await type_into(pilot, start, "25:00")
        reason = screen.query_one("#fb-start-time-reason", Static)
        assert shown(reason) == "Start time: 25:00 is not a time of day"
        assert start.value == "25:00" and start.has_class("-invalid")  # the typing stays
        await type_into(pilot, start, "soon")
        assert shown(reason) == f"Start time must be a time {TIME_EXAMPLE}"
        zone = screen.query_one("#fb-time-zone", Input)
        await type_into(pilot, zone, "Mars/Olympus")
        zone_reason = screen.query_one("#fb-time-zone-reason", Static)
        assert "“Mars/Olympus” is unknown" in shown(zone_reason)
        assert "empty: this computer's time" in shown(zone_reason)
        assert zone.value == "Mars/Olympus"
        assert len(screen.query(".reason")) == 2  # one line each, under its own field
        assert read_session(session_file).feedback == before
        # corrected: saved, and the reason goes
        await type_into(pilot, start, "1600")
        assert not reason.display and not start.has_class("-invalid")
        await type_into(pilot, zone, "")
        assert not zone_reason.display
    loop = read_session(session_file).feedback
    assert (loop.start_time, loop.time_zone) == (dt.time(16, 0), "")


async def test_a_read_only_copy_offers_no_example(session_file: Path) -> None:
    written_loop(session_file)
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one("#fb-example", Button).display
        assert not offered(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#fb-weekday", Choice).disabled
        assert screen.query_one("#fb-time-zone", Input).value == "Europe/Lisbon"
    assert session_file.read_bytes() == before

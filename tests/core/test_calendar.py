"""The calendar file: the loop's recurring meeting, the next review, the due actions.

Every test reads the file back with the library's own parser, as a calendar
app would, rather than matching text.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Event

from alignment_tui.sessions.calendar import (
    DEFAULT_SUMMARY,
    PRODID,
    recurrence,
    render_ics,
    vtimezone,
)
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import (
    Action,
    ActionStatus,
    Cadence,
    FeedbackItem,
    FeedbackLoop,
    FeedbackSide,
    Participant,
    Session,
    StepId,
    Team,
    Weekday,
)
from conftest import PINNED_AT, PinnedClock

GOLDEN = Path(__file__).parent / "golden" / "demo.ics"
#: The golden file's moment, in UTC so that the file is the same in every local time zone.
PINNED_UTC = PINNED_AT.replace(tzinfo=dt.UTC)


def parse(text: str) -> Calendar:
    cal = Calendar.from_ical(text)
    assert isinstance(cal, Calendar)
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert text.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    return cal


def events(cal: Calendar) -> list[Event]:
    return [c for c in cal.walk("VEVENT") if isinstance(c, Event)]


def the_loop(cal: Calendar) -> Event:
    loops = [e for e in events(cal) if str(e["UID"]).startswith("loop-")]
    assert len(loops) == 1
    return loops[0]


def attendees(event: Event) -> list[Any]:
    found = event.get("ATTENDEE", [])
    return list(found) if isinstance(found, list) else [found]


def agree_loop(session: Session, **fields: object) -> None:
    values: dict[str, object] = {
        "cadence": Cadence.FORTNIGHTLY,
        "forum": "Pipeline round-table",
        "duration_minutes": 45,
        "weekday": Weekday.TUESDAY,
        "start_time": dt.time(16, 0),
        "time_zone": "Europe/Berlin",
        "first_meeting": dt.date(2026, 12, 1),
    }
    values.update(fields)
    session.feedback = FeedbackLoop.model_validate(values)


def with_emails(session: Session) -> None:
    session.participants[0].email = "sam@acme.example.com"
    session.participants[3].email = "lena@acme.example.com"


# ---------------------------------------------------------------------------
# The loop's meeting
# ---------------------------------------------------------------------------


def test_demo_loop_is_one_recurring_meeting_in_its_time_zone(clock: PinnedClock) -> None:
    session = demo_session()
    cal = parse(render_ics(session))
    loop = the_loop(cal)
    start = loop.decoded("DTSTART")
    assert start == dt.datetime(2026, 12, 1, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert loop["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert loop.decoded("DURATION") == dt.timedelta(minutes=45)
    assert loop["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2"
    assert str(loop["SUMMARY"]) == session.feedback.forum
    description = str(loop["DESCRIPTION"])
    assert "Sales brings:\n- Three customer stories" in description
    assert "Marketing brings:\n- Campaign briefs" in description
    assert "Ground rules:\n- Feedback is advice" in description
    assert "Feedback, not approval" in description
    assert cal.get_missing_tzids() == set()
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    assert loop["DTSTAMP"].dt == clock.now().replace(microsecond=0)


def test_attendees_are_the_people_with_an_e_mail(clock: PinnedClock) -> None:
    session = demo_session()
    loop = the_loop(parse(render_ics(session)))
    expected = {f"mailto:{p.email}": p.name for p in session.participants if p.email}
    assert len(expected) == 4 < len(session.participants)
    assert {str(a): a.params["CN"] for a in attendees(loop)} == expected


def test_the_vtimezone_uses_yearly_rules_that_outlook_reads() -> None:
    zone = vtimezone("Europe/Berlin", 2027)
    assert zone is not None
    text = zone.to_ical().decode()
    assert "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert len(zone.walk("STANDARD")) == len(zone.walk("DAYLIGHT")) == 1
    # The definition says what the zone database says, on both sides of each change.
    tz = zone.to_tz()
    berlin = ZoneInfo("Europe/Berlin")
    for moment in (
        dt.datetime(2027, 1, 5, 16),
        dt.datetime(2027, 3, 30, 16),
        dt.datetime(2027, 10, 26, 16),
        dt.datetime(2029, 7, 3, 16),
    ):
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=berlin).utcoffset()


@pytest.mark.parametrize(
    "name", ["America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Santiago"]
)
def test_other_zones_get_a_definition_that_matches_the_zone_database(name: str) -> None:
    zone = vtimezone(name, 2027)
    assert zone is not None
    tz = zone.to_tz()
    reference = ZoneInfo(name)
    for month in range(1, 13):
        moment = dt.datetime(2027, month, 15, 12)
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=reference).utcoffset()


@pytest.mark.parametrize(
    ("cadence", "first", "rule"),
    [
        (Cadence.WEEKLY, dt.date(2026, 12, 1), "FREQ=WEEKLY"),
        (Cadence.FORTNIGHTLY, dt.date(2026, 12, 1), "FREQ=WEEKLY;INTERVAL=2"),
        (Cadence.MONTHLY, dt.date(2026, 12, 1), "FREQ=MONTHLY;BYDAY=1TU"),
        (Cadence.MONTHLY, dt.date(2026, 12, 17), "FREQ=MONTHLY;BYDAY=3TH"),
        (Cadence.MONTHLY, dt.date(2026, 12, 29), "FREQ=MONTHLY;BYDAY=-1TU"),
        (Cadence.QUARTERLY, dt.date(2026, 12, 8), "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"),
    ],
)
def test_each_cadence_has_its_repeat_rule(
    cadence: Cadence, first: dt.date, rule: str, session: Session, clock: PinnedClock
) -> None:
    assert recurrence(cadence, first)  # the public helper agrees with the file
    agree_loop(
        session, cadence=cadence, first_meeting=first, weekday=list(Weekday)[first.weekday()]
    )
    loop = the_loop(parse(render_ics(session)))
    assert loop["RRULE"].to_ical().decode() == rule
    assert loop.decoded("DTSTART").date() == first


def test_quarterly_meetings_fall_on_the_same_weekday_of_the_same_week(
    session: Session, clock: PinnedClock
) -> None:
    agree_loop(session, cadence=Cadence.QUARTERLY, first_meeting=dt.date(2026, 12, 8))
    loop = the_loop(parse(render_ics(session)))
    rule = rrulestr(loop["RRULE"].to_ical().decode(), dtstart=loop.decoded("DTSTART"))
    dates = [d.date() for d in list(rule)[:4]]
    assert dates == [
        dt.date(2026, 12, 8),
        dt.date(2027, 3, 9),
        dt.date(2027, 6, 8),
        dt.date(2027, 9, 14),
    ]


def test_without_a_first_meeting_the_series_starts_on_the_weekday_after_the_workshop(
    session: Session, clock: PinnedClock
) -> None:
    # The workshop was on Friday 27 November 2026: the first Tuesday is 1 December.
    agree_loop(session, first_meeting=None)
    assert the_loop(parse(render_ics(session))).decoded("DTSTART").date() == dt.date(2026, 12, 1)
    # On the agreed weekday itself, it is that day.
    agree_loop(session, first_meeting=None, weekday=Weekday.FRIDAY)
    assert the_loop(parse(render_ics(session))).decoded("DTSTART").date() == dt.date(2026, 11, 27)


def test_a_first_meeting_on_another_weekday_moves_to_the_agreed_one(
    session: Session, clock: PinnedClock
) -> None:
    agree_loop(session, first_meeting=dt.date(2026, 12, 3))  # a Thursday; loop on Tuesdays
    assert the_loop(parse(render_ics(session))).decoded("DTSTART").date() == dt.date(2026, 12, 8)


def test_without_a_time_zone_the_meeting_is_in_floating_local_time(
    session: Session, clock: PinnedClock
) -> None:
    agree_loop(session, time_zone="")
    cal = parse(render_ics(session))
    loop = the_loop(cal)
    assert loop.decoded("DTSTART") == dt.datetime(2026, 12, 1, 16, 0)
    assert "TZID" not in loop["DTSTART"].params
    assert cal.walk("VTIMEZONE") == []
    assert "(local time)" in str(loop["DESCRIPTION"])
    assert attendees(loop) == []  # nobody in the room gave an e-mail


def test_an_unknown_zone_is_read_as_local_time(session: Session, clock: PinnedClock) -> None:
    agree_loop(session, time_zone="Mars/Olympus_Mons")
    cal = parse(render_ics(session))
    assert the_loop(cal).decoded("DTSTART").tzinfo is None
    assert cal.walk("VTIMEZONE") == []


def test_utc_needs_no_zone_definition(session: Session, clock: PinnedClock) -> None:
    agree_loop(session, time_zone="UTC")
    cal = parse(render_ics(session))
    assert the_loop(cal).decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert cal.walk("VTIMEZONE") == []
    assert cal.get_missing_tzids() == set()


def test_attendees_only_for_people_with_an_e_mail(session: Session, clock: PinnedClock) -> None:
    agree_loop(session)
    with_emails(session)
    loop = the_loop(parse(render_ics(session)))
    assert [str(a) for a in attendees(loop)] == [
        "mailto:sam@acme.example.com",
        "mailto:lena@acme.example.com",
    ]
    assert [a.params["CN"] for a in attendees(loop)] == ["Sam Sales", "Lena"]


@pytest.mark.parametrize("missing", ["weekday", "start_time"])
def test_a_loop_without_day_or_time_is_not_agreed_and_left_out(
    missing: str, session: Session, clock: PinnedClock
) -> None:
    agree_loop(session, **{missing: None})
    cal = parse(render_ics(session))
    assert not [e for e in events(cal) if str(e["UID"]).startswith("loop-")]
    assert cal.walk("VTIMEZONE") == []


def test_a_loop_without_a_forum_has_a_plain_title(session: Session, clock: PinnedClock) -> None:
    agree_loop(session, forum="  ")
    assert str(the_loop(parse(render_ics(session)))["SUMMARY"]) == DEFAULT_SUMMARY


# ---------------------------------------------------------------------------
# The review and the actions
# ---------------------------------------------------------------------------


def test_the_next_review_is_an_all_day_entry(session: Session, clock: PinnedClock) -> None:
    session.meta.next_review = dt.date(2027, 1, 14)
    (review,) = events(parse(render_ics(session)))
    assert str(review["UID"]).startswith("review-")
    assert review.decoded("DTSTART") == dt.date(2027, 1, 14)
    assert review.decoded("DTEND") == dt.date(2027, 1, 15)
    assert "Q4 alignment" in str(review["SUMMARY"])


def test_open_and_in_progress_actions_with_a_due_date_are_entries(
    session: Session, clock: PinnedClock
) -> None:
    session.actions = [
        Action(id=1, text="Open one", owner_id=1, due=dt.date(2026, 12, 10), step=StepId.CRM),
        Action(id=2, text="Doing one", due=dt.date(2026, 12, 11), status=ActionStatus.DOING),
        Action(id=3, text="Done one", due=dt.date(2026, 12, 12), status=ActionStatus.DONE),
        Action(id=4, text="Dropped one", due=dt.date(2026, 12, 13), status=ActionStatus.DROPPED),
        Action(id=5, text="Open, no date"),
    ]
    entries = events(parse(render_ics(session)))
    assert [str(e["SUMMARY"]) for e in entries] == ["Due: Open one", "Due: Doing one"]
    first, second = entries
    assert first.decoded("DTSTART") == dt.date(2026, 12, 10)
    assert "Owner: Sam Sales" in str(first["DESCRIPTION"])
    assert "Step: Marketing inside the CRM" in str(first["DESCRIPTION"])
    assert "Owner: not named" in str(second["DESCRIPTION"])
    assert "Status: in progress" in str(second["DESCRIPTION"])


def test_demo_actions_leave_out_the_closed_ones(clock: PinnedClock) -> None:
    session = demo_session()
    cal = parse(render_ics(session))
    due = [e for e in events(cal) if str(e["UID"]).startswith("action-")]
    expected = [a for a in session.open_actions() if a.due is not None]
    assert len(due) == len(expected) < len(session.actions)
    assert {str(e["SUMMARY"]) for e in due} == {f"Due: {a.text}" for a in expected}


def test_uids_are_stable_across_exports_and_differ_between_sessions(
    session: Session, clock: PinnedClock
) -> None:
    first = parse(render_ics(demo_session()))
    clock.advance(3600)
    again = parse(render_ics(demo_session()))
    uids = [str(e["UID"]) for e in events(first)]
    assert uids == [str(e["UID"]) for e in events(again)]
    assert len(set(uids)) == len(uids)
    assert all(u.endswith("@alignment-tui") for u in uids)
    other = demo_session()
    other.meta.created_at += dt.timedelta(days=1)
    assert not set(uids) & {str(e["UID"]) for e in events(parse(render_ics(other)))}


# ---------------------------------------------------------------------------
# Blank and hostile sessions
# ---------------------------------------------------------------------------


def test_a_blank_session_is_a_valid_empty_calendar(session: Session, clock: PinnedClock) -> None:
    text = render_ics(session)
    cal = parse(text)
    assert events(cal) == []
    assert cal.walk("VTIMEZONE") == []
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")


HOSTILE = "<b>[red]x[/red]</b> \x1b[31mred\x1b[0m \x00 nul \x07 bell \u202e evil\r\nline two\n"


def test_hostile_text_is_shown_never_obeyed(session: Session, clock: PinnedClock) -> None:
    long = "word " * 20_000  # 100 000 characters
    session.feedback = FeedbackLoop.model_construct(
        **{
            **FeedbackLoop().model_dump(),
            "forum": HOSTILE + long,
            "attendees": long,
            "weekday": Weekday.MONDAY,
            "start_time": dt.time(9, 30),
            "time_zone": "Europe/Berlin",
        }
    )
    session.feedback_items = [
        FeedbackItem(id=1, side=FeedbackSide.SALES, text=HOSTILE),
        FeedbackItem(id=2, side=FeedbackSide.RULE, text="; , \\ : \" ' BEGIN:VEVENT"),
    ]
    session.participants.append(
        Participant(id=5, name='Zoë "Z" O\'Neil, \x1b[2J', team=Team.OTHER, email="zoe@x.example")
    )
    session.meta.title = "Q4\x1b]0;pwned\x07 alignment\nEND:VCALENDAR"
    session.meta.next_review = dt.date(2027, 1, 14)
    session.actions = [
        Action(id=1, text="Do \x1b[31mthis\x1b[0m\u202e now", due=dt.date(2026, 12, 10))
    ]
    text = render_ics(session)
    for bad in ("\x1b", "\x00", "\x07", "\u202e"):
        assert bad not in text
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VCALENDAR") == lines.count("END:VCALENDAR") == 1
    assert lines.count("BEGIN:VEVENT") == 3
    cal = parse(text)
    loop = the_loop(cal)
    summary = str(loop["SUMMARY"])
    assert "\n" not in summary and "\r" not in summary
    assert summary.startswith("<b>[red]x[/red]</b> ␛[31mred␛[0m ␀ nul ␇ bell \\u202e evil")
    assert len(summary) <= 200
    description = str(loop["DESCRIPTION"])
    assert "- <b>[red]x[/red]</b> ␛[31mred␛[0m ␀ nul" in description
    assert "evil\nline two" in description
    assert "; , \\ : \" ' BEGIN:VEVENT" in description
    assert description.count("word") == 20_000
    zoe = next(a for a in attendees(loop) if str(a) == "mailto:zoe@x.example")
    assert zoe.params["CN"] == 'Zoë "Z" O\'Neil, ␛[2J'
    review = next(e for e in events(cal) if str(e["UID"]).startswith("review-"))
    assert "\n" not in str(review["SUMMARY"])
    assert "␛]0;pwned␇" in str(review["SUMMARY"])
    action = next(e for e in events(cal) if str(e["UID"]).startswith("action-"))
    assert str(action["SUMMARY"]) == "Due: Do ␛[31mthis␛[0m\\u202e now"
    assert str(cal["X-WR-CALNAME"]) == "Q4␛]0;pwned␇ alignment END:VCALENDAR"


def test_dates_at_the_ends_of_the_calendar_do_not_break_it(
    session: Session, clock: PinnedClock
) -> None:
    for first in (dt.date(1, 1, 1), dt.date(9999, 12, 27)):
        agree_loop(session, first_meeting=first, weekday=list(Weekday)[first.weekday()])
        loop = the_loop(parse(render_ics(session)))
        assert loop.decoded("DTSTART").date() == first
    agree_loop(session, first_meeting=dt.date(9999, 12, 31), weekday=Weekday.MONDAY)
    assert not [e for e in events(parse(render_ics(session))) if "RRULE" in e]


# ---------------------------------------------------------------------------
# The demo's golden file
# ---------------------------------------------------------------------------


def test_demo_calendar_matches_golden_file(clock: PinnedClock) -> None:
    # Rendered with the clock at conftest.PINNED_AT, read as UTC (DTSTAMP:20261204T100000Z).
    # After an intended change: ALIGNMENT_TUI_UPDATE_GOLDEN=1 pytest tests/core/test_calendar.py
    clock.set(PINNED_UTC)
    text = render_ics(demo_session())
    if os.environ.get("ALIGNMENT_TUI_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert text == GOLDEN.read_bytes().decode("utf-8")
    assert "DTSTAMP:20261204T100000Z\r\n" in text

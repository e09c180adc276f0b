"""The calendar file (iCalendar, ``.ics``): the loop's meeting, the next review, the due actions.

``render_ics(session)`` returns the text of one calendar holding:

* the feedback loop as one recurring meeting, when its weekday and start time
  are agreed (a loop without them is left out, never invented): the first
  meeting, its length, the repeat rule of the cadence, the forum as title,
  what each side brings and the ground rules as description, and an
  invitation line for every participant with a known e-mail;
* the next review as an all-day entry on its date;
* one all-day entry per open or in-progress action with a due date.

Every entry's UID is derived from the session's creation time and the
record's id, so importing a later export updates the same entries instead of
adding copies. DTSTAMP comes from the app's clock.

The meeting's time zone is written as a standard zone name (``TZID=Europe/Berlin``)
with its VTIMEZONE: yearly rules (``RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU``),
the form Outlook reads, where the zone's rules allow it (Google and Apple go by
the name); the library's own definition otherwise. With no time zone the
meeting is in floating local time. A zone name the computer does not know is
treated as no time zone.

Typed text follows the app's one rule for control characters (shown, never
obeyed: an ESC arrives as ``␛``), bidi controls are written as ``\\u202e`` as
in every file the app writes, and the library escapes the rest. Titles are
one line.

Imports neither textual nor rich.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import hashlib
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from . import clock
from .models import (
    Action,
    ActionStatus,
    Cadence,
    FeedbackItem,
    FeedbackLoop,
    FeedbackSide,
    Session,
    Weekday,
)
from .text import escape_bidi, snippet, visible

PRODID = "-//alignment-tui//EN"
UID_DOMAIN = "alignment-tui"
#: The title of the loop's meeting when the room named no forum.
DEFAULT_SUMMARY = "Feedback loop meeting"
#: Where a title is cut (the model keeps short texts under 200 characters).
SUMMARY_WIDTH = 200

#: iCalendar's two-letter weekday codes, Monday first (as :meth:`datetime.date.weekday`).
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS = list(Weekday)
_STATUS_WORDS = {ActionStatus.OPEN: "open", ActionStatus.DOING: "in progress"}
_SIDES = (
    (FeedbackSide.SALES, "Sales brings"),
    (FeedbackSide.MARKETING, "Marketing brings"),
    (FeedbackSide.RULE, "Ground rules"),
)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def _text(value: str) -> str:
    """Typed text for a description: controls shown, bidi controls written out, lines kept."""
    return escape_bidi(visible(value.replace("\r\n", "\n")))


def _title(value: str) -> str:
    """Typed text for a title: one line, runs of white space as one space, cut if very long."""
    return snippet(escape_bidi(value), SUMMARY_WIDTH)


def _uid(session: Session, kind: str, record_id: int) -> str:
    seed = f"{session.meta.created_at.isoformat()}|{kind}|{record_id}"
    return f"{kind}-{hashlib.sha256(seed.encode()).hexdigest()[:20]}@{UID_DOMAIN}"


# ---------------------------------------------------------------------------
# The loop's meeting
# ---------------------------------------------------------------------------


def first_meeting_day(loop: FeedbackLoop, workshop_date: dt.date) -> dt.date | None:
    """The date of the loop's first meeting; ``None`` when no weekday is agreed.

    The agreed first meeting, or the workshop's date when none is; moved on to
    the agreed weekday when it falls on another day (a repeat rule counts its
    first date as a meeting, whatever its weekday).
    """
    if loop.weekday is None:
        return None
    day = loop.first_meeting or workshop_date
    wanted = _WEEKDAYS.index(loop.weekday)
    try:
        return day + dt.timedelta(days=(wanted - day.weekday()) % 7)
    except OverflowError:  # no such weekday left before the year 10000
        return None


def recurrence(cadence: Cadence, first: dt.date) -> dict[str, object]:
    """The repeat rule of *cadence* for a series starting on *first*.

    Monthly and quarterly meetings keep the weekday of the same week of the
    month (the first Tuesday: ``BYDAY=1TU``); a meeting in the month's fifth
    week is held on its last such weekday (``-1TU``), which every month has.
    """
    if cadence is Cadence.WEEKLY:
        return {"FREQ": "WEEKLY"}
    if cadence is Cadence.FORTNIGHTLY:
        return {"FREQ": "WEEKLY", "INTERVAL": 2}
    week = (first.day - 1) // 7 + 1
    byday = f"{week if week < 5 else -1}{_BYDAY[first.weekday()]}"
    if cadence is Cadence.MONTHLY:
        return {"FREQ": "MONTHLY", "BYDAY": byday}
    return {"FREQ": "MONTHLY", "INTERVAL": 3, "BYDAY": byday}


def _zone(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _loop_event(session: Session, stamp: dt.datetime) -> tuple[Event, Timezone | None] | None:
    loop = session.feedback
    day = first_meeting_day(loop, session.meta.workshop_date)
    if day is None or loop.start_time is None:
        return None  # Not agreed: no meeting is invented.
    start = dt.datetime.combine(day, loop.start_time.replace(tzinfo=None, microsecond=0))
    event = Event()
    event.add("UID", _uid(session, "loop", loop.id))
    event.add("DTSTAMP", stamp)
    zone = _zone(loop.time_zone)
    timezone: Timezone | None = None
    if zone is not None:
        event.add("DTSTART", start.replace(tzinfo=zone))
        if "TZID" in event["DTSTART"].params:  # not for UTC, written as "Z"
            timezone = vtimezone(zone.key, day.year)
            if timezone is None:  # no definition to go with the name: local time then
                del event["DTSTART"]
                event.add("DTSTART", start)
    else:
        event.add("DTSTART", start)
    if loop.duration_minutes:
        event.add("DURATION", dt.timedelta(minutes=loop.duration_minutes))
    event.add("RRULE", recurrence(loop.cadence, day))
    event.add("SUMMARY", _title(loop.forum) or DEFAULT_SUMMARY)
    event.add("DESCRIPTION", _loop_description(session))
    for person in session.participants:
        email = person.email.strip()
        if not email or not email.isprintable() or '"' in email:
            continue
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["CN"] = _title(person.name)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        event.add("ATTENDEE", attendee, encode=False)
    return event, timezone


def _items(session: Session, side: FeedbackSide) -> list[FeedbackItem]:
    items = [i for i in session.feedback_items if i.side is side and i.text.strip()]
    return sorted(items, key=lambda i: (i.position, i.id))


def _loop_description(session: Session) -> str:
    loop = session.feedback
    lines: list[str] = []
    when = f"{loop.cadence.value.capitalize()} on {loop.weekday.value}s" if loop.weekday else ""
    if loop.start_time is not None:
        when += f" at {loop.start_time.strftime('%H:%M')}"
        when += f" ({loop.time_zone})" if _zone(loop.time_zone) else " (local time)"
    if loop.duration_minutes:
        when += f", {loop.duration_minutes} minutes"
    lines.append(when + ".")
    if loop.attendees.strip():
        lines.append(f"Attendees: {_text(loop.attendees.strip())}")
    for side, heading in _SIDES:
        items = _items(session, side)
        if items:
            lines.append("")
            lines.append(f"{heading}:")
            lines.extend(f"- {_text(i.text.strip())}" for i in items)
    if loop.not_approval_agreed:
        lines.append("")
        lines.append(
            "Feedback, not approval: nothing brought to this meeting is a sign-off gate; "
            "the owner of the work decides."
        )
    lines.append("")
    lines.append(_from_workshop(session))
    return "\n".join(lines)


def _from_workshop(session: Session) -> str:
    meta = session.meta
    where = f", {meta.organisation.strip()}" if meta.organisation.strip() else ""
    return _text(f"Agreed in the workshop {meta.title}{where} on {meta.workshop_date.isoformat()}.")


# ---------------------------------------------------------------------------
# The time zone, in the form Outlook reads
# ---------------------------------------------------------------------------

_DAY = dt.timedelta(days=1)


def _transitions(
    zone: ZoneInfo, year: int
) -> Iterator[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """Each change of *zone*'s offset in *year*: (local wall time before it, from, to)."""
    moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        later = moment + _DAY
        after = later.astimezone(zone).utcoffset()
        if after != offset:
            low, high = moment, later  # offset at low, after at high: narrow to the second
            while high - low > dt.timedelta(seconds=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    low = mid
                else:
                    high = mid
            assert offset is not None and after is not None
            yield (high + offset).replace(tzinfo=None), offset, after
            offset = after
        moment = later


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> int:
    """The day of the month of its *nth* *weekday* (``-1``: the last)."""
    if nth > 0:
        first = (weekday - dt.date(year, month, 1).weekday()) % 7 + 1
        return first + 7 * (nth - 1)
    last = _stdcal.monthrange(year, month)[1]
    return last - (dt.date(year, month, last).weekday() - weekday) % 7


def _offset_name(zone: ZoneInfo, wall: dt.datetime, offset: dt.timedelta) -> str:
    moment = (wall - offset).replace(tzinfo=dt.UTC).astimezone(zone)
    return moment.tzname() or ""


def _yearly_rules(zone: ZoneInfo, name: str, year: int) -> Timezone | None:
    """A VTIMEZONE with one observance per yearly rule; ``None`` if the zone has no such rules.

    The rules are read from the zone's changes from the year before *year* to
    two years after; a zone that keeps one offset all that time gets one
    observance without rules.
    """
    years = range(year - 1, year + 3)
    changes = [list(_transitions(zone, y)) for y in years]
    timezone = Timezone()
    timezone.add("TZID", name)
    if not any(changes):
        wall = dt.datetime(years[0], 1, 1)
        offset = wall.replace(tzinfo=zone).utcoffset()
        assert offset is not None
        standard = TimezoneStandard()
        standard.add("DTSTART", wall)
        standard.add("TZOFFSETFROM", offset)
        standard.add("TZOFFSETTO", offset)
        standard.add("TZNAME", wall.replace(tzinfo=zone).tzname() or name)
        timezone.add_component(standard)
        return timezone
    if any(len(c) != 2 for c in changes):
        return None
    for position in range(2):
        first_wall, offset_from, offset_to = changes[0][position]
        day = first_wall.day
        nth = (
            -1
            if day + 7 > _stdcal.monthrange(first_wall.year, first_wall.month)[1]
            else ((day - 1) // 7 + 1)
        )
        weekday = first_wall.weekday()
        for y, change in zip(years, changes, strict=True):
            wall, o_from, o_to = change[position]
            expected = first_wall.replace(
                year=y, day=_nth_weekday(y, first_wall.month, weekday, nth)
            )
            if (wall, o_from, o_to) != (expected, offset_from, offset_to):
                return None
        observance = TimezoneDaylight() if offset_to > offset_from else TimezoneStandard()
        observance.add("DTSTART", first_wall)
        observance.add("TZOFFSETFROM", offset_from)
        observance.add("TZOFFSETTO", offset_to)
        observance.add(
            "RRULE",
            {"FREQ": "YEARLY", "BYMONTH": first_wall.month, "BYDAY": f"{nth}{_BYDAY[weekday]}"},
        )
        observance.add("TZNAME", _offset_name(zone, first_wall, offset_from) or name)
        timezone.add_component(observance)
    return timezone


def vtimezone(name: str, year: int) -> Timezone | None:
    """The VTIMEZONE of zone *name* for a series that starts in *year* (``None``: unknown zone)."""
    zone = _zone(name)
    if zone is None or not 2 <= year <= dt.MAXYEAR - 11:
        return None
    rules = _yearly_rules(zone, name, year)
    if rules is not None:
        return rules
    try:
        return Timezone.from_tzid(
            name, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 10, 1, 1)
        )
    except (ValueError, OverflowError):
        return None


# ---------------------------------------------------------------------------
# All-day entries
# ---------------------------------------------------------------------------


def _all_day(uid: str, stamp: dt.datetime, day: dt.date, summary: str, description: str) -> Event:
    event = Event()
    event.add("UID", uid)
    event.add("DTSTAMP", stamp)
    event.add("DTSTART", day)
    event.add("DTEND", day + _DAY)
    event.add("SUMMARY", summary)
    event.add("DESCRIPTION", description)
    event.add("TRANSP", "TRANSPARENT")
    return event


def _review_event(session: Session, stamp: dt.datetime) -> Event | None:
    meta = session.meta
    if meta.next_review is None:
        return None
    open_count = sum(1 for a in session.open_actions())
    lines = [
        "Review of the funnel's numbers and of the open actions"
        + (f" ({open_count} open at the time of this export)." if open_count else "."),
        "",
        _from_workshop(session),
    ]
    return _all_day(
        _uid(session, "review", meta.id),
        stamp,
        meta.next_review,
        _title(f"Alignment review: {meta.title}"),
        "\n".join(lines),
    )


def _action_event(session: Session, action: Action, stamp: dt.datetime) -> Event | None:
    if action.due is None or action.status not in _STATUS_WORDS:
        return None
    owner = session.owner_name(action)
    lines = [
        f"Owner: {_text(owner) if owner else 'not named'}",
        f"Step: {action.step.label}",
        f"Status: {_STATUS_WORDS[action.status]}",
        "",
        _from_workshop(session),
    ]
    return _all_day(
        _uid(session, "action", action.id),
        stamp,
        action.due,
        _title(f"Due: {action.text}"),
        "\n".join(lines),
    )


# ---------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------


def render_ics(session: Session) -> str:
    """The session's calendar file as text (CRLF line ends, as iCalendar wants)."""
    stamp = clock.now().astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("X-WR-CALNAME", _title(session.meta.title))

    loop = _loop_event(session, stamp)
    if loop is not None:
        event, timezone = loop
        if timezone is not None:
            cal.add_component(timezone)  # a zone before the entries that use it
        cal.add_component(event)

    review = _review_event(session, stamp)
    if review is not None:
        cal.add_component(review)

    dated = sorted(
        (a for a in session.actions if a.due is not None),
        key=lambda a: (a.due or dt.date.min, a.id),
    )
    for action in dated:
        entry = _action_event(session, action, stamp)
        if entry is not None:
            cal.add_component(entry)
    text: bytes = cal.to_ical()
    return text.decode("utf-8")

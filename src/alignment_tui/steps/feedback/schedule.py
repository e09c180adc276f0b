"""When the loop meets, as fields a calendar can use: weekday, start time, time zone, first meeting.

Each is a bound field of the form layer, in the meeting section beside the
cadence and the length. What the room types is read generously ("16:00",
"4pm", "1600"; "europe/london"; "+2w") and shown as saved once the field is
left, so the room sees what was understood. A value that cannot be read is
refused with one reason under its field, and the typing stays to be corrected.
Nothing here is required: a blank is "not agreed yet".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from ...form.choice import Choice
from ...form.fields import DateInput, Field, SavingInput
from ...sessions.models import FeedbackLoop, Weekday
from ...sessions.parse import parse_date
from ...sessions.text import snippet

START_TIME = "Start time"
TIME_ZONE = "Time zone"
FIRST_MEETING = "First meeting"
NOT_AGREED = "Not agreed"
#: What a start time the field cannot read is told to look like.
TIME_EXAMPLE = "like 16:00, 4pm or 1600"
#: Names ZoneInfo accepts that are files of the zone database, not places.
NOT_PLACES = {"localtime", "posixrules", "factory"}

_CLOCK = re.compile(r"^(\d{1,2})[:.h](\d{2})$")
_DIGITS = re.compile(r"^(\d{1,2})(\d{2})$")
_AM_PM = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$", re.I)


def parse_start_time(text: str) -> dt.time | None:
    """A time of day: ``16:00``, ``16.00``, ``4pm``, ``4:30 pm``, ``1600``, ``noon``; blank: none."""
    raw = text.strip()
    if not raw:
        return None
    if raw.lower() in ("noon", "midday"):
        return dt.time(12, 0)
    am_pm = _AM_PM.match(raw)
    if am_pm:
        hour, minute = int(am_pm.group(1)), int(am_pm.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ValueError(f"{START_TIME}: {raw} is not a time of day")
        hour = hour % 12 + (12 if am_pm.group(3).lower() == "p" else 0)
        return dt.time(hour, minute)
    clock = _CLOCK.match(raw) or _DIGITS.match(raw)
    if not clock:
        raise ValueError(f"{START_TIME} must be a time {TIME_EXAMPLE}")
    hour, minute = int(clock.group(1)), int(clock.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"{START_TIME}: {raw} is not a time of day")
    return dt.time(hour, minute)


def show_time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def _is_zone(name: str) -> bool:
    if name.casefold() in NOT_PLACES:
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found, not a key, a folder or not a zone file
        return False
    return True


def parse_time_zone(text: str) -> str:
    """An IANA time-zone name ("Europe/London", "UTC"), its capitals put right; blank: "".

    Checked with ``ZoneInfo`` (listing every zone takes a noticeable moment).
    """
    raw = text.strip()
    if not raw:
        return ""
    if len(raw) <= 64 and re.fullmatch(r"[A-Za-z][\w+\-]*(/[\w+\-]+)*", raw, re.ASCII):
        titled = re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), raw)
        for name in dict.fromkeys((raw, titled, raw.upper())):
            if _is_zone(name):
                return name
    raise ValueError(
        f"{TIME_ZONE}: “{snippet(raw, 40)}” is unknown; write one like Europe/London "
        "(empty: this computer's time)"
    )


def parse_first_meeting(text: str) -> dt.date | None:
    return parse_date(text, field=FIRST_MEETING)


class ShownAsSaved(SavingInput):
    """A field that shows what it understood ("4pm" reads 16:00) once it is left or Enter is pressed."""

    def __init__(
        self, *, shown: Callable[[Any], str], read: Callable[[], Any], **kwargs: Any
    ) -> None:
        self._shown = shown
        super().__init__(read=lambda: shown(read()), **kwargs)

    def on_blur(self) -> None:
        super().on_blur()
        self._show_understood()

    @on(Input.Submitted)
    def _submitted_understood(self, event: Input.Submitted) -> None:
        if event.input is self:
            self._show_understood()

    def _show_understood(self) -> None:
        if self.refused or self._parse is None:
            return
        try:
            text = self._shown(self._parse(self.value))
        except ValueError:
            return
        if text != self.value:
            self.show(text)


class WeekdayChoice(Choice[Weekday | None]):
    """The day the loop meets, or not agreed yet; cycled in place."""


def schedule_fields(
    loop: Callable[[], FeedbackLoop],
    save: Callable[..., None],
    row: Callable[[str, Any], Field],
) -> ComposeResult:
    """The weekday, start time, time zone and first meeting, each as one labelled row."""
    options: list[tuple[str, Weekday | None]] = [(NOT_AGREED, None)]
    options += [(day.value, day) for day in Weekday]
    yield row(
        "Weekday",
        WeekdayChoice(
            options,
            read=lambda: loop().weekday,
            save=lambda v: save(weekday=v),
            id="fb-weekday",
            tooltip="The day the loop meets: Space or → for the next day, ← back",
        ),
    )
    yield row(
        START_TIME,
        ShownAsSaved(
            read=lambda: loop().start_time,
            shown=show_time,
            parse=parse_start_time,
            save=lambda v: save(start_time=v),
            bubble_changes=False,
            compact=True,
            id="fb-start-time",
            placeholder="16:00",
            tooltip=f"When the meeting starts, {TIME_EXAMPLE}; empty: not agreed yet",
        ),
    )
    yield row(
        TIME_ZONE,
        ShownAsSaved(
            read=lambda: loop().time_zone,
            shown=lambda v: v or "",
            parse=parse_time_zone,
            save=lambda v: save(time_zone=v),
            bubble_changes=False,
            compact=True,
            id="fb-time-zone",
            placeholder="this computer's time (or e.g. Europe/London)",
            tooltip="A time-zone name such as Europe/London or America/New_York; "
            "empty: the time of the computer that opens the calendar",
        ),
    )
    yield row(
        FIRST_MEETING,
        DateInput(
            read=lambda: loop().first_meeting,
            parse=parse_first_meeting,
            save=lambda v: save(first_meeting=v),
            bubble_changes=False,
            compact=True,
            id="fb-first-meeting",
            placeholder="2026-12-31, +2w",
            tooltip="The date of the first meeting: 2026-12-31, today, +3d, +2w or +1m",
        ),
    )

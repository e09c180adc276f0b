"""The session's details: title, organisation, date, facilitator and workshop length.

Each is a bound field: it reads the session's value and saves as it is typed.
A value the core refuses (no title, a date that is not one, a length over a
day) stays as typed with the reason under the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from textual.containers import Horizontal

from ...form.fields import DateInput, SavingInput, TitledField
from ...form.row import FieldRow
from ...sessions.parse import parse_count, parse_date
from ...sessions.service import SessionService

#: The longest workshop the timeboxes are planned for, in minutes.
LONGEST_WORKSHOP = 24 * 60


def parse_workshop_date(text: str) -> dt.date | None:
    return parse_date(text, field="Date", allow_blank=False)


def parse_minutes(text: str) -> int | None:
    minutes = parse_count(text, field="Workshop length", allow_blank=False, example=180)
    if minutes is not None and minutes > LONGEST_WORKSHOP:
        raise ValueError(f"Workshop length must be {LONGEST_WORKSHOP} minutes (a day) or less")
    return minutes


def compose_details(service: SessionService) -> Iterator[Horizontal | TitledField]:
    """The detail fields, two rows of them (yielded inside the pane's "Session" section)."""

    def meta(name: str) -> object:
        return getattr(service.session.meta, name)

    def saver(name: str, *, strip: bool = False) -> Callable[[object], None]:
        def save(value: object) -> None:
            if strip and isinstance(value, str):
                value = value.strip()
            service.update_meta(**{name: value})

        return save

    with FieldRow(classes="setup-row"):
        yield TitledField(
            "Title",
            SavingInput(read=lambda: meta("title"), save=saver("title"), id="setup-title"),
        )
        yield TitledField(
            "Organisation",
            SavingInput(
                read=lambda: meta("organisation"),
                save=saver("organisation", strip=True),
                placeholder="company or unit",
                id="setup-organisation",
            ),
        )
    with FieldRow(classes="setup-row"):
        yield TitledField(
            "Date",
            DateInput(
                read=lambda: meta("workshop_date"),
                parse=parse_workshop_date,
                save=saver("workshop_date"),
                placeholder="YYYY-MM-DD",
                id="setup-date",
            ),
            classes="setup-date",
        )
        yield TitledField(
            "Facilitator",
            SavingInput(
                read=lambda: meta("facilitator"),
                save=saver("facilitator", strip=True),
                placeholder="who runs the room",
                id="setup-facilitator",
            ),
        )
        yield TitledField(
            "Minutes",
            SavingInput(
                read=lambda: meta("workshop_minutes"),
                parse=parse_minutes,
                save=saver("workshop_minutes"),
                id="setup-minutes",
            ),
            classes="setup-minutes",
        )

"""A refused whole number's reason names the field as its label does and gives an example
that fits the field: minutes like 180, dot votes like 5, weeks like 4, counts like 1,200."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.agenda import AgendaScreen
from alignment_tui.form.refusal import reason_of
from alignment_tui.sessions.models import Goal, StepId
from alignment_tui.sessions.service import SessionService
from step_helpers import put_room_on_step


async def _reason_after_typing(pilot, field: Input, text: str) -> str:  # type: ignore[no-untyped-def]
    field.focus()
    await pilot.press("ctrl+u", *text, "enter")
    await pilot.pause()
    reason = reason_of(field)
    assert reason is not None and reason.display, f"{field.id}: no reason for {text!r}"
    return str(reason.content)


@pytest.mark.parametrize(
    ("step", "field_id", "typed", "reason"),
    [
        (
            StepId.SETUP,
            "#setup-minutes",
            "three hours",
            "Workshop length must be a whole number, like 180",
        ),
        (StepId.GOALS, "#goal-votes", "two", "Dot votes must be a whole number, like 5"),
        (
            StepId.FEEDBACK,
            "#fb-duration",
            "an hour",
            "Duration (minutes) must be a whole number, like 45",
        ),
        (
            StepId.FEEDBACK,
            "#fb-brief-weeks",
            "six",
            "Briefs, weeks ahead must be a whole number, like 4",
        ),
        (StepId.FEEDBACK, "#fb-brief-weeks", "-1", "Briefs, weeks ahead cannot be negative"),
        (
            StepId.FEEDBACK,
            "#fb-brief-weeks",
            "53",
            "Briefs, weeks ahead must be 52 or fewer (a year)",
        ),
    ],
)
async def test_a_step_field_reason_fits_the_field(
    session_file: Path, step: StepId, field_id: str, typed: str, reason: str
) -> None:
    if step is StepId.GOALS:
        svc = SessionService.open(session_file)
        svc.add(Goal, statement="Shorter sales cycle", measure="days to close", votes=2)
        svc.close()
    put_room_on_step(session_file, step)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        field = app.screen.query_one(field_id, Input)
        assert await _reason_after_typing(pilot, field, typed) == reason


async def test_agenda_minutes_reason_gives_minutes(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        crm = agenda.query_one("#agenda-crm", Input)
        assert await _reason_after_typing(pilot, crm, "abc") == (
            "Minutes for CRM access must be a whole number, like 15"
        )
        length = agenda.query_one("#agenda-length", Input)
        assert await _reason_after_typing(pilot, length, "all day") == (
            "Workshop length must be a whole number, like 180"
        )

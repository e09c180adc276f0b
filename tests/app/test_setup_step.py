"""Set-up step: session details and the people, driven by keys; the one-lead-per-team rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.sessions.models import Participant, StepId, Team
from alignment_tui.sessions.service import ChangeRefused, SessionService
from alignment_tui.steps.setup.pane import ParticipantDialog


def test_service_refuses_a_second_lead_and_the_file_still_opens(session_file: Path) -> None:
    service = SessionService.open(session_file)
    try:
        with pytest.raises(ChangeRefused, match="Sam Sales is already the Sales lead"):
            service.add(Participant, name="Second", team=Team.SALES, is_lead=True)
        ravi = service.session.participant(3)
        assert ravi is not None
        with pytest.raises(ChangeRefused, match="already the Sales lead"):
            service.update(ravi, is_lead=True)
        # Handing the lead over works once the first lead is unmarked.
        sam = service.session.participant(1)
        assert sam is not None
        service.update(sam, is_lead=False)
        service.update(ravi, is_lead=True)
    finally:
        service.close()
    reopened = SessionService.open(session_file)
    try:
        lead = reopened.session.lead(Team.SALES)
        assert lead is not None and lead.name == "Ravi"
        assert len(reopened.session.participants) == 4
    finally:
        reopened.close()


# ---------------------------------------------------------------------------
# Pilot: the set-up pane by keys
# ---------------------------------------------------------------------------

SIZE = (120, 40)


def people_rows(app: AlignmentApp) -> list[list[str]]:
    table = app.screen.query_one("#setup-people", DataTable)
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


async def test_edit_details_and_role_by_keys_then_reopen(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        org = app.screen.query_one("#setup-organisation", Input)
        org.focus()
        await pilot.press("end", "ctrl+u", *"Globex", "tab")
        await pilot.pause()
        minutes = app.screen.query_one("#setup-minutes", Input)
        minutes.focus()
        await pilot.press("end", "ctrl+u", *"2h", "tab")
        await pilot.pause()
        # A bad length is refused with the reason, and the typing stays.
        assert minutes.value == "2h"
        assert minutes.has_class("-invalid")
        assert app.service is not None and app.service.session.meta.workshop_minutes == 180

        table = app.screen.query_one("#setup-people", DataTable)
        table.focus()
        # Leads first: Sam, Mia, then Ravi, Lena.
        assert [r[0] for r in people_rows(app)] == ["Sam Sales", "Mia Marketing", "Ravi", "Lena"]
        await pilot.press("home", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantDialog)
        assert app.screen.query_one("#participant-name", Input).value == "Ravi"
        await pilot.press("tab", "tab", "end", "ctrl+u", *"Senior AE", "enter")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ParticipantDialog)
        assert people_rows(app)[2] == ["Ravi", "Sales", "Senior AE", "—"]
        assert table.cursor_row == 2
        app.exit()

    service = SessionService.open(session_file)
    try:
        s = service.session
        assert s.meta.organisation == "Globex"
        assert s.meta.workshop_minutes == 180
        ravi = s.participant(3)
        assert ravi is not None and ravi.role == "Senior AE" and ravi.team is Team.SALES
        assert [p.role for p in s.participants if p.id != 3] == [
            "VP Sales",
            "CMO",
            "Demand generation",
        ]
    finally:
        service.close()

    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#setup-organisation", Input).value == "Globex"
        assert ["Ravi", "Sales", "Senior AE", "—"] in people_rows(app)


async def test_second_sales_lead_refused_with_reason_then_remove(session_file: Path) -> None:
    seed = SessionService.open(session_file)
    seed.add_action("Send Lena the pipeline export", StepId.CRM, owner_id=4)
    seed.close()

    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#setup-people", DataTable)
        table.focus()
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ParticipantDialog)
        # Name, team (Sales is the first choice), role, then tick the lead box and save.
        await pilot.press(*"Nina", "tab", "tab", *"SDR", "tab", "space", "tab", "enter")
        await pilot.pause()
        assert app.screen is dialog
        error = dialog.query_one("#field-participant-lead").query_one(".field-error", Static)
        assert error.display
        assert "Sam Sales is already the Sales lead" in str(error.content)
        assert dialog.query_one("#participant-name", Input).value == "Nina"
        assert dialog.query_one("#participant-role", Input).value == "SDR"
        assert dialog.query_one("#participant-lead", Checkbox).has_focus
        # Untick and save: Nina joins as a team member.
        await pilot.press("space", "shift+tab", "enter")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ParticipantDialog)
        assert ["Nina", "Sales", "SDR", "—"] in people_rows(app)

        # Remove Lena (asks first); the action she owned stays, with no owner.
        names = [r[0] for r in people_rows(app)]
        table.focus()
        await pilot.press("home", *(["down"] * names.index("Lena")), "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "1 action(s) they own will have no owner" in app.screen.message
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert "Lena" not in [r[0] for r in people_rows(app)]
        app.exit()

    service = SessionService.open(session_file)
    try:
        s = service.session
        assert s.lead(Team.SALES) is not None and s.lead(Team.SALES).name == "Sam Sales"  # type: ignore[union-attr]
        nina = next(p for p in s.participants if p.name == "Nina")
        assert not nina.is_lead and nina.role == "SDR"
        assert all(p.name != "Lena" for p in s.participants)
        (action,) = s.actions
        assert action.owner_id is None
    finally:
        service.close()

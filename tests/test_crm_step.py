"""Step 2, Marketing inside the CRM: driven through the real app, checked in the saved file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Select, SelectionList, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.screens.confirm import ConfirmDialog
from alignment_tui.sessions.models import AccessLevel, CrmGrant, GrantStatus, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.steps.crm import GrantRow
from step_helpers import put_room_on_step, shown, type_into


async def test_grant_a_marketer_access(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.CRM)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        warning = screen.query_one("#crm-warning", Static)
        assert warning.display and "No marketer has CRM access" in shown(warning)

        await type_into(pilot, screen.query_one("#crm-system", Input), "Pipedrive")

        add = screen.query_one("#crm-add-grant")
        add.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#crm-add-grant")
        await pilot.pause()
        # the Marketing lead is offered first, with read-only access by default
        who = screen.query_one("#grant-1-who", Select)
        assert who.value == 2  # Mia Marketing
        assert app.focused is who
        assert screen.query_one("#grant-1-access", Select).value is AccessLevel.READ_ONLY

        # tick "Deal notes" and "Pipeline value" with the keyboard
        watch = screen.query_one("#grant-1-watch", SelectionList)
        watch.focus()
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        assert "Deal notes, Pipeline value" in shown(screen.query_one("#grant-1-watching", Static))

        await type_into(pilot, screen.query_one("#grant-1-other", Input), "churn notes, NPS")
        await type_into(pilot, screen.query_one("#grant-1-by", Input), "Sam Sales")
        await type_into(pilot, screen.query_one("#grant-1-due", Input), "2026-12-15")
        assert warning.display  # planned is not granted yet

        # status: open the list, move from Planned down to Granted, choose it
        status = screen.query_one("#grant-1-status", Select)
        status.focus()
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert status.value is GrantStatus.GRANTED
        assert not warning.display
        assert "Complete" in shown(screen.query_one("#status-crm", Static))
        assert "granted" in shown(screen.query_one("#grant-1-title", Static))

    svc = SessionService.open(session_file)
    try:
        s = svc.session
        assert s.crm.system == "Pipedrive"
        (grant,) = s.crm_grants
        assert grant.participant_id == 2
        assert grant.access is AccessLevel.READ_ONLY
        assert grant.watches == ["Deal notes", "Pipeline value", "churn notes", "NPS"]
        assert grant.granted_by == "Sam Sales"
        assert grant.due == dt.date(2026, 12, 15)
        assert grant.status is GrantStatus.GRANTED
    finally:
        svc.close()

    # reopened, the form shows what was saved
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#crm-system", Input).value == "Pipedrive"
        assert screen.query_one("#grant-1-due", Input).value == "2026-12-15"
        assert screen.query_one("#grant-1-other", Input).value == "churn notes, NPS"
        assert screen.query_one("#grant-1-watch", SelectionList).selected == [
            "Deal notes",
            "Pipeline value",
        ]
        assert screen.query_one("#grant-1-status", Select).value is GrantStatus.GRANTED
        assert not screen.query_one("#crm-warning", Static).display


async def test_bad_due_date_is_refused_with_reason(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(CrmGrant, participant_id=4, watches=["Lost reasons"], granted_by="Sam Sales")
    svc.set_step(StepId.CRM)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        due = screen.query_one("#grant-1-due", Input)
        await type_into(pilot, due, "2026-02-30")
        error = due.parent.query_one(".field-error", Static)  # type: ignore[union-attr]
        assert error.display
        assert shown(error) == "Due date: 2026-02-30 is not a real date"
        assert due.value == "2026-02-30"  # what was typed stays to be corrected
        await type_into(pilot, due, "next week")
        assert "must be a date like" in shown(error)
    svc = SessionService.open(session_file)
    try:
        (grant,) = svc.session.crm_grants
        assert grant.due is None
        assert grant.watches == ["Lost reasons"]
        assert grant.granted_by == "Sam Sales"
        assert grant.participant_id == 4
    finally:
        svc.close()


async def test_remove_asks_first_and_non_marketer_is_named(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(CrmGrant, participant_id=3, status=GrantStatus.GRANTED)  # Ravi is in Sales
    svc.add(CrmGrant, participant_id=4)
    svc.set_step(StepId.CRM)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        # a granted salesperson does not count as a marketer with access
        assert screen.query_one("#crm-warning", Static).display
        note = screen.query_one("#grant-1-note", Static)
        assert "not on the Marketing team" in shown(note)
        # remove asks first, with the focus on "Keep"; "n" keeps the row
        screen.query_one("#grant-1-remove").focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Ravi" in str(dialog.query_one("#confirm-message", Static).content)
        await pilot.press("n")
        await pilot.pause()
        assert len(screen.query(GrantRow)) == 2
        # asked again, "y" removes just that row
        screen.query_one("#grant-1-remove").focus()
        await pilot.pause(0.25)  # a button ignores presses during its 0.2 s press effect
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [row.grant_id for row in screen.query(GrantRow)] == [2]
        # a change made elsewhere (e.g. Set-up renames Lena) shows in the row at once
        lena = app.service.session.participant(4)
        app.service.update(lena, name="Lena Larsen")  # type: ignore[union-attr, arg-type]
        await pilot.pause()
        assert "Lena Larsen (Marketing)" in shown(screen.query_one("#grant-2-title", Static))
        assert screen.query_one("#grant-2-who", Select).value == 4
    svc = SessionService.open(session_file)
    try:
        assert [g.id for g in svc.session.crm_grants] == [2]
    finally:
        svc.close()

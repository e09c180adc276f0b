"""Step 2, Marketing inside the CRM: driven through the real app, checked in the saved file.

The step shows every grant in one list (a line each) and one editor for the
highlighted grant; access level and status are changed in place (→/←, Enter,
Space, +/-, a click) and saved at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.choice import Choice
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.form.records import GAP, RecordList, fit_columns
from alignment_tui.form.refusal import Reason, reason_of
from alignment_tui.sessions.models import AccessLevel, Action, CrmGrant, GrantStatus, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.crm.pane import CrmPane
from conftest import PinnedClock
from step_helpers import put_room_on_step, reach_every_part, shown, type_into


def grants_list(app: AlignmentApp) -> RecordList[CrmGrant]:
    return app.screen.query_one("#crm-grants", RecordList)


def table_rows(app: AlignmentApp) -> list[list[str]]:
    """The list of grants as shown: one list of cell texts per line."""
    records = grants_list(app)
    rows = records.rows
    fitted = fit_columns(records.columns, rows.scrollable_content_region.width)
    shown = []
    for i in range(rows.option_count):
        line = str(rows.get_option_at_index(i).prompt)
        cells, x = [], 0
        for _column, width in fitted:
            cells.append(line[x : x + width].strip())
            x += width + GAP
        shown.append(cells)
    return shown


def headings(app: AlignmentApp) -> list[str]:
    """The column headings shown above the list."""
    header = grants_list(app).query_one(".record-list--header", Static)
    return str(header.render()).split()


def empty_note(app: AlignmentApp) -> Static:
    """The line the list shows when there is no grant."""
    return grants_list(app).query_one(".record-list--empty", Static)


def choice_text(app: AlignmentApp, selector: str) -> str:
    """What a choice shows on screen."""
    return str(app.screen.query_one(selector, Choice).render())


def error_under(widget: Widget) -> Reason:
    """The one-line reason shown under a field."""
    reason = reason_of(widget)
    assert reason is not None, "no reason under the field"
    return reason


def title(app: AlignmentApp) -> str:
    return shown(app.screen.query_one("#grant-title", Static))


def saved_grants(path: Path) -> list[CrmGrant]:
    svc = SessionService.open(path)
    try:
        return list(svc.session.crm_grants)
    finally:
        svc.close()


def with_grants(path: Path, *grants: dict[str, Any]) -> None:
    svc = SessionService.open(path)
    for fields in grants:
        svc.add(CrmGrant, **fields)
    svc.set_step(StepId.CRM)
    svc.close()


async def opened(pilot: Pilot[None]) -> None:
    """Wait for the step to show: the list is filled once it knows its width."""
    for _ in range(100):
        await pilot.pause()
        found = pilot.app.screen.query("#crm-grants")
        if found:
            records = found.first(RecordList)
            if records.rows.option_count or records.key is None:
                # The editor below the list is built when it comes into view: as the
                # room does, come to it (and to the step's actions).
                await reach_every_part(pilot)
                return
    raise AssertionError("the CRM step did not show its list")


async def focus(pilot: Pilot[None], selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()


async def test_grant_a_marketer_access(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.CRM)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        warning = screen.query_one("#crm-warning", Static)
        assert warning.display and "No marketer has CRM access" in shown(warning)
        assert empty_note(app).display
        assert not screen.query_one("#grant-editor").display

        await type_into(pilot, screen.query_one("#crm-system", Input), "Pipedrive")

        add = screen.query_one("#crm-add-grant")
        add.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#crm-add-grant")
        await pilot.pause()
        # the Marketing lead is offered first, with read-only access by default
        who = screen.query_one("#grant-who", Select)
        assert who.value == 2  # Mia Marketing
        assert app.focused is who
        assert "Read-only" in choice_text(app, "#grant-access")
        assert "Planned" in choice_text(app, "#grant-status")
        assert table_rows(app) == [["1", "Mia Marketing", "Read-only", "Planned", ""]]
        assert not empty_note(app).display

        # tick "Deal notes" and "Pipeline value" with the keyboard
        await focus(pilot, "#grant-watch")
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        assert "Deal notes, Pipeline value" in shown(screen.query_one("#grant-watching", Static))

        await type_into(pilot, screen.query_one("#grant-other", Input), "churn notes, NPS")
        await type_into(pilot, screen.query_one("#grant-by", Input), "Sam Sales")
        await type_into(pilot, screen.query_one("#grant-due", Input), "2026-12-15")
        assert warning.display  # planned is not granted yet

        # status: → moves from Planned to Requested, Space on to Granted
        # (adapted: Enter on a choice moves on without changing it)
        await focus(pilot, "#grant-status")
        await pilot.press("right")
        await pilot.pause()
        assert "Requested" in choice_text(app, "#grant-status")
        assert warning.display
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert "Granted" in choice_text(app, "#grant-status")
        assert not warning.display
        assert "Complete" in shown(screen.query_one("#status-crm", Static))
        assert "granted" in title(app)
        assert screen.query_one("#grant-editor").has_class("-granted")
        assert table_rows(app)[0][1:5] == ["Mia Marketing", "Read-only", "✔ Granted", "2026-12-15"]

    (grant,) = saved_grants(session_file)
    assert grant.participant_id == 2
    assert grant.access is AccessLevel.READ_ONLY
    assert grant.watches == ["Deal notes", "Pipeline value", "churn notes", "NPS"]
    assert grant.granted_by == "Sam Sales"
    assert grant.due == dt.date(2026, 12, 15)
    assert grant.status is GrantStatus.GRANTED
    svc = SessionService.open(session_file)
    assert svc.session.crm.system == "Pipedrive"
    svc.close()

    # reopened, the list and the editor show what was saved
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        assert screen.query_one("#crm-system", Input).value == "Pipedrive"
        assert table_rows(app)[0][1:5] == ["Mia Marketing", "Read-only", "✔ Granted", "2026-12-15"]
        assert screen.query_one("#grant-due", Input).value == "2026-12-15"
        assert screen.query_one("#grant-by", Input).value == "Sam Sales"
        assert screen.query_one("#grant-other", Input).value == "churn notes, NPS"
        assert screen.query_one("#grant-watch", SelectionList).selected == [
            "Deal notes",
            "Pipeline value",
        ]
        assert "Granted" in choice_text(app, "#grant-status")
        assert not screen.query_one("#crm-warning", Static).display


async def test_one_editor_follows_the_list(session_file: Path) -> None:
    with_grants(
        session_file,
        {"participant_id": 2, "status": GrantStatus.GRANTED, "watches": ["Deal notes"]},
        {"participant_id": 4, "granted_by": "Sam Sales", "due": dt.date(2026, 12, 1)},
        {"participant_id": 3, "access": AccessLevel.EDIT},
    )
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        pane = screen.query_one(CrmPane)
        widgets = len(list(pane.walk_children()))
        assert [row[1] for row in table_rows(app)] == ["Mia Marketing", "Lena", "Ravi (Sales)"]
        assert title(app).startswith("Access 1 of 3: Mia Marketing")

        # ↓ in the list puts the next grant in the editor
        await focus(pilot, "#crm-grants-rows")
        await pilot.press("down")
        await pilot.pause()
        assert title(app).startswith("Access 2 of 3: Lena")
        assert screen.query_one("#grant-by", Input).value == "Sam Sales"
        assert screen.query_one("#grant-due", Input).value == "2026-12-01"
        assert screen.query_one("#grant-watch", SelectionList).selected == []
        assert not screen.query_one("#grant-editor").has_class("-granted")
        await pilot.press("down")
        await pilot.pause()
        assert "Edit" in choice_text(app, "#grant-access")
        note = screen.query_one("#grant-note", Static)
        assert note.display and "Ravi is not on the Marketing team" in shown(note)

        # enter on a line edits it: the focus goes to the editor's first field
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#grant-who", Select)
        assert title(app).startswith("Access 2 of 3: Lena")
        # who: open the list, move from Lena to Sam Sales (marketing first), choose him
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert title(app).startswith("Access 2 of 3: Sam Sales (Sales)")
        assert table_rows(app)[1][1] == "Sam Sales (Sales)"
        assert "not on the Marketing team" in shown(screen.query_one("#grant-note", Static))
        # and back to Lena with the list again
        await pilot.press("enter", "up", "enter")
        await pilot.pause()
        assert table_rows(app)[1][1] == "Lena"
        assert not screen.query_one("#grant-note", Static).display

        # access by keys: → next, ← back, - wraps round to the last, + and space step on
        await focus(pilot, "#grant-access")
        keys = {b.binding.description for b in screen.active_bindings.values() if b.enabled}
        assert {"Next", "Previous"} <= keys
        for key, expected in [
            ("right", "Comment"),
            ("left", "Read-only"),
            ("minus", "Edit"),
            ("plus", "Read-only"),
            ("space", "Comment"),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert expected in choice_text(app, "#grant-access"), key
        assert table_rows(app)[1][2] == "Comment"

        # typing not yet saved is kept for its own grant when a click chooses another
        by = screen.query_one("#grant-by", Input)
        by.focus()
        await pilot.press("ctrl+u", *"Mia Marketing")
        grants_list(app).scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#crm-grants", offset=(6, 1))  # the first line under the header
        await pilot.pause()
        assert title(app).startswith("Access 1 of 3: Mia Marketing")
        assert by.value == ""
        assert screen.query_one("#grant-editor").has_class("-granted")
        assert screen.query_one("#grant-watch", SelectionList).selected == ["Deal notes"]

        # however many grants, the pane mounts the same widgets
        for _ in range(3):
            await focus(pilot, "#crm-add-grant")
            await pilot.press("enter")
            await pilot.pause()
        assert len(table_rows(app)) == 6
        assert len(list(pane.walk_children())) == widgets

    grants = saved_grants(session_file)
    assert grants[0].granted_by == "" and grants[0].access is AccessLevel.READ_ONLY
    assert grants[1].granted_by == "Mia Marketing"
    assert grants[1].participant_id == 4
    assert grants[1].access is AccessLevel.COMMENT
    assert grants[2].access is AccessLevel.EDIT
    assert len(grants) == 6


async def test_a_click_changes_a_choice(session_file: Path) -> None:
    with_grants(session_file, {"participant_id": 4})
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        status = app.screen.query_one("#grant-status", Choice)
        status.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#grant-status", offset=(12, 1))
        await pilot.pause()
        assert "Requested" in choice_text(app, "#grant-status")
        assert app.focused is status
        await pilot.click("#grant-status", offset=(2, 1))  # the ◂ steps back
        await pilot.pause()
        assert "Planned" in choice_text(app, "#grant-status")
        await pilot.click("#grant-status", offset=(12, 1))
        await pilot.pause()
    (grant,) = saved_grants(session_file)
    assert grant.status is GrantStatus.REQUESTED


async def test_bad_due_date_is_refused_with_reason(session_file: Path, clock: PinnedClock) -> None:
    with_grants(
        session_file,
        {"participant_id": 4, "watches": ["Lost reasons"], "granted_by": "Sam Sales"},
        {"participant_id": 2},
    )
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        due = screen.query_one("#grant-due", Input)
        # (no start of it is a date: typing is saved every second while it goes on)
        await type_into(pilot, due, "2026-13-01")
        error = error_under(due)
        assert error.display
        assert shown(error) == "Due date: 2026-13-01 is not a real date"
        assert due.value == "2026-13-01"  # what was typed stays to be corrected
        await type_into(pilot, due, "next week")
        assert "must be a date like" in shown(error)
        # another grant in the editor starts clean; coming back shows the saved (empty) date
        await focus(pilot, "#crm-grants-rows")
        await pilot.press("down")
        await pilot.pause()
        assert not error.display and due.value == ""
        await pilot.press("up")
        await pilot.pause()
        assert not error.display and due.value == ""
        # a relative date is accepted and shown as the real date on leaving the field
        await type_into(pilot, due, "+2w")
        await focus(pilot, "#grant-by")
        expected = (clock.today() + dt.timedelta(weeks=2)).isoformat()
        assert due.value == expected
        assert not error.display
    first, second = saved_grants(session_file)
    assert first.due == dt.date.fromisoformat(expected)
    assert first.watches == ["Lost reasons"]
    assert first.granted_by == "Sam Sales"
    assert first.participant_id == 4
    assert second.due is None


async def test_a_read_only_copy_cannot_be_typed_in(session_file: Path) -> None:
    """Issue 11: a read-only copy took typing and then said it was not saved. Its fields,
    choices, ticks and add/remove buttons cannot change; nothing typed is refused."""
    with_grants(session_file, {"participant_id": 4, "watches": ["Deal notes"]})
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        fields = [
            "#crm-system",
            "#crm-notes",
            "#grant-who",
            "#grant-access",
            "#grant-status",
            "#grant-watch",
            "#grant-other",
            "#grant-by",
            "#grant-due",
        ]
        buttons = ["#crm-add-grant", "#grant-remove"]
        for selector in fields + buttons:
            assert not screen.query_one(selector).focusable, selector
        # keys typed at a field, a click on a choice or a button, keys on the list: nothing
        for selector in fields:
            screen.query_one(selector).focus()
            await pilot.press(*"x", "space", "enter", "right")
        for selector in ["#grant-status", *buttons]:
            screen.query_one(selector).scroll_visible(animate=False)
            await pilot.pause()
            await pilot.click(selector)
        await focus(pilot, "#crm-grants-rows")
        await pilot.press("insert", "delete")
        await pilot.pause()
        assert len(table_rows(app)) == 1
        assert "Planned" in choice_text(app, "#grant-status")
        assert [str(r.render()) for r in screen.query(Reason) if r.display] == []
        assert not [str(t.render()) for t in screen.query("Toast")]
        assert app.screen is screen  # no question asked either
    (grant,) = saved_grants(session_file)
    assert grant.status is GrantStatus.PLANNED
    assert grant.watches == ["Deal notes"]
    svc = SessionService.open(session_file)
    assert svc.session.crm.system == ""
    svc.close()


async def test_a_step_change_puts_the_next_keys_in_the_step(session_file: Path) -> None:
    """Issue 11: after Ctrl+PageDown nothing had the focus and the next keys were lost.
    They land in the step's first field (the CRM system) and are saved."""
    put_room_on_step(session_file, StepId.STORY)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await opened(pilot)
        await pilot.press(*"Pipedrive")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#crm-system")
    svc = SessionService.open(session_file)
    assert svc.session.crm.system == "Pipedrive"
    svc.close()


async def test_remove_asks_first_and_non_marketer_is_named(session_file: Path) -> None:
    with_grants(
        session_file,
        {"participant_id": 3, "status": GrantStatus.GRANTED},  # Ravi is in Sales
        {"participant_id": 4},
    )
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        # a granted salesperson does not count as a marketer with access
        assert screen.query_one("#crm-warning", Static).display
        note = screen.query_one("#grant-note", Static)
        assert "not on the Marketing team" in shown(note)
        # delete in the list asks first, with the focus on "Keep"; "n" keeps the grant
        await focus(pilot, "#crm-grants-rows")
        await pilot.press("delete")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Ravi" in str(dialog.query_one("#confirm-message", Static).content)
        await pilot.press("n")
        await pilot.pause()
        assert len(table_rows(app)) == 2
        # the editor's Remove button asks too; "y" removes just that grant
        await focus(pilot, "#grant-remove")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert [row[1] for row in table_rows(app)] == ["Lena"]
        assert title(app).startswith("Access 1 of 1: Lena (Marketing)")
        assert app.focused is screen.query_one("#crm-grants-rows")
        # a change made elsewhere (e.g. Set-up renames Lena) shows at once
        lena = app.service.session.participant(4)
        app.service.update(lena, name="Lena Larsen")  # type: ignore[arg-type]
        await pilot.pause()
        assert "Lena Larsen (Marketing)" in title(app)
        assert table_rows(app)[0][1] == "Lena Larsen"
        who = screen.query_one("#grant-who", Select)
        assert who.value == 4
        assert "Lena Larsen" in str(who.query_one("SelectCurrent Static").render())
        # the last one removed: the list makes way for "No access planned yet."
        await focus(pilot, "#crm-grants-rows")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert empty_note(app).display
        assert not screen.query_one("#grant-editor").display
        assert app.focused is screen.query_one("#crm-add-grant")
    assert saved_grants(session_file) == []


async def test_user_text_is_shown_literally(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    lena = svc.session.participant(4)
    assert lena is not None
    svc.update(lena, name="[b]Lena[/b] \x1b[31mred")
    svc.close()
    with_grants(session_file, {"participant_id": 4, "watches": ["[red]churn[/red]"]})
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        assert "[b]Lena[/b] ␛[31mred (Marketing)" in title(app)
        assert table_rows(app)[0][1].startswith("[b]Lena[/b] ␛")
        watching = shown(screen.query_one("#grant-watching", Static))
        assert "[red]churn[/red]" in watching
        assert screen.query_one("#grant-other", Input).value == "[red]churn[/red]"
        await focus(pilot, "#grant-remove")
        await pilot.press("enter")
        await pilot.pause()
        message = str(app.screen.query_one("#confirm-message", Static).content)
        assert "[b]Lena[/b] ␛[31mred" in message


async def test_list_fits_its_width(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for n in range(20):  # a pane taller than the screen
        svc.add(Action, text=f"Action {n}", step=StepId.CRM)
    svc.close()
    with_grants(session_file, {"participant_id": 2, "watches": ["Deal notes", "Lost reasons"]})
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        # beside the guidance there is no room for the count of things watched
        assert headings(app) == ["#", "Who", "Access", "Status", "Due"]
        # F3 hides the guidance: the wider list shows it, also when focused at once
        # (which rebuilds Textual's map of widgets before the layout that would
        # have told the list its new width)
        await pilot.press("f3")
        await pilot.pause()
        await focus(pilot, "#crm-grants-rows")
        for _ in range(100):
            if headings(app)[-1] == "Watch":
                break
            await pilot.pause()
        assert headings(app)[-1] == "Watch"
        assert table_rows(app) == [["1", "Mia Marketing", "Read-only", "Planned", "", "2"]]

"""Set-up step: session details and the people, driven by keys; the one-lead-per-team rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.choice import Choice
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.form.records import RecordEditor, RecordList
from alignment_tui.sessions.models import Participant, StepId, Team
from alignment_tui.sessions.service import ChangeRefused, SessionService
from alignment_tui.steps.setup.pane import SetupPane
from step_helpers import put_room_on_step


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


def pane(app: AlignmentApp) -> SetupPane:
    return app.screen.query_one(SetupPane)


def people_rows(app: AlignmentApp) -> OptionList:
    return pane(app).query_one(RecordList).rows


def people_lines(app: AlignmentApp) -> list[str]:
    """The people list's lines as shown (name, team, role, lead in fitted columns)."""
    return [str(o.prompt) for o in people_rows(app).options]


def line_of(app: AlignmentApp, name: str) -> str:
    (line,) = [x for x in people_lines(app) if x.startswith(name + " ")]
    return line


def index_of(app: AlignmentApp, name: str) -> int:
    return next(i for i, x in enumerate(people_lines(app)) if x.startswith(name + " "))


def editor_field(app: AlignmentApp, name: str) -> Input:
    return pane(app).query_one(RecordEditor).query_one(f"#person-{name}", Input)


def editor_choice(app: AlignmentApp, name: str) -> Choice[object]:
    return pane(app).query_one(RecordEditor).query_one(f"#person-{name}", Choice)


async def test_edit_details_and_role_by_keys_then_reopen(session_file: Path) -> None:
    # Rewritten: the people were a DataTable whose Enter opened a dialog; they are
    # now a record list whose Enter moves to the one editor beside it.
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
        reason = app.screen.query_one("#setup-minutes-reason", Static)
        assert reason.display and "Workshop length" in str(reason.content)
        assert app.service is not None and app.service.session.meta.workshop_minutes == 180

        rows = people_rows(app)
        rows.focus()
        # Leads first: Sam, Mia, then Ravi, Lena.
        assert [x.split("  ")[0] for x in people_lines(app)] == [
            "Sam Sales",
            "Mia Marketing",
            "Ravi",
            "Lena",
        ]
        await pilot.press("home", "down", "down")
        await pilot.pause()
        # The editor follows the highlighted person.
        assert editor_field(app, "name").value == "Ravi"
        await pilot.press("enter")
        await pilot.pause()
        assert editor_field(app, "name").has_focus
        await pilot.press("tab", "tab", "end", "ctrl+u", *"Senior AE", "enter")
        await pilot.pause()
        await pilot.pause()
        line = line_of(app, "Ravi")
        assert "Sales" in line and "Senior AE" in line and "lead" not in line
        # The cursor stays on the person being edited.
        assert rows.highlighted == index_of(app, "Ravi")
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
        assert "Senior AE" in line_of(app, "Ravi")


async def test_second_sales_lead_refused_with_reason_then_remove(session_file: Path) -> None:
    # Rewritten: "a" opened an add dialog with a lead checkbox and a Save button; Insert
    # now adds a person to the list and the editor's Lead choice saves at once.
    seed = SessionService.open(session_file)
    seed.add_action("Send Lena the pipeline export", StepId.CRM, owner_id=4)
    seed.close()

    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        people_rows(app).focus()
        await pilot.press("insert")
        await pilot.pause()
        name = editor_field(app, "name")
        # The new person's placeholder name is selected: typing replaces it.
        assert name.has_focus and name.value == "New person"
        # Name, team (Sales is the first choice), role, then the lead choice.
        await pilot.press(*"Nina", "tab", "tab", *"SDR", "tab", "space")
        await pilot.pause()
        lead = editor_choice(app, "lead")
        assert lead.has_focus and lead.refused and lead.value is False
        reason = app.screen.query_one("#person-lead-reason", Static)
        assert reason.display
        assert "Sam Sales is already the Sales lead" in str(reason.content)
        assert editor_field(app, "name").value == "Nina"
        assert editor_field(app, "role").value == "SDR"
        line = line_of(app, "Nina")
        assert "SDR" in line and "lead" not in line

        # Remove Lena (asks first); the action she owned stays, with no owner.
        rows = people_rows(app)
        rows.focus()
        await pilot.press("home", *(["down"] * index_of(app, "Lena")), "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Lena" in app.screen.title_text
        assert "1 action(s) they own will have no owner" in app.screen.message
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert not [x for x in people_lines(app) if x.startswith("Lena ")]
        # The cursor moved to the neighbour, and the editor with it.
        assert rows.has_focus and rows.highlighted is not None
        neighbour = people_lines(app)[rows.highlighted]
        assert neighbour.startswith(editor_field(app, "name").value + " ")
        app.exit()

    service = SessionService.open(session_file)
    try:
        s = service.session
        assert s.lead(Team.SALES) is not None and s.lead(Team.SALES).name == "Sam Sales"  # type: ignore[union-attr]
        nina = next(p for p in s.participants if p.name == "Nina")
        assert not nina.is_lead and nina.role == "SDR" and nina.team is Team.SALES
        assert all(p.name != "Lena" for p in s.participants)
        (action,) = s.actions
        assert action.owner_id is None
    finally:
        service.close()


async def test_refused_name_and_team_say_why_under_the_field(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Sam leads Sales: moving him to Other is refused by the core.
        people_rows(app).focus()
        await pilot.press("home", "enter")
        await pilot.pause()
        name = editor_field(app, "name")
        assert name.has_focus and name.value == "Sam Sales"
        await pilot.press("ctrl+u", "tab")
        await pilot.pause()
        assert name.refused and name.value == ""
        reason = app.screen.query_one("#person-name-reason", Static)
        assert reason.display and "Name" in str(reason.content)
        team = editor_choice(app, "team")
        assert team.has_focus
        await pilot.press("left")  # Sales -> Other
        await pilot.pause()
        assert team.refused and team.value is Team.SALES
        team_reason = app.screen.query_one("#person-team-reason", Static)
        assert "lead must be on the Sales or the Marketing team" in str(team_reason.content)
        # Mending the name clears its reason; the list still shows the saved name.
        name.focus()
        await pilot.press(*"Sam Sales-Okafor", "enter")
        await pilot.pause()
        await pilot.pause()
        assert not name.refused and not reason.display
        assert line_of(app, "Sam Sales-Okafor")
        app.exit()
    service = SessionService.open(session_file)
    try:
        sam = service.session.participant(1)
        assert sam is not None
        assert (sam.name, sam.team, sam.is_lead) == ("Sam Sales-Okafor", Team.SALES, True)
    finally:
        service.close()


async def test_add_and_remove_by_mouse(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        add = app.screen.query_one("#setup-add-person", Button)
        add.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(add)
        await pilot.pause()
        assert editor_field(app, "name").has_focus
        assert line_of(app, "New person")
        # A person added and left unnamed goes without a question.
        remove = app.screen.query_one("#setup-remove-person", Button)
        await pilot.click(remove)
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert not [x for x in people_lines(app) if x.startswith("New person")]
        app.exit()
    service = SessionService.open(session_file)
    try:
        assert [p.name for p in service.session.participants] == [
            "Sam Sales",
            "Mia Marketing",
            "Ravi",
            "Lena",
        ]
    finally:
        service.close()


async def test_a_step_change_puts_the_keys_in_the_first_field(session_file: Path) -> None:
    """Issue 11: after ctrl+pageup onto Set-up the keys typed land in its first field,
    and after leaving it they land where the room was."""
    put_room_on_step(session_file, StepId.GOALS)
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        await pilot.pause()
        assert app.service is not None
        assert app.service.session.meta.current_step is StepId.SETUP
        title = app.screen.query_one("#setup-title", Input)
        assert title.has_focus
        # The cursor is at the end of the title (nothing selected: a stray key
        # must not throw the title away); the room clears it and types anew.
        await pilot.press("ctrl+u", *"Q1 kick-off", "enter")
        await pilot.pause()
        assert app.service.session.meta.title == "Q1 kick-off"

        facilitator = app.screen.query_one("#setup-facilitator", Input)
        facilitator.focus()
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        await pilot.pause()
        assert facilitator.has_focus
        await pilot.press("end", *" and Kim", "enter")
        await pilot.pause()
        assert app.service.session.meta.facilitator == "Fran and Kim"
        app.exit()
    service = SessionService.open(session_file)
    try:
        assert service.session.meta.title == "Q1 kick-off"
        assert service.session.meta.facilitator == "Fran and Kim"
    finally:
        service.close()


async def test_read_only_setup_cannot_change(session_file: Path) -> None:
    """Issue 11: in a read-only copy the fields, the list's keys and the buttons cannot change."""
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = pane(app)
        fields = list(setup.query(Input)) + list(setup.query(Choice))
        assert len(fields) == 10  # five details, then name, team, role, lead and e-mail
        assert all(f.disabled for f in fields)
        assert setup.query_one("#setup-add-person", Button).disabled
        assert setup.query_one("#setup-remove-person", Button).disabled
        # The list can still be read: ↑/↓ move through the people.
        rows = people_rows(app)
        rows.focus()
        await pilot.press("home", "down")
        await pilot.pause()
        assert rows.highlighted == 1
        assert editor_field(app, "name").value == "Mia Marketing"
        # Insert and Delete do nothing, and ask nothing.
        await pilot.press("insert", "delete")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert len(people_lines(app)) == 4
        # Keys typed go into no field.
        await pilot.press(*"typed")
        await pilot.pause()
        assert not any("typed" in w.value for w in setup.query(Input))
        app.exit()
    assert session_file.read_bytes() == before


async def test_empty_session_names_nobody_yet(tmp_path: Path) -> None:
    from alignment_tui.sessions.models import new_session

    path = tmp_path / "empty.alignment.db"
    SessionService.create(path, new_session("Empty")).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = pane(app)
        assert not setup.query_one(RecordEditor).display
        assert setup.query_one("#setup-remove-person", Button).disabled
        leads = setup.query_one("#setup-leads", Static)
        assert "No Sales and no Marketing lead yet" in str(leads.content)
        people_rows(app).focus()
        await pilot.press("insert")
        await pilot.pause()
        await pilot.press(*"Ada", "tab", "tab", "tab", "space")
        await pilot.pause()
        await pilot.pause()
        assert not setup.query_one("#setup-remove-person", Button).disabled
        assert "No Marketing lead yet" in str(leads.content)
        app.exit()
    service = SessionService.open(path)
    try:
        (ada,) = service.session.participants
        assert (ada.name, ada.team, ada.is_lead) == ("Ada", Team.SALES, True)
    finally:
        service.close()

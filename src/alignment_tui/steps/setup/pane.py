"""Set-up: the session's details and the people in the room.

The details (title, organisation, date, facilitator, workshop length) save as
they are typed. The people are a table: enter edits the highlighted person, delete
removes them (after a question; the actions they own become unowned), ``a`` or
the button adds one. One Sales lead and one Marketing lead at most: a second
one is refused with the reason, shown next to the lead box in the dialog.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from ...dialogs.form_dialog import FormDialog
from ...form.fields import Field, SavingInput
from ...sessions.errors import SessionFileError
from ...sessions.models import Participant, StepId, Team
from ...sessions.parse import parse_count, parse_date
from ...sessions.service import SessionService
from ..base import StepPane

#: The people table's max-height in setup.tcss (header included).
PEOPLE_ROWS = 14

TEAM_ORDER: dict[Team, int] = {Team.SALES: 0, Team.MARKETING: 1, Team.OTHER: 2}


def sorted_people(people: list[Participant]) -> list[Participant]:
    """Leads first, then by team and name."""
    return sorted(people, key=lambda p: (not p.is_lead, TEAM_ORDER[p.team], p.name.lower()))


def lead_label(p: Participant) -> str:
    return "lead" if p.is_lead else ""


# ---------------------------------------------------------------------------
# Adding or editing one person
# ---------------------------------------------------------------------------


class ParticipantDialog(FormDialog[Participant]):
    """Add a person (``participant=None``) or edit one; dismisses with the saved record."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="participant_dialog_cancel",
            tooltip="Close without saving",
        ),
    ]

    def __init__(self, service: SessionService, participant: Participant | None = None) -> None:
        super().__init__()
        self.service = service
        self.editing = participant

    def compose(self) -> ComposeResult:
        p = self.editing
        with VerticalScroll(id="participant-box"):
            yield Label(
                Content("Edit person" if p is not None else "Add a person"),
                id="participant-title",
            )
            with Horizontal(classes="participant-row"):
                yield Field(
                    "Name",
                    Input(
                        p.name if p else "", placeholder="e.g. Sam Okafor", id="participant-name"
                    ),
                    id="field-participant-name",
                )
                yield Field(
                    "Team",
                    Select(
                        [(Content(t.value), t) for t in Team],
                        value=p.team if p else Team.SALES,
                        allow_blank=False,
                        id="participant-team",
                    ),
                    id="field-participant-team",
                )
            yield Field(
                "Role",
                Input(
                    p.role if p else "", placeholder="e.g. Head of demand", id="participant-role"
                ),
                id="field-participant-role",
            )
            yield Field(
                "Lead",
                Checkbox(
                    "Leads their team (one per Sales and Marketing)",
                    value=p.is_lead if p else False,
                    id="participant-lead",
                ),
                id="field-participant-lead",
            )
            yield Static("", id="participant-error", markup=False)
            with Horizontal(id="participant-buttons"):
                yield Button("Save", variant="primary", id="participant-save", classes="form-save")
                yield Button("Cancel", id="participant-cancel", classes="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#participant-error", Static).display = False
        self.query_one("#participant-name", Input).focus()

    def _show(self, field_id: str | None, message: str | None) -> None:
        for fid in ("name", "team", "role", "lead"):
            field = self.query_one(f"#field-participant-{fid}", Field)
            error = field.query_one(".field-error", Static)
            mine = field_id == f"field-participant-{fid}" and message is not None
            error.update(Content(message if mine and message else ""))
            error.display = mine
            for child in field.children:
                if isinstance(child, (Input, Select, Checkbox)):
                    child.set_class(mine, "-invalid")
        general = self.query_one("#participant-error", Static)
        general.update(Content(message if field_id is None and message else ""))
        general.display = field_id is None and message is not None

    def action_save(self) -> None:
        name = " ".join(self.query_one("#participant-name", Input).value.split())
        if not name:
            self._show("field-participant-name", "Name is required")
            self.query_one("#participant-name", Input).focus()
            return
        team = self.query_one("#participant-team", Select).value
        fields: dict[str, Any] = {
            "name": name,
            "team": Team.OTHER if team is Select.NULL else team,
            "role": self.query_one("#participant-role", Input).value.strip(),
            "is_lead": self.query_one("#participant-lead", Checkbox).value,
        }
        try:
            if self.editing is None:
                saved = self.service.add(Participant, **fields)
            else:
                current = self.service.session.participant(self.editing.id)
                if current is None:
                    self._show(None, "This person was removed meanwhile; cancel to close")
                    return
                saved = self.service.update(current, **fields)
        except (ValueError, SessionFileError) as exc:
            self._refused(str(exc))
            return
        self.dismiss(saved)

    def _refused(self, message: str) -> None:
        low = message.lower()
        target: str | None = None
        if "lead" in low:
            target = "field-participant-lead"
        elif low.startswith("name"):
            target = "field-participant-name"
        elif low.startswith("role"):
            target = "field-participant-role"
        elif low.startswith("team"):
            target = "field-participant-team"
        self._show(target, message)
        if target is not None:
            widget: Widget = self.query_one(f"#{target}", Field).query_one(
                "Input, Select, Checkbox"
            )
            widget.focus()


# ---------------------------------------------------------------------------
# The people table
# ---------------------------------------------------------------------------


class PeopleTable(DataTable[Any]):
    """The people; its keys act on the highlighted person through the pane."""

    BINDINGS = [
        Binding("enter", "edit_person", "Edit", id="people_edit", tooltip="Edit this person"),
        Binding(
            "delete",
            "remove_person",
            "Remove",
            id="people_remove",
            tooltip="Remove this person (asks first)",
        ),
        Binding("a", "add_person", "Add", id="people_add", tooltip="Add a person"),
    ]

    @property
    def pane(self) -> SetupPane:
        return self.query_ancestor(SetupPane)

    _fitted_width = 0

    def on_resize(self, event: events.Resize) -> None:
        # The role column takes what the other columns leave: refit it when the
        # table's own width settles (the pane's can settle a layout pass earlier).
        if event.size.width != self._fitted_width:
            self._fitted_width = event.size.width
            pane = self.pane
            if pane._ready:
                self.call_after_refresh(pane._fill_people)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_person", "remove_person", "add_person"):
            if self.pane.service.readonly:
                return None
            if action != "add_person" and self.row_count == 0:
                return None
        return True

    def action_edit_person(self) -> None:
        self.pane.edit_person()

    def action_remove_person(self) -> None:
        self.pane.remove_person()

    def action_add_person(self) -> None:
        self.pane.add_person()


# ---------------------------------------------------------------------------
# The pane
# ---------------------------------------------------------------------------


class SetupPane(StepPane):
    STEP: ClassVar[StepId] = StepId.SETUP

    _ready = False
    _people_signature: tuple[Any, ...] | None = None

    # -- savers ----------------------------------------------------------------------

    def _save_title(self, text: str) -> None:
        self.service.update_meta(title=text)

    def _save_organisation(self, text: str) -> None:
        self.service.update_meta(organisation=text.strip())

    def _save_date(self, text: str) -> None:
        self.service.update_meta(workshop_date=parse_date(text, field="Date", allow_blank=False))

    def _save_facilitator(self, text: str) -> None:
        self.service.update_meta(facilitator=text.strip())

    def _save_minutes(self, text: str) -> None:
        minutes = parse_count(text, field="Workshop length", allow_blank=False)
        if minutes is not None and minutes > 24 * 60:
            raise ValueError("Workshop length must be 1440 minutes (a day) or less")
        self.service.update_meta(workshop_minutes=minutes)

    # -- building ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        meta = self.session.meta
        yield Static("Session", classes="setup-section")
        with Horizontal(classes="setup-row"):
            yield Field(
                "Title",
                SavingInput(meta.title, save=self._save_title, id="setup-title"),
            )
            yield Field(
                "Organisation",
                SavingInput(
                    meta.organisation,
                    save=self._save_organisation,
                    placeholder="company or unit",
                    id="setup-organisation",
                ),
            )
        with Horizontal(classes="setup-row"):
            yield Field(
                "Date",
                SavingInput(
                    meta.workshop_date.isoformat(),
                    save=self._save_date,
                    placeholder="YYYY-MM-DD",
                    id="setup-date",
                ),
                classes="setup-date",
            )
            yield Field(
                "Facilitator",
                SavingInput(
                    meta.facilitator,
                    save=self._save_facilitator,
                    placeholder="who runs the room",
                    id="setup-facilitator",
                ),
            )
            yield Field(
                "Minutes",
                SavingInput(
                    str(meta.workshop_minutes),
                    save=self._save_minutes,
                    id="setup-minutes",
                ),
                classes="setup-minutes",
            )
        yield Static("People", classes="setup-section")
        yield Static(
            "Mark one Sales lead and one Marketing lead: they agree the goals and sign "
            "off for their teams. Enter edits, Delete removes.",
            classes="setup-hint",
        )
        yield Static(
            Content("Nobody yet — add the people in the room."),
            id="setup-people-empty",
            classes="setup-hint",
        )
        yield PeopleTable(cursor_type="row", zebra_stripes=True, id="setup-people")
        with Horizontal(classes="setup-buttons"):
            yield Button("Add person", id="setup-add-person", compact=True)
            yield Button("Edit", id="setup-edit-person", compact=True)
            yield Button("Remove", id="setup-remove-person", compact=True)
        yield Static("", id="setup-leads", classes="setup-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._ready = True
        self._fill_people()

    def _role_width(self, people: list[Participant]) -> int | None:
        """The role column's width when the table is too narrow for every role, else None.

        Name, team and the lead mark keep their width, so "lead" stays in view at
        80 columns; the role is cut with an ellipsis instead of a sideways scroll.
        """
        table = self.query_one("#setup-people", PeopleTable)
        width = table.size.width
        if not width or not people:
            return None
        pad = 2 * table.cell_padding
        name_w = max([4, *(cell_len(p.name) for p in people)])
        team_w = max([4, *(cell_len(p.team.value) for p in people)])
        lead_w = max([4, *(cell_len(lead_label(p)) for p in people)])
        role_w = max([4, *(cell_len(p.role or "—") for p in people)])
        reserve = table.styles.scrollbar_size_vertical if len(people) + 1 > PEOPLE_ROWS else 0
        spare = width - reserve - name_w - team_w - lead_w - 4 * pad
        return None if spare >= role_w else max(6, spare)

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self._ready:
            return
        meta = self.session.meta
        values = {
            "#setup-title": meta.title,
            "#setup-organisation": meta.organisation,
            "#setup-date": meta.workshop_date.isoformat(),
            "#setup-facilitator": meta.facilitator,
            "#setup-minutes": str(meta.workshop_minutes),
        }
        for selector, value in values.items():
            field = self.query_one(selector, SavingInput)
            if not field.has_class("-invalid"):
                field.set_value_quietly(value)
        screen = self.screen
        screen.title = meta.title
        ro = " · read-only" if self.service.readonly else ""
        screen.sub_title = f"{meta.organisation}{ro}" if meta.organisation else ro.strip(" ·")
        self._fill_people()

    # -- people ------------------------------------------------------------------------

    def _fill_people(self) -> None:
        people = sorted_people(self.session.participants)
        role_width = self._role_width(people)
        signature = (role_width, *((p.id, p.name, p.team, p.role, p.is_lead) for p in people))
        table = self.query_one("#setup-people", PeopleTable)
        self.query_one("#setup-people-empty").display = not people
        table.display = bool(people)
        self._update_leads_note()
        if signature == self._people_signature:
            return
        self._people_signature = signature
        keep = self._current_key()
        keep_row = table.cursor_row
        table.clear(columns=True)
        table.add_column(Text("Name"), key="name")
        table.add_column(Text("Team"), key="team")
        table.add_column(Text("Role"), key="role", width=role_width)
        table.add_column(Text("Lead"), key="lead")
        for p in people:
            table.add_row(
                Text(p.name),
                Text(p.team.value),
                Text(p.role or "—", overflow="ellipsis", no_wrap=True),
                Text(lead_label(p) or "—"),
                key=str(p.id),
            )
        if not people:
            return
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        else:
            table.move_cursor(row=min(keep_row, len(people) - 1), animate=False)

    def _update_leads_note(self) -> None:
        missing = [t.value for t in (Team.SALES, Team.MARKETING) if self.session.lead(t) is None]
        note = self.query_one("#setup-leads", Static)
        if missing:
            note.update(Content(f"No {' and no '.join(missing)} lead yet."))
        else:
            sales = self.session.lead(Team.SALES)
            marketing = self.session.lead(Team.MARKETING)
            assert sales is not None and marketing is not None
            note.update(
                Content.from_markup(
                    "Leads: $sales (Sales) and $marketing (Marketing).",
                    sales=sales.name,
                    marketing=marketing.name,
                )
            )

    def _current_key(self) -> str | None:
        table = self.query_one("#setup-people", PeopleTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        except Exception:  # an out-of-range cursor just means "none"
            return None

    def current_person(self) -> Participant | None:
        key = self._current_key()
        return self.session.participant(int(key)) if key is not None else None

    def _select(self, person_id: int) -> None:
        self._fill_people()
        table = self.query_one("#setup-people", PeopleTable)
        key = str(person_id)
        if key in table.rows:
            table.move_cursor(row=table.get_row_index(key), animate=False)
            table.focus()

    def add_person(self) -> None:
        def done(result: Participant | None) -> None:
            if result is not None:
                self.notify(f"{result.name} added", markup=False)
                self.call_after_refresh(self._select, result.id)

        self.app.push_screen(ParticipantDialog(self.service), done)

    def edit_person(self) -> None:
        person = self.current_person()
        if person is None:
            return

        def done(result: Participant | None) -> None:
            if result is not None:
                self.call_after_refresh(self._select, result.id)

        self.app.push_screen(ParticipantDialog(self.service, person), done)

    def remove_person(self) -> None:
        from ...form.confirm import ConfirmDialog

        person = self.current_person()
        if person is None:
            return
        owned = sum(1 for a in self.session.actions if a.owner_id == person.id)
        grants = sum(1 for g in self.session.crm_grants if g.participant_id == person.id)
        consequences = []
        if owned:
            consequences.append(f"{owned} action(s) they own will have no owner")
        if grants:
            consequences.append(f"{grants} CRM grant(s) will name nobody")
        message = "; ".join(consequences) + "." if consequences else "Nothing else changes."

        def answered(ok: bool | None) -> None:
            if not ok:
                return
            current = self.session.participant(person.id)
            if current is None:
                return
            try:
                self.service.remove(current)
            except (ValueError, SessionFileError) as exc:
                self.notify(str(exc), severity="error", timeout=6, markup=False)
                return
            self.notify(f"{person.name} removed", markup=False)

        self.app.push_screen(
            ConfirmDialog(
                f"Remove {person.name}?",
                message,
                confirm_label="Remove",
                destructive=True,
            ),
            answered,
        )

    @on(Button.Pressed, "#setup-add-person")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_person()

    @on(Button.Pressed, "#setup-edit-person")
    def _edit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.edit_person()

    @on(Button.Pressed, "#setup-remove-person")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.remove_person()

    @on(DataTable.RowSelected, "#setup-people")
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit_person()

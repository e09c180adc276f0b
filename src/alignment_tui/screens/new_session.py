"""The new-session form: title, organisation, date, facilitator and the people in the room.

Nothing is written until *Create*: then the form checks everything, names each
problem next to its field (what was typed stays), creates the session file in
the data folder and dismisses with its path; the caller opens the workshop.
Escape cancels, after asking when something was typed.

The title, organisation and facilitator, and each person's name and role, read
from their start away from the focus, ending in "…" when cut
(:class:`~..form.oneline.OneLineInput`). The three details select their whole
text when tabbed into, as they always have (:class:`DetailInput`); a name and a
role follow the form layer's rule. The date stays a plain input: "today" or
"+1w" is kept as typed until *Create*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Focus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from ..form.fields import Field
from ..form.oneline import OneLineInput
from ..form.refusal import show_reason
from ..form.tick import TickBox
from ..sessions import clock, paths
from ..sessions.errors import SessionFileError, describe_validation_error
from ..sessions.models import Participant, Session, Team, new_session
from ..sessions.parse import parse_date
from ..sessions.service import SessionService
from ..widgets.footer import KeyFooter

TEAM_OPTIONS: list[tuple[str, Team]] = [(team.value, team) for team in Team]


@dataclass(frozen=True)
class PersonDraft:
    """One participant row as typed."""

    name: str
    team: Team = Team.OTHER
    role: str = ""
    lead: bool = False

    @property
    def blank(self) -> bool:
        return not self.name.strip() and not self.role.strip() and not self.lead


def people_problems(people: list[PersonDraft]) -> dict[int, str]:
    """The reason each row (by index) cannot be saved; blank rows are simply skipped."""
    problems: dict[int, str] = {}
    leads: dict[Team, str] = {}
    for i, person in enumerate(people):
        if person.blank:
            continue
        name = person.name.strip()
        if person.lead:
            if person.team is Team.OTHER:
                problems[i] = "Lead: a lead must be on the Sales or the Marketing team"
                continue
            if person.team in leads:
                problems[i] = (
                    f"Lead: only one {person.team.value} lead — "
                    f"{leads[person.team]} is already the {person.team.value} lead"
                )
                continue
            leads[person.team] = name or f"row {i + 1}"
        if not name:
            problems[i] = "Name is required (or remove this row)"
    return problems


class DetailInput(OneLineInput):
    """A session detail (title, organisation, facilitator): read from its start, with "…"
    when cut, away from the focus; its whole text selected when it takes the focus."""

    @on(Focus)
    def _select_all_on_focus(self, event: Focus) -> None:
        # Runs before OneLineInput.on_focus (Textual calls a class's decorated
        # handlers first), which keeps a selection it finds. Not when the whole
        # app regains the focus (Input's select_on_focus rule).
        if not event.from_app_focus:
            self.select_all()


class PersonRow(Vertical):
    """Name, team, role, lead, remove — and the reason when the row is refused."""

    def __init__(self, draft: PersonDraft | None = None) -> None:
        super().__init__(classes="person-row")
        self.draft = draft or PersonDraft("")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="person-fields"):
            yield OneLineInput(self.draft.name, placeholder="Name", classes="person-name")
            yield Select(
                TEAM_OPTIONS,
                value=self.draft.team,
                allow_blank=False,
                classes="person-team",
            )
            yield OneLineInput(self.draft.role, placeholder="Role", classes="person-role")
            yield TickBox("Lead", self.draft.lead, classes="person-lead")
            yield Button("✕", classes="person-remove", tooltip="Remove this person")
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(".field-error").display = False

    def value(self) -> PersonDraft:
        team = self.query_one(".person-team", Select).value
        return PersonDraft(
            name=self.query_one(".person-name", Input).value,
            team=team if isinstance(team, Team) else Team.OTHER,
            role=self.query_one(".person-role", Input).value,
            lead=self.query_one(".person-lead", Checkbox).value,
        )

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".field-error", Static)
        error.update(Content(message or ""))
        error.display = message is not None
        self.set_class(message is not None, "-invalid")


def carried_over(previous: Session) -> str:
    """What the next workshop takes from *previous*, in one paragraph."""
    from ..sessions.carry import STILL_OPEN

    people = len(previous.participants)
    still_open = sum(a.status in STILL_OPEN for a in previous.actions)
    title = " ".join(previous.meta.title.split())
    return (
        f"Carried over from “{title}”: {people} {'person' if people == 1 else 'people'}, "
        "the goals, the story, CRM access, the feedback loop, the funnel's stages and "
        f"hand-overs, and {still_open} open {'action' if still_open == 1 else 'actions'}. "
        "Counts, closed actions and sign-offs stay behind; the earlier file is not changed."
    )


class NewSessionScreen(Screen[Path | None]):
    """Set up a new workshop session; dismisses with the created file's path."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_cancel", tooltip="Leave without creating"),
        Binding("f2", "add_person", "Add person", id="new_add_person", tooltip="Add a participant"),
        Binding(
            "f10",
            "create",
            "Create",
            id="new_create",
            tooltip="Create the session and open the workshop",
        ),
    ]

    def __init__(
        self,
        folder: Path | None = None,
        *,
        today: dt.date | None = None,
        previous: Session | None = None,
    ) -> None:
        super().__init__()
        self.folder = folder
        self.today = today or clock.today()
        self.tried = False
        #: The earlier session the next workshop starts from (``new --from``), if any.
        self.previous = previous

    def compose(self) -> ComposeResult:
        yield Header()
        earlier = self.previous.meta if self.previous is not None else None
        with VerticalScroll(id="new-form", can_focus=False):
            heading = "Next workshop" if earlier else "New workshop session"
            yield Label(heading, id="new-heading")
            with Horizontal(classes="new-pair"):
                yield Field(
                    "Title",
                    DetailInput(
                        earlier.title if earlier else "",
                        id="new-title",
                        placeholder="e.g. Sales & marketing alignment",
                    ),
                    hint="required",
                )
                yield Field(
                    "Organisation",
                    DetailInput(earlier.organisation if earlier else "", id="new-organisation"),
                )
            with Horizontal(classes="new-pair"):
                yield Field(
                    "Date",
                    Input(self.today.isoformat(), id="new-date"),
                    hint="YYYY-MM-DD, today, +2w",
                )
                yield Field(
                    "Facilitator",
                    DetailInput(earlier.facilitator if earlier else "", id="new-facilitator"),
                )
            if self.previous is not None:
                yield Static(Content(carried_over(self.previous)), id="new-carried")
            else:
                yield Label("People in the room", classes="new-subheading")
                yield Static(
                    "Mark the Sales lead and the Marketing lead: one each.",
                    classes="new-hint",
                )
                with Horizontal(id="people-header"):
                    yield Label("Name", classes="person-name")
                    yield Label("Team", classes="person-team")
                    yield Label("Role", classes="person-role")
                    yield Label("Lead", classes="person-lead")
                    yield Label("", classes="person-remove")
                yield Vertical(PersonRow(), PersonRow(), id="people")
                yield Button("Add person  F2", id="new-add-person")
            yield Static("", id="new-status", markup=False)
            with Horizontal(id="new-buttons"):
                yield Button("Create and open  F10", variant="primary", id="new-create")
                yield Button("Cancel", id="new-cancel")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A follow-up takes its people from the earlier session: no rows to add.
        return not (action == "add_person" and self.previous is not None)

    def on_mount(self) -> None:
        self.title = "alignment-tui"
        self.sub_title = "Next workshop" if self.previous is not None else "New session"
        self.query_one("#new-status").display = False
        self.query_one("#new-title", Input).focus()

    # -- reading the form ------------------------------------------------------------

    def _input(self, name: str) -> Input:
        return self.query_one(f"#new-{name}", Input)

    def rows(self) -> list[PersonRow]:
        if self.previous is not None:  # the people come with the earlier session
            return []
        return list(self.query_one("#people").query_children(PersonRow))

    def has_typed(self) -> bool:
        if self.previous is not None:
            return True  # leaving drops the follow-up being set up: ask first
        if any(self._input(n).value.strip() for n in ("title", "organisation", "facilitator")):
            return True
        if self._input("date").value.strip() != self.today.isoformat():
            return True
        return any(not row.value().blank for row in self.rows())

    # -- showing problems ------------------------------------------------------------

    def _field_error(self, widget: Widget, message: str | None) -> None:
        # The form layer's one way: the reason under the field, kept in view.
        show_reason(widget, message)

    def _status(self, message: str | None) -> None:
        status = self.query_one("#new-status", Static)
        status.update(Content(message or ""))
        status.display = message is not None

    def check_date(self) -> dt.date | None:
        try:
            date = parse_date(self._input("date").value, field="Date", allow_blank=False)
        except ValueError as exc:
            self._field_error(self._input("date"), str(exc))
            return None
        self._field_error(self._input("date"), None)
        return date

    def check_title(self) -> str | None:
        title = self._input("title").value.strip()
        if not title:
            self._field_error(self._input("title"), "Title is required")
            return None
        self._field_error(self._input("title"), None)
        return title

    def check_people(self, *, names: bool) -> list[PersonDraft] | None:
        rows = self.rows()
        drafts = [row.value() for row in rows]
        problems = people_problems(drafts)
        if not names:
            problems = {i: p for i, p in problems.items() if p.startswith("Lead")}
        for i, row in enumerate(rows):
            row.show_error(problems.get(i))
        return None if problems else drafts

    def check_form(self) -> list[str]:
        """Check every field, show each reason beside its field; return the reasons."""
        problems: list[str] = []
        if self.check_title() is None:
            problems.append("Title is required")
        if self.check_date() is None:
            problems.append("Date")
        if self.check_people(names=True) is None:
            problems.append("People")
        return problems

    # -- live checks ---------------------------------------------------------------------

    @on(Input.Blurred, "#new-date")
    def _date_left(self) -> None:
        self.check_date()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if self.tried:
            self._recheck()
        elif event.input.id == "new-title" and event.value.strip():
            self._field_error(event.input, None)

    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _lead_or_team_changed(self) -> None:
        if self.tried:
            self._recheck()
        else:
            self.check_people(names=False)

    def _recheck(self) -> None:
        problems = self.check_form()
        if not problems:
            self._status(None)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- people ----------------------------------------------------------------------

    @on(Button.Pressed, "#new-add-person")
    async def action_add_person(self) -> None:
        row = PersonRow()
        await self.query_one("#people").mount(row)
        row.query_one(".person-name", Input).focus()
        self.call_after_refresh(row.scroll_visible)

    @on(Button.Pressed, ".person-remove")
    def _remove_person(self, event: Button.Pressed) -> None:
        row = next((a for a in event.button.ancestors if isinstance(a, PersonRow)), None)
        if row is None:
            return
        rows = self.rows()
        index = rows.index(row)
        row.remove()
        remaining = [r for r in rows if r is not row]

        def refocus() -> None:
            if remaining:
                target = remaining[min(index, len(remaining) - 1)]
                target.query_one(".person-name", Input).focus()
            else:
                self.query_one("#new-add-person", Button).focus()
            if self.tried:
                self._recheck()
            else:
                self.check_people(names=False)

        self.call_after_refresh(refocus)

    # -- create and cancel -------------------------------------------------------------

    @on(Button.Pressed, "#new-create")
    def action_create(self) -> None:
        self.tried = True
        problems = self.check_form()
        if problems:
            self._status("Not created yet: fix the fields marked in red (nothing typed is lost)")
            self._focus_first_problem()
            return
        title = self.check_title() or ""
        date = self.check_date()
        drafts = self.check_people(names=True) or []
        if self.previous is not None:
            session: Session | None = self._follow_up(title, date)
            if session is None:
                return
        else:
            session = self._fresh(title, date, drafts)
            if session is None:
                return
        try:
            path = paths.session_path_for(title, self.folder)
            SessionService.create(path, session).close()
        except (SessionFileError, OSError) as exc:
            self._status(f"Not created: {' '.join(str(exc).split())}")
            return
        self.dismiss(path)

    def _follow_up(self, title: str, date: dt.date | None) -> Session | None:
        """The next workshop from :attr:`previous`, with this form's title, date and names."""
        from ..sessions.carry import next_workshop

        assert self.previous is not None
        try:
            session = next_workshop(
                self.previous,
                title=title,
                workshop_date=date,
                facilitator=self._input("facilitator").value.strip(),
            )
            session.meta = session.meta.model_validate(
                {
                    **session.meta.model_dump(),
                    "organisation": self._input("organisation").value.strip(),
                }
            )
        except ValidationError as exc:
            self._status(f"Not created yet: {describe_validation_error(exc)}")
            return None
        return session

    def _fresh(self, title: str, date: dt.date | None, drafts: list[PersonDraft]) -> Session | None:
        try:
            participants = [
                Participant(
                    id=i,
                    name=d.name,
                    team=d.team,
                    role=d.role.strip(),
                    is_lead=d.lead,
                )
                for i, d in enumerate((d for d in drafts if not d.blank), start=1)
            ]
            session = new_session(
                title,
                organisation=self._input("organisation").value.strip(),
                workshop_date=date,
                facilitator=self._input("facilitator").value.strip(),
                participants=participants,
            )
        except ValidationError as exc:
            self._status(f"Not created yet: {describe_validation_error(exc)}")
            return None
        return session

    def _focus_first_problem(self) -> None:
        for widget in self.query(".-invalid"):
            target: Any = widget
            if isinstance(widget, PersonRow):
                target = widget.query_one(".person-name", Input)
            target.focus()
            target.scroll_visible()
            return

    @on(Button.Pressed, "#new-cancel")
    def action_cancel(self) -> None:
        if not self.has_typed():
            self.dismiss(None)
            return
        from ..form.confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard this new session?",
                "What you typed has not been saved anywhere yet.",
                confirm_label="Discard",
                cancel_label="Keep editing",
                destructive=True,
            ),
            answered,
        )

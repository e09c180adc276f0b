"""The people in the room: a record list of participants beside one editor.

The list shows one line a person (name, team, role, lead), leads first, then
by team and name. The editor under it holds the highlighted person's name,
team, role, whether they lead their team and, optionally, an e-mail address
(the calendar export invites them with it); each saves as it is typed or
changed. The rules across people (one Sales lead and one Marketing lead, a
lead on the Sales or Marketing team, a name) are the core's
(:class:`~alignment_tui.sessions.service.SessionService`); a refused change
keeps what was typed and says why under the field.

Insert adds a person (named "New person" until the room gives a name: the
name field takes the focus with the placeholder selected, so typing replaces
it); Delete removes the highlighted one, asking first and saying what they
leave behind (actions they own, CRM grants naming them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pydantic import ValidationError
from textual.containers import Horizontal
from textual.content import Content

from ...form.choice import Choice
from ...form.fields import SavingInput, TitledField
from ...form.records import Column, RecordEditor, RecordList, RecordSource
from ...form.row import FieldRow
from ...sessions.models import Participant, Session, Team
from ...sessions.service import ChangeRefused, SessionService
from ...sessions.text import one_line, snippet

TEAM_ORDER: dict[Team, int] = {Team.SALES: 0, Team.MARKETING: 1, Team.OTHER: 2}

#: The team choice, in the order the room names them.
TEAMS: list[tuple[str, Team]] = [(t.value, t) for t in (Team.SALES, Team.MARKETING, Team.OTHER)]

#: Whether the person leads their team.
LEAD_CHOICES: list[tuple[str, bool]] = [("Team member", False), ("Leads their team", True)]

#: The name a person added by Insert has until the room names them.
NEW_NAME = "New person"

COLUMNS = [
    Column("name", "Name", min_width=10),
    Column("team", "Team", width=len("Marketing")),
    # The role gives way first: cut with "…", and left out only where even a
    # short role would not fit, so the lead mark stays in view at 80 columns.
    Column("role", "Role", min_width=6, drop=1),
    Column("lead", "Lead", width=4),
]


def sorted_people(people: list[Participant]) -> list[Participant]:
    """Leads first, then by team and name."""
    return sorted(people, key=lambda p: (not p.is_lead, TEAM_ORDER[p.team], p.name.lower()))


def person_cells(person: Participant, _number: int) -> dict[str, str | Content]:
    return {
        "name": one_line(person.name),
        "team": person.team.value,
        "role": one_line(person.role) if person.role else "—",
        "lead": "lead" if person.is_lead else "—",
    }


def parse_name(text: str) -> str:
    """A name on one line, its runs of spaces made one (the core refuses an empty one)."""
    return " ".join(text.split())


def new_name(session: Session) -> str:
    """ "New person", or "New person 2"… when the room has not named the last one yet."""
    taken = {p.name for p in session.participants}
    if NEW_NAME not in taken:
        return NEW_NAME
    n = 2
    while f"{NEW_NAME} {n}" in taken:
        n += 1
    return f"{NEW_NAME} {n}"


def is_new_name(name: str) -> bool:
    """Whether *name* is one :func:`new_name` gave (the room has not named the person yet)."""
    return name == NEW_NAME or re.fullmatch(rf"{NEW_NAME} \d+", name) is not None


def left_behind(session: Session, person: Participant) -> str:
    """What removing *person* changes elsewhere, in the room's words."""
    owned = sum(1 for a in session.actions if a.owner_id == person.id)
    grants = sum(1 for g in session.crm_grants if g.participant_id == person.id)
    consequences = []
    if owned:
        consequences.append(f"{owned} action(s) they own will have no owner")
    if grants:
        consequences.append(f"{grants} CRM grant(s) will name nobody")
    return "; ".join(consequences) + "." if consequences else "Nothing else changes."


#: Why the core refused an address, in the room's words (its own reason names a pattern).
BAD_EMAIL = "E-mail must be an address, like sam@example.com"


def email_saver(editor: RecordEditor[Participant]) -> Callable[[str], None]:
    """Save the person's e-mail; the core judges it, the reason is said plainly."""
    save = editor.setter("email")

    def saver(value: str) -> None:
        try:
            save(value)
        except ChangeRefused as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError) and any(
                e["type"] == "string_pattern_mismatch" for e in cause.errors()
            ):
                raise ChangeRefused(BAD_EMAIL) from exc
            raise

    return saver


def people_source(service: SessionService) -> RecordSource[Participant]:
    """How the people list reads the participants and what its verbs do."""

    def add() -> Participant:
        return service.add(Participant, name=new_name(service.session), team=Team.SALES)

    def describe(person: Participant) -> tuple[str, str, bool]:
        session = service.session
        fresh = is_new_name(person.name) and not person.role and not person.is_lead
        touches = any(a.owner_id == person.id for a in session.actions) or any(
            g.participant_id == person.id for g in session.crm_grants
        )
        return snippet(person.name), left_behind(session, person), not fresh or touches

    return RecordSource(
        records=lambda: sorted_people(service.session.participants),
        key=lambda p: p.id,
        cells=person_cells,
        add=add,
        remove=service.remove,
        describe=describe,
    )


def people_list(service: SessionService) -> RecordList[Participant]:
    return RecordList(
        people_source(service),
        COLUMNS,
        empty="Nobody yet — Insert (or Add person) adds the people in the room.",
        id="setup-people",
    )


def person_editor(service: SessionService, key: int | None) -> RecordEditor[Participant]:
    return RecordEditor(service.session.participant, service.update, key, id="setup-person")


def compose_person_fields(editor: RecordEditor[Participant]) -> Iterator[TitledField | Horizontal]:
    """The editor's fields (yielded inside ``with editor:``)."""
    with FieldRow(classes="setup-row"):
        yield TitledField(
            "Name",
            SavingInput(
                read=editor.get("name"),
                parse=parse_name,
                save=editor.setter("name"),
                placeholder="e.g. Sam Okafor",
                id="person-name",
            ),
        )
        yield TitledField(
            "Team",
            Choice(
                TEAMS,
                read=editor.get("team", Team.SALES),
                save=editor.setter("team"),
                id="person-team",
            ),
            classes="setup-team",
        )
    with FieldRow(classes="setup-row"):
        yield TitledField(
            "Role",
            SavingInput(
                read=editor.get("role"),
                parse=str.strip,
                save=editor.setter("role"),
                placeholder="e.g. Head of demand",
                id="person-role",
            ),
        )
        yield TitledField(
            "Lead",
            Choice(
                LEAD_CHOICES,
                read=editor.get("is_lead", False),
                save=editor.setter("is_lead"),
                id="person-lead",
            ),
            classes="setup-lead",
        )
    yield TitledField(
        "E-mail",
        SavingInput(
            read=editor.get("email"),
            parse=str.strip,
            save=email_saver(editor),
            placeholder="e.g. sam@example.com",
            id="person-email",
        ),
        hint="optional, for calendar invitations",
    )


def leads_note(session: Session) -> Content:
    """Who leads each team, or which lead is still missing."""
    sales = session.lead(Team.SALES)
    marketing = session.lead(Team.MARKETING)
    if sales is None or marketing is None:
        missing = [
            t.value for t, p in ((Team.SALES, sales), (Team.MARKETING, marketing)) if p is None
        ]
        return Content(f"No {' and no '.join(missing)} lead yet.")
    return Content.from_markup(
        "Leads: $sales (Sales) and $marketing (Marketing).",
        sales=one_line(sales.name),
        marketing=one_line(marketing.name),
    )

"""CRM access grants in words: who, what they watch, where it stands, one line a grant."""

from __future__ import annotations

from textual.content import Content

from ...form.records import Column
from ...sessions.models import (
    AccessLevel,
    CrmGrant,
    GrantStatus,
    Participant,
    Session,
    Team,
)
from ...sessions.text import one_line

#: What a marketer commonly watches in the sales CRM, in the order offered.
COMMON_WATCHES: list[str] = [
    "Deal notes",
    "Lost reasons",
    "Pipeline value",
    "Won revenue",
    "Call recordings",
    "Win/loss interviews",
]

ACCESS_LABELS: dict[AccessLevel, str] = {
    AccessLevel.READ_ONLY: "Read-only",
    AccessLevel.COMMENT: "Comment",
    AccessLevel.EDIT: "Edit",
}
STATUS_LABELS: dict[GrantStatus, str] = {
    GrantStatus.PLANNED: "Planned",
    GrantStatus.REQUESTED: "Requested",
    GrantStatus.GRANTED: "Granted",
    GrantStatus.BLOCKED: "Blocked",
}
#: A sign beside the status in the list (never colour alone).
STATUS_MARKS: dict[GrantStatus, str] = {GrantStatus.GRANTED: "✔ ", GrantStatus.BLOCKED: "⚠ "}
TEAM_ORDER: dict[Team, int] = {Team.MARKETING: 0, Team.SALES: 1, Team.OTHER: 2}

NO_MARKETER_WARNING = (
    "⚠ No marketer has CRM access granted yet. Add one below and set the status "
    "to Granted once they can log in."
)

#: One line a grant. Beside the step list and the guidance the names need the
#: room: how many things are watched goes first, then the due date (the editor
#: shows both anyway).
COLUMNS = (
    Column("n", "#", 3),
    Column("who", "Who", min_width=14),
    Column("access", "Access", 9),
    Column("status", "Status", 10),
    Column("due", "Due", 10, drop=1),
    Column("watch", "Watch", 5, drop=2, align="right"),
)


def people_options(session: Session) -> list[tuple[Content, int]]:
    """Participants for the "who" choice: the Marketing team first, then everyone else.

    Labels are :class:`Content` so names are never read as markup.
    """
    people = sorted(
        session.participants, key=lambda p: (TEAM_ORDER[p.team], not p.is_lead, p.name.lower())
    )
    return [(Content(f"{one_line(p.name)} ({p.team.value})"), p.id) for p in people]


def marketer_has_access(session: Session) -> bool:
    marketers = {p.id for p in session.participants if p.team is Team.MARKETING}
    return any(
        g.participant_id in marketers and g.status is GrantStatus.GRANTED
        for g in session.crm_grants
    )


def first_marketer_without_access(session: Session) -> int | None:
    """Who a new grant is for at first: the first marketer (lead first) not listed yet."""
    taken = {g.participant_id for g in session.crm_grants}
    for _label, pid in people_options(session):
        person = session.participant(pid)
        if person is not None and person.team is Team.MARKETING and pid not in taken:
            return pid
    return None


def split_others(text: str) -> list[str]:
    """The free "other" watches: comma-separated, blanks dropped, duplicates kept once."""
    out: list[str] = []
    for part in text.split(","):
        item = part.strip()
        if item and item not in out and item not in COMMON_WATCHES:
            out.append(item)
    return out


def others_text(grant: CrmGrant | None) -> str:
    """The grant's watches that are not among the common ones, as typed."""
    return ", ".join(w for w in grant.watches if w not in COMMON_WATCHES) if grant else ""


def who(person: Participant | None, *, team: bool = True) -> str:
    """A person's name on one line, with their team (not for a marketer when *team* is False)."""
    if person is None:
        return ""
    if not team and person.team is Team.MARKETING:
        return one_line(person.name)
    return f"{one_line(person.name)} ({person.team.value})"


def grant_cells(grant: CrmGrant, number: int, session: Session) -> dict[str, str | Content]:
    """The list's line for one grant."""
    name = who(session.participant(grant.participant_id), team=False)
    return {
        "n": str(number),
        "who": name or Content.styled("(nobody yet)", "italic"),
        "access": ACCESS_LABELS[grant.access],
        "status": STATUS_MARKS.get(grant.status, "") + STATUS_LABELS[grant.status],
        "due": grant.due.isoformat() if grant.due else "",
        "watch": str(len(grant.watches)) if grant.watches else "",
    }


def number_of(grant: CrmGrant, session: Session) -> int:
    ids = [g.id for g in session.crm_grants]
    return ids.index(grant.id) + 1 if grant.id in ids else 0


def describe(grant: CrmGrant, session: Session) -> tuple[str, str, bool]:
    """How the removal of *grant* is asked (not at all for a grant nobody filled in)."""
    person = session.participant(grant.participant_id)
    name = who(person, team=False) if person else "nobody chosen yet"
    detail = (
        f"Access {number_of(grant, session)} for {name} "
        f"({ACCESS_LABELS[grant.access].lower()}, {STATUS_LABELS[grant.status].lower()}) "
        "will be removed from the session."
    )
    return "this CRM access", detail, grant != CrmGrant(id=grant.id)


def title(grant: CrmGrant, session: Session) -> Content:
    """The editor's heading: which grant of how many, for whom, and where it stands."""
    person = session.participant(grant.participant_id)
    return Content.from_markup(
        "[b]Access $n of $total: [/b]$who · $access · $status",
        n=str(number_of(grant, session)),
        total=str(len(session.crm_grants)),
        who=who(person) or "nobody chosen yet",
        access=ACCESS_LABELS[grant.access].lower(),
        status=STATUS_LABELS[grant.status].lower(),
    )


def note(grant: CrmGrant, session: Session) -> str:
    """What the room should know about the grant (empty when nothing)."""
    person = session.participant(grant.participant_id)
    if person is None:
        return "Choose who gets access."
    if person.team is not Team.MARKETING:
        return (
            f"{one_line(person.name)} is not on the Marketing team, "
            "so this does not count as a marketer's access."
        )
    if grant.status is GrantStatus.BLOCKED:
        return "Blocked: add an action for who unblocks it, and by when."
    return ""


def watching(grant: CrmGrant | None) -> Content:
    watches = grant.watches if grant else []
    shown = ", ".join(one_line(w) for w in watches) if watches else "nothing chosen yet"
    return Content.from_markup("[b]Watching: [/b]$w", w=shown)

"""Step 2, "Marketing inside the CRM": which system, and which marketers get access to what.

The pane captures the CRM system and notes, then one row per access grant:
who (marketing people first), access level (read-only by default), what they
will watch, who grants it, by when, and where it stands. A warning in words
stays visible until at least one marketer has access granted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Select, SelectionList, Static

from ...screens.confirm import ConfirmDialog
from ...sessions.errors import SessionFileError
from ...sessions.models import (
    AccessLevel,
    CrmGrant,
    GrantStatus,
    Participant,
    Session,
    StepId,
    Team,
)
from ...sessions.parse import parse_date
from ...sessions.service import SessionService
from ..fields import Field, SavingInput, SavingSelect, SavingTextArea
from .base import StepPane

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
TEAM_ORDER: dict[Team, int] = {Team.MARKETING: 0, Team.SALES: 1, Team.OTHER: 2}

NO_MARKETER_WARNING = (
    "⚠ No marketer has CRM access granted yet. Add one below and set the status "
    "to Granted once they can log in."
)


def people_options(session: Session) -> list[tuple[Any, int]]:
    """Participants for a "who" choice: the Marketing team first, then everyone else.

    Labels are :class:`Content` so names are never read as markup.
    """
    people = sorted(
        session.participants, key=lambda p: (TEAM_ORDER[p.team], not p.is_lead, p.name.lower())
    )
    return [(Content(f"{p.name} ({p.team.value})"), p.id) for p in people]


def marketer_has_access(session: Session) -> bool:
    marketers = {p.id for p in session.participants if p.team is Team.MARKETING}
    return any(
        g.participant_id in marketers and g.status is GrantStatus.GRANTED
        for g in session.crm_grants
    )


def split_others(text: str) -> list[str]:
    """The free "other" watches: comma-separated, blanks dropped, duplicates kept once."""
    out: list[str] = []
    for part in text.split(","):
        item = part.strip()
        if item and item not in out and item not in COMMON_WATCHES:
            out.append(item)
    return out


class RemoveButton(Button):
    """A remove button that asks first (a :class:`ConfirmDialog`, focus on cancel).

    When the answer is yes it posts :class:`RemoveButton.Confirmed`; the pane
    does the removal. When *needs_confirm* says no (e.g. an empty row), one
    press is enough.
    """

    class Confirmed(Message):
        def __init__(self, button: RemoveButton) -> None:
            super().__init__()
            self.button = button

    def __init__(
        self,
        label: str = "Remove",
        *,
        question: str = "Remove this?",
        describe: Callable[[], str] | None = None,
        needs_confirm: Callable[[], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, variant="default", compact=True, **kwargs)
        self._question = question
        self._describe = describe or (lambda: "It will be removed from the session.")
        self._needs_confirm = needs_confirm or (lambda: True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button is not self:
            return
        event.stop()
        if not self._needs_confirm():
            self.post_message(self.Confirmed(self))
            return

        def answered(ok: bool | None) -> None:
            if ok and self.is_attached:
                self.post_message(self.Confirmed(self))

        self.app.push_screen(
            ConfirmDialog(
                self._question,
                self._describe(),
                confirm_label="Remove",
                cancel_label="Keep",
                destructive=True,
            ),
            answered,
        )


class GrantRow(Vertical):
    """One marketer's access to the CRM. Looks its record up by id on every save."""

    def __init__(self, service: SessionService, grant: CrmGrant, number: int) -> None:
        super().__init__(id=f"grant-{grant.id}", classes="grant-row")
        self.service = service
        self.grant_id = grant.id
        self.number = number
        self._people = people_options(service.session)
        self._ready = False  # True once every field in the row is mounted

    # -- the record ---------------------------------------------------------------

    def current(self) -> CrmGrant | None:
        return next((g for g in self.service.session.crm_grants if g.id == self.grant_id), None)

    def _save(self, **changes: Any) -> None:
        grant = self.current()
        if grant is not None:  # removed meanwhile: nothing left to save into
            self.service.update(grant, **changes)

    def _save_due(self, text: str) -> None:
        self._save(due=parse_date(text, field="Due date"))

    def _save_watched(self, selected: list[str]) -> None:
        grant = self.current()
        if grant is None:
            return
        others = [w for w in grant.watches if w not in COMMON_WATCHES]
        common = [w for w in COMMON_WATCHES if w in selected]
        self.service.update(grant, watches=common + others)

    def _save_others(self, text: str) -> None:
        grant = self.current()
        if grant is None:
            return
        common = [w for w in grant.watches if w in COMMON_WATCHES]
        self.service.update(grant, watches=common + split_others(text))

    # -- building -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        g = self.current()
        assert g is not None
        gid = self.grant_id
        with Horizontal(classes="grant-head"):
            yield Static(self._title(g), id=f"grant-{gid}-title", classes="grant-title")
            yield RemoveButton(
                question="Remove this CRM access?",
                describe=self._describe,
                id=f"grant-{gid}-remove",
            )
        yield Static("", id=f"grant-{gid}-note", classes="grant-note")
        yield Field(
            "Marketer",
            SavingSelect(
                self._people,
                value=g.participant_id if g.participant_id is not None else Select.NULL,
                allow_blank=True,
                prompt="Choose a person",
                save=lambda v: self._save(participant_id=v),
                id=f"grant-{gid}-who",
            ),
            hint="Marketing team first",
        )
        with Horizontal(classes="form-row"):
            yield Field(
                "Access",
                SavingSelect(
                    [(label, level) for level, label in ACCESS_LABELS.items()],
                    value=g.access,
                    save=lambda v: self._save(access=v),
                    id=f"grant-{gid}-access",
                ),
            )
            yield Field(
                "Status",
                SavingSelect(
                    [(label, status) for status, label in STATUS_LABELS.items()],
                    value=g.status,
                    save=lambda v: self._save(status=v),
                    id=f"grant-{gid}-status",
                ),
            )
        yield Field(
            "What they will watch",
            SelectionList[str](
                *[(Content(w), w, w in g.watches) for w in COMMON_WATCHES],
                id=f"grant-{gid}-watch",
                compact=True,
            ),
            hint="space ticks",
        )
        yield Static("", id=f"grant-{gid}-watching", classes="grant-watching")
        yield Field(
            "Other things to watch",
            SavingInput(
                ", ".join(w for w in g.watches if w not in COMMON_WATCHES),
                save=self._save_others,
                placeholder="e.g. churn notes, renewal dates",
                id=f"grant-{gid}-other",
            ),
            hint="separate with commas",
        )
        with Horizontal(classes="form-row"):
            yield Field(
                "Granted by",
                SavingInput(
                    g.granted_by,
                    save=lambda v: self._save(granted_by=v),
                    placeholder="who switches it on",
                    suggester=SuggestFromList(
                        [p.name for p in self.service.session.participants],
                        case_sensitive=False,
                    ),
                    id=f"grant-{gid}-by",
                ),
            )
            yield Field(
                "Due",
                SavingInput(
                    g.due.isoformat() if g.due else "",
                    save=self._save_due,
                    placeholder="2026-12-31, +2w",
                    id=f"grant-{gid}-due",
                ),
            )

    def on_mount(self) -> None:
        # children (and their Field contents) are all mounted before this runs
        self._ready = True
        self.refresh_row()

    @on(SelectionList.SelectedChanged)
    def _watch_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        try:
            self._save_watched(list(event.selection_list.selected))
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)

    # -- derived views ---------------------------------------------------------------

    def _person(self, grant: CrmGrant) -> Participant | None:
        return self.service.session.participant(grant.participant_id)

    def _describe(self) -> str:
        grant = self.current()
        if grant is None:
            return "This access will be removed from the session."
        person = self._person(grant)
        who = person.name if person else "nobody chosen yet"
        return (
            f"Access {self.number} for {who} ({ACCESS_LABELS[grant.access].lower()}, "
            f"{STATUS_LABELS[grant.status].lower()}) will be removed from the session."
        )

    def _title(self, grant: CrmGrant) -> Content:
        person = self._person(grant)
        who = f"{person.name} ({person.team.value})" if person else "nobody chosen yet"
        return Content.from_markup(
            "[b]Access $n:[/b] $who · $access · $status",
            n=str(self.number),
            who=who,
            access=ACCESS_LABELS[grant.access].lower(),
            status=STATUS_LABELS[grant.status].lower(),
        )

    def refresh_row(self) -> None:
        """Show the record as it is now in the session (titles, notes, changed values)."""
        grant = self.current()
        gid = self.grant_id
        if grant is None or not self._ready:
            return  # gone, or not mounted yet (on_mount will show it)
        self.query_one(f"#grant-{gid}-title", Static).update(self._title(grant))
        person = self._person(grant)
        note = ""
        if person is None:
            note = "Choose who gets access."
        elif person.team is not Team.MARKETING:
            note = (
                f"{person.name} is not on the Marketing team, "
                "so this does not count as a marketer's access."
            )
        elif grant.status is GrantStatus.BLOCKED:
            note = "Blocked: add an action for who unblocks it, and by when."
        note_widget = self.query_one(f"#grant-{gid}-note", Static)
        note_widget.update(Content(note))
        note_widget.display = bool(note)
        self.set_class(grant.status is GrantStatus.GRANTED, "-granted")
        watching = ", ".join(grant.watches) if grant.watches else "nothing chosen yet"
        self.query_one(f"#grant-{gid}-watching", Static).update(
            Content.from_markup("[b]Watching:[/b] $w", w=watching)
        )

        who = self.query_one(f"#grant-{gid}-who", SavingSelect)
        people = people_options(self.service.session)
        if people != self._people:
            self._people = people
            with who.prevent(Select.Changed):
                who.set_options(people)
        self._quiet_select(who, grant.participant_id)
        self._quiet_select(self.query_one(f"#grant-{gid}-access", SavingSelect), grant.access)
        self._quiet_select(self.query_one(f"#grant-{gid}-status", SavingSelect), grant.status)
        due = self.query_one(f"#grant-{gid}-due", SavingInput)
        if not due.has_class("-invalid"):
            due.set_value_quietly(grant.due.isoformat() if grant.due else "")
        self.query_one(f"#grant-{gid}-by", SavingInput).set_value_quietly(grant.granted_by)

    @staticmethod
    def _quiet_select(select: Select[Any], value: Any) -> None:
        wanted = Select.NULL if value is None else value
        if select.value != wanted and not select.has_focus and not select.expanded:
            with select.prevent(Select.Changed):
                select.value = wanted


class CrmPane(StepPane):
    """Which CRM, and which marketers get (read-only is enough) access to it."""

    STEP: ClassVar[StepId] = StepId.CRM

    def compose_body(self) -> ComposeResult:
        crm = self.session.crm
        yield Field(
            "CRM system",
            SavingInput(
                crm.system,
                save=lambda v: self.service.update(self.session.crm, system=v),
                placeholder="e.g. the sales team's CRM and which instance",
                id="crm-system",
            ),
        )
        yield Field(
            "Notes",
            SavingTextArea(
                crm.notes,
                save=lambda v: self.service.update(self.session.crm, notes=v),
                id="crm-notes",
                classes="notes",
            ),
            hint="licences, data rules, who to ask",
        )
        yield Static("", id="crm-warning", classes="warning")
        yield Static(Content("Marketers with access"), classes="section-title")
        with Vertical(id="crm-grants"):
            for n, grant in enumerate(self.session.crm_grants, start=1):
                yield GrantRow(self.service, grant, n)
        yield Static("No access planned yet.", id="crm-empty", classes="empty-note", markup=False)
        with Horizontal(classes="button-row"):
            yield Button("Add a marketer's access", id="crm-add-grant", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self._ready = True
        self._update_derived()

    def _update_derived(self) -> None:
        warning = self.query_one("#crm-warning", Static)
        missing = not marketer_has_access(self.session)
        warning.update(Content(NO_MARKETER_WARNING if missing else ""))
        warning.display = missing
        self.query_one("#crm-empty").display = not self.session.crm_grants

    def _rows(self) -> dict[int, GrantRow]:
        return {row.grant_id: row for row in self.query(GrantRow)}

    _ready = False

    def refresh_from_session(self) -> None:
        if not self._ready:
            return  # on_mount shows the session as it is
        super().refresh_from_session()
        self.query_one("#crm-system", SavingInput).set_value_quietly(self.session.crm.system)
        self.query_one("#crm-notes", SavingTextArea).set_text_quietly(self.session.crm.notes)
        rows = self._rows()
        ids = [g.id for g in self.session.crm_grants]
        for gid, row in rows.items():
            if gid not in ids:
                row.remove()
        container = self.query_one("#crm-grants", Vertical)
        for n, grant in enumerate(self.session.crm_grants, start=1):
            existing = rows.get(grant.id)
            if existing is None:
                container.mount(GrantRow(self.service, grant, n))
            else:
                existing.number = n
                existing.refresh_row()
        self._update_derived()

    # -- adding and removing ----------------------------------------------------------

    def _first_marketer_without_access(self) -> int | None:
        taken = {g.participant_id for g in self.session.crm_grants}
        for _label, pid in people_options(self.session):
            person = self.session.participant(pid)
            if person is not None and person.team is Team.MARKETING and pid not in taken:
                return pid
        return None

    @on(Button.Pressed, "#crm-add-grant")
    async def _add_grant(self, event: Button.Pressed) -> None:
        event.stop()
        try:
            grant = self.service.add(CrmGrant, participant_id=self._first_marketer_without_access())
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        row = GrantRow(self.service, grant, len(self.session.crm_grants))
        await self.query_one("#crm-grants", Vertical).mount(row)
        self._update_derived()
        row.query_one(f"#grant-{grant.id}-who").focus()
        row.scroll_visible()

    @on(RemoveButton.Confirmed)
    def _remove_grant(self, event: RemoveButton.Confirmed) -> None:
        event.stop()
        row = next((a for a in event.button.ancestors if isinstance(a, GrantRow)), None)
        if row is None:
            return
        grant = row.current()
        try:
            if grant is not None:
                self.service.remove(grant)
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        row.remove()
        self.query_one("#crm-add-grant").focus()
        self._update_derived()

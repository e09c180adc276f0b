"""Step 2, "Marketing inside the CRM": which system, and which marketers get access to what.

The pane captures the CRM system and notes, then the access grants: who
(marketing people first), access level (read-only by default), what they will
watch, who grants it, by when, and where it stands. A warning in words stays
visible until at least one marketer has access granted.

The pane mounts a bounded number of widgets however many grants there are: a
compact list (one line a grant: who, access, status, due date, how many things
they watch) and one editor for the highlighted grant. Choosing another grant
saves the editor's pending typing, then puts the other grant's values into the
same fields. Access level and status are :class:`~..choice.Choice` widgets
(one widget each, changed in place) rather than drop-downs. Every save looks
the record up again by id, because the service replaces records on update.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, SelectionList, Static

from ...form.choice import Choice
from ...form.confirm import ConfirmDialog
from ...form.fields import DateInput, Field, SavingInput, SavingSelect, SavingTextArea
from ...form.table import FittedTable
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
from ..base import StepPane

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


#: Control characters (line breaks and tabs too) as visible symbols: ␛, ␊, ␉, …
_ONE_LINE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_ONE_LINE[0x7F] = "\u2421"
_ONE_LINE.update({code: "\ufffd" for code in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """*text* on one line, with control characters shown as symbols (for names and lists)."""
    return text.translate(_ONE_LINE)


def people_options(session: Session) -> list[tuple[Any, int]]:
    """Participants for a "who" choice: the Marketing team first, then everyone else.

    Labels are :class:`Content` so names are never read as markup.
    """
    people = sorted(
        session.participants, key=lambda p: (TEAM_ORDER[p.team], not p.is_lead, p.name.lower())
    )
    return [(Content(f"{visible(p.name)} ({p.team.value})"), p.id) for p in people]


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
    press is enough. :meth:`ask` asks without a press (e.g. from a key on a list).
    """

    class Confirmed(Message):
        def __init__(self, button: RemoveButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> RemoveButton:
            return self.button

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
        self.ask()

    def ask(self) -> None:
        """Ask whether to remove (when it needs asking); post ``Confirmed`` on yes."""
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


# ---------------------------------------------------------------------------
# The list of grants
# ---------------------------------------------------------------------------

#: (key, label, width or None for what is left). The table has no cell padding
#: (room is short beside the step list and the guidance): each width counts
#: one blank column after the text.
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("n", "#", 3),
    ("who", "Who", None),
    ("access", "Access", 10),
    ("status", "Status", 10),
    ("due", "Due", 11),
    ("watch", "Watch", 6),
)
#: The narrowest the "who" column gets before other columns are left out.
WHO_MIN_WIDTH = 14
#: The columns left out, in this order, when the list is too narrow for all.
NARROW_DROPS: tuple[str, ...] = ("watch", "due")


def grant_cells(number: int, grant: CrmGrant, session: Session) -> tuple[str, ...]:
    """The list's line for one grant, as plain strings (compared to skip needless updates)."""
    person = session.participant(grant.participant_id)
    if person is None:
        who = ""
    elif person.team is Team.MARKETING:
        who = visible(person.name)
    else:
        who = f"{visible(person.name)} ({person.team.value})"
    return (
        str(number),
        who,
        ACCESS_LABELS[grant.access],
        STATUS_LABELS[grant.status],
        grant.due.isoformat() if grant.due else "",
        str(len(grant.watches)) if grant.watches else "",
    )


def _cell(text: str, width: int, *, style: str = "") -> Text:
    """A cell's text cut to *width* less the blank column that separates it from the next."""
    cell = Text(text, style=style, no_wrap=True)
    cell.truncate(max(width - 1, 1), overflow="ellipsis")
    cell.append(" ")
    return cell


class GrantTable(FittedTable):
    """The compact list of grants: one line each; the highlighted one is in the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete",
            "remove_grant",
            "Remove access",
            id="crm.remove",
            tooltip="Remove the highlighted access (asks first)",
        ),
    ]

    def _pane(self) -> CrmPane:
        return self.query_ancestor(CrmPane)

    def action_remove_grant(self) -> None:
        self._pane().ask_remove_grant()

    def fitter(self) -> CrmPane:
        return self._pane()


def _show(static: Static, content: Content) -> None:
    """Update *static* only when its text changes: an update costs a layout."""
    if not isinstance(static.content, Content) or static.content.plain != content.plain:
        static.update(content)


def _clear_error(widget: Widget) -> None:
    """Forget a refused value's red mark and reason (the field now shows another grant)."""
    widget.remove_class("-invalid")
    parent = widget.parent
    if parent is None:
        return
    for node in parent.children:
        if isinstance(node, Static) and node.has_class("field-error") and node.display:
            node.update("")
            node.display = False


# ---------------------------------------------------------------------------
# The step
# ---------------------------------------------------------------------------


class CrmPane(StepPane):
    """Which CRM, and which marketers get (read-only is enough) access to it.

    However many grants the session holds, the pane mounts the same widgets:
    choosing another grant in the list puts its values into the one editor.
    """

    STEP: ClassVar[StepId] = StepId.CRM

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        grants = service.session.crm_grants
        #: The grant in the editor (None when there are none).
        self.gid: int | None = grants[0].id if grants else None
        self._index = 0
        self._widths: tuple[int, ...] = ()
        self._columns = COLUMNS
        self._people = people_options(service.session)
        self._names = [p.name for p in service.session.participants]
        #: The grant the remove dialog asked about.
        self._remove_target: int | None = None
        self._ready = False

    # -- the record --------------------------------------------------------------------

    def current(self) -> CrmGrant | None:
        """The grant in the editor, as it is now in the session."""
        return next((g for g in self.session.crm_grants if g.id == self.gid), None)

    def _save(self, **changes: Any) -> None:
        grant = self.current()
        if grant is not None:  # removed meanwhile: nothing left to save into
            self.service.update(grant, **changes)

    def _saver(self, field: str) -> Callable[[Any], None]:
        return lambda value: self._save(**{field: value})

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

    # -- building ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        crm = self.session.crm
        grant = self.current()
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
        # What shows is final from the start: changed after mounting, it would
        # lay the screen out once more.
        warning = Static(Content(NO_MARKETER_WARNING), id="crm-warning", classes="warning")
        warning.display = not marketer_has_access(self.session)
        yield warning
        yield Static(Content("Marketers with access"), classes="section-title")
        table = GrantTable(id="crm-grants", cursor_type="row", zebra_stripes=True, cell_padding=0)
        table.display = grant is not None
        yield table
        empty = Static(Content("No access planned yet."), id="crm-empty", classes="empty-note")
        empty.display = grant is None
        yield empty
        yield Button("Add a marketer's access", id="crm-add-grant", variant="primary")
        yield from self._compose_editor(grant)

    def _compose_editor(self, grant: CrmGrant | None) -> ComposeResult:
        editor = Vertical(id="grant-editor")
        editor.display = grant is not None
        if grant is not None and grant.status is GrantStatus.GRANTED:
            editor.add_class("-granted")
        with editor:
            with Horizontal(classes="grant-head"):
                yield Static(
                    self._title(grant) if grant else "", id="grant-title", classes="grant-title"
                )
                yield RemoveButton(
                    question="Remove this CRM access?",
                    describe=self._describe,
                    id="grant-remove",
                    tooltip="Remove this access from the session (asks first)",
                )
            note = Static(Content(self._note(grant)), id="grant-note", classes="grant-note")
            note.display = bool(self._note(grant))
            yield note
            who = grant.participant_id if grant is not None else None
            yield Field(
                "Marketer",
                SavingSelect(
                    self._people,
                    value=who if who is not None else Select.NULL,
                    allow_blank=True,
                    prompt="Choose a person",
                    save=self._saver("participant_id"),
                    id="grant-who",
                ),
                hint="Marketing team first",
            )
            with Horizontal(classes="form-row"):
                yield Field(
                    "Access",
                    Choice(
                        [(label, level) for level, label in ACCESS_LABELS.items()],
                        value=grant.access if grant else AccessLevel.READ_ONLY,
                        save=self._saver("access"),
                        id="grant-access",
                    ),
                    hint="→ changes",
                )
                yield Field(
                    "Status",
                    Choice(
                        [(label, status) for status, label in STATUS_LABELS.items()],
                        value=grant.status if grant else GrantStatus.PLANNED,
                        save=self._saver("status"),
                        id="grant-status",
                    ),
                    hint="→ changes",
                )
            watches = grant.watches if grant else []
            yield Field(
                "What they will watch",
                SelectionList[str](
                    *[(Content(w), w, w in watches) for w in COMMON_WATCHES],
                    id="grant-watch",
                    compact=True,
                ),
                hint="space ticks",
            )
            yield Static(self._watching(grant), id="grant-watching", classes="grant-watching")
            yield Field(
                "Other things to watch",
                SavingInput(
                    self._others_text(grant),
                    save=self._save_others,
                    placeholder="e.g. churn notes, renewal dates",
                    id="grant-other",
                    bubble_changes=False,
                ),
                hint="separate with commas",
            )
            with Horizontal(classes="form-row"):
                yield Field(
                    "Granted by",
                    SavingInput(
                        grant.granted_by if grant else "",
                        save=self._saver("granted_by"),
                        placeholder="who switches it on",
                        suggester=SuggestFromList(self._names, case_sensitive=False),
                        id="grant-by",
                        bubble_changes=False,
                    ),
                )
                yield Field(
                    "Due",
                    DateInput(
                        self._due_text(grant),
                        save=self._save_due,
                        placeholder="2026-12-31, +2w",
                        id="grant-due",
                        bubble_changes=False,
                    ),
                )

    # -- derived views -------------------------------------------------------------------

    def _person(self, grant: CrmGrant) -> Participant | None:
        return self.session.participant(grant.participant_id)

    def _number(self, gid: int | None) -> int:
        ids = [g.id for g in self.session.crm_grants]
        return ids.index(gid) + 1 if gid in ids else 0

    def _describe(self) -> str:
        self._remove_target = self.gid
        grant = self.current()
        if grant is None:
            return "This access will be removed from the session."
        person = self._person(grant)
        who = visible(person.name) if person else "nobody chosen yet"
        return (
            f"Access {self._number(grant.id)} for {who} ({ACCESS_LABELS[grant.access].lower()}, "
            f"{STATUS_LABELS[grant.status].lower()}) will be removed from the session."
        )

    def _title(self, grant: CrmGrant) -> Content:
        person = self._person(grant)
        who = f"{visible(person.name)} ({person.team.value})" if person else "nobody chosen yet"
        return Content.from_markup(
            "[b]Access $n of $total: [/b]$who · $access · $status",
            n=str(self._number(grant.id)),
            total=str(len(self.session.crm_grants)),
            who=who,
            access=ACCESS_LABELS[grant.access].lower(),
            status=STATUS_LABELS[grant.status].lower(),
        )

    def _note(self, grant: CrmGrant | None) -> str:
        if grant is None:
            return ""
        person = self._person(grant)
        if person is None:
            return "Choose who gets access."
        if person.team is not Team.MARKETING:
            return (
                f"{visible(person.name)} is not on the Marketing team, "
                "so this does not count as a marketer's access."
            )
        if grant.status is GrantStatus.BLOCKED:
            return "Blocked: add an action for who unblocks it, and by when."
        return ""

    @staticmethod
    def _watching(grant: CrmGrant | None) -> Content:
        watches = grant.watches if grant else []
        shown = ", ".join(visible(w) for w in watches) if watches else "nothing chosen yet"
        return Content.from_markup("[b]Watching: [/b]$w", w=shown)

    @staticmethod
    def _others_text(grant: CrmGrant | None) -> str:
        if grant is None:
            return ""
        return ", ".join(w for w in grant.watches if w not in COMMON_WATCHES)

    @staticmethod
    def _due_text(grant: CrmGrant | None) -> str:
        return grant.due.isoformat() if grant is not None and grant.due else ""

    # -- keeping in step with the session ----------------------------------------------

    def on_mount(self) -> None:
        super().on_mount()
        self._ready = True
        self._sync()

    def refresh_from_session(self) -> None:
        if not self._ready:
            return  # on_mount shows the session as it is
        super().refresh_from_session()
        self.query_one("#crm-system", SavingInput).set_value_quietly(self.session.crm.system)
        self.query_one("#crm-notes", SavingTextArea).set_text_quietly(self.session.crm.notes)
        self._sync()

    def _sync(self) -> None:
        ids = [g.id for g in self.session.crm_grants]
        if self.gid not in ids:
            # The grant in the editor was removed: show its neighbour instead.
            self.select_grant(ids[min(self._index, len(ids) - 1)] if ids else None)
        else:
            self._index = ids.index(self.gid)
        self._sync_table()
        self._sync_editor(force=False)
        self._update_derived()

    def _update_derived(self) -> None:
        missing = not marketer_has_access(self.session)
        warning = self.query_one("#crm-warning", Static)
        if warning.display != missing:
            warning.display = missing
        some = bool(self.session.crm_grants)
        for selector, show in (("#crm-empty", not some), ("#crm-grants", some)):
            widget = self.query_one(selector)
            if widget.display != show:
                widget.display = show

    def fit_columns(self) -> None:
        """Give the "who" column what the others leave of the list's width.

        When the list is narrow (beside the step list and the guidance), the
        columns the editor shows anyway (how many things watched, then the due
        date) are left out rather than squeezing the names.
        """
        table = self.query_one(GrantTable)
        room = table.size.width - 1  # less the scrollbar
        columns = COLUMNS
        for key in (None, *NARROW_DROPS):
            if key is not None:
                columns = tuple(c for c in columns if c[0] != key)
            if room - sum(w or 0 for _k, _l, w in columns) >= WHO_MIN_WIDTH:
                break
        who = max(room - sum(w or 0 for _k, _l, w in columns), WHO_MIN_WIDTH)
        widths = tuple(w if w else who for _k, _l, w in columns)
        if widths != self._widths or columns != self._columns:
            self._widths = widths
            self._columns = columns
            self.query_one(GrantTable).forget_rows()  # rebuild with the new widths
            self._sync_table()

    def _sync_table(self) -> None:
        if not self._widths:
            return  # filled when the table first gets its size (fit_columns)
        grants = self.session.crm_grants
        rows = {g.id: grant_cells(n, g, self.session) for n, g in enumerate(grants, start=1)}
        self.query_one(GrantTable).show_rows(
            self._columns, self._widths, rows, self._row_cells, cursor_on=self.gid
        )

    def _row_cells(self, cells: tuple[str, ...]) -> list[Text]:
        """The cells of the columns shown, from a grant's :func:`grant_cells`."""
        shown = dict(zip((k for k, _l, _w in COLUMNS), cells, strict=True))
        styles = dict.fromkeys(shown, "")
        if not shown["who"]:
            shown["who"], styles["who"] = "(nobody yet)", "italic"
        if shown["status"] == STATUS_LABELS[GrantStatus.GRANTED]:
            shown["status"] = "✔ " + shown["status"]
        elif shown["status"] == STATUS_LABELS[GrantStatus.BLOCKED]:
            shown["status"] = "⚠ " + shown["status"]
        return [
            _cell(shown[key], width, style=styles[key])
            for (key, _l, _w), width in zip(self._columns, self._widths, strict=True)
        ]

    def _sync_editor(self, *, force: bool) -> None:
        """Show the editor's grant; *force* also overwrites fields being edited."""
        editor = self.query_one("#grant-editor", Vertical)
        grant = self.current()
        if editor.display != (grant is not None):
            editor.display = grant is not None
        if grant is None:
            return
        _show(self.query_one("#grant-title", Static), self._title(grant))
        note_text = self._note(grant)
        note = self.query_one("#grant-note", Static)
        _show(note, Content(note_text))
        if note.display != bool(note_text):
            note.display = bool(note_text)
        granted = grant.status is GrantStatus.GRANTED
        if editor.has_class("-granted") != granted:
            editor.set_class(granted, "-granted")
        _show(self.query_one("#grant-watching", Static), self._watching(grant))

        who = self.query_one("#grant-who", SavingSelect)
        people = people_options(self.session)
        if people != self._people:  # Content labels compare by their text
            self._people = people
            with who.prevent(Select.Changed):
                who.set_options(people)
        wanted = Select.NULL if grant.participant_id is None else grant.participant_id
        if who.value != wanted and not who.expanded and (force or not who.has_focus):
            if force:
                _clear_error(who)
            with who.prevent(Select.Changed):
                who.value = wanted
        for selector, value in (("#grant-access", grant.access), ("#grant-status", grant.status)):
            choice: Choice[Any] = self.query_one(selector, Choice)
            if force:
                _clear_error(choice)
            choice.show_value(value)
        watch: SelectionList[str] = self.query_one("#grant-watch", SelectionList)
        ticked = [w for w in COMMON_WATCHES if w in grant.watches]
        if sorted(watch.selected) != sorted(ticked):
            with watch.prevent(SelectionList.SelectedChanged):
                watch.deselect_all()
                for w in ticked:
                    watch.select(w)

        by = self.query_one("#grant-by", SavingInput)
        names = [p.name for p in self.session.participants]
        if names != self._names:
            self._names = names
            by.suggester = SuggestFromList(names, case_sensitive=False)
        values = {
            "#grant-other": self._others_text(grant),
            "#grant-by": grant.granted_by,
            "#grant-due": self._due_text(grant),
        }
        for selector, text in values.items():
            field = self.query_one(selector, SavingInput)
            if force:
                _clear_error(field)
                if field.value != text:
                    with field.prevent(Input.Changed):
                        field.value = text
            elif not field.has_class("-invalid"):
                field.set_value_quietly(text)

    def _flush_editor(self) -> None:
        for widget in self.query_one("#grant-editor").query(SavingInput):
            widget.flush()

    def select_grant(self, gid: int | None) -> None:
        """Put grant *gid* in the editor: save what is pending, then swap the values."""
        if gid == self.gid:
            return
        self._flush_editor()
        self.gid = gid
        ids = [g.id for g in self.session.crm_grants]
        self._index = ids.index(gid) if gid in ids else 0
        self._sync_editor(force=True)
        self.query_one(GrantTable).point_at(self.gid)

    # -- verbs ---------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#crm-grants")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.select_grant(int(event.row_key.value))

    @on(DataTable.RowSelected, "#crm-grants")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a grant in the list: edit it."""
        event.stop()
        if event.row_key.value is not None:
            self.select_grant(int(event.row_key.value))
        self.query_one("#grant-who", SavingSelect).focus()
        self.scroll_to_widget(self.query_one("#grant-editor"), top=True)

    @on(SelectionList.SelectedChanged, "#grant-watch")
    def _watch_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        try:
            self._save_watched(list(event.selection_list.selected))
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)

    def _first_marketer_without_access(self) -> int | None:
        taken = {g.participant_id for g in self.session.crm_grants}
        for _label, pid in people_options(self.session):
            person = self.session.participant(pid)
            if person is not None and person.team is Team.MARKETING and pid not in taken:
                return pid
        return None

    @on(Button.Pressed, "#crm-add-grant")
    def _add_grant(self, event: Button.Pressed) -> None:
        event.stop()
        self._flush_editor()
        try:
            grant = self.service.add(CrmGrant, participant_id=self._first_marketer_without_access())
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        self.select_grant(grant.id)
        self._sync_table()
        self._update_derived()
        self.query_one("#grant-who", SavingSelect).focus()
        self.scroll_to_widget(self.query_one("#grant-editor"), top=True)

    def ask_remove_grant(self) -> None:
        """Ask whether to remove the grant in the editor (the list's delete key)."""
        if self.current() is not None:
            self.query_one("#grant-remove", RemoveButton).ask()

    @on(RemoveButton.Confirmed, "#grant-remove")
    def _remove_grant(self, event: RemoveButton.Confirmed) -> None:
        event.stop()
        grant = next(
            (g for g in self.session.crm_grants if g.id == self._remove_target),
            None,
        )
        if grant is None:
            return
        try:
            self.service.remove(grant)
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        self._sync()
        target = "#crm-grants" if self.session.crm_grants else "#crm-add-grant"
        self.query_one(target).focus()

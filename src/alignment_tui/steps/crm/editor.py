"""The one editor beside the list of grants: who, what access, what they watch, where it stands.

Access level and status are :class:`~alignment_tui.form.choice.Choice` fields
(changed in place, saved at once); what a marketer watches is a list of the
common things to tick (:class:`WatchList`) and a field for any other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Select, SelectionList, Static

from ...form.choice import Choice
from ...form.fields import BoundField, DateInput, SavingInput, SavingSelect, TitledField
from ...form.records import RecordEditor
from ...form.row import FieldRow
from ...sessions.models import AccessLevel, CrmGrant, GrantStatus
from ...sessions.parse import parse_date
from ...sessions.service import SessionService
from .grants import (
    ACCESS_LABELS,
    COMMON_WATCHES,
    STATUS_LABELS,
    note,
    others_text,
    people_options,
    split_others,
    title,
    watching,
)


def parse_due(text: str) -> dt.date | None:
    return parse_date(text, field="Due date")


class WatchList(BoundField, SelectionList[str]):
    """The common things a marketer watches, ticked with Space; each tick is saved at once."""

    def __init__(self, editor: GrantEditor, **kwargs: Any) -> None:
        grant = editor.record()
        ticked = grant.watches if grant else []
        super().__init__(*[(Content(w), w, w in ticked) for w in COMMON_WATCHES], **kwargs)
        self._bind(editor.ticked, editor.save_ticked, None)

    def show(self, value: Any) -> None:
        wanted = sorted(value)
        if sorted(self.selected) != wanted:
            with self.prevent(SelectionList.SelectedChanged):
                self.deselect_all()
                for watch in wanted:
                    self.select(watch)

    def _do_save(self) -> None:
        """Nothing waits: a tick is saved as it is made."""

    @on(SelectionList.SelectedChanged)
    def _ticked(self, event: SelectionList.SelectedChanged[str]) -> None:
        if event.selection_list is self:
            event.stop()
            self._commit(list(self.selected))


class GrantEditor(RecordEditor[CrmGrant]):
    """The grant in the editor: the same fields whichever grant it is."""

    def __init__(self, service: SessionService, key: int | None, **kwargs: Any) -> None:
        self.service = service
        super().__init__(self._lookup, service.update, key, **kwargs)
        self._people = people_options(service.session)
        self._names = [p.name for p in service.session.participants]

    def _lookup(self, key: int) -> CrmGrant | None:
        return next((g for g in self.service.session.crm_grants if g.id == key), None)

    # -- what they watch: the ticked common things and the others typed, one list --------

    def ticked(self) -> list[str]:
        grant = self.record()
        return [w for w in COMMON_WATCHES if grant is not None and w in grant.watches]

    def save_ticked(self, selected: list[str]) -> None:
        grant = self.record()
        if grant is not None:
            others = [w for w in grant.watches if w not in COMMON_WATCHES]
            common = [w for w in COMMON_WATCHES if w in selected]
            self.service.update(grant, watches=common + others)

    def save_others(self, text: str) -> None:
        grant = self.record()
        if grant is not None:
            common = [w for w in grant.watches if w in COMMON_WATCHES]
            self.service.update(grant, watches=common + split_others(text))

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        grant = self.record()
        session = self.service.session
        # What shows is final from the start: changed after mounting, it would
        # lay the screen out once more.
        yield Static(
            title(grant, session) if grant else "", id="grant-title", classes="grant-title"
        )
        said = note(grant, session) if grant else ""
        shown_note = Static(Content(said), id="grant-note", classes="grant-note")
        shown_note.display = bool(said)
        yield shown_note
        if grant is not None and grant.status is GrantStatus.GRANTED:
            self.add_class("-granted")
        yield TitledField(
            "Marketer",
            SavingSelect(
                self._people,
                allow_blank=True,
                prompt="Choose a person",
                read=self.get("participant_id", None),
                save=self.setter("participant_id"),
                id="grant-who",
            ),
            hint="Marketing team first",
        )
        with FieldRow(classes="form-row"):
            yield TitledField(
                "Access",
                Choice(
                    [(label, level) for level, label in ACCESS_LABELS.items()],
                    read=self.get("access", AccessLevel.READ_ONLY),
                    save=self.setter("access"),
                    id="grant-access",
                ),
                hint="→ changes",
            )
            yield TitledField(
                "Status",
                Choice(
                    [(label, status) for status, label in STATUS_LABELS.items()],
                    read=self.get("status", GrantStatus.PLANNED),
                    save=self.setter("status"),
                    id="grant-status",
                ),
                hint="→ changes",
            )
        yield TitledField(
            "What they will watch",
            WatchList(self, id="grant-watch", compact=True),
            hint="space ticks",
        )
        yield Static(watching(grant), id="grant-watching", classes="grant-watching")
        yield TitledField(
            "Other things to watch",
            SavingInput(
                read=lambda: others_text(self.record()),
                save=self.save_others,
                placeholder="e.g. churn notes, renewal dates",
                id="grant-other",
                bubble_changes=False,
            ),
            hint="separate with commas",
        )
        with FieldRow(classes="form-row"):
            yield TitledField(
                "Granted by",
                SavingInput(
                    read=self.get("granted_by"),
                    save=self.setter("granted_by"),
                    placeholder="who switches it on",
                    suggester=SuggestFromList(self._names, case_sensitive=False),
                    id="grant-by",
                    bubble_changes=False,
                ),
            )
            yield TitledField(
                "Due",
                DateInput(
                    read=self.get("due", None),
                    parse=parse_due,
                    save=self.setter("due"),
                    placeholder="2026-12-31, +2w",
                    id="grant-due",
                    bubble_changes=False,
                ),
            )

    # -- keeping in step -----------------------------------------------------------------

    def sync_people(self) -> None:
        """The people to choose from, and the names "granted by" suggests, as they are now."""
        session = self.service.session
        people = people_options(session)
        if people != self._people:  # Content labels compare by their text
            self._people = people
            who: SavingSelect = self.query_one("#grant-who", SavingSelect)
            with who.prevent(Select.Changed):
                who.set_options(people)
            who.load(force=True)  # (the options were set anew without a value)
        names = [p.name for p in session.participants]
        if names != self._names:
            self._names = names
            self.query_one("#grant-by", SavingInput).suggester = SuggestFromList(
                names, case_sensitive=False
            )

    def show_derived(self) -> None:
        """The heading, the note under it, what is watched, and a green border once granted."""
        grant = self.record()
        if grant is None:
            return
        session = self.service.session
        for selector, content in (
            ("#grant-title", title(grant, session)),
            ("#grant-note", Content(note(grant, session))),
            ("#grant-watching", watching(grant)),
        ):
            static = self.query_one(selector, Static)
            old = static.content
            if not isinstance(old, Content) or old.plain != content.plain:
                static.update(content)
        shown_note = self.query_one("#grant-note", Static)
        if shown_note.display != bool(note(grant, session)):
            shown_note.display = bool(note(grant, session))
        granted = grant.status is GrantStatus.GRANTED
        if self.has_class("-granted") != granted:
            self.set_class(granted, "-granted")

"""Step 2, "Marketing inside the CRM": which system, and which marketers get access to what.

The pane captures the CRM system and notes, then the access grants: who
(marketing people first), access level (read-only by default), what they will
watch, who grants it, by when, and where it stands. A warning in words stays
visible until at least one marketer has access granted.

The grants are a :class:`~alignment_tui.form.records.RecordList` (one line a
grant: who, access, status, due date, how many things watched) beside one
:class:`~.editor.GrantEditor` for the highlighted grant, so the pane mounts
the same widgets however many grants there are.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from ...form.fields import Field, FieldSaved, SavingInput, SavingTextArea, read_only_session
from ...form.records import RecordList, RecordSource
from ...form.section import Section
from ...sessions.models import CrmGrant, StepId
from ...sessions.service import SessionService
from ..base import StepPane
from .editor import GrantEditor
from .grants import (
    COLUMNS,
    NO_MARKETER_WARNING,
    describe,
    first_marketer_without_access,
    grant_cells,
    marketer_has_access,
)


class CrmPane(StepPane):
    """Which CRM, and which marketers get (read-only is enough) access to it."""

    STEP: ClassVar[StepId] = StepId.CRM

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        grants = service.session.crm_grants
        first = grants[0].id if grants else None
        self.grants: RecordList[CrmGrant] = RecordList(
            RecordSource(
                records=lambda: self.session.crm_grants,
                key=lambda g: g.id,
                cells=lambda g, n: grant_cells(g, n, self.session),
                add=self._add,
                remove=self.service.remove,
                describe=lambda g: describe(g, self.session),
            ),
            COLUMNS,
            empty="No access planned yet.",
            key=first,
            id="crm-grants",
        )
        self.editor = GrantEditor(service, first, id="grant-editor")

    def _add(self) -> CrmGrant:
        return self.service.add(
            CrmGrant, participant_id=first_marketer_without_access(self.session)
        )

    # -- building ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Section("The CRM", id="crm-system-section"):
            yield Field(
                "CRM system",
                SavingInput(
                    read=lambda: self.session.crm.system,
                    save=lambda v: self.service.update(self.session.crm, system=v),
                    placeholder="e.g. the sales team's CRM and which instance",
                    id="crm-system",
                    bubble_changes=False,
                ),
            )
            yield Field(
                "Notes",
                SavingTextArea(
                    read=lambda: self.session.crm.notes,
                    save=lambda v: self.service.update(self.session.crm, notes=v),
                    id="crm-notes",
                    classes="notes",
                    bubble_changes=False,
                ),
                hint="licences, data rules, who to ask",
            )
        with Section("Marketers with access", id="crm-access-section"):
            # Final from the start: changed after mounting, it would lay the
            # screen out once more.
            warning = Static(Content(NO_MARKETER_WARNING), id="crm-warning", classes="warning")
            warning.display = not marketer_has_access(self.session)
            yield warning
            yield self.grants
            read_only = read_only_session(self)
            with Horizontal(classes="list-bar"):
                yield Button(
                    "+ Add a marketer's access",
                    id="crm-add-grant",
                    compact=True,
                    disabled=read_only,
                    tooltip="Add access for the next marketer without one (Insert in the list)",
                )
                yield Button(
                    "Remove access",
                    id="grant-remove",
                    compact=True,
                    classes="-remove",
                    disabled=read_only or self.grants.key is None,
                    tooltip="Remove the highlighted access (Delete in the list; asks first)",
                )
            yield self.editor

    # -- keeping in step with the session ----------------------------------------------

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self.is_mounted:
            return
        self.grants.sync()
        self.editor.sync_people()
        self.editor.show_derived()
        self._show_derived()

    def _show_derived(self) -> None:
        """The warning, and the Remove button that needs a grant (and a writable session)."""
        missing = not marketer_has_access(self.session)
        warning = self.query_one("#crm-warning", Static)
        if warning.display != missing:
            warning.display = missing
        remove = self.query_one("#grant-remove", Button)
        off = read_only_session(self) or self.grants.key is None
        if remove.disabled != off:
            remove.disabled = off

    # -- the list and its editor -------------------------------------------------------

    @on(RecordList.Highlighted, "#crm-grants")
    def _highlighted(self, event: RecordList.Highlighted) -> None:
        event.stop()
        self.editor.show(event.key)
        self._show_derived()
        if event.key is None:
            self.call_after_refresh(self._keep_focus)

    def _keep_focus(self) -> None:
        """The last grant went: the focus goes from the emptied list to the add button."""
        focused = self.screen.focused
        if focused is None or focused is self.grants.rows:
            self.query_one("#crm-add-grant", Button).focus()

    @on(RecordList.Chosen, "#crm-grants")
    def _chosen(self, event: RecordList.Chosen) -> None:
        event.stop()
        self.editor.focus_first(select_all=event.added)

    @on(FieldSaved)
    def _saved(self, event: FieldSaved) -> None:
        if self.editor in event.field.ancestors:
            self.grants.sync()
            self.editor.show_derived()
            self._show_derived()

    @on(Button.Pressed, ".list-bar Button")
    def _list_bar(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "crm-add-grant":
            self.grants.add()
        else:
            self.grants.ask_remove()

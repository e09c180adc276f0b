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

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...form.fields import SavingInput, SavingTextArea, TitledField
from ...form.records import BarButton, RecordForm, RecordList, RecordSource
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


class CrmPane(RecordForm[GrantEditor], StepPane):
    """Which CRM, and which marketers get (read-only is enough) access to it."""

    STEP: ClassVar[StepId] = StepId.CRM

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        self.records: RecordList[CrmGrant] = RecordList(
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
            id="crm-grants",
        )
        self.editor = GrantEditor(service, self.records.key, id="grant-editor")

    def _add(self) -> CrmGrant:
        return self.service.add(
            CrmGrant, participant_id=first_marketer_without_access(self.session)
        )

    # -- building ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Section("The CRM", id="crm-system-section"):
            yield TitledField(
                "CRM system",
                SavingInput(
                    read=lambda: self.session.crm.system,
                    save=lambda v: self.service.update(self.session.crm, system=v),
                    placeholder="e.g. the sales team's CRM and which instance",
                    id="crm-system",
                    bubble_changes=False,
                ),
            )
            yield TitledField(
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
            yield self.records
            yield self.record_bar(
                BarButton(
                    "add",
                    "+ Add a marketer's access",
                    "crm-add-grant",
                    "Add access for the next marketer without one (Insert in the list)",
                ),
                BarButton(
                    "remove",
                    "Remove access",
                    "grant-remove",
                    "Remove the highlighted access (Delete in the list; asks first)",
                ),
            )
            # (Built with the list: on a large session its first lines are in view as
            # the step opens, and a part built just after the first layout costs a second.)
            yield self.editor

    # -- keeping in step with the session ----------------------------------------------

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self.is_mounted:
            return
        self.sync_records()
        self.editor.sync_people()

    def show_derived(self) -> None:
        """The warning, shown until at least one marketer has access granted."""
        missing = not marketer_has_access(self.session)
        warning = self.query_one("#crm-warning", Static)
        if warning.display != missing:
            warning.display = missing

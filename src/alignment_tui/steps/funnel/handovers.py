"""The hand-over agreements: one list of the points where ownership changes, one editor.

Where a lead goes from a stage owned by one team to a stage owned by
another, the room agrees a small service-level agreement: what qualifies a
lead to cross, how fast the receiving team picks it up, the reasons to send
one back and what happens to returned leads. The points come from the
stages' owners (they cannot be added or removed here); the agreement is
saved the first time something is typed into it, so looking creates nothing.

The full agreement also says how many follow-up attempts come before a lead
is sent back, who to escalate to, and marketing's volume commitment. Ctrl+L
(or the button) fills the highlighted agreement from the workbook's hand-over
template in one save: the room chooses when there are several templates,
confirms when there is one, and is asked first over an agreement with words in it.
What the template filled is a draft ("◐ draft" in the list, not counted as agreed)
until the room changes any answer or confirms it as it stands with ctrl+g.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Button, Static

from ...form.fields import (
    BoundField,
    SavingInput,
    SavingTextArea,
    TitledField,
    flush_fields,
    read_only_session,
)
from ...form.records import Column, RecordEditor, RecordList, RecordSource
from ...form.refusal import REFUSALS, attempt, say_refused
from ...form.row import FieldRow
from ...form.section import Section
from ...sessions.funnel import HandoverPoint, session_handover_points
from ...sessions.models import Handover
from ...sessions.parse import parse_count, parse_number
from ...sessions.service import SessionService
from ...sessions.text import one_line
from .handover_template import filled, has_words, template_choice, template_question
from .tables import num_text

if TYPE_CHECKING:
    from ...sessions.workbook import HandoverTemplate

NO_HANDOVER = (
    "No hand-over yet: give the stages different owners "
    "(Marketing, Shared, Sales) to mark where leads change hands."
)

COLUMNS = [Column("point", "Hand-over"), Column("state", "Agreed", width=8)]

#: The most follow-up attempts an agreement can ask for (as the file allows).
MOST_ATTEMPTS = 50
#: The editor's bound fields, by id.
FIELD_IDS = (
    "ho-qualifies",
    "ho-hours",
    "ho-returned-max",
    "ho-attempts",
    "ho-reasons",
    "ho-returned",
    "ho-escalate",
    "ho-volume",
)


def parse_attempts(text: str) -> int | None:
    """Follow-up attempts: a whole number from 0 to 50, or blank (not agreed)."""
    value = parse_count(text, field="Follow-up attempts", example=4)
    if value is not None and value > MOST_ATTEMPTS:
        raise ValueError(f"Follow-up attempts must be {MOST_ATTEMPTS} or fewer")
    return value


def parse_returned_max(text: str) -> float | None:
    """The most leads the receiving team may send back: a percentage, 0 to 100, or blank."""
    value = parse_number(text.strip().removesuffix("%"), field="Most leads returned")
    if value is not None and value > 100:
        raise ValueError("Most leads returned is a percentage: 100 or less")
    return value


def _agreed(h: Handover | None) -> bool:
    """Agreed enough for the step to count it: it says what qualifies a lead to cross."""
    return h is not None and bool(h.qualifies.strip()) and not h.draft


DRAFT_NOTE = "◐ Draft from the template: change any answer, or ctrl+g when the room agrees it"


def _title(point: HandoverPoint | None, draft: bool = False) -> Content:
    if point is None:
        return Content("")
    return Content.assemble(
        (point.label, "bold"),
        f"  from {one_line(point.from_name)} into {one_line(point.to_name)}",
        *((("\n" + DRAFT_NOTE, "$text-warning"),) if draft else ()),
    )


class HandoversSection(Section):
    """The hand-over points, and the agreement of the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+l",
            "template",
            "From template…",
            id="funnel.handover_template",
            tooltip="Fill the highlighted hand-over from the workbook's hand-over agreement "
            "(asks first when it has words in it)",
        ),
        Binding(
            "ctrl+g",
            "agree_draft",
            "Agreed as is",
            id="funnel.handover_agreed",
            tooltip="The room agrees the template's draft of this hand-over as it stands",
        ),
    ]

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__("Hand-over agreements", **kwargs)
        self.service = service
        source: RecordSource[HandoverPoint] = RecordSource(
            records=self._points,
            key=lambda p: p.to_stage_id,
            cells=self._cells,
        )
        self.points: RecordList[HandoverPoint] = RecordList(
            source, COLUMNS, empty=NO_HANDOVER, id="ho-list"
        )
        #: The editor's record is the agreement into a stage (None until something is typed).
        self.editor: RecordEditor[Handover] = RecordEditor(
            self._existing, service.update, self.points.key, id="ho-editor", classes="handover"
        )

    def _points(self) -> list[HandoverPoint]:
        return session_handover_points(self.service.session)

    def _point(self) -> HandoverPoint | None:
        return next((p for p in self._points() if p.to_stage_id == self.editor.key), None)

    def _existing(self, to_stage_id: int) -> Handover | None:
        return next(
            (h for h in self.service.session.handovers if h.to_stage_id == to_stage_id), None
        )

    def _cells(self, point: HandoverPoint, n: int) -> dict[str, str | Content]:
        agreed = _agreed(self._existing(point.to_stage_id))
        return {
            "point": Content.assemble(
                ("⇄ ", "$warning"), point.label, f" into {one_line(point.to_name)}"
            ),
            "state": Content.assemble(("✔ agreed", "$success"))
            if agreed
            else Content.assemble(
                ("◐ draft" if self._draft(point.to_stage_id) else "to agree", "$warning")
            ),
        }

    def _saver(self, attr: str) -> Any:
        def save(value: Any) -> None:
            to = self.editor.key
            if to is None or all(s.id != to for s in self.service.session.funnel_stages):
                return  # the stage went while the text was typed
            if self._existing(to) is None and value in (None, ""):
                return  # nothing typed yet: do not create an empty agreement
            self.service.update(self.service.handover_for(to), **{attr: value})

        return save

    def _text(self, label: str, attr: str, field_id: str) -> TitledField:
        """One of the agreement's written answers: a text area bound to *attr*."""
        return TitledField(
            label,
            SavingTextArea(
                read=self.editor.get(attr),
                save=self._saver(attr),
                id=field_id,
                classes="ho-text",
                compact=True,
                bubble_changes=False,
            ),
        )

    def compose(self) -> ComposeResult:
        get = self.editor.get
        yield self.points
        with self.editor:
            yield Static(_title(self._point()), id="ho-title", classes="handover-title")
            yield self._text("What qualifies a lead to cross", "qualifies", "ho-qualifies")
            hours = SavingInput(
                read=lambda: num_text(get("response_hours", None)()),
                parse=lambda text: parse_number(text, field="Response time"),
                save=self._saver("response_hours"),
                id="ho-hours",
                classes="ho-hours",
                compact=True,
                bubble_changes=False,
                placeholder="e.g. 24",
                tooltip="How soon the receiving team picks a lead up, in hours",
            )
            returned = SavingInput(
                read=lambda: num_text(get("returned_pct_max", None)()),
                parse=parse_returned_max,
                save=self._saver("returned_pct_max"),
                id="ho-returned-max",
                classes="ho-hours",
                compact=True,
                bubble_changes=False,
                placeholder="e.g. 15",
                tooltip="The most of the leads handed over that the receiving team "
                "may send back, in %; blank: not agreed",
            )
            with FieldRow(classes="ho-row") as row:
                # a refusal's reason reads across the row, not squeezed under one field
                hours.reason_anchor = returned.reason_anchor = row
                yield TitledField("Response time", hours, hint="hours")
                yield TitledField("Most leads returned", returned, hint="%")
            yield TitledField(
                "Follow-up attempts before sending back",
                SavingInput(
                    read=lambda: num_text(get("follow_up_attempts", None)()),
                    parse=parse_attempts,
                    save=self._saver("follow_up_attempts"),
                    id="ho-attempts",
                    classes="ho-hours",
                    compact=True,
                    bubble_changes=False,
                    placeholder="e.g. 4",
                ),
            )
            yield self._text("Reasons it may be sent back", "return_reasons", "ho-reasons")
            yield self._text("What happens to returned leads", "returned_handling", "ho-returned")
            yield self._text("Who to escalate to", "escalate_to", "ho-escalate")
            yield self._text(
                "Marketing's volume commitment for the period", "volume_commitment", "ho-volume"
            )
            template = Button(
                "Fill from the template (ctrl+l)",
                id="ho-template",
                compact=True,
                tooltip="Fill this hand-over from the workbook's hand-over agreement "
                "(asks first when it has words in it)",
            )
            template.display = not read_only_session(self)
            yield template

    def _draft(self, to_stage_id: int | None) -> bool:
        h = self._existing(to_stage_id) if to_stage_id is not None else None
        return h is not None and h.draft

    def _show_title(self) -> None:
        title = self.query_one("#ho-title", Static)
        new = _title(self._point(), self._draft(self.editor.key))
        if title.content != new:
            title.update(new)

    @on(RecordList.Highlighted, "#ho-list")
    def _highlighted(self, event: RecordList.Highlighted) -> None:
        event.stop()
        self.editor.show(event.key)
        self._show_title()

    @on(RecordList.Chosen, "#ho-list")
    def _chosen(self, event: RecordList.Chosen) -> None:
        event.stop()
        self.editor.focus_first(select_all=event.added)

    def sync(self) -> None:
        """The session changed: the list shows it, and the editor's title (its fields are the pane's)."""
        self.points.sync()
        self._show_title()
        self.refresh_bindings()  # ctrl+g is offered on a draft only

    # -- the workbook's template ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "template":
            return (self.editor.key is not None and not read_only_session(self)) or None
        if action == "agree_draft":  # only on a draft
            return self._draft(self.editor.key) and not read_only_session(self)
        return True

    def action_agree_draft(self) -> None:
        """The room agrees the highlighted draft as it stands (typing not saved yet goes first)."""
        flush_fields(self)
        h = self._existing(self.editor.key) if self.editor.key is not None else None
        if h is not None and h.draft and not read_only_session(self):
            attempt(self, self.service.update, h, draft=False)
        self.sync()

    @on(Button.Pressed, "#ho-template")
    def _template_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_template()

    def action_template(self) -> None:
        """Fill the highlighted hand-over from a template of the workbook, in one save."""
        from ...widgets.workbook_offer import offer, read_workbook  # (its dialog: only when asked)

        if read_only_session(self):
            return
        to = self.editor.key
        if to is None:
            say_refused(self, "No hand-over to fill: give the stages different owners first")
            return
        flush_fields(self)  # typing not saved yet counts as words (and is not lost under it)
        point = self._point()
        where = f"the hand-over {point.label} into {one_line(point.to_name)}" if point else ""
        written = has_words(self._existing(to))
        offer(
            self,
            {t.key: t for t in read_workbook(self).handover_templates()},
            title="Fill the hand-over from a template",
            note="Every answer of the highlighted hand-over is filled; edit it after.",
            nothing="The workbook has no hand-over template",
            choice=template_choice,
            question=lambda template, chosen: template_question(template, where, written, chosen),
            apply=lambda template: self._apply(to, template),
        )

    def _apply(self, to_stage_id: int, template: HandoverTemplate) -> None:
        service = self.service
        if all(s.id != to_stage_id for s in service.session.funnel_stages):
            return  # the stage went while the room chose
        h = self._existing(to_stage_id) or Handover(
            id=service.session.next_id("handovers"), to_stage_id=to_stage_id
        )
        try:
            service.save_together([filled(h, template)])
        except REFUSALS as exc:  # a read-only file, a file that cannot be written: nothing saved
            say_refused(self, str(exc))
            return
        # the fields show it, even the one the room was in
        for wid in FIELD_IDS:
            field = self.query_one(f"#{wid}")
            if isinstance(field, BoundField):
                field.load(force=True)
        self.sync()
        self.query_one("#ho-qualifies", SavingTextArea).focus()


__all__ = ["HandoversSection"]

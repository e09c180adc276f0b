"""The hand-over agreements: one list of the points where ownership changes, one editor.

Where a lead goes from a stage owned by one team to a stage owned by
another, the room agrees a small service-level agreement: what qualifies a
lead to cross, how fast the receiving team picks it up, the reasons to send
one back and what happens to returned leads. The points come from the
stages' owners (they cannot be added or removed here); the agreement is
saved the first time something is typed into it, so looking creates nothing.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...form.fields import Field, SavingInput, SavingTextArea
from ...form.records import Column, RecordEditor, RecordList, RecordSource
from ...form.section import Section
from ...sessions.funnel import HandoverPoint, session_handover_points
from ...sessions.models import Handover
from ...sessions.parse import parse_number
from ...sessions.service import SessionService
from ...sessions.text import one_line
from .tables import num_text

NO_HANDOVER = (
    "No hand-over yet: give the stages different owners "
    "(Marketing, Shared, Sales) to mark where leads change hands."
)

COLUMNS = [Column("point", "Hand-over"), Column("state", "Agreed", width=8)]


def _agreed(h: Handover | None) -> bool:
    """Agreed enough for the step to count it: it says what qualifies a lead to cross."""
    return h is not None and bool(h.qualifies.strip())


def _title(point: HandoverPoint | None) -> Content:
    if point is None:
        return Content("")
    return Content.assemble(
        (point.label, "bold"),
        f"  from {one_line(point.from_name)} into {one_line(point.to_name)}",
    )


class HandoversSection(Section):
    """The hand-over points, and the agreement of the highlighted one."""

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
            else Content.assemble(("to agree", "$warning")),
        }

    def _saver(self, attr: str) -> Any:
        def save(value: Any) -> None:
            to = self.editor.key
            if to is None or all(s.id != to for s in self.service.session.funnel_stages):
                return  # the stage went while the text was typed
            if self._existing(to) is None and not value:
                return  # nothing typed yet: do not create an empty agreement
            self.service.update(self.service.handover_for(to), **{attr: value})

        return save

    def compose(self) -> ComposeResult:
        get = self.editor.get
        yield self.points
        with self.editor:
            yield Static(_title(self._point()), id="ho-title", classes="handover-title")
            yield Field(
                "What qualifies a lead to cross",
                SavingTextArea(
                    read=get("qualifies"),
                    save=self._saver("qualifies"),
                    id="ho-qualifies",
                    classes="ho-text",
                    compact=True,
                    bubble_changes=False,
                ),
            )
            yield Field(
                "Response time to pick a lead up",
                SavingInput(
                    read=lambda: num_text(get("response_hours", None)()),
                    parse=lambda text: parse_number(text, field="Response time"),
                    save=self._saver("response_hours"),
                    id="ho-hours",
                    classes="ho-hours",
                    compact=True,
                    bubble_changes=False,
                    placeholder="e.g. 24",
                ),
                hint="hours",
            )
            yield Field(
                "Reasons it may be sent back",
                SavingTextArea(
                    read=get("return_reasons"),
                    save=self._saver("return_reasons"),
                    id="ho-reasons",
                    classes="ho-text",
                    compact=True,
                    bubble_changes=False,
                ),
            )
            yield Field(
                "What happens to returned leads",
                SavingTextArea(
                    read=get("returned_handling"),
                    save=self._saver("returned_handling"),
                    id="ho-returned",
                    classes="ho-text",
                    compact=True,
                    bubble_changes=False,
                ),
            )

    def _show_title(self) -> None:
        title = self.query_one("#ho-title", Static)
        new = _title(self._point())
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


__all__ = ["HandoversSection"]

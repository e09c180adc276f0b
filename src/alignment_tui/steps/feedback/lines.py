"""One line of a feedback list, and the approval-gate flag under it.

Each thing a side brings, and each ground rule, is one compact bound line
(:class:`~alignment_tui.form.lines.LineInput`: alt+↑ / alt+↓ move it within its
own list, alt+delete removes it). A line whose text reads like an approval gate
("Sales must approve…") gets a :class:`GateFlag` under it while it is typed;
the flag is mounted only for a line that has ever needed one, so a long list
carries no empty flag lines.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from ...form.lines import LineInput
from ...sessions.models import FeedbackItem, FeedbackSide
from ...sessions.progress import is_approval_gate
from ...sessions.service import SessionService
from .words import GATE_FLAG


def find_item(service: SessionService, rid: int) -> FeedbackItem | None:
    """The current record of item *rid* (a record is replaced when it is updated)."""
    return next((i for i in service.session.feedback_items if i.id == rid), None)


class GateFlag(Static):
    """The warning under a line worded as an approval gate."""

    def __init__(self, owner_id: str) -> None:
        super().__init__(Content(GATE_FLAG), id=f"{owner_id}-flag", classes="fb-flag")


class ItemInput(LineInput):
    """One thing a side brings, or one ground rule; flags approval-gate wording as it is typed."""

    KIND: ClassVar[str] = "item"
    PREFIX: ClassVar[str] = "fb-item-"

    def __init__(
        self, service: SessionService, item: FeedbackItem, *, current: bool, wid: str
    ) -> None:
        self.service = service
        self.side: FeedbackSide = item.side
        gate = is_approval_gate(item.text)
        classes = "fb-item" + (" -gate" if gate else "") + (" -current" if current else "")
        super().__init__(
            item.text,
            read=self._read_text,
            save=self._save_text,
            rid=item.id,
            id=wid,
            classes=classes,
            placeholder="say it as something one side gives the other",
            tooltip="alt+↑ / alt+↓ move this line, alt+delete removes it",
        )
        #: The flag under this line, once it has needed one (its list mounts it with the line).
        self.flag: GateFlag | None = GateFlag(wid) if gate else None

    def _read_text(self) -> str:
        item = find_item(self.service, self.rid)
        return item.text if item is not None else self.value

    def _save_text(self, text: str) -> None:
        item = find_item(self.service, self.rid)
        if item is not None:  # removed meanwhile: nothing to save into
            self.service.update(item, text=text)

    def show(self, value: Any) -> None:
        super().show(value)
        self.show_flag(self.value)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.show_flag(event.value)

    def show_flag(self, text: str) -> None:
        """Flag *text* under the line when it reads like an approval gate; hide the flag when not."""
        gate = is_approval_gate(text)
        if self.has_class("-gate") != gate:
            self.set_class(gate, "-gate")
        flag = self.flag
        if flag is not None:
            if flag.display != gate:
                flag.display = gate
            return
        parent = self.parent
        if gate and self.id and self.is_mounted and isinstance(parent, Widget):
            self.flag = GateFlag(self.id)
            parent.mount(self.flag, after=self)

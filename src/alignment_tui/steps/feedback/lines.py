"""One line of a feedback list, and the approval-gate flag under it.

Each thing a side brings, and each ground rule, is one compact bound line
(:class:`~alignment_tui.form.lines.LineInput`: alt+↑ / alt+↓ move it within its
own list, alt+delete removes it). A line whose text reads like an approval gate
("Sales must approve…") gets a :class:`GateFlag` under it while it is typed;
the flag is mounted only for a line that has ever needed one, so a long list
carries no empty flag lines.

The check reads words, so it can be wrong: on a flagged line, ctrl+g (or the
list's "Not a gate" button) saves the facilitator's review that it is not a
gate; the flag then says so and the step no longer waits for a rewording. The
review is of the words reviewed: typing other words flags the line again (the
service clears the saved review when the text changes). ctrl+g on a reviewed
line takes the review back.

ctrl+f on a line chooses the workbook document it follows (a campaign brief, a
customer story) or none (:mod:`.documents`); a line that follows one says so
under it, as the flag does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from ...form.fields import read_only_session
from ...form.lines import LineInput
from ...form.refusal import attempt, say_refused
from ...sessions.models import FeedbackItem, FeedbackSide
from ...sessions.progress import is_approval_gate
from ...sessions.service import SessionService
from .documents import (
    CHOOSER_NOTE,
    CHOOSER_TITLE,
    NONE_KEY,
    DocumentNote,
    choices,
    read_afresh,
)
from .words import GATE_FLAG, GATE_REVIEWED


def find_item(service: SessionService, rid: int) -> FeedbackItem | None:
    """The current record of item *rid* (a record is replaced when it is updated)."""
    return next((i for i in service.session.feedback_items if i.id == rid), None)


class GateFlag(Static):
    """The warning under a line worded as an approval gate, or the facilitator's review of it."""

    def __init__(self, owner_id: str, *, reviewed: bool = False) -> None:
        super().__init__(
            Content(GATE_REVIEWED if reviewed else GATE_FLAG),
            id=f"{owner_id}-flag",
            classes="fb-flag" + (" -reviewed" if reviewed else ""),
        )

    def show_review(self, reviewed: bool) -> None:
        text = GATE_REVIEWED if reviewed else GATE_FLAG
        if str(self.content) != text:
            self.update(Content(text))
            self.set_class(reviewed, "-reviewed")


#: The facilitator's review of a flagged line: offered on a flagged line only (one key, two verbs).
GATE_BINDINGS: list[BindingType] = [
    Binding(
        "ctrl+g",
        "review_gate(True)",
        "Not a gate",
        id="feedback.not_a_gate",
        tooltip="Reviewed: this line is feedback, not an approval gate (the step stops waiting)",
    ),
    Binding(
        "ctrl+g",
        "review_gate(False)",
        "Flag again",
        id="feedback.flag_again",
        tooltip="Take back the review: flag this line as an approval gate again",
    ),
]


#: Point the line to one of the workbook's documents (a campaign brief, a customer story).
DOCUMENT_BINDING = Binding(
    "ctrl+f",
    "document",
    "Document…",
    id="feedback.document",
    tooltip="Choose the workbook document this line follows (a campaign brief, a customer "
    "story), or none; the report prints it in an appendix",
)


class ItemInput(LineInput):
    """One thing a side brings, or one ground rule; flags approval-gate wording as it is typed."""

    KIND: ClassVar[str] = "item"
    PREFIX: ClassVar[str] = "fb-item-"
    BINDINGS: ClassVar[list[BindingType]] = [*GATE_BINDINGS, DOCUMENT_BINDING]

    class GateChanged(Message):
        """The line's gate state changed (flagged, reviewed, neither): its list's bar follows."""

        def __init__(self, line: ItemInput) -> None:
            super().__init__()
            self.line = line

    def __init__(
        self, service: SessionService, item: FeedbackItem, *, current: bool, wid: str
    ) -> None:
        self.service = service
        self.side: FeedbackSide = item.side
        gate = is_approval_gate(item.text)
        reviewed = gate and item.gate_reviewed
        #: (reads like a gate, reviewed as not one) as last shown.
        self.gate_state: tuple[bool, bool] = (gate, reviewed)
        flagged = gate and not reviewed
        classes = "fb-item" + (" -gate" if flagged else "") + (" -current" if current else "")
        super().__init__(
            item.text,
            read=self._read_text,
            save=self._save_text,
            rid=item.id,
            id=wid,
            classes=classes,
            placeholder="say it as something one side gives the other",
            tooltip="alt+↑ / alt+↓ move this line, alt+delete removes it, "
            "ctrl+f picks the document it follows",
        )
        #: The flag under this line, once it has needed one (its list mounts it with the line).
        self.flag: GateFlag | None = GateFlag(wid, reviewed=reviewed) if gate else None
        #: The document the line follows, once it has had one (mounted with the line too).
        self.note: DocumentNote | None = DocumentNote(wid, item.document) if item.document else None

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
        self.show_document()

    def show_document(self) -> None:
        """Say under the line which document it follows (hidden when none)."""
        item = find_item(self.service, self.rid)
        key = item.document if item is not None else ""
        if self.note is not None:
            self.note.show_document(key)
            return
        parent = self.parent
        if key and self.id and self.is_mounted and isinstance(parent, Widget):
            self.note = DocumentNote(self.id, key)
            parent.mount(self.note, after=self.flag or self)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.show_flag(event.value)

    def _reviewed(self, text: str) -> bool:
        """Whether the facilitator reviewed these very words as not a gate."""
        item = find_item(self.service, self.rid)
        return item is not None and item.gate_reviewed and item.text == text

    def show_flag(self, text: str) -> None:
        """Flag *text* under the line when it reads like an approval gate; hide the flag when not.

        A gate the facilitator reviewed keeps its line under it, saying so.
        """
        gate = is_approval_gate(text)
        reviewed = gate and self._reviewed(text)
        flagged = gate and not reviewed
        if self.has_class("-gate") != flagged:
            self.set_class(flagged, "-gate")
        state = (gate, reviewed)
        if state != self.gate_state:
            self.gate_state = state
            self.refresh_bindings()
            self.post_message(self.GateChanged(self))
        flag = self.flag
        if flag is not None:
            if flag.display != gate:
                flag.display = gate
            flag.show_review(reviewed)
            return
        parent = self.parent
        if gate and self.id and self.is_mounted and isinstance(parent, Widget):
            self.flag = GateFlag(self.id, reviewed=reviewed)
            parent.mount(self.flag, after=self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "document":  # a read-only copy changes nothing
            return not read_only_session(self)
        if action == "review_gate":
            gate, reviewed = self.gate_state
            # one verb at a time: "Not a gate" on a flagged line, "Flag again" on a reviewed one
            return gate and not read_only_session(self) and parameters == (not reviewed,)
        return super().check_action(action, parameters)

    def action_review_gate(self, reviewed: bool) -> None:
        self.review_gate(reviewed)

    def review_gate(self, reviewed: bool) -> None:
        """Save the facilitator's review of the words on the line (saving the words first)."""
        if read_only_session(self):
            return
        self.flush()  # the review is of what the line shows: typing not saved yet goes first
        item = find_item(self.service, self.rid)
        if item is None or item.text != self.value or not is_approval_gate(item.text):
            return  # removed, refused (its reason is under it) or no longer flagged
        attempt(self, self.service.update, item, gate_reviewed=reviewed)
        self.show_flag(self.value)

    def action_document(self) -> None:
        """Choose the workbook document this line follows, or none (saving the words first)."""
        from ...dialogs.workbook_dialog import WorkbookDialog

        if read_only_session(self):
            return
        self.flush()  # typing not saved yet is kept, whatever is chosen
        item = find_item(self.service, self.rid)
        if item is None:
            return
        for problem in read_afresh():
            say_refused(self, problem)

        def chosen(key: str | None) -> None:
            if key is None:  # cancelled: nothing changes
                return
            now = find_item(self.service, self.rid)
            if now is None:  # removed meanwhile
                return
            attempt(self, self.service.update, now, document="" if key == NONE_KEY else key)
            self.show_document()
            self.focus()

        self.app.push_screen(
            WorkbookDialog(
                CHOOSER_TITLE,
                choices(),
                note=CHOOSER_NOTE,
                current=item.document or NONE_KEY,
            ),
            chosen,
        )

"""The story's lines (a pillar's headline, a proof point, a retired message's two fields).

Each is a :class:`~alignment_tui.form.lines.LineInput`: one compact bound field
that reads its record's text from the session, saves it, and gets the one
reason line under it when a save is refused. Their keys (alt+↑, alt+↓,
alt+delete) ask the pane to move or remove the line.

:func:`sync_children` keeps a container's lines (or pillar blocks) matching
the session without touching a line still wanted, so nobody's typing is
disturbed when a line is added, removed or moved elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Literal
from weakref import WeakSet

from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widget import AwaitMount, Widget

from ...form.lines import LineInput
from ...form.refusal import Reason
from ...sessions.models import RetiredMessage
from ...sessions.service import SessionService
from .house import reader, saver

#: What kind of line a :class:`LineInput` is (given back to the pane's verbs).
Kind = Literal["pillar", "proof", "retired"]


class HeadlineInput(LineInput):
    """A pillar's headline; alt+↑/↓ move the pillar, alt+delete removes it."""

    KIND: ClassVar[Kind] = "pillar"
    PREFIX: ClassVar[str] = "pillar-title-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move_line(-1)",
            "Pillar up",
            id="story.pillar_up",
            tooltip="Move this pillar one place up",
        ),
        Binding(
            "alt+down",
            "move_line(1)",
            "Pillar down",
            id="story.pillar_down",
            tooltip="Move this pillar one place down",
        ),
        Binding(
            "alt+delete",
            "remove_line",
            "Remove pillar",
            id="story.pillar_remove",
            tooltip="Remove this pillar and its proof points (asks first)",
        ),
    ]


class ProofInput(LineInput):
    """A proof point; alt+↑/↓ move it within its pillar, alt+delete removes it."""

    KIND: ClassVar[Kind] = "proof"
    PREFIX: ClassVar[str] = "proof-text-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move_line(-1)",
            "Proof up",
            id="story.proof_up",
            tooltip="Move this proof point one place up within its pillar",
        ),
        Binding(
            "alt+down",
            "move_line(1)",
            "Proof down",
            id="story.proof_down",
            tooltip="Move this proof point one place down within its pillar",
        ),
        Binding(
            "alt+delete",
            "remove_line",
            "Remove proof",
            id="story.proof_remove",
            tooltip="Remove this proof point (asks first when it has text)",
        ),
    ]


class RetiredInput(LineInput):
    """What a retired message says, or why it goes; alt+delete removes the message."""

    KIND: ClassVar[Kind] = "retired"
    PREFIX: ClassVar[str] = "retired-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+delete",
            "remove_line",
            "Remove message",
            id="story.retired_remove",
            tooltip="Take this message off the retired list (asks first when it has text)",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Retired messages have no order of their own: the line's move keys
        # (inherited from every line) are not offered.
        if action == "move_line":
            return False
        return super().check_action(action, parameters)

    def error_anchor(self) -> Widget:
        # Both fields' reasons go under the message's row of the grid (after
        # its second field), spanning the two columns.
        parent = self.parent
        if not isinstance(parent, Widget):
            return self
        try:
            return parent.get_child_by_id(f"retired-reason-{self.rid}")
        except NoMatches:
            return self


# ---------------------------------------------------------------------------
# Keeping a container's children in step with the session
# ---------------------------------------------------------------------------

#: Widgets asked to go: Textual takes them out of their parent a moment later,
#: and until then they must not count as lines still there.
_going: WeakSet[Widget] = WeakSet()


def going(widget: Widget) -> bool:
    """Whether *widget* was removed by :func:`drop` (it may still be among its parent's children)."""
    return widget in _going


def drop(widget: Widget) -> None:
    """Remove *widget* (once)."""
    if widget not in _going:
        _going.add(widget)
        widget.remove()


def sync_children(
    container: Widget,
    wanted: Sequence[tuple[str, Callable[[], Widget]]],
    *,
    kind: type[Widget],
    prefix: str,
    before: Widget | None = None,
) -> list[AwaitMount]:
    """Make the *kind* children of *container* (ids starting *prefix*) match *wanted*, in order.

    *wanted* is (id, maker) for each child. Children that are gone are removed
    with their reason lines; missing ones are mounted before *before* (or at
    the end); when the order differs (a line moved), the children are put in
    order, each reason line staying right under its field. Every child still
    wanted is left as it is, and so are the container's other children.
    Returns the pending mounts (await them before focusing a new line).
    """
    ids = [wid for wid, _make in wanted]
    keep = set(ids)
    have: dict[str, Widget] = {}
    reasons: dict[str, Widget] = {}
    for child in list(container.children):
        if going(child):
            continue
        if isinstance(child, Reason):
            if child.owner_id in keep:
                reasons[child.owner_id] = child
            elif child.owner_id.startswith(prefix):
                drop(child)
        elif isinstance(child, kind) and child.id and child.id.startswith(prefix):
            if child.id in keep:
                have[child.id] = child
            else:
                drop(child)
    mounts: list[AwaitMount] = []
    for wid, make in wanted:
        if wid not in have:
            widget = make()
            mounts.append(
                container.mount(widget, before=before) if before else container.mount(widget)
            )
            have[wid] = widget
    order = [have[wid] for wid in ids]
    members = set(order)

    def current() -> list[Widget]:
        return [c for c in container.children if c in members]

    if current() != order:
        for i, widget in enumerate(order):
            here = current()
            if here[i] is not widget:
                container.move_child(widget, before=here[i])
            reason = reasons.get(widget.id or "")
            if reason is not None:
                container.move_child(reason, after=widget)
    return mounts


def retired_line(
    service: SessionService, message: RetiredMessage, field: str, *, current: bool = False
) -> RetiredInput:
    """One of a retired message's two fields: what it says (*field* "text") or why it goes."""
    rid = message.id
    text = field == "text"
    return RetiredInput(
        read=reader(service, RetiredMessage, rid, field),
        save=saver(service, RetiredMessage, rid, field),
        rid=rid,
        id=f"retired-{field}-{rid}",
        classes="-current" if current else "",
        placeholder="e.g. The cheapest tool on the market"
        if text
        else "e.g. contradicts the premium story",
        tooltip=("What we stop saying" if text else "Why it goes")
        + " (alt+delete removes the message)",
    )

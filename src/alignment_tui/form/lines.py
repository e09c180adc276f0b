"""Compact lines: a list of one-text records, each edited in place on one line.

For records that are one text each (a pillar's proof points, the loop's
ground rules, a team's behaviours) a record list beside an editor would be a
detour: each line IS the editor. A :class:`LineInput` is one compact bound
field with no label (its list has a heading); a refused save puts the one
reason line under it (:func:`~.refusal.show_reason`). Moving and removing are
asked of the pane that holds the line (any ancestor that is a
:class:`LineOwner`): a subclass binds keys to ``move_line(delta)`` and
``remove_line``, and the pane removes through
:func:`~.removal.confirm_removal`, like every other removal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widget import Widget

from .fields import Reader, SavingInput


@runtime_checkable
class LineOwner(Protocol):
    """What holds lines that move and go: a step pane."""

    def move_line(self, kind: Any, rid: int, delta: int) -> None: ...

    def ask_remove(self, kind: Any, rid: int, *, refocus: bool) -> None: ...


#: The keys every kind of line has (each kind's ids are prefixed with its own name).
LINE_BINDINGS: list[BindingType] = [
    Binding(
        "alt+up",
        "move_line(-1)",
        "Move up",
        id="line.move_up",
        tooltip="Move this line one place up",
    ),
    Binding(
        "alt+down",
        "move_line(1)",
        "Move down",
        id="line.move_down",
        tooltip="Move this line one place down",
    ),
    Binding(
        "alt+delete",
        "remove_line",
        "Remove",
        id="line.remove",
        tooltip="Remove this line (asks first when it has text)",
    ),
]


class LineInput(SavingInput):
    """One compact line of a list, with no label.

    ``KIND`` names what kind of line it is (the pane's own names: it is given
    back to the pane's ``move_line`` and ``ask_remove``); ``PREFIX`` starts the
    id of every line of that kind.
    """

    KIND: ClassVar[Any]
    PREFIX: ClassVar[str]
    BINDINGS: ClassVar[list[BindingType]] = LINE_BINDINGS

    def __init__(
        self,
        value: str | None = None,
        *,
        save: Callable[[str], None],
        rid: int,
        read: Reader | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("bubble_changes", False)
        super().__init__(value, save=save, read=read, compact=True, **kwargs)
        self.rid = rid

    def pane(self) -> LineOwner:
        """The pane that moves and removes this line."""
        for node in self.ancestors:
            if isinstance(node, LineOwner):
                return node
        raise NoMatches("No pane holds this line")

    def action_move_line(self, delta: int) -> None:
        self.pane().move_line(self.KIND, self.rid, delta)

    def action_remove_line(self) -> None:
        self.pane().ask_remove(self.KIND, self.rid, refocus=True)

    def error_anchor(self) -> Widget:
        """The widget the reason line goes after (the line itself, or the row holding it)."""
        return self

    def on_mount(self) -> None:
        anchor = self.error_anchor()
        self.reason_anchor = None if anchor is self else anchor

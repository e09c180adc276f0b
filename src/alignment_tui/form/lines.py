"""Compact lines of a list: one input each, no label, a reason mounted under it only when refused.

Shared by the steps that show repeated lines (the story's pillars and proof
points, the feedback loop's items). A :class:`LineInput` is one compact
field; its list gives it a heading, so it has no label; a refused save mounts
a one-line :class:`LineError` under it when it first happens, hidden again
once a save goes through. Moving and removing are asked of the pane that
holds the line (any ancestor with ``move_line`` and ``ask_remove``): a
subclass binds keys to ``move_line(delta)`` and ``remove_line``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual.content import Content
from textual.css.query import NoMatches, WrongType
from textual.widget import Widget
from textual.widgets import Static

from ..sessions.errors import SessionFileError
from .fields import FieldSaved, SavingInput

#: Control characters shown instead of obeyed: C0 as their symbols (␛, ␊), DEL as ␡, C1 as �.
_VISIBLE = (
    {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421} | {c: 0xFFFD for c in range(0x80, 0xA0)}
)


def visible(text: str) -> str:
    """*text* with its control characters shown as symbols."""
    return text.translate(_VISIBLE)


def snippet(text: str) -> str:
    """Typed text for a question or a message: one line, controls shown, cut to 60."""
    shown = visible(" ".join(text.split()))
    return shown if len(shown) <= 60 else shown[:59] + "…"


def pruning(widget: Widget) -> bool:
    """Whether *widget* is being removed (it stays among its parent's children a moment)."""
    return bool(getattr(widget, "_pruning", False))


@runtime_checkable
class LineOwner(Protocol):
    """What holds lines that move and go: a step pane."""

    def move_line(self, kind: Any, rid: int, delta: int) -> None: ...

    def ask_remove(self, kind: Any, rid: int, *, refocus: bool) -> None: ...


class LineError(Static):
    """The reason a line's save was refused, mounted under the line when it first happens."""

    def __init__(self, owner_id: str, reason: str) -> None:
        super().__init__(Content(reason), id=f"{owner_id}-error", classes="line-error")
        self.owner_id = owner_id


def say_under(widget: Widget, anchor: Widget, reason: str | None, *, leaving: bool) -> None:
    """Show *reason* in the line under *widget* (mounted after *anchor* when first needed).

    ``None`` hides the line. A widget on its way out (*leaving*) says it in a
    notification instead.
    """
    parent = widget.parent
    if not isinstance(parent, Widget) or not widget.id:
        return
    try:
        line: LineError | None = parent.get_child_by_id(f"{widget.id}-error", LineError)
    except (NoMatches, WrongType):
        line = None
    if line is not None and not pruning(line):
        if reason is not None:
            line.update(Content(reason))
        if line.display != (reason is not None):
            line.display = reason is not None
    elif reason is not None:
        if leaving:
            widget.app.notify(reason, severity="error", timeout=6)
        else:
            parent.mount(LineError(widget.id, reason), after=anchor)


class LineInput(SavingInput):
    """One compact line of a list, with no label; a refused save shows its reason under it.

    ``KIND`` names what kind of line it is (the pane's own names: it is given
    back to the pane's ``move_line`` and ``ask_remove``); ``PREFIX`` starts the
    id of every line of that kind.
    """

    KIND: ClassVar[Any]
    PREFIX: ClassVar[str]

    def __init__(self, value: str, *, save: Callable[[str], None], rid: int, **kwargs: Any) -> None:
        kwargs.setdefault("bubble_changes", False)
        super().__init__(value, save=save, compact=True, **kwargs)
        self.rid = rid
        self._leaving = False

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

    def on_unmount(self) -> None:
        self._leaving = True
        super().on_unmount()

    def _do_save(self) -> None:
        self._known = self.value
        try:
            self._save(self.value)
        except (ValueError, SessionFileError) as exc:
            self.set_class(True, "-invalid")
            self._say(str(exc))
            return
        if self.has_class("-invalid"):
            self.set_class(False, "-invalid")
        self._say(None)
        self.post_message(FieldSaved(self))

    def error_anchor(self) -> Widget:
        """The widget the reason line goes after."""
        return self

    def _say(self, reason: str | None) -> None:
        say_under(self, self.error_anchor(), reason, leaving=self._leaving)

"""One way to show that a value was refused, and one way to say a verb was refused.

A field whose value is refused (a number that is not one, a date in the past,
a read-only file) keeps what was typed, is marked ``-invalid`` and gets ONE
reason line right under it (under its *anchor*: the field, or the row that
holds it). The line is mounted when a reason first appears and hidden again
once a save goes through, so a form of fifty fields does not carry fifty empty
lines. When it appears it is scrolled into view: a reason the room cannot see
is no reason at all.

A verb that is refused (a removal in a read-only session) has no field to
stand under: :func:`say_refused` says it in one notification line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static

from ..sessions.errors import SessionFileError

#: What a refused save raises: a parse error, a model's refusal, a file that cannot be written.
REFUSALS = (ValueError, SessionFileError)

T = TypeVar("T")


class Reason(Static):
    """The reason the value of the field above was refused."""

    DEFAULT_CSS = """
    Reason {
        color: $text-error;
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, owner_id: str, reason: str) -> None:
        super().__init__(Content(reason), id=f"{owner_id}-reason", classes="reason")
        self.owner_id = owner_id


def reason_of(widget: Widget) -> Reason | None:
    """The reason line of *widget*, if one was mounted (shown or hidden)."""
    if not widget.id or not isinstance(widget.parent, Widget):
        return None
    try:
        return widget.screen.query_one(f"#{widget.id}-reason", Reason)
    except NoMatches:
        return None


def show_reason(widget: Widget, reason: str | None, *, anchor: Widget | None = None) -> None:
    """Mark *widget* refused with *reason* under it (under *anchor*), or clear it (``None``).

    A widget without an id, or one being removed, says the reason in a
    notification instead: there is no place under it that will stay.
    """
    refused = reason is not None
    if widget.has_class("-invalid") != refused:
        widget.set_class(refused, "-invalid")
    line = reason_of(widget)
    if line is not None:
        if refused:
            line.update(Content(reason or ""))
        if line.display != refused:
            line.display = refused
        if refused:
            line.call_after_refresh(line.scroll_visible, animate=False)
        return
    if not refused:
        return
    after = anchor or widget
    parent = after.parent
    if not widget.id or not widget.is_attached or not isinstance(parent, Widget):
        say_refused(widget, reason or "")
        return
    line = Reason(widget.id, reason or "")
    parent.mount(line, after=after)
    line.call_after_refresh(line.scroll_visible, animate=False)


def say_refused(widget: Widget, reason: str) -> None:
    """Say in one line why a verb (not a field's value) was refused."""
    widget.app.notify(" ".join(reason.split()), severity="error", timeout=6)


def attempt(widget: Widget, do: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a service call for a verb; a refusal is said in one line and gives ``None``."""
    try:
        return do(*args, **kwargs)
    except REFUSALS as exc:
        say_refused(widget, str(exc))
        return None

"""Offer entries of the workbook to the room: choose one, confirm if it replaces words, apply.

Every step that fills something from the workbook (a funnel preset, a loop
example, a hand-over template, a message template, a document to follow) goes
the same way, so it is written once here:

- the workbook is read (its problems, a damaged house file, are said in one line each);
- nothing to offer: one line says so;
- one entry only: no chooser; the room is asked instead (choosing is consent, a key alone is not);
- several: the chooser, each entry shown whole before it is chosen;
- the chosen entry is applied at once, unless *question* says what it would replace:
  then the room confirms first (Keep leaves everything as it was).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ..dialogs.workbook_dialog import Choice, WorkbookDialog
from ..form.confirm import ConfirmDialog
from ..form.refusal import say_refused

if TYPE_CHECKING:
    from textual.widget import Widget

    from ..sessions.workbook import Workbook

T = TypeVar("T")


@dataclass(frozen=True)
class Question:
    """What the room is asked before an entry is applied."""

    title: str
    detail: str
    confirm_label: str
    #: The entry replaces words the room wrote (the dialog says so in its colours).
    destructive: bool = False


def read_workbook(widget: Widget) -> Workbook:
    """The workbook, built-in and house entries; each problem with a house file said in one line."""
    from ..sessions import workbook

    book = workbook.load()
    for problem in book.problems:
        say_refused(widget, problem)
    return book


def offer(
    widget: Widget,
    entries: Mapping[str, T],
    *,
    title: str,
    note: str,
    nothing: str,
    choice: Callable[[T], Choice],
    question: Callable[[T, bool], Question | None],
    apply: Callable[[T], None],
) -> None:
    """Offer *entries* (by key) to the room; apply the one chosen (see the module's docstring).

    *question* gets the entry and whether the room picked it in the chooser, and
    returns what to ask first, or None to apply it at once.
    """
    if not entries:
        say_refused(widget, nothing)
        return

    def ask(entry: T, *, chosen: bool) -> None:
        asked = question(entry, chosen)
        if asked is None:
            apply(entry)
            return

        def answered(ok: bool | None) -> None:
            if ok:
                apply(entry)

        widget.app.push_screen(
            ConfirmDialog(
                asked.title,
                asked.detail,
                confirm_label=asked.confirm_label,
                cancel_label="Keep",
                destructive=asked.destructive,
            ),
            answered,
        )

    if len(entries) == 1:
        ask(next(iter(entries.values())), chosen=False)
        return

    def picked(key: str | None) -> None:
        entry = entries.get(key or "")
        if entry is not None:
            ask(entry, chosen=True)

    widget.app.push_screen(
        WorkbookDialog(title, [choice(e) for e in entries.values()], note=note), picked
    )


__all__ = ["Question", "offer", "read_workbook"]

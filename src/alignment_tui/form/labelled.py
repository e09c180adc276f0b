"""A label with any field: above it (:class:`Field`) or drawn on its top edge (:class:`TitledField`).

The field itself is any widget of :mod:`.fields` (or of the app); its reason
line, when a value is refused, is mounted under it (:mod:`.refusal`). Both
names are importable from :mod:`.fields` too.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label


class Field(Vertical):
    """A labelled field; its reason line, when there is one, is mounted under the field.

    The label is a line of its own above the field. :class:`TitledField` draws
    the same line on the field's top edge instead.
    """

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 1 0; }
    Field > .field-label { color: $text-muted; height: 1; }
    Field > .-invalid { border: tall $error; }
    """

    def __init__(self, label: str, widget: Widget, *, hint: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._label = label
        self._hint = hint
        self._widget = widget

    @property
    def label_text(self) -> str:
        """The label as it reads, with its hint."""
        return self._label + (f"  ({self._hint})" if self._hint else "")

    def compose(self) -> ComposeResult:
        yield Label(Content(self.label_text), classes="field-label")
        yield self._widget


class TitledField(Field):
    """A :class:`Field` whose label is drawn on its top edge (its border title).

    It reads as the label line above the field, one cell in, and is one widget
    fewer: a step's form has dozens of fields, and every widget mounted costs
    the step time to open. A label too long for the field ends in "…".
    """

    DEFAULT_CSS = """
    TitledField {
        border-top: blank;
        border-title-color: $text-muted;
        border-title-style: none;
    }
    """

    def compose(self) -> ComposeResult:
        self.border_title = Content(self.label_text)
        yield self._widget

"""A choice among a few fixed values, changed in place: one widget instead of a drop-down.

A :class:`Choice` shows its value in words and moves to the next value with
Space, → or +, to the one before with ← or -, and to the next with a mouse
click (on the ◂ at its left: the one before). Enter never changes it: a
facilitator presses Enter to move on, as in a text field, so Enter moves the
focus to the next field (as Tab does) and the value stays. Every change is saved at
once through its *save* callback, like the other saving fields in
:mod:`.fields`: a refused value (a ``ValueError`` or a session file error)
keeps the value shown before and puts the one-line reason under the field.

A Textual ``Select`` mounts six widgets (the select, its current value, its
overlay list and three labels); a Choice is one, which matters in a form
shown many times over or opened on a large session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget

from .fields import BoundField, Parser, Reader, Saver

ValueT = TypeVar("ValueT")


class Choice(BoundField, Widget, Generic[ValueT], can_focus=True):
    """One of a few values (*options*: label in words, value), cycled in place and saved at once."""

    DEFAULT_CSS = """
    Choice {
        width: 100%;
        height: 3;
        padding: 0 1;
        background: $surface;
        color: $foreground;
        border: tall $border-blurred;
        pointer: pointer;

        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        &.-invalid {
            border: tall $error 60%;
        }
        &.-invalid:focus {
            border: tall $error;
        }
        & > .choice--arrow {
            color: $text-muted;
        }
        &:focus > .choice--arrow {
            color: $accent;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice--arrow"}
    INSTANT = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right",
            "cycle(1)",
            "Next",
            key_display="→",
            id="choice.next",
            tooltip="Change to the next value (also Space, + or a click)",
        ),
        Binding(
            "left",
            "cycle(-1)",
            "Previous",
            key_display="←",
            id="choice.previous",
            tooltip="Change back to the value before (also -)",
        ),
        Binding(
            "space,plus,equals_sign",
            "cycle(1)",
            "Next",
            id="choice.next_more",
            show=False,
            tooltip="Change to the next value",
        ),
        Binding(
            "minus",
            "cycle(-1)",
            "Previous",
            id="choice.previous_more",
            show=False,
            tooltip="Change back to the value before",
        ),
        Binding(
            "enter",
            "app.focus_next",
            "Next field",
            id="choice.move_on",
            show=False,
            tooltip="Move on to the next field; the value stays as it is",
        ),
    ]

    def __init__(
        self,
        options: Sequence[tuple[str, ValueT]],
        *,
        value: ValueT | None = None,
        save: Saver,
        read: Reader | None = None,
        parse: Parser | None = None,
        **kwargs: Any,
    ) -> None:
        tooltip = kwargs.pop("tooltip", "Space or → for the next value, ← for the one before")
        super().__init__(**kwargs)
        self.tooltip = tooltip
        if not options:
            raise ValueError("A choice needs at least one option")
        self._options = list(options)
        self._values = [v for _label, v in self._options]
        if value is None and read is not None:
            value = read()
        self._index = self._values.index(value) if value in self._values else 0
        self._bind(read, save, parse)

    @property
    def value(self) -> ValueT:
        return self._values[self._index]

    @property
    def label(self) -> str:
        """The value shown, in words."""
        return self._options[self._index][0]

    def show(self, value: Any) -> None:
        """Show *value* (from the session) without saving it back."""
        if value not in self._values:
            return
        index = self._values.index(value)
        if index != self._index:
            self._index = index
            self.refresh()

    def set_options(self, options: Sequence[tuple[str, ValueT]], value: ValueT | None) -> None:
        """Offer *options* instead (what can be chosen changed) and show *value*, without saving."""
        if options and list(options) != self._options:
            self._options = list(options)
            self._values = [v for _label, v in self._options]
            self._index = 0
            self.refresh(layout=True)
        if value is not None:
            self.show(value)

    def show_value(self, value: ValueT) -> None:
        self.show(value)

    def _do_save(self) -> None:
        """Nothing waits: a choice is saved as it is made."""

    def action_cycle(self, step: int) -> None:
        """Save and show the value *step* places on (wrapping round)."""
        index = (self._index + step) % len(self._values)
        if self._commit(self._values[index]):
            self._index = index
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        # the ◂ at the left steps back; anywhere else steps on
        self.action_cycle(-1 if event.x < self.gutter.left + 2 else 1)

    def render(self) -> Content:
        arrow = self.get_visual_style("choice--arrow")
        # (outer_size less the gutter: ``content_size`` asks the compositor where the
        # widget is, which after a layout means placing every widget on the screen)
        width = self.outer_size.width - self.styles.gutter.width
        label = Content(self.label).truncate(max(width - 4, 1), ellipsis=True, pad=True)
        return Content.assemble(("◂ ", arrow), label, (" ▸", arrow))

    def get_content_width(self, container: Any, viewport: Any) -> int:
        return max(len(label) for label, _v in self._options) + 4

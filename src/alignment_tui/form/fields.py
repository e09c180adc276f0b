"""Form fields that save themselves.

Every field is bound to a *save* callback. Typing is debounced (``SAVE_DELAY``
seconds) and a field also saves when it loses focus, so a change reaches the
session file within a second. When the callback refuses the value (a
``ValueError`` from parsing or :class:`ChangeRefused` from the models), the
field keeps what was typed, turns red, and a one-line reason is shown under
it; nothing already saved is touched.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from ..sessions.errors import SessionFileError
from ..sessions.parse import parse_date

SAVE_DELAY = 0.4

Saver = Callable[[Any], Any]


class FieldSaved(Message):
    """Posted after a field saved a value (the step can refresh derived views)."""

    def __init__(self, field: Widget) -> None:
        super().__init__()
        self.field = field


class _Debounced:
    """Mixin: debounce saves; flush on blur and when asked."""

    _timer: Timer | None = None
    _pending: bool = False
    _due: float = 0.0

    def _schedule(self) -> None:
        # One timer per pause in typing, not one per key: a key only moves the
        # deadline; the timer, when it fires early, waits for the rest.
        self._pending = True
        self._due = monotonic() + SAVE_DELAY
        if self._timer is None:
            self._timer = self.set_timer(SAVE_DELAY, self._deadline)  # type: ignore[attr-defined]

    def _deadline(self) -> None:
        self._timer = None
        left = self._due - monotonic()
        if left > 0.01:
            self._timer = self.set_timer(left, self._deadline)  # type: ignore[attr-defined]
        else:
            self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending:
            self._pending = False
            self._do_save()

    def _do_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _report(widget: Widget, error: str | None) -> None:
    """Show or clear the reason under a field (a sibling ``.field-error`` Static)."""
    widget.set_class(error is not None, "-invalid")
    parent = widget.parent
    if parent is None:
        return
    for node in parent.children:
        if isinstance(node, Static) and node.has_class("field-error"):
            # Touch the line only when what it says changes: an update asks for
            # a layout of the whole screen, which every save would otherwise pay.
            if error is not None or node.display or str(node.content):
                node.update(Content(error or ""))
                node.display = error is not None
            return
    if error is not None:
        widget.app.notify(error, severity="error", timeout=4)


def run_saver(widget: Widget, save: Saver, value: Any) -> bool:
    try:
        save(value)
    except (ValueError, SessionFileError) as exc:
        _report(widget, str(exc))
        return False
    _report(widget, None)
    widget.post_message(FieldSaved(widget))
    return True


class SavingInput(_Debounced, Input):
    """An Input that saves through *save* as the user types.

    Pass ``bubble_changes=False`` when no container above listens for
    ``Input.Changed``: each key then stops at the input instead of visiting every
    ancestor up to the app (eight message dispatches a key in the goals editor).
    """

    def __init__(
        self, value: str = "", *, save: Saver, bubble_changes: bool = True, **kwargs: Any
    ) -> None:
        # Input's own validation would reset the -invalid class set by a refused save.
        kwargs.setdefault("validate_on", ())
        super().__init__(value=value, **kwargs)
        self._save = save
        self._bubble_changes = bubble_changes
        #: The value last saved or shown from the session: Input reports its
        #: initial value as a change when mounted, which needs no save (a grid
        #: of inputs would otherwise save every cell 0.4 s after it appears).
        self._known = value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input is not self:
            return
        if not self._bubble_changes:
            event.stop()
        if self._pending or event.value != self._known:
            self._schedule()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            self._pending = True
            self.flush()

    def on_blur(self) -> None:
        self.flush()
        # Left with the cursor at the end, a text longer than the field shows
        # only its tail ("...ctions of the fortnight"); the room reads a field it
        # is not typing in from the start.
        if self.cursor_position:
            self.cursor_position = 0

    def on_unmount(self) -> None:
        self.flush()

    def _do_save(self) -> None:
        self._known = self.value
        run_saver(self, self._save, self.value)

    def _watch_value(self, value: str) -> None:
        # Input's watcher sets ``virtual_size``, a reactive that asks for a
        # layout, and in Textual a layout reflows the whole screen: one reflow of
        # every form widget per key. This input has a fixed size (no scrollbars),
        # so set its virtual width quietly; the watcher then finds it unchanged.
        if not self.styles.auto_dimensions:
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def set_value_quietly(self, value: str) -> None:
        """Show *value* (from the session) without saving it back."""
        if self.value != value and not self.has_focus:
            self._known = value
            with self.prevent(Input.Changed):
                self.value = value


class DateInput(SavingInput):
    """A date field: accepts 2026-12-31, today, +3d, +2w, +1m; shows the real date on leaving."""

    def on_blur(self) -> None:
        super().on_blur()
        try:
            day = parse_date(self.value)
        except ValueError:
            return
        shown = day.isoformat() if day else ""
        if shown != self.value:
            with self.prevent(Input.Changed):
                self.value = shown


class SavingTextArea(_Debounced, TextArea):
    """A multi-line field that saves as the user types.

    ``bubble_changes=False`` stops ``TextArea.Changed`` at the field, as for
    :class:`SavingInput`. ``TextArea.SelectionChanged`` (every key and cursor
    move) always stops here: nothing in the app listens for it, and it visited
    every container up to the app.
    """

    def __init__(
        self, text: str = "", *, save: Saver, bubble_changes: bool = True, **kwargs: Any
    ) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("show_line_numbers", False)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(text, **kwargs)
        self._save = save
        self._bubble_changes = bubble_changes

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self:
            if not self._bubble_changes:
                event.stop()
            self._schedule()

    @on(TextArea.SelectionChanged)
    def _selection_changed(self, event: TextArea.SelectionChanged) -> None:
        if event.text_area is self:
            event.stop()

    def on_blur(self) -> None:
        self.flush()

    def on_unmount(self) -> None:
        self.flush()

    def _do_save(self) -> None:
        run_saver(self, self._save, self.text)

    def set_text_quietly(self, text: str) -> None:
        if self.text != text and not self.has_focus:
            with self.prevent(TextArea.Changed):
                self.load_text(text)


class SavingSelect(Select[Any]):
    """A choice that saves as soon as it changes."""

    def __init__(self, options: list[tuple[str, Any]], *, value: Any, save: Saver, **kwargs: Any):
        kwargs.setdefault("allow_blank", False)
        super().__init__(options, value=value, **kwargs)
        self._save = save
        self._ready = False

    def on_mount(self) -> None:
        self.call_after_refresh(self._arm)

    def _arm(self) -> None:
        self._ready = True

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select is self and self._ready:
            value = None if event.value is Select.NULL else event.value
            run_saver(self, self._save, value)


class Field(Vertical):
    """A labelled field with room for its error line."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 1 0; }
    Field > .field-label { color: $text-muted; height: 1; }
    Field > .field-error { color: $error; height: auto; display: none; }
    Field > .-invalid { border: tall $error; }
    """

    def __init__(self, label: str, widget: Widget, *, hint: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._label = label
        self._hint = hint
        self._widget = widget

    def compose(self) -> ComposeResult:
        text = self._label + (f"  ({self._hint})" if self._hint else "")
        yield Label(Content(text), classes="field-label")
        yield self._widget
        yield Static("", classes="field-error", markup=False)

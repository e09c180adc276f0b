"""Bound fields: each knows how to read its value from the session, parse it and save it.

Every field of every step is built the same way::

    SavingInput(read=lambda: goal.measure, save=lambda v: service.update(goal, measure=v))
    SavingInput(read=..., parse=parse_count, save=...)   # the parsed value is saved

* **Saving.** Typing is saved when it pauses (:data:`SAVE_DELAY`), and at
  least every :data:`MAX_WAIT` seconds while it goes on, so a facilitator who
  types steadily never has more than a second of text unsaved; leaving the
  field, pressing Enter and closing the screen save at once.
* **Refusal.** When parsing or saving raises (a ``ValueError`` from parsing or
  a model, a :class:`SessionFileError` from the file), the field keeps what
  was typed, is marked ``-invalid`` and one reason line appears under it, in
  view (:func:`~.refusal.show_reason`); nothing already saved is touched.
* **Loading.** :meth:`BoundField.load` shows the session's value again (after a
  change made elsewhere, an undo, another record chosen). It never overwrites
  a field the user is in, or one that holds a refused value being corrected,
  unless forced (another record is now in the editor).
* **Read-only.** In a session opened read-only every bound field is disabled:
  it shows its value and cannot change, so nothing typed is ever refused.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from ..internals import QuietInputWidth
from ..sessions.parse import parse_date
from .refusal import REFUSALS, show_reason

#: Seconds of quiet after a key before typing is saved.
SAVE_DELAY = 0.4
#: Seconds at most between the first unsaved key and its save, however fast the typing.
MAX_WAIT = 1.0

Saver = Callable[[Any], Any]
Reader = Callable[[], Any]
Parser = Callable[[Any], Any]


class FieldSaved(Message):
    """Posted after a field saved a value (the step can refresh derived views)."""

    def __init__(self, field: Widget) -> None:
        super().__init__()
        self.field = field


def read_only_session(widget: Widget) -> bool:
    """Whether the session shown by *widget*'s app was opened read-only."""
    return bool(getattr(widget.app, "read_only", False))


def run_saver(widget: Widget, save: Saver, value: Any, *, anchor: Widget | None = None) -> bool:
    """Save *value* through *save*; show or clear the reason under *widget*. True when saved."""
    try:
        save(value)
    except REFUSALS as exc:
        show_reason(widget, str(exc), anchor=anchor)
        return False
    if widget.has_class("-invalid"):
        show_reason(widget, None, anchor=anchor)
    widget.post_message(FieldSaved(widget))
    return True


class SaveTimer:
    """Mixin: save when typing pauses, at least every MAX_WAIT while it goes on, and on flush.

    The class using it implements ``_do_save`` and is a Widget (for ``set_timer``).
    """

    _timer: Timer | None = None
    _pending: bool = False
    _due: float = 0.0
    _latest: float = 0.0
    #: Whether steady typing is saved every MAX_WAIT, or only when it pauses.
    SAVE_WHILE_TYPING: ClassVar[bool] = True

    def _schedule(self) -> None:
        # One timer per pause in typing, not one per key: a key only moves the
        # deadline; the timer, when it fires early, waits for the rest.
        now = monotonic()
        if not self._pending:
            self._latest = now + MAX_WAIT if self.SAVE_WHILE_TYPING else float("inf")
        self._pending = True
        self._due = now + SAVE_DELAY
        if self._timer is None:
            wait = min(SAVE_DELAY, self._latest - now)
            self._timer = self.set_timer(wait, self._deadline)  # type: ignore[attr-defined]

    def _deadline(self) -> None:
        self._timer = None
        left = min(self._due, self._latest) - monotonic()
        if left > 0.01:
            self._timer = self.set_timer(left, self._deadline)  # type: ignore[attr-defined]
        else:
            self.flush()

    @property
    def pending(self) -> bool:
        """Whether typing is waiting to be saved."""
        return self._pending

    def cancel(self) -> None:
        """Forget the typing waiting to be saved (an edit that was undone)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = False

    def mark_pending(self) -> None:
        """Something is waiting to be saved, to go with the next :meth:`flush`."""
        self._pending = True

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending:
            self._pending = False
            self._do_save()

    def _do_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class BoundField(SaveTimer):
    """Mixin of every bound field: *read* from the session, *parse*, *save*, reason under it.

    Subclasses implement :meth:`shown` (the text or value shown now) and
    :meth:`show` (put a value in without saving it back).
    """

    _read: Reader | None = None
    _parse: Parser | None = None
    _save: Saver
    #: The widget the reason line goes under (None: the field itself).
    reason_anchor: Widget | None = None
    #: A field that chooses what is shown (not what is saved) stays live in a read-only copy.
    VIEW_ONLY: ClassVar[bool] = False
    #: A field changed by one key (a tick, a choice) holds no typing to protect: it
    #: shows a change made elsewhere even while it has the focus.
    INSTANT: ClassVar[bool] = False

    def _bind(self, read: Reader | None, save: Saver, parse: Parser | None) -> None:
        self._read = read
        self._save = save
        self._parse = parse

    @property
    def refused(self) -> bool:
        """Whether the field holds a value that was refused (being corrected)."""
        return self.has_class("-invalid")  # type: ignore[attr-defined,no-any-return]

    def _commit(self, raw: Any) -> bool:
        parse = self._parse
        save = self._save

        def parse_and_save(value: Any) -> None:
            save(parse(value) if parse is not None else value)

        return run_saver(self, parse_and_save, raw, anchor=self.reason_anchor)  # type: ignore[arg-type]

    def load(self, *, force: bool = False) -> None:
        """Show the session's value, unless the user is in this field or correcting it.

        *force* (another record is in the editor) also drops a refused value and its reason.
        """
        if self._read is None:
            return
        busy = self._pending or (self.has_focus and not self.INSTANT)  # type: ignore[attr-defined]
        if not force and (self.refused or busy):
            return
        if force:
            self.cancel()
            if self.refused:
                show_reason(self, None, anchor=self.reason_anchor)  # type: ignore[arg-type]
        self.show(self._read())

    def show(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def on_mount(self) -> None:
        if not self.VIEW_ONLY and read_only_session(self):  # type: ignore[arg-type]
            self.disabled = True


class SavingInput(BoundField, QuietInputWidth, Input):
    """A one-line bound field.

    Its horizontal scrollbar is switched off (``overflow-x: hidden``): Input
    draws none (zero size) but kept one "shown", and moving that invisible bar
    as a long text scrolled made Textual rebuild its map of the whole screen
    at every key. The text still scrolls to the cursor.

    Pass ``bubble_changes=False`` when no container above listens for
    ``Input.Changed``: each key then stops at the input instead of visiting every
    ancestor up to the app.
    """

    DEFAULT_CSS = """
    SavingInput { overflow-x: hidden; }
    """

    def __init__(
        self,
        value: str | None = None,
        *,
        save: Saver,
        read: Reader | None = None,
        parse: Parser | None = None,
        bubble_changes: bool = True,
        **kwargs: Any,
    ) -> None:
        # Input's own validation would reset the -invalid class set by a refused save.
        kwargs.setdefault("validate_on", ())
        # Focus comes to a field by itself (a step change, Ctrl+↓): with its text
        # selected, the first key typed would throw the whole text away.
        kwargs.setdefault("select_on_focus", False)
        if value is None:
            value = self._text(read()) if read is not None else ""
        super().__init__(value=value, **kwargs)
        self._bind(read, save, parse)
        self._bubble_changes = bubble_changes
        #: The value last saved or shown from the session: Input reports its
        #: initial value as a change when mounted, which needs no save.
        self._known = value

    @staticmethod
    def _text(value: Any) -> str:
        return "" if value is None else str(value)

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

    def on_focus(self) -> None:
        # Left, the field showed its text from the start; coming back, typing
        # goes on at the end (a click then puts the cursor where it lands).
        if not self.selection.is_empty:
            return
        self.cursor_position = len(self.value)

    def on_blur(self) -> None:
        self.flush()
        # Left with the cursor at the end, a text longer than the field shows
        # only its tail; the room reads a field it is not typing in from the start.
        if self.cursor_position:
            self.cursor_position = 0

    def on_unmount(self) -> None:
        self.flush()

    def _do_save(self) -> None:
        self._known = self.value
        self._commit(self.value)

    def show(self, value: Any) -> None:
        text = self._text(value)
        self._known = text
        if self.value != text:
            with self.prevent(Input.Changed):
                self.value = text

    def set_value_quietly(self, value: str) -> None:
        """Show *value* (from the session) without saving it back, unless the user is here."""
        if self.value != value and not self.has_focus:
            self.show(value)


class DateInput(SavingInput):
    """A date field: accepts 2026-12-31, today, +3d, +2w, +1m; shows the real date on leaving.

    Saved only when typing pauses (or on Enter, or on leaving): "2026-02-3" on
    the way to "2026-02-30" is a real date, and saving it would leave the 3rd
    in the file when the 30th is refused.
    """

    SAVE_WHILE_TYPING = False

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        read = kwargs.get("read")
        if value is None and read is not None:
            day = read()
            value = day.isoformat() if day else ""
            kwargs["read"] = lambda: (lambda d: d.isoformat() if d else "")(read())
        elif read is not None:
            kwargs["read"] = lambda: (lambda d: d.isoformat() if d else "")(read())
        super().__init__(value, **kwargs)

    def on_blur(self) -> None:
        super().on_blur()
        self._show_real_date()

    @on(Input.Submitted)
    def _submitted_date(self, event: Input.Submitted) -> None:
        if event.input is self:
            self._show_real_date()

    def _show_real_date(self) -> None:
        """After a save, "+2w" reads as the date it means (the room checks it)."""
        if self.refused:
            return
        try:
            day = parse_date(self.value)
        except ValueError:
            return
        shown = day.isoformat() if day else ""
        if shown != self.value:
            with self.prevent(Input.Changed):
                self.value = shown


class SavingTextArea(BoundField, TextArea):
    """A multi-line bound field.

    ``bubble_changes=False`` stops ``TextArea.Changed`` at the field, as for
    :class:`SavingInput`. ``TextArea.SelectionChanged`` (every key and cursor
    move) always stops here: nothing in the app listens for it.
    """

    def __init__(
        self,
        text: str | None = None,
        *,
        save: Saver,
        read: Reader | None = None,
        parse: Parser | None = None,
        bubble_changes: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("show_line_numbers", False)
        kwargs.setdefault("tab_behavior", "focus")
        if text is None:
            text = str(read() or "") if read is not None else ""
        super().__init__(text, **kwargs)
        self._bind(read, save, parse)
        self._bubble_changes = bubble_changes

    def on_mount(self) -> None:
        # (BoundField.on_mount is dispatched on its own.)
        self.call_after_refresh(self._wrap_to_width)

    def _wrap_to_width(self, tries: int = 3) -> None:
        """Wrap the text at the width the field was laid out with.

        A pane mounted into the step switcher can be laid out without the
        Resize a TextArea wraps its text on (Textual rebuilds its map of
        widgets while the mount completes, so the new area never counts as
        newly shown): the text would then run past the field's edge on one
        line. Turning soft wrap off and on again wraps it at its width.
        """
        if not self.size.width:
            if tries:  # not laid out yet (its step is hidden): a later refresh
                self.call_after_refresh(self._wrap_to_width, tries - 1)
            return
        if self.soft_wrap:
            self.soft_wrap = False
            self.soft_wrap = True

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
        self._commit(self.text)

    def show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.text != text:
            with self.prevent(TextArea.Changed):
                self.load_text(text)

    def set_text_quietly(self, text: str) -> None:
        if self.text != text and not self.has_focus:
            self.show(text)


class SavingSelect(BoundField, Select[Any]):
    """A drop-down choice that saves as soon as it changes (``None`` for the blank)."""

    INSTANT = True

    def __init__(
        self,
        options: list[tuple[Any, Any]],
        *,
        value: Any = None,
        save: Saver,
        read: Reader | None = None,
        parse: Parser | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("allow_blank", False)
        if value is None and read is not None:
            value = read()
        if value is None:
            value = Select.NULL
        super().__init__(options, value=value, **kwargs)
        self._bind(read, save, parse)
        self._ready = False

    def on_mount(self) -> None:
        # (BoundField.on_mount is dispatched on its own, as every class's handler is.)
        self.call_after_refresh(self._arm)

    def _arm(self) -> None:
        self._ready = True

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select is self and self._ready:
            self._commit(None if event.value is Select.NULL else event.value)

    def _do_save(self) -> None:
        """Nothing waits: a choice is saved as it is made."""

    def load(self, *, force: bool = False) -> None:
        if self.expanded:
            return
        super().load(force=force)

    def show(self, value: Any) -> None:
        wanted = Select.NULL if value is None else value
        if self.value != wanted:
            with self.prevent(Select.Changed):
                self.value = wanted


class SavingCheckbox(BoundField, Checkbox):
    """A tick saved as soon as it changes; a refused tick goes back to what the file holds."""

    INSTANT = True

    def __init__(self, label: str | Content, *, read: Reader, save: Saver, **kwargs: Any) -> None:
        super().__init__(label, bool(read()), **kwargs)
        self._bind(read, save, None)

    @on(Checkbox.Changed)
    def _changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox is not self:
            return
        event.stop()
        if not self._commit(event.value):
            with self.prevent(Checkbox.Changed):
                self.value = not event.value

    def _do_save(self) -> None:
        """Nothing waits: a tick is saved as it is made."""

    def show(self, value: Any) -> None:
        if self.value != bool(value):
            with self.prevent(Checkbox.Changed):
                self.value = bool(value)


class Field(Vertical):
    """A labelled field; its reason line, when there is one, is mounted under the field."""

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

    def compose(self) -> ComposeResult:
        text = self._label + (f"  ({self._hint})" if self._hint else "")
        yield Label(Content(text), classes="field-label")
        yield self._widget


def load_fields(root: Widget, *, force: bool = False) -> None:
    """Show the session's values in every bound field under *root*, in one loop."""
    for widget in root.query("*"):
        if isinstance(widget, BoundField):
            widget.load(force=force)


def flush_fields(root: Widget | Screen[Any]) -> None:
    """Save whatever typing is waiting in *root* (a dialog keeping a draft) and under it."""
    for widget in [root, *root.query("*")]:
        if isinstance(widget, SaveTimer):
            widget.flush()

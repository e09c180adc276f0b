"""Bound fields: each knows how to read its value from the session, parse it and save it.

Every field of every step is built the same way::

    SavingInput(read=lambda: goal.measure, save=lambda v: service.update(goal, measure=v))
    SavingInput(read=..., parse=parse_count, save=...)   # the parsed value is saved

The widgets are here (one line, a date, several lines, a drop-down, a tick,
and :class:`Field`, a label over any of them, from :mod:`.labelled`); how they
save, refuse and load again is :mod:`.saving`, whose names are also importable
from here so that a step needs one import for its fields. The save delays are read where the timer
is, in :mod:`.saving`: a test that shortens them changes them there.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import on
from textual.content import Content
from textual.widgets import Checkbox, Input, Select, TextArea

from ..internals import QuietInputWidth
from ..sessions.parse import parse_date
from .labelled import Field, TitledField
from .oneline import OneLineInput
from .saving import (
    MAX_WAIT,
    SAVE_DELAY,
    BoundField,
    FieldSaved,
    Parser,
    Reader,
    Saver,
    SaveTimer,
    flush_fields,
    load_fields,
    read_only_session,
)
from .tick import TickBox

__all__ = [
    "MAX_WAIT",
    "SAVE_DELAY",
    "BoundField",
    "DateInput",
    "Field",
    "FieldSaved",
    "Parser",
    "Reader",
    "SaveTimer",
    "Saver",
    "SavingCheckbox",
    "SavingInput",
    "SavingSelect",
    "SavingTextArea",
    "TitledField",
    "flush_fields",
    "load_fields",
    "read_only_session",
]


class SavingInput(BoundField, QuietInputWidth, OneLineInput):
    """A one-line bound field.

    What the focus does to its text, and how a text wider than the field reads
    away from it, is :class:`~.oneline.OneLineInput`'s rule: a stand-in (empty,
    or a zero) is selected on focus so typing replaces it, any other text is
    not; unfocused, the text shows from its start and ends in "…" when cut.

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

    @property
    def holds_refused(self) -> bool:
        return self.refused

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

    def on_blur(self) -> None:
        # (OneLineInput.on_blur, which shows the text from its start, is dispatched on its own.)
        self.flush()

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
        line. Turning soft wrap off and on again wraps it at its width; that
        lays the screen out once more, so it is done only when the text is
        wrapped wrongly for the width (:meth:`wrapped_to_width`).
        """
        if not self.size.width:
            if tries:  # not laid out yet (its step is hidden): a later refresh
                self.call_after_refresh(self._wrap_to_width, tries - 1)
            return
        if self.soft_wrap and not self.wrapped_to_width():
            self.soft_wrap = False
            self.soft_wrap = True

    def wrapped_to_width(self) -> bool:
        """Whether the text is wrapped as the field's width (``wrap_width``) wants.

        Wrong when a wrapped line is wider than the width (wrapped for a wider
        field, or not at all), or when a line was broken although the next
        word would have fitted on it (wrapped for a narrower field).
        """
        width = self.wrap_width
        if width <= 0:
            return True
        for sections in self.wrapped_document.lines:
            for here, after in zip(sections, [*sections[1:], None], strict=True):
                if cell_len(here.rstrip()) > width:
                    return False
                if after is not None and cell_len(here) + cell_len(after.split(" ", 1)[0]) < width:
                    return False
        return True

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


class SavingCheckbox(BoundField, TickBox):
    """A tick saved as soon as it changes; a refused tick goes back to what the file holds.

    Its mark is drawn only when ticked (:class:`~.tick.TickBox`).
    """

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

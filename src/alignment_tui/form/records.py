"""A record list beside one editor, for records with several fields (goals, CRM access, stages).

The list (:class:`~.record_list.RecordList`) shows one line per record, in
columns fitted to its width (:mod:`.columns`). The highlighted record is the
one in the :class:`RecordEditor` beside it: choosing another saves the
editor's pending typing and puts the other record's values into the same
bound fields, so the pane mounts the same widgets for three records or three
hundred.

Keys on the list (also listed in F1 help): ↑/↓ choose, Enter edits (focus to
the editor), Insert adds, Delete removes (asking first when the record has
content, through :func:`~.removal.confirm_removal`), Alt+↑/↓ move the record
when the records have an order. After a save, a removal or a refresh the
cursor stays on the record being edited (or its neighbour, when it went).

Both are generic over the record type: the pane gives the list how to read
the records, each record's key and cells, and what the verbs do; it gives the
editor how to look a record up and update it. :class:`RecordForm`, mixed into
the pane, keeps the two in step and draws the bar of buttons under the list,
so the pane says only what is its own.

The names of :mod:`.columns` and :mod:`.record_list` are importable from here
too, so that a step needs one import for its records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

from textual.containers import Horizontal, Vertical
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input

from .columns import GAP, Column, cell, fit_columns, header, row
from .later import later_holding
from .record_list import RecordList, RecordRows, RecordSource
from .saving import FieldSaved, flush_fields, load_fields, read_only_session

__all__ = [
    "GAP",
    "BarButton",
    "Column",
    "RecordEditor",
    "RecordForm",
    "RecordList",
    "RecordRows",
    "RecordSource",
    "cell",
    "fit_columns",
    "header",
    "row",
]

R = TypeVar("R")
E = TypeVar("E", bound="RecordEditor[Any]")

#: What a button of the bar under a record list does.
Verb = Literal["add", "remove", "up", "down"]


class RecordEditor(Vertical, Generic[R]):
    """The one editor beside a :class:`RecordList`: bound fields that read the record in it.

    Fields read and save through :meth:`get` and :meth:`setter`, which look the
    record up by key each time (the service replaces records on update).

    An editor built *when_shown* (or of a subclass that sets ``WHEN_SHOWN``)
    mounts its fields only once a record is first shown in it: a list that is
    empty when its step opens costs no hidden fields. Until then :attr:`built`
    is false and the editor has no children; whatever it derives from its
    fields (:meth:`show_derived`) must wait for them.
    """

    #: Mount the fields only when a first record is shown (see the class's docstring).
    WHEN_SHOWN: ClassVar[bool] = False

    def __init__(
        self,
        lookup: Callable[[int], R | None],
        update: Callable[..., object],
        key: int | None,
        *,
        when_shown: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lookup = lookup
        self.update = update
        self.key = key
        self.display = key is not None
        self._when_shown = self.WHEN_SHOWN if when_shown is None else when_shown
        #: The composed fields, held until a record is shown (built when_shown only).
        self._held: list[Widget] = []
        #: The mount of the held fields, until it is done.
        self._mounting: AwaitMount | None = None

    @property
    def built(self) -> bool:
        """Whether the fields are there (always, unless built when shown and not mounted yet)."""
        return not self._held and self._mounting is None

    def after_built(self, callback: Callable[[], object]) -> None:
        """Run *callback* once the fields are mounted: at once when they are."""
        mounting = self._mounting
        if mounting is None:
            callback()
            return

        async def when_mounted() -> None:
            await mounting
            callback()

        self.call_later(when_mounted)

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        if self._when_shown and self.key is None and widgets:
            self._held = widgets
            return
        await super().mount_composed_widgets(widgets)

    def record(self) -> R | None:
        return self.lookup(self.key) if self.key is not None else None

    def get(self, name: str, default: Any = "") -> Callable[[], Any]:
        """A reader of the record's *name* (``default`` when there is no record)."""

        def read() -> Any:
            record = self.record()
            return getattr(record, name) if record is not None else default

        return read

    def setter(self, name: str) -> Callable[[Any], None]:
        """A saver of the record's *name* (nothing to save into when it was removed)."""

        def save(value: Any) -> None:
            record = self.record()
            if record is not None:
                self.update(record, **{name: value})

        return save

    def show(self, key: int | None) -> None:
        """Save what is waiting, then show record *key* in every field (its refusals dropped)."""
        if key == self.key and self.record() is not None:
            return
        flush_fields(self)
        self.key = key
        if self.display != (key is not None):
            self.display = key is not None
        if key is not None:
            if self._held:
                held, self._held = self._held, []
                self._mounting = self.mount_all(held)
                # A field's own widgets are there once it is mounted: load them then.
                self.after_built(self._built)
                return
            load_fields(self, force=True)

    def _built(self) -> None:
        self._mounting = None
        if self.key is not None:
            load_fields(self, force=True)
        self.show_derived()

    def show_derived(self) -> None:
        """Show what the editor derives from its record beyond its fields (a heading): none here.

        :class:`RecordForm` calls it whenever the record shown, or a value of
        it, changes.
        """

    def focus_first(self, *, select_all: bool = False) -> None:
        """Focus the editor's first field (Enter on the list); *select_all* its text (a new record)."""
        if not self.built:
            self.after_built(lambda: self.focus_first(select_all=select_all))
            return
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                if select_all and isinstance(widget, Input):
                    widget.select_all()
                self.call_after_refresh(self.scroll_visible, top=True, animate=False)
                return


@dataclass(frozen=True)
class BarButton:
    """A button of the bar under a record list: the list's verb it does, and how it reads."""

    verb: Verb
    label: str
    id: str
    tooltip: str


class RecordForm(Generic[E]):
    """Mixin of a widget (a step pane) that shows ``records`` beside one ``editor``.

    It keeps the two in step, so the pane says only what is its own (the
    records, the editor's fields, what it derives from them):

    * the record highlighted in the list is the one in the editor; when the
      last one goes, the focus goes from the emptied list (hidden, and the
      focus with it) to the bar's add button;
    * Enter or a click on a record puts the focus in the editor's first field,
      its stand-in text selected when the record was just added;
    * a value saved in the editor shows in the list's line at once;
    * the bar's buttons (:meth:`record_bar`) do the list's verbs; they are off
      in a read-only copy and, all but "add", when there is no record.

    After each of these the editor's and the pane's :meth:`show_derived` run.

    Textual calls a message's named handler (``on_record_list_highlighted``)
    in every class of a widget's MRO, so a pane that mixes this in declares no
    handler for it; ``@on`` handlers are collected only in Textual's own
    classes (its metaclass does it), hence the named ones. Each handler first checks the message is about this
    list, this editor or this bar, and leaves any other alone.
    """

    records: RecordList[Any]
    editor: E
    _record_buttons: tuple[tuple[Button, Verb], ...] = ()

    @property
    def _host(self) -> Widget:
        """The widget this is mixed into (messages reach it, so it is one)."""
        return cast("Widget", self)

    def record_bar(self, *buttons: BarButton) -> Horizontal:
        """The bar of buttons under the list, each doing one of the list's verbs."""
        made = [
            (
                Button(
                    b.label,
                    id=b.id,
                    compact=True,
                    classes="-remove" if b.verb == "remove" else None,
                    disabled=self._verb_off(b.verb),
                    tooltip=b.tooltip,
                ),
                b.verb,
            )
            for b in buttons
        ]
        self._record_buttons = tuple(made)
        return Horizontal(*(button for button, _verb in made), classes="list-bar")

    def sync_records(self) -> None:
        """The session changed: the list shows it, and the bar and what is derived follow."""
        self.records.sync()
        self._records_changed()

    def show_derived(self) -> None:
        """Show what the pane derives from the records (a warning): none here."""

    def _verb_off(self, verb: Verb) -> bool:
        return read_only_session(self._host) or (verb != "add" and self.records.key is None)

    def _records_changed(self) -> None:
        for button, verb in self._record_buttons:
            off = self._verb_off(verb)
            if button.disabled != off:
                button.disabled = off
        self.editor.show_derived()
        self.show_derived()

    def on_record_list_highlighted(self, event: RecordList.Highlighted) -> None:
        if event.records is not self.records:
            return
        event.stop()
        self.editor.show(event.key)
        self._records_changed()
        if event.key is None:
            self._host.call_after_refresh(self._focus_from_empty_list)

    def _focus_from_empty_list(self) -> None:
        focused = self._host.screen.focused
        if focused is None or focused is self.records.rows:
            for button, verb in self._record_buttons:
                if verb == "add":
                    button.focus()

    async def on_record_list_chosen(self, event: RecordList.Chosen) -> None:
        if event.records is not self.records:
            return
        event.stop()
        part = later_holding(self._host, self.editor)
        if part is not None:
            # The editor is built when it comes into view: the room asked for it now.
            await part.build()
        self.editor.focus_first(select_all=event.added)

    def on_field_saved(self, event: FieldSaved) -> None:
        if self.editor in event.field.ancestors:
            self.records.sync()
            self._records_changed()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        verb = next((v for b, v in self._record_buttons if b is event.button), None)
        if verb is None:
            return
        event.stop()
        if verb == "add":
            self.records.add()
        elif verb == "remove":
            self.records.ask_remove()
        else:
            self.records.move(-1 if verb == "up" else 1)
            self._records_changed()

"""The record list: one fitted line a record, with a cursor on the one being edited.

:class:`RecordList` is the list half of the record list beside one editor
(:mod:`.records`, which wires the two together). It shows one line per
record in columns fitted to its width (:mod:`.columns`) and holds the list's
keys (:class:`RecordRows`): ↑/↓ choose, Enter edits, Insert adds, Delete
removes (asking first when the record has content, through
:func:`~.removal.confirm_removal`), Alt+↑/↓ move the record when the records
have an order. After a save, a removal or a refresh the cursor stays on the
record being edited (or its neighbour, when it went).

It is generic over the record type: a :class:`RecordSource` says how to read
the records, each record's key and cells, and what the verbs do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .columns import Column, fit_columns, header, row
from .refusal import REFUSALS, say_refused
from .removal import confirm_removal
from .saving import read_only_session

R = TypeVar("R")
#: A record's cells, in column order, as its line was drawn from them.
Cells = tuple[tuple[str, "str | Content"], ...]


@dataclass
class RecordSource(Generic[R]):
    """What a :class:`RecordList` lists and what its verbs do."""

    records: Callable[[], Sequence[R]]
    key: Callable[[R], int]
    #: The cells of a record (column key → text), given its number in the list (from 1).
    cells: Callable[[R, int], dict[str, str | Content]]
    #: Adds a record and gives it (None: nothing added); None: the list cannot add.
    add: Callable[[], R | None] | None = None
    remove: Callable[[R], object] | None = None
    #: Moves a record *delta* places; None: the records have no order of their own.
    move: Callable[[R, int], object] | None = None
    #: How a removal is asked: (what, detail, has content) for a record.
    describe: Callable[[R], tuple[str, str, bool]] = field(
        default=lambda _r: ("this record", "It will be removed from the session.", True)
    )


class RecordRows(OptionList):
    """The rows of a :class:`RecordList` (the focusable part, holding its keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("insert", "add", "Add", key_display="Ins", id="records.add", tooltip="Add one"),
        Binding(
            "delete",
            "remove",
            "Remove",
            key_display="Del",
            id="records.remove",
            tooltip="Remove the highlighted one (asks first when it has content)",
        ),
        Binding(
            "alt+up",
            "move(-1)",
            "Move up",
            id="records.move_up",
            show=False,
            tooltip="Move the highlighted one a place up",
        ),
        Binding(
            "alt+down",
            "move(1)",
            "Move down",
            id="records.move_down",
            show=False,
            tooltip="Move the highlighted one a place down",
        ),
    ]

    def owner(self) -> RecordList[Any]:
        return self.query_ancestor(RecordList)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A verb the records do not have is not offered at all; one a read-only
        # copy cannot do is shown greyed, so the room sees why nothing happens.
        source = self.owner().source
        verb = {"add": source.add, "remove": source.remove, "move": source.move}
        if action not in verb:
            return True
        if verb[action] is None:
            return False
        if read_only_session(self):
            return None
        if action == "remove" and self.owner().key is None:
            return None
        return True

    def action_add(self) -> None:
        self.owner().add()

    def action_remove(self) -> None:
        self.owner().ask_remove()

    def action_move(self, delta: int) -> None:
        self.owner().move(delta)

    def on_resize(self) -> None:
        self.owner().refit()


class RecordList(Vertical, Generic[R]):
    """Records as fitted one-line rows with a cursor; the highlighted one is being edited."""

    DEFAULT_CSS = """
    RecordList { height: auto; }
    RecordList > .record-list--header { color: $text-muted; height: 1; }
    RecordList > RecordRows { height: auto; max-height: 12; }
    RecordList > .record-list--empty { color: $text-muted; }
    """

    class Highlighted(Message):
        """Another record is under the cursor (None: the list is empty): the editor follows."""

        def __init__(self, records: RecordList[Any], key: int | None) -> None:
            super().__init__()
            self.records = records
            self.key = key

        @property
        def control(self) -> RecordList[Any]:
            return self.records

    class Chosen(Message):
        """Enter or a click on a record: edit it (the pane focuses its editor).

        *added*: the record was just added, so its first field's stand-in text is
        selected for the room's typing to replace.
        """

        def __init__(self, records: RecordList[Any], key: int, *, added: bool = False) -> None:
            super().__init__()
            self.records = records
            self.key = key
            self.added = added

        @property
        def control(self) -> RecordList[Any]:
            return self.records

    def __init__(
        self,
        source: RecordSource[R],
        columns: Sequence[Column],
        *,
        empty: str = "None yet.",
        key: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.columns = list(columns)
        self.empty = empty
        self._fitted: list[tuple[Column, int]] = []
        self._keys: list[int] = []
        #: Each record's line as last drawn, with the cells it was drawn from (by key).
        self._lines: dict[int, tuple[Cells, Content]] = {}
        keys = [source.key(r) for r in source.records()]
        self.key: int | None = key if key in keys else (keys[0] if keys else None)

    def compose(self) -> ComposeResult:
        titled = any(c.title for c in self.columns)
        head = Static("", classes="record-list--header")
        head.display = titled and self.key is not None
        yield head
        rows = RecordRows(id=f"{self.id}-rows" if self.id else None, compact=True)
        rows.display = self.key is not None
        # One line per record from the start, drawn once the width is known
        # (``refit``, in the first layout): a list that grew from nothing to its
        # records then would lay the whole screen out again.
        self._keys = [self.source.key(r) for r in self.source.records()]
        rows.add_options(Option(Content(" "), id=str(k)) for k in self._keys)
        if self.key is not None:
            rows.highlighted = self._keys.index(self.key)
        yield rows
        if self.key is None:
            # (mounted when the list is first empty: most lists open with records)
            yield Static(Content(self.empty), classes="record-list--empty")

    @property
    def rows(self) -> RecordRows:
        return self.query_one(RecordRows)

    def record(self) -> R | None:
        """The record under the cursor, as it is now in the session."""
        return next((r for r in self.source.records() if self.source.key(r) == self.key), None)

    # -- showing -------------------------------------------------------------------------

    def refit(self) -> None:
        width = self.rows.scrollable_content_region.width or self.size.width
        if width <= 0:
            return
        fitted = fit_columns(self.columns, width)
        if fitted != self._fitted:
            self._fitted = fitted
            self.query_one(".record-list--header", Static).update(header(fitted))
            self._lines = {}  # redraw every row at the new widths (in place)
            self.sync()

    def sync(self) -> None:
        """Show the records as they are now; keep the cursor on the record being edited."""
        records = list(self.source.records())
        keys = [self.source.key(r) for r in records]
        rows = self.rows
        previous = self.key
        if self.key not in keys:
            # the record went: its neighbour takes its place
            index = self._keys.index(self.key) if self.key in self._keys else 0
            self.key = keys[min(index, len(keys) - 1)] if keys else None
        some = bool(keys)
        empty = self.query(".record-list--empty")
        if not some and not empty:
            self.mount(Static(Content(self.empty), classes="record-list--empty"))
        for widget, show in (
            (self.query_one(".record-list--header"), some and any(c.title for c in self.columns)),
            (rows, some),
            *((line, not some) for line in empty),
        ):
            if widget.display != show:
                widget.display = show
        if self._fitted:
            before = self._lines
            self._lines = {}
            prompts = [
                self._line(k, r, n, before)
                for n, (k, r) in enumerate(zip(keys, records, strict=True), start=1)
            ]
            with rows.prevent(OptionList.OptionHighlighted):
                if keys != self._keys:
                    rows.set_options(
                        Option(p, id=str(k)) for k, p in zip(keys, prompts, strict=True)
                    )
                    self._keys = keys
                else:
                    for i, p in enumerate(prompts):
                        shown = rows.get_option_at_index(i).prompt
                        if shown is not p and shown != p:  # (the same line: the same object)
                            rows.replace_option_prompt_at_index(i, p)
                self._point()
        if self.key != previous:
            self.post_message(self.Highlighted(self, self.key))

    def _line(
        self, key: int, record: R, number: int, before: dict[int, tuple[Cells, Content]]
    ) -> Content:
        """Record *key*'s line: the one drawn before when its cells are the same.

        A save while typing syncs the list (twice: the editor's save, then the
        pane's refresh), and fitting every cell of every record to its column
        was most of that work on a long list; only the record typed into
        changes, so only its line is fitted again. The cells are read each
        time (a line can show more than its own record: a neighbour, a count).
        """
        cells = tuple(self.source.cells(record, number).items())
        drawn = before.get(key)
        line = (
            drawn[1] if drawn is not None and drawn[0] == cells else row(self._fitted, dict(cells))
        )
        self._lines[key] = (cells, line)
        return line

    def _point(self) -> None:
        rows = self.rows
        index = self._keys.index(self.key) if self.key in self._keys else None
        if rows.highlighted != index:
            with rows.prevent(OptionList.OptionHighlighted):
                rows.highlighted = index

    def point_at(self, key: int | None) -> None:
        """Put the cursor on *key* (quietly: the caller already shows it in the editor)."""
        self.key = key
        self._point()

    def on_mount(self) -> None:
        self.call_after_refresh(self.refit)
        # Textual sends a Resize only when a widget's size differs from the
        # screen's last map of widgets, and that map is also rebuilt between
        # layouts (to scroll to a field being focused): the rows could then be
        # laid out at a new width and never told. Every layout sets the list's
        # virtual size, so refit when it changes too.
        self.watch(self, "virtual_size", lambda: self.refit(), init=False)

    def on_show(self) -> None:
        self.call_after_refresh(self.refit)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        key = int(event.option.id) if event.option.id is not None else None
        if key != self.key:
            self.key = key
            self.post_message(self.Highlighted(self, key))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            key = int(event.option.id)
            if key != self.key:
                self.key = key
                self.post_message(self.Highlighted(self, key))
            self.post_message(self.Chosen(self, key))

    # -- verbs ---------------------------------------------------------------------------

    def add(self) -> R | None:
        """Add a record and put the cursor (and so the editor) on it."""
        if self.source.add is None:
            return None
        try:
            record = self.source.add()
        except REFUSALS as exc:
            say_refused(self, str(exc))
            return None
        if record is not None:
            self.key = self.source.key(record)
            self._keys = []
            self.sync()
            self.post_message(self.Highlighted(self, self.key))
            self.post_message(self.Chosen(self, self.key, added=True))
        return record

    def ask_remove(self) -> None:
        record = self.record()
        remove = self.source.remove
        if record is None or remove is None:
            return
        what, detail, has_content = self.source.describe(record)

        def removed() -> None:
            self.sync()
            self.rows.focus()

        confirm_removal(
            self,
            what=what,
            detail=detail,
            has_content=has_content,
            remove=lambda: remove(record),
            then=removed,
        )

    def move(self, delta: int) -> None:
        record = self.record()
        if record is None or self.source.move is None:
            return
        try:
            self.source.move(record, delta)
        except REFUSALS as exc:
            say_refused(self, str(exc))
            return
        self.sync()

"""A short list of rows with a cursor, drawn by one widget.

The funnel's stages and its hand-over points are lists of ten rows or so
that the room picks from: the row under the cursor is the one an editor
beside the list shows and the list's keys act on. A :class:`PickList` draws
every row itself (one widget, where a row of containers and inputs costs
three or more), moves its cursor with ↑ / ↓ / Home / End and a click, and
calls :meth:`PickList.highlighted` when the cursor lands on another row: at
once, not by a message, so the editor beside the list never lags behind a key
or a click that acts on the row.

A row is a key and two :class:`Content` parts built from data (never markup
built from user text): the left part is cut to the width with "…" rather
than wrapped, so one row is one line; the right parts line up in a column at
the right edge (the stage's owner, whether a hand-over is agreed).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.widget import Widget

#: A row: its key, what it says, and what the right-hand column says.
Row = tuple[Hashable, Content, Content]


class PickList(Widget, can_focus=True):
    """Rows of (key, left, right) with a cursor; *empty* is shown when there is no row."""

    DEFAULT_CSS = """
    PickList {
        width: 1fr;
        height: auto;
        pointer: pointer;
    }
    PickList > .pick-list--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    PickList:focus > .pick-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    PickList > .pick-list--empty {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"pick-list--cursor", "pick-list--empty"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "go(-1)", "Up", id="pick_list.up", show=False),
        Binding("down", "go(1)", "Down", id="pick_list.down", show=False),
        Binding("home", "edge(0)", "First", id="pick_list.first", show=False),
        Binding("end", "edge(1)", "Last", id="pick_list.last", show=False),
    ]

    def __init__(
        self,
        rows: Sequence[Row] = (),
        *,
        key: Hashable | None = None,
        empty: str = "",
        tooltip: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tooltip = tooltip
        self._rows = list(rows)
        self._empty = empty
        self._index = 0
        keys = self.keys
        if key in keys:
            self._index = keys.index(key)

    # -- what it holds -----------------------------------------------------------------

    @property
    def keys(self) -> list[Hashable]:
        return [row[0] for row in self._rows]

    @property
    def key(self) -> Hashable | None:
        """The key of the row under the cursor (None: no rows)."""
        return self._rows[self._index][0] if self._rows else None

    @property
    def index(self) -> int:
        return self._index

    @property
    def lines(self) -> list[str]:
        """The rows as drawn, in plain text (for tests and copying)."""
        return [line.plain.rstrip() for line in self._lines(self.content_size.width or 80)]

    def set_rows(self, rows: Sequence[Row], *, key: Hashable | None) -> None:
        """Show *rows*, with the cursor on *key* (or at the same place when *key* is gone)."""
        rows = list(rows)
        keys = [row[0] for row in rows]
        index = keys.index(key) if key in keys else min(self._index, max(len(rows) - 1, 0))

        def plain(rows: list[Row]) -> list[object]:
            return [(k, a.plain, a.spans, b.plain, b.spans) for k, a, b in rows]

        if plain(self._rows) == plain(rows) and index == self._index:
            return
        layout = len(rows) != len(self._rows) or not (rows and self._rows)
        self._rows = rows
        self._index = index
        self.refresh(layout=layout)

    # -- moving --------------------------------------------------------------------------

    def go_to(self, index: int) -> None:
        """Put the cursor on row *index* (clamped); say so when it is another row."""
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        if index != self._index:
            self._index = index
            self.refresh()
            self.highlighted(self._rows[index][0])
        self._scroll_to_cursor()

    def highlighted(self, key: Hashable) -> None:
        """The cursor moved to the row with *key*, by a key or a click."""

    def action_go(self, step: int) -> None:
        self.go_to(self._index + step)

    def action_edge(self, end: int) -> None:
        self.go_to(len(self._rows) - 1 if end else 0)

    def _scroll_to_cursor(self) -> None:
        parent = self.parent
        if self.is_mounted and isinstance(parent, Widget) and parent.is_scrollable:
            top = self.virtual_region.y + self.styles.gutter.top
            parent.scroll_to_region(Region(0, top + self._index, 1, 1), animate=False, x_axis=False)

    def clicked(self, index: int, on_right: bool) -> None:
        """A click landed on row *index*, *on_right* in the right-hand column (the cursor is there)."""

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        self.focus()
        if 0 <= offset.y < len(self._rows):
            self.go_to(offset.y)
            right_w = self.right_width()
            on_right = bool(right_w) and offset.x >= self.content_size.width - right_w - 1
            self.clicked(offset.y, on_right)

    # -- drawing -------------------------------------------------------------------------

    def right_width(self) -> int:
        """The width of the right-hand column (0: no row has a right part)."""
        return max((right.cell_length for _k, _l, right in self._rows), default=0)

    def _lines(self, width: int) -> list[Content]:
        width = max(width, 1)
        if not self._rows:
            return [Content(self._empty)]
        right_w = self.right_width()
        left_w = max(width - right_w - 2, 1) if right_w else width
        lines = []
        for i, (_key, left, right) in enumerate(self._rows):
            line = left.truncate(left_w, ellipsis=True, pad=True)
            if right_w:
                line = line + "  " + right.truncate(right_w, pad=True)
            line = line.truncate(width, pad=True)
            if i == self._index:  # on top: the owner colours would fight the cursor's
                line = line.stylize(self.get_visual_style("pick-list--cursor"))
            lines.append(line)
        return lines

    def render(self) -> Content:
        if not self._rows:
            return Content(self._empty).stylize(self.get_visual_style("pick-list--empty"))
        return Content("\n").join(self._lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._rows:
            return Content(self._empty).get_height(self.styles, max(width, 1))  # type: ignore[arg-type]
        return len(self._rows)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


__all__ = ["PickList"]

"""Tables to read, not edit (conversion, all periods, what it takes), fitted to the pane's width.

A :class:`FigureTable` draws its rows as lines of fitted columns
(:func:`~alignment_tui.form.records.fit_columns`): a number column is as wide
as its widest number, so a number is never cut; the name column takes what is
left. When the room is too narrow, the columns marked droppable are left out
(the least needed first) and a last line names them; a line that is still too
wide ends in "…". Nothing is ever cut without a sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from ...form.records import Column, fit_columns, header, row

#: The narrowest the name column gets before droppable columns are left out.
NAME_MIN = 12
#: A row of a table: column key → what the cell shows.
Cells = dict[str, str | Content]


def sized(
    key: str,
    title: str,
    rows: Sequence[Cells],
    *,
    align: Literal["left", "right"] = "right",
    drop: int = 0,
) -> Column:
    """A column as wide as its title and its widest cell (a number is never cut)."""
    width = max([cell_len(title), *(_length(r.get(key, "")) for r in rows)])
    return Column(key, title, width, drop=drop, align=align)


def num_text(value: float | None) -> str:
    """A number as the room typed it: no decimals when whole, thousands separated."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _length(value: str | Content) -> int:
    return value.cell_length if isinstance(value, Content) else cell_len(value)


class FigureTable(Widget):
    """Rows of figures in columns fitted to the width; give it data with :meth:`show`."""

    DEFAULT_CSS = """
    FigureTable { height: auto; width: 1fr; }
    """

    def __init__(self, *, focusable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: The conversion table takes the focus, so that Ctrl+↓ can land on its section.
        self.can_focus = focusable
        self._columns: list[Column] = []
        self._rows: list[Cells] = []
        self._longest_name = 0
        #: The lines last drawn, and the width they were drawn at: a layout asks for the
        #: height more than once at one width, and the paint that follows needs the same lines.
        self._drawn: tuple[int, list[Content]] | None = None

    def show(self, columns: Sequence[Column], rows: Sequence[Cells]) -> None:
        """Show *rows* in *columns*; the first is the names' (its width is worked out here)."""
        columns, rows = list(columns), list(rows)
        if columns == self._columns and rows == self._rows:
            return
        self._columns, self._rows = columns, rows
        self._drawn = None
        self.refresh(layout=True)

    @property
    def titles(self) -> dict[str, str]:
        """Every column's title (shown or not), by key."""
        return {c.key: c.title for c in self._columns}

    @property
    def cells(self) -> list[list[str]]:
        """Every row's cells as plain text, whole, in column order (shown or not)."""
        return [[str(r.get(c.key, "")) for c in self._columns] for r in self._rows]

    def shown(self, width: int | None = None) -> list[str]:
        """The keys of the columns shown at *width* (the table's own by default)."""
        fitted, _dropped = self._fit(self.content_size.width if width is None else width)
        return [c.key for c, _w in fitted]

    def _fit(self, width: int) -> tuple[list[tuple[Column, int]], list[Column]]:
        if not self._columns:
            return [], []
        first, *rest = self._columns
        fixed = sum(c.width or 0 for c in rest) + len(rest)
        longest = max([cell_len(first.title), *(_length(r.get(first.key, "")) for r in self._rows)])
        # the names take their own width when everything fits, else share what is left
        # (a name is the one thing to read: other columns go before it gets shorter than 12)
        own = longest if longest + fixed <= width else None
        name = Column(first.key, first.title, own, min_width=min(longest, NAME_MIN))
        fitted = fit_columns([name, *rest], max(width, 1))
        kept = {c.key for c, _w in fitted}
        return fitted, [c for c in rest if c.key not in kept]

    def _lines(self, width: int) -> list[Content]:
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self._draw(width))
        return self._drawn[1]

    def _draw(self, width: int) -> list[Content]:
        fitted, dropped = self._fit(width)
        if not fitted:
            return []
        lines = [header(fitted), *(row(fitted, r) for r in self._rows)]
        if dropped:
            titles = ", ".join(c.title for c in dropped)
            lines.append(Content(f"Not shown at this width: {titles}").stylize("$text-muted"))
        return [
            line.truncate(width, ellipsis=True) if line.cell_length > width else line
            for line in lines
        ]

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    @property
    def plain(self) -> str:
        """The table as drawn at its width, as plain text."""
        return self.render().plain

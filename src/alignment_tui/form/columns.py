"""Fitted one-line tables: columns that share a width, and cells that never cut silently.

A line of a record list (:mod:`.record_list`) and a row of a table that is
only read are drawn the same way: the columns are fitted to the
room there is (a column that does not fit is left out, the least needed
first), and a cell that is still too wide ends in "…", so a number is never
cut without a sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual.content import Content

#: The blank columns between two cells.
GAP = 1


@dataclass(frozen=True)
class Column:
    """A column of a fitted table: *width* fixed, or None to share what the others leave."""

    key: str
    title: str
    width: int | None = None
    #: The narrowest a shared column gets before droppable columns are left out.
    min_width: int = 8
    #: 0: always shown; otherwise left out when the room is short, highest first.
    drop: int = 0
    align: Literal["left", "right"] = "left"


def fit_columns(columns: Sequence[Column], room: int) -> list[tuple[Column, int]]:
    """The columns shown in *room* cells and each one's width.

    Droppable columns are left out (highest ``drop`` first) until the shared
    columns get their minimum; whatever is still too wide is cut by the cells.
    """
    shown = list(columns)

    def spare(cols: list[Column]) -> int:
        fixed = sum(c.width or 0 for c in cols) + GAP * max(len(cols) - 1, 0)
        return room - fixed - sum(c.min_width for c in cols if c.width is None)

    while spare(shown) < 0 and any(c.drop for c in shown):
        worst = max((c for c in shown if c.drop), key=lambda c: c.drop)
        shown.remove(worst)
    shared = [c for c in shown if c.width is None]
    left = room - sum(c.width or 0 for c in shown) - GAP * max(len(shown) - 1, 0)
    widths: dict[str, int] = {}
    for i, c in enumerate(shared):
        share = max(left // (len(shared) - i), 1) if left > 0 else 1
        widths[c.key] = max(share, 1)
        left -= share
    return [(c, c.width if c.width is not None else widths[c.key]) for c in shown]


def cell(value: str | Content, width: int, align: Literal["left", "right"] = "left") -> Content:
    """*value* in exactly *width* cells: cut with "…" when longer, padded when shorter."""
    content = value if isinstance(value, Content) else Content(value)
    if content.cell_length > width:
        return content.truncate(width, ellipsis=True)
    pad = " " * (width - content.cell_length)
    return Content(pad) + content if align == "right" else content + pad


def row(columns: Sequence[tuple[Column, int]], cells: dict[str, str | Content]) -> Content:
    """One line of a fitted table."""
    parts = [cell(cells.get(c.key, ""), width, c.align) for c, width in columns]
    return Content(" " * GAP).join(parts)


def header(columns: Sequence[tuple[Column, int]]) -> Content:
    """The line of column titles, in bold."""
    return row(columns, {c.key: c.title for c, _w in columns}).stylize("bold")

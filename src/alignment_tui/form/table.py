"""A table of records whose columns are fitted to its width by the pane that holds it.

The goals and CRM steps show their records as a compact list of one line each
beside ONE editor for the highlighted record; both fill their list through
:meth:`FittedTable.show_rows` and keep its cursor on the record in the editor
with :meth:`FittedTable.point_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable

#: A column: its key, its heading and its fixed width (0 or None: shares the rest).
Column = tuple[str, str, int | None]


class ColumnFitter(Protocol):
    """The pane side: the widths last fitted (empty before the first fit), and the fit."""

    _widths: tuple[int, ...]

    def fit_columns(self) -> None: ...


class FittedTable(DataTable[Any]):
    """A DataTable that asks :meth:`fitter` to fit its columns whenever its width changes.

    The first width is fitted at once, so the rows are laid out with the rest of
    the pane rather than in a layout of their own; later widths (a terminal being
    resized settles in a few steps) once, after the sizes settle.
    """

    def fitter(self) -> ColumnFitter:  # pragma: no cover - overridden
        raise NotImplementedError

    #: The record ids shown, in order (None: to be rebuilt), and each one's cells.
    _ids: list[int] | None = None
    _rows: dict[int, tuple[str, ...]] = {}

    def forget_rows(self) -> None:
        """Rebuild the whole table next time (the column widths changed)."""
        self._ids = None

    def show_rows(
        self,
        columns: Sequence[Column],
        widths: Sequence[int],
        rows: dict[int, tuple[str, ...]],
        cells: Callable[[tuple[str, ...]], list[Text]],
        *,
        cursor_on: int | None,
    ) -> None:
        """Show *rows* (record id → cell texts, in order) drawn by *cells*.

        The same records in the same order only have their changed cells
        updated; otherwise the table is rebuilt. The cursor ends on *cursor_on*
        without a RowHighlighted message (which would put another record in the
        editor).
        """
        ids = list(rows)
        with self.prevent(DataTable.RowHighlighted):
            if ids != self._ids:
                self.clear(columns=True)
                for (key, label, _w), width in zip(columns, widths, strict=True):
                    self.add_column(label, width=width, key=key)
                for rid in ids:
                    self.add_row(*cells(rows[rid]), key=str(rid))
                self._ids = ids
            else:
                for rid in ids:
                    if self._rows.get(rid) == rows[rid]:
                        continue
                    for (key, _l, _w), cell in zip(columns, cells(rows[rid]), strict=True):
                        self.update_cell(str(rid), key, cell)
            self._rows = rows
        self.point_at(cursor_on)

    def point_at(self, rid: int | None) -> None:
        """Move the cursor to record *rid* (quietly), if it is listed."""
        if self._ids is None or rid not in self._ids:
            return
        row = self._ids.index(rid)
        if self.cursor_row != row:
            with self.prevent(DataTable.RowHighlighted):
                self.move_cursor(row=row, animate=False)

    _fit_pending = False

    def on_resize(self) -> None:
        if not self.fitter()._widths and self.size.width:
            self.fitter().fit_columns()
            return
        self._refit()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual sends a Resize only to widgets whose size differs from the
        # screen's last full map of widgets, and that map is also rebuilt
        # between layouts (to scroll to a widget being focused): hiding the
        # guidance panel (F3) then focusing the table widened it without a
        # Resize. Every layout gives the new size here, so look here too.
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if changed and size.width and self.is_attached:
            self._refit()
        return changed

    def _refit(self) -> None:
        if not self._fit_pending:
            self._fit_pending = True
            self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        self._fit_pending = False
        self.fitter().fit_columns()

"""A table whose columns are fitted to its width by the pane that holds it."""

from __future__ import annotations

from typing import Any, Protocol

from textual.geometry import Size
from textual.widgets import DataTable


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

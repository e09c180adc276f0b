"""Fields side by side on one line of a form."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget


class FieldRow(Horizontal):
    """A row of fields; its last child is marked ``-last`` (no space after it).

    The mark is set as the row is composed, before anything is styled. A
    ``:last-of-type`` rule would do the same in CSS, but Textual restyles every
    widget such a rule could match once more after it mounts.
    """

    _row_end: Widget | None = None

    def compose_add_child(self, widget: Widget) -> None:
        if self._row_end is not None:
            self._row_end.remove_class("-last")
        widget.add_class("-last")
        self._row_end = widget
        super().compose_add_child(widget)

"""The funnel's counts as one widget: a small spreadsheet driven by keys and mouse.

One row per stage; one column per editable period (the one before the chosen
period, and the chosen one) and the chosen period's targets. One widget draws
every cell (not an input, a label and a row each). What the cells hold and how
an entry is saved is :class:`~.sheet.CountsSheet`'s; this module draws it and
turns keys and clicks into calls on it.

Arrows, Home / End and a click move the cursor cell; Tab / Shift+Tab leave the
grid (to the field after / before it), as they leave any other field. Typing
edits the cell (the text and a caret show in it); Enter saves it and goes down
to the next stage, like a spreadsheet, so counts typed with Enter between them
fill the column (a refused entry keeps the cursor, its reason in view); leaving
the cell saves too, Escape drops what was typed, Delete empties the cell; typing is also
saved as it goes (:class:`~alignment_tui.form.fields.SaveTimer`). A refused
entry stays in its cell as typed, marked "!", and the reasons go on the form's
one reason line under the grid (:func:`~alignment_tui.form.refusal.show_reason`),
in view. The last line says which cell the cursor is on, in words. Read-only:
the cursor moves, nothing can be typed. Its colours are in funnel.tcss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from ...form.fields import FieldSaved, SaveTimer, read_only_session
from ...form.refusal import show_reason
from ...form.section import content_y
from ...sessions.models import FunnelPeriod
from ...sessions.service import SessionService
from .sheet import ColumnName, CountsSheet

#: Keys that change a cell: greyed out in a read-only session.
EDITING_ACTIONS = frozenset({"save", "undo", "empty", "backspace"})


class CountsGrid(SaveTimer, ScrollView, can_focus=True, inherit_bindings=False):
    """Editable counts for the chosen period and the one before it, and its targets.

    *columns* gives (previous period, chosen period) each time the grid reads the session.
    """

    #: Keys typed here edit a count (the step's entry field, see steps/base.py).
    TAKES_TEXT: ClassVar[bool] = True

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"counts-grid--{name}"
        for name in ("header", "label-cursor", "target", "empty", "refused", "cursor", "editing")
    } | {"counts-grid--hint"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save ↓", id="funnel.grid_save",
                tooltip="Save the number typed in this cell and go down to the next stage"),
        Binding("escape", "undo", "Undo", id="funnel.grid_undo",
                tooltip="Drop what was typed in this cell and show the saved number again"),
        Binding("delete", "empty", "Empty", id="funnel.grid_empty",
                tooltip="Empty this cell (no count) and save it"),
        Binding("backspace", "backspace", "Erase", id="funnel.grid_backspace", show=False,
                tooltip="Erase the last digit typed (on an empty entry: empty the cell)"),
        Binding("up", "move(-1,0)", "Cell up", id="funnel.grid_up", show=False,
                tooltip="Save this cell and go to the stage above"),
        Binding("down", "move(1,0)", "Cell down", id="funnel.grid_down", show=False,
                tooltip="Save this cell and go to the stage below"),
        Binding("left", "move(0,-1)", "Cell left", id="funnel.grid_left", show=False,
                tooltip="Save this cell and go to the column on the left"),
        Binding("right", "move(0,1)", "Cell right", id="funnel.grid_right", show=False,
                tooltip="Save this cell and go to the column on the right"),
        Binding("tab", "leave(1)", "Leave the grid", id="funnel.grid_next", show=False,
                tooltip="Save this cell and go to the field after the grid (arrows move cell by cell)"),
        Binding("shift+tab", "leave(-1)", "Leave the grid, back", id="funnel.grid_previous",
                show=False,
                tooltip="Save this cell and go to the field before the grid (arrows move cell by cell)"),
        Binding("home", "edge(0)", "Row start", id="funnel.grid_home", show=False,
                tooltip="First cell of this stage's row"),
        Binding("end", "edge(1)", "Row end", id="funnel.grid_end", show=False,
                tooltip="Last cell (the target) of this stage's row"),
        Binding("ctrl+home", "corner(0)", "First cell", id="funnel.grid_first", show=False,
                tooltip="First cell of the grid"),
        Binding("ctrl+end", "corner(1)", "Last cell", id="funnel.grid_last", show=False,
                tooltip="Last cell of the grid"),
    ]  # fmt: skip

    def __init__(
        self,
        service: SessionService,
        columns: Callable[[], tuple[FunnelPeriod | None, FunnelPeriod | None]],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sheet = CountsSheet(service, columns)
        #: The width the columns were last fitted to (0: not laid out yet).
        self._room = 0
        self._lines: list[Strip] | None = None
        #: The reason line's text as last shown (it is redrawn only when it changes).
        self._reason: str | None = None
        self.set_reactive(Widget.virtual_size, Size(*self.sheet.measure(0)))

    # -- sizes -----------------------------------------------------------------------

    def _measure(self) -> None:
        size = Size(*self.sheet.measure(self._room))
        if size != self.virtual_size:
            self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        # The name column gives way to the numbers when the pane is narrow.
        room = event.size.width - self.styles.gutter.width
        if room != self._room:
            self._room = room
            self._measure()
            self._invalidate()

    # -- drawing ---------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._lines = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None

    def on_focus(self) -> None:
        self._invalidate()  # the cursor's colours and the last line change

    def _style(self, *names: str) -> Style:
        return self.get_visual_style(*(f"counts-grid--{n}" for n in names))

    def _build(self) -> list[Content]:
        """The grid's lines, in the styles the sheet names for each part."""
        caret = self._caret()
        lines = self.sheet.draw(focused=self.has_focus, read_only=read_only_session(self))
        return [
            Content.assemble(
                *(
                    (text, caret if names == ("caret",) else self._style(*names))
                    for text, names in line
                )
            )
            for line in lines
        ]

    def _caret(self) -> Style:
        """The editing cell's colours swapped (a visual style has no "reverse")."""
        edit = self._style("editing")
        back = edit.background or Color(0, 0, 0)
        return Style(background=back + (edit.foreground or Color(255, 255, 255)), foreground=back)

    def render_line(self, y: int) -> Strip:
        if self._lines is None:
            self._lines = [Strip(c.render_segments(), c.cell_length) for c in self._build()]
        lines = self._lines
        width = self.scrollable_content_region.width
        base = self.rich_style
        y += self.scroll_offset.y
        if y >= len(lines):
            return Strip.blank(width, base)
        line = lines[y]
        if y == len(lines) - 1:  # the hint line does not scroll sideways
            return line.crop_extend(0, width, base)
        # the stage names stay put (a frozen column); the numbers scroll under them
        name_w = min(self.sheet.name_w, width)
        x = self.scroll_offset.x + name_w
        return Strip.join(
            [line.crop_extend(0, name_w, base), line.crop_extend(x, x + width - name_w, base)]
        )

    # -- what the grid shows (for the pane and the tests) ----------------------------

    @property
    def plain(self) -> str:
        """The whole grid as plain text, one line a row."""
        return "\n".join(line.plain.rstrip() for line in self._build())

    def move_to(self, stage_id: int, column: ColumnName) -> None:
        """Put the cursor on *stage_id*'s cell in *column* (a period id, or "target")."""
        self._move(self.sheet.row_of(stage_id), self.sheet.column_index(column))

    def cell_text(self, stage_id: int, column: ColumnName) -> str:
        """What the cell shows, as plain text (without padding)."""
        row, col = self.sheet.row_of(stage_id), self.sheet.column_index(column)
        return "".join(text for text, _names in self.sheet.look(row, col)).strip()

    def cell_region(self, stage_id: int, column: ColumnName) -> Region:
        """Where the cell is drawn, in the grid's own (unscrolled) coordinates."""
        x0, x1 = self.sheet.col_span(self.sheet.column_index(column))
        return Region(x0, self.sheet.row_of(stage_id) + 1, x1 - x0, 1)

    def is_refused(self, stage_id: int, column: ColumnName) -> bool:
        return self.sheet.is_refused(stage_id, column)

    @property
    def columns(self) -> list[ColumnName]:
        """The editable columns, left to right: period ids, then "target"."""
        return self.sheet.columns()

    @property
    def headers(self) -> list[str]:
        """The header row as drawn: "Stage", the period labels, "Target"."""
        return ["Stage", *(c.label for c in self.sheet.cols)]

    @property
    def cursor(self) -> tuple[int, ColumnName] | None:
        """The cursor cell as (stage id, period id or "target")."""
        return self.sheet.cursor()

    @property
    def where(self) -> str:
        """The cursor cell in words, e.g. "Reach · 2026 Q4"."""
        return self.sheet.where()

    @property
    def editing(self) -> str | None:
        """What is being typed in the cursor cell, or None."""
        return self.sheet.edit

    # -- saving ----------------------------------------------------------------------

    def _show_reason(self) -> None:
        """The refused cells' reasons on the form's reason line under the grid, when they change."""
        reason = self.sheet.reason()
        if reason != self._reason and self.is_attached:
            self._reason = reason
            show_reason(self, reason)

    def _redraw(self) -> None:
        """After an entry was saved, refused or dropped: widths, reasons and cells anew."""
        self._measure()
        self._show_reason()
        self._invalidate()

    def _save_cell(self, key: tuple[int, int, str], text: str) -> None:
        saved = self.sheet.save(key, text)
        self._redraw()
        if saved:
            self.post_message(FieldSaved(self))

    def _do_save(self) -> None:
        # typing paused, or the cell is being left
        s = self.sheet
        if s.edit_key is not None and s.edit is not None:
            self._save_cell(s.edit_key, s.edit)

    def _drop_edit(self) -> None:
        self.cancel()
        self.sheet.end_edit()

    def _commit(self, *, always: bool = False) -> None:
        """End the edit of the cell being typed in, saving what was typed."""
        s = self.sheet
        if s.edit is None:
            return
        if always or s.edit != s.edit_start:
            self.mark_pending()
        self.flush()
        self._drop_edit()
        self._invalidate()

    def on_blur(self) -> None:
        self._commit()
        self._invalidate()

    def on_unmount(self) -> None:
        self._commit()

    def sync(self) -> None:
        """The session changed: redraw from it (stages, periods, names and numbers)."""
        had_edit = self.sheet.edit_key
        self.sheet.read()
        if had_edit is not None and self.sheet.edit_key is None:
            self._drop_edit()
        self._redraw()

    # -- moving ----------------------------------------------------------------------

    def _move(self, row: int, col: int) -> None:
        s = self.sheet
        if not s.stages or not s.cols:
            return
        self._commit()  # an arrow against the edge also ends the edit
        if s.place(row, col):
            self._invalidate()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        s = self.sheet
        if not s.cols or not self.is_mounted:
            return
        x0, x1 = s.col_span(s.col)
        # the names column does not scroll: the cell is seen when it clears it
        cursor = Region(x0 - s.name_w, 0, x1 - x0 + s.name_w, 1)
        self.scroll_to_region(cursor, animate=False, force=True, y_axis=False, immediate=True)
        # the cursor's row and the rows either side in view in the pane (Enter goes down)
        scroller = next(
            (a for a in self.ancestors if isinstance(a, Widget) and a.allow_vertical_scroll), None
        )
        if scroller is not None:
            top = content_y(self, scroller) + self.styles.gutter.top
            scroller.scroll_to_region(
                Region(0, top + s.row, 1, 3), animate=False, x_axis=False, immediate=True
            )

    def on_click(self, event: events.Click) -> None:
        """A click on a cell puts the cursor there (on a header or a name: its column or row)."""
        offset = event.get_content_offset(self)
        at = None if offset is None else self.sheet.cell_at(offset + self.scroll_offset, offset.x)
        if at is not None:
            self._move(*at)
            self.focus()

    def action_move(self, rows: int, cols: int) -> None:
        self._move(self.sheet.row + rows, self.sheet.col + cols)

    def action_edge(self, end: int) -> None:
        self._move(self.sheet.row, len(self.sheet.cols) - 1 if end else 0)

    def action_corner(self, end: int) -> None:
        self._move(len(self.sheet.stages) - 1 if end else 0, len(self.sheet.cols) - 1 if end else 0)

    def action_leave(self, step: int) -> None:
        """Tab / Shift+Tab: the field after (before) the grid; the cell being typed is saved."""
        self._commit()
        (self.screen.focus_next if step > 0 else self.screen.focus_previous)()

    # -- typing ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDITING_ACTIONS and read_only_session(self):
            return None
        return True

    def _typed(self) -> None:
        self._schedule()
        self._invalidate()

    def on_key(self, event: events.Key) -> None:
        """A printable key types into the cursor cell (a space only once typing has begun)."""
        s = self.sheet
        char = event.character
        if not (event.is_printable and char) or (s.edit is None and char.isspace()):
            return
        event.stop()
        event.prevent_default()
        if read_only_session(self) or (s.edit is None and not s.begin("")):
            return
        s.edit = (s.edit or "") + char
        self._typed()

    def action_save(self) -> None:
        """Enter: save what was typed and go down a stage; a refused entry keeps the cursor."""
        s = self.sheet
        key = s.cursor_key()
        if s.edit is not None:
            self._commit(always=True)
        if key is not None and key not in s.refused:
            self.action_move(1, 0)

    def action_backspace(self) -> None:
        s = self.sheet
        if s.edit is None:
            if not s.begin(""):
                return
            s.edit = s.edit_start
        if not s.edit:
            self.action_empty()
            return
        s.edit = s.edit[:-1]
        self._typed()

    def action_undo(self) -> None:
        self._drop_edit()
        self.sheet.undo()
        self._redraw()

    def action_empty(self) -> None:
        key = self.sheet.cursor_key()
        self._drop_edit()
        if key is not None:
            self._save_cell(key, "")


__all__ = ["CountsGrid"]

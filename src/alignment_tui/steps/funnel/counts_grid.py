"""The funnel's counts as one widget: a small spreadsheet driven by keys and mouse.

One row per stage (in stage order); one column per editable period (the
period before the chosen one, and the chosen one) and the chosen period's
targets. The grid draws every cell itself, so a session with ten stages costs
one widget instead of a hundred (an input, a label and a row each).

A cursor cell moves with the arrow keys, Tab / Shift+Tab, Home / End and a
click. Typing starts editing the cursor cell (the typed text and a caret show
in the cell); Enter saves it, leaving the cell saves it, Escape drops what was
typed, Delete empties the cell. Typing also saves on its own once it pauses
(:data:`~alignment_tui.widgets.fields.SAVE_DELAY`), like every field of the app.

A refused value (negative, not a whole number, ...) stays in its cell as
typed, marked with "!" and drawn in the error colour; the reason goes to a
separate line (given as *errors*), naming the stage and the column. The last
line of the grid says, in words, which cell the cursor is on.

Every text is drawn from data as :class:`Content` (stage names and period
labels are never read as markup; control characters are made visible).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

from ...form.fields import FieldSaved, SaveTimer
from ...sessions.errors import SessionFileError
from ...sessions.models import FunnelPeriod, FunnelStage
from ...sessions.parse import parse_count
from ...sessions.service import SessionService
from .chart import fit, visible

#: (stage id, period id, "count" or "target")
CellKey = tuple[int, int, str]

EMPTY = "—"
#: Drawn before a refused entry: the cell reads as refused without colour.
REFUSED_MARK = "! "
#: Narrowest number column, and the name column's narrowest and widest.
MIN_CELL = 8
MIN_NAME = 8
MAX_NAME = 24
MAX_LABEL = 14


@dataclass(frozen=True)
class GridColumn:
    """One editable column: a period's counts, or the chosen period's targets."""

    period_id: int
    what: str  # "count" or "target"
    label: str  # the header, on one line
    where: str  # how a reason names it: the period's label, or "target"


def _rjust(text: str, width: int) -> str:
    """*text* right-aligned in *width* cells; cut on the left with "…" when too long."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        cut = ""
        for ch in reversed(text):
            if cell_len(ch + cut) > width - 1:
                break
            cut = ch + cut
        text = "…" + cut
    return " " * (width - cell_len(text)) + text


class CountsGrid(SaveTimer, ScrollView, can_focus=True, inherit_bindings=False):
    """Editable counts for the chosen period and the one before it, and its targets.

    *columns* gives (previous period, chosen period); *errors* is the line under
    the grid where refusal reasons go.
    """

    DEFAULT_CSS = """
    CountsGrid {
        width: 1fr;
        height: auto;
        overflow-x: auto;
        overflow-y: hidden;
        scrollbar-size-horizontal: 1;
    }
    CountsGrid > .counts-grid--header {
        color: $text-muted;
        text-style: bold;
    }
    CountsGrid > .counts-grid--label-cursor {
        color: $text;
        text-style: bold underline;
    }
    CountsGrid > .counts-grid--target {
        color: $text-muted;
    }
    CountsGrid > .counts-grid--empty {
        color: $text-muted;
    }
    CountsGrid > .counts-grid--refused {
        color: $text-error;
        background: $error 20%;
        text-style: bold;
    }
    CountsGrid > .counts-grid--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    CountsGrid:focus > .counts-grid--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    CountsGrid > .counts-grid--editing {
        color: $text;
        background: $primary 25%;
        text-style: bold;
    }
    CountsGrid > .counts-grid--hint {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "counts-grid--header",
        "counts-grid--label-cursor",
        "counts-grid--target",
        "counts-grid--empty",
        "counts-grid--refused",
        "counts-grid--cursor",
        "counts-grid--editing",
        "counts-grid--hint",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "save",
            "Save",
            id="funnel.grid_save",
            tooltip="Save the number typed in this cell (on a saved cell: edit it)",
        ),
        Binding(
            "escape",
            "undo",
            "Undo",
            id="funnel.grid_undo",
            tooltip="Drop what was typed in this cell and show the saved number again",
        ),
        Binding(
            "delete",
            "empty",
            "Empty",
            id="funnel.grid_empty",
            tooltip="Empty this cell (no count) and save it",
        ),
        Binding(
            "backspace",
            "backspace",
            "Erase",
            id="funnel.grid_backspace",
            tooltip="Erase the last digit typed (on an empty entry: empty the cell)",
            show=False,
        ),
        Binding(
            "up",
            "move(-1,0)",
            "Cell up",
            id="funnel.grid_up",
            tooltip="Save this cell and go to the stage above",
            show=False,
        ),
        Binding(
            "down",
            "move(1,0)",
            "Cell down",
            id="funnel.grid_down",
            tooltip="Save this cell and go to the stage below",
            show=False,
        ),
        Binding(
            "left",
            "move(0,-1)",
            "Cell left",
            id="funnel.grid_left",
            tooltip="Save this cell and go to the column on the left",
            show=False,
        ),
        Binding(
            "right",
            "move(0,1)",
            "Cell right",
            id="funnel.grid_right",
            tooltip="Save this cell and go to the column on the right",
            show=False,
        ),
        Binding(
            "tab",
            "step(1)",
            "Next cell",
            id="funnel.grid_next",
            tooltip="Next cell (row by row); from the last cell, leave the grid",
            show=False,
        ),
        Binding(
            "shift+tab",
            "step(-1)",
            "Previous cell",
            id="funnel.grid_previous",
            tooltip="Previous cell; from the first cell, leave the grid",
            show=False,
        ),
        Binding(
            "home",
            "edge(0)",
            "Row start",
            id="funnel.grid_home",
            tooltip="First cell of this stage's row",
            show=False,
        ),
        Binding(
            "end",
            "edge(1)",
            "Row end",
            id="funnel.grid_end",
            tooltip="Last cell (the target) of this stage's row",
            show=False,
        ),
        Binding(
            "ctrl+home",
            "corner(0)",
            "First cell",
            id="funnel.grid_first",
            tooltip="First cell of the grid",
            show=False,
        ),
        Binding(
            "ctrl+end",
            "corner(1)",
            "Last cell",
            id="funnel.grid_last",
            tooltip="Last cell of the grid",
            show=False,
        ),
    ]

    def __init__(
        self,
        service: SessionService,
        columns: Callable[[], tuple[FunnelPeriod | None, FunnelPeriod | None]],
        *,
        errors: Static | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.service = service
        #: (previous period, chosen period) for the editable columns.
        self._columns = columns
        self._errors_line = errors
        self._stages: list[FunnelStage] = []
        self._cols: list[GridColumn] = []
        #: Cursor: the stage (followed when stages move) and the column index.
        self._row = 0
        self._col = 0
        self._cursor_sid: int | None = None
        #: The cell being typed in and what was typed (None: not editing).
        self._edit: str | None = None
        self._edit_key: CellKey | None = None
        self._edit_start = ""
        #: Refused entries (kept as typed) and their reasons, by cell.
        self._refused: dict[CellKey, str] = {}
        self._reasons: dict[CellKey, str] = {}
        self._name_w = MAX_NAME
        self._widths: list[int] = []
        self._fit_width = 0
        self._lines: list[Strip] | None = None
        self._read(quiet=True)

    # -- reading the session -------------------------------------------------------

    def _read(self, *, quiet: bool = False) -> None:
        """Take stages and columns from the session; keep the cursor on its stage."""
        self._stages = self.service.session.sorted_stages()
        periods = [p for p in self._columns() if p is not None]
        cols = [GridColumn(p.id, "count", visible(p.label), p.label) for p in periods]
        if periods:
            cols.append(GridColumn(periods[-1].id, "target", "Target", "target"))
        self._cols = cols
        ids = [s.id for s in self._stages]
        if self._cursor_sid in ids:
            self._row = ids.index(self._cursor_sid)
        self._row = max(0, min(self._row, len(ids) - 1))
        self._col = max(0, min(self._col, len(cols) - 1))
        self._cursor_sid = ids[self._row] if ids else None
        shown = set(self._keys())
        for store in (self._refused, self._reasons):
            for key in [k for k in store if k not in shown]:
                del store[key]
        if self._edit_key is not None and self._edit_key not in shown:
            self._drop_edit()
        self._measure(quiet=quiet)

    def _keys(self) -> list[CellKey]:
        return [(s.id, c.period_id, c.what) for s in self._stages for c in self._cols]

    def _key(self, row: int, col: int) -> CellKey | None:
        if not (0 <= row < len(self._stages) and 0 <= col < len(self._cols)):
            return None
        c = self._cols[col]
        return (self._stages[row].id, c.period_id, c.what)

    def _cursor_key(self) -> CellKey | None:
        return self._key(self._row, self._col)

    def _saved_text(self, key: CellKey) -> str:
        sid, pid, what = key
        c = self.service.session.count_for(sid, pid)
        value = getattr(c, what) if c is not None else None
        return "" if value is None else f"{value:,}"

    def _shown_text(self, key: CellKey) -> str:
        """What the cell holds when not being typed in: a refused entry, else the saved number."""
        return self._refused[key] if key in self._refused else self._saved_text(key)

    # -- sizes ---------------------------------------------------------------------

    def _measure(self, *, quiet: bool = False) -> None:
        """Column widths from what the cells hold; the name column takes what is left.

        *quiet* sets the virtual size without asking for a layout (one is under way).
        """
        widths = []
        for i, col in enumerate(self._cols):
            w = max(MIN_CELL, min(cell_len(col.label), MAX_LABEL))
            for row in range(len(self._stages)):
                key = self._key(row, i)
                if key is None:
                    continue
                w = max(w, cell_len(self._saved_text(key)) + 1)
                if key in self._refused:
                    w = max(w, cell_len(REFUSED_MARK + visible(self._refused[key])))
            widths.append(w)
        self._widths = widths
        cells = sum(w + 2 for w in widths)
        longest = max((cell_len(visible(s.name)) for s in self._stages), default=0)
        name_w = max(len("Stage"), min(longest, MAX_NAME))
        if self._fit_width:
            name_w = min(name_w, max(MIN_NAME, self._fit_width - cells))
        self._name_w = name_w
        size = Size(name_w + cells, len(self._stages) + 2)
        if size != self.virtual_size:
            if quiet:
                self.set_reactive(Widget.virtual_size, size)
            else:
                self.virtual_size = size

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # The name column gives way to the numbers when the pane is narrow: fit the
        # widths to the new size here, before the scrollbars are worked out.
        width = size.width - self.styles.gutter.width
        if width != self._fit_width:
            self._fit_width = width
            self._measure(quiet=True)
            self._lines = None
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _col_span(self, col: int) -> tuple[int, int]:
        x = self._name_w + sum(w + 2 for w in self._widths[:col])
        return x, x + self._widths[col] + 2

    # -- drawing -------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._lines = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None

    def on_focus(self) -> None:
        self._invalidate()

    def _style(self, *names: str) -> Style:
        return self.get_visual_style(*(f"counts-grid--{n}" for n in names))

    def _build(self) -> list[Content]:
        focused = self.has_focus
        base = self._style()
        header = self._style("header")
        marked = self._style("header", "label-cursor")
        # the cursor's column header and stage name are underlined (text only, no padding)
        name = fit("Stage", self._name_w)
        parts: list[tuple[str, Style]] = [(name, header)]
        for i, col in enumerate(self._cols):
            label = _rjust(fit(col.label, self._widths[i]).rstrip(" "), self._widths[i])
            text = label.lstrip(" ")
            parts.append((" " + label[: len(label) - len(text)], header))
            parts.append((text, marked if focused and i == self._col else header))
            parts.append((" ", header))
        lines = [Content.assemble(*parts)]
        for r, stage in enumerate(self._stages):
            name = fit(visible(stage.name), self._name_w)
            text = name.rstrip(" ")
            style = self._style("label-cursor") if focused and r == self._row else base
            parts = [(text, style), (name[len(text) :], base)]
            for c, col in enumerate(self._cols):
                parts.extend(self._cell(r, c, col))
            lines.append(Content.assemble(*parts))
        lines.append(Content.assemble((self._hint(), self._style("hint"))))
        return lines

    def _caret(self) -> Style:
        """The editing cell's colours swapped (a visual style has no "reverse")."""
        edit = self._style("editing")
        back = edit.background or Color(0, 0, 0)
        return Style(background=back + (edit.foreground or Color(255, 255, 255)), foreground=back)

    def _cell(self, row: int, col: int, column: GridColumn) -> list[tuple[str, Style]]:
        key = self._key(row, col)
        assert key is not None
        w = self._widths[col]
        at_cursor = row == self._row and col == self._col
        if key == self._edit_key and self._edit is not None:
            text = _rjust(visible(self._edit), w - 1)
            edit = self._style("editing")
            return [(" " + text, edit), (" ", self._caret()), (" ", edit)]
        names: list[str] = []
        if key in self._refused:
            text = REFUSED_MARK + visible(self._refused[key])
            names.append("refused")
        else:
            text = self._saved_text(key) or EMPTY
            if column.what == "target":
                names.append("target")
            if text == EMPTY:
                names.append("empty")
        if at_cursor:
            names.append("cursor")
        return [(" " + _rjust(text, w) + " ", self._style(*names))]

    def _where(self, key: CellKey | None = None) -> str:
        """The cursor cell (or *key*) in words: "Reach · 2026 Q4"."""
        key = key or self._cursor_key()
        if key is None:
            return ""
        sid, pid, what = key
        stage = next((s for s in self._stages if s.id == sid), None)
        col = next((c for c in self._cols if c.period_id == pid and c.what == what), None)
        name = visible(stage.name) if stage else "?"
        if col is None:
            return name
        if what == "target":
            chosen = next((p for p in self.service.session.funnel_periods if p.id == pid), None)
            return f"{name} · target for {visible(chosen.label) if chosen else '?'}"
        return f"{name} · {col.label}"

    def _hint(self) -> str:
        if not self._stages:
            return "No stages yet: add one above to enter its counts."
        if not self._cols:
            return "No period yet: add one above to enter counts."
        key = self._cursor_key()
        assert key is not None
        where = self._where()
        if self._edit is not None and self._edit_key == key:
            return f"{where}: typing. Enter saves, Esc undoes."
        if key in self._refused:
            return f"{where}: not saved (reason below). Esc undoes."
        saved = self._saved_text(key) or "empty"
        if self.has_focus:
            return f"{where}: {saved}. Type to change."
        return f"{where}: {saved}. Click a cell or Tab here to edit."

    def _strips(self) -> list[Strip]:
        if self._lines is None:
            self._lines = [
                Strip(line.render_segments(), line.cell_length) for line in self._build()
            ]
        return self._lines

    def render_line(self, y: int) -> Strip:
        lines = self._strips()
        width = self.scrollable_content_region.width
        base = self.rich_style
        y += self.scroll_offset.y
        if y >= len(lines):
            return Strip.blank(width, base)
        line = lines[y]
        if y == len(lines) - 1:  # the hint line does not scroll sideways
            return line.crop_extend(0, width, base)
        # the stage names stay put (a frozen column); the numbers scroll under them
        name_w = min(self._name_w, width)
        x = self.scroll_offset.x + name_w
        return Strip.join(
            [line.crop_extend(0, name_w, base), line.crop_extend(x, x + width - name_w, base)]
        )

    @property
    def plain(self) -> str:
        """The whole grid as plain text, one line a row (for tests and copying)."""
        return "\n".join(line.plain.rstrip() for line in self._build())

    # -- for tests and the pane ----------------------------------------------------

    def _column_index(self, column: int | str) -> int:
        for i, c in enumerate(self._cols):
            if (column == "target" and c.what == "target") or (
                c.what == "count" and c.period_id == column
            ):
                return i
        raise KeyError(f"no column {column!r} in the grid")

    def move_to(self, stage_id: int, column: int | str) -> None:
        """Put the cursor on *stage_id*'s cell in *column* (a period id, or "target")."""
        row = next(i for i, s in enumerate(self._stages) if s.id == stage_id)
        self._move(row, self._column_index(column))

    def cell_text(self, stage_id: int, column: int | str) -> str:
        """What the cell shows, as plain text (without padding)."""
        row = next(i for i, s in enumerate(self._stages) if s.id == stage_id)
        col = self._column_index(column)
        return "".join(t for t, _ in self._cell(row, col, self._cols[col])).strip()

    def cell_region(self, stage_id: int, column: int | str) -> Region:
        """Where the cell is drawn, in the grid's own (unscrolled) coordinates."""
        row = next(i for i, s in enumerate(self._stages) if s.id == stage_id)
        x0, x1 = self._col_span(self._column_index(column))
        return Region(x0, row + 1, x1 - x0, 1)

    def is_refused(self, stage_id: int, column: int | str) -> bool:
        col = self._cols[self._column_index(column)]
        return (stage_id, col.period_id, col.what) in self._refused

    @property
    def columns(self) -> list[int | str]:
        """The editable columns, left to right: period ids, then "target"."""
        return ["target" if c.what == "target" else c.period_id for c in self._cols]

    @property
    def headers(self) -> list[str]:
        """The header row as drawn: "Stage", the period labels, "Target"."""
        return ["Stage", *(c.label for c in self._cols)]

    @property
    def cursor(self) -> tuple[int, int | str] | None:
        """The cursor cell as (stage id, period id or "target")."""
        key = self._cursor_key()
        if key is None:
            return None
        return (key[0], "target" if key[2] == "target" else key[1])

    @property
    def where(self) -> str:
        """The cursor cell in words, e.g. "Reach · 2026 Q4"."""
        return self._where()

    @property
    def editing(self) -> str | None:
        """What is being typed in the cursor cell, or None."""
        return self._edit

    # -- saving --------------------------------------------------------------------

    def _saver(self, sid: int, pid: int, what: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            field = "Count" if what == "count" else "Target"
            value = parse_count(text, field=field)
            existing = self.service.session.count_for(sid, pid)
            if existing is None and value is None:
                return
            self.service.set_count(sid, pid, **{what: value})

        return save

    def _save_cell(self, key: CellKey, text: str) -> bool:
        """Save *text* into the cell; a refusal keeps the text and shows the reason."""
        try:
            self._saver(*key)(text)
        except (ValueError, SessionFileError) as exc:
            self._refused[key] = text
            self._reasons[key] = str(exc)
            self._show_reasons()
            self._measure()
            self._invalidate()
            return False
        self._refused.pop(key, None)
        if self._reasons.pop(key, None) is not None:
            self._show_reasons()
        self._measure()
        self._invalidate()
        self.post_message(FieldSaved(self))
        return True

    def _do_save(self) -> None:
        # _Debounced: typing paused, or the cell is being left
        if self._edit_key is not None and self._edit is not None:
            self._save_cell(self._edit_key, self._edit)

    def _drop_edit(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = False
        self._edit = None
        self._edit_key = None

    def _commit(self, *, always: bool = False) -> None:
        """End the edit of the cell being typed in, saving what was typed."""
        if self._edit is None:
            return
        if always or self._edit != self._edit_start:
            self._pending = True
        self.flush()
        self._drop_edit()
        self._invalidate()

    def _show_reasons(self) -> None:
        """Every refused cell's reason on the line under the grid, naming stage and column."""
        s = self.service.session
        lines = []
        for (sid, pid, what), msg in self._reasons.items():
            stage = next((x for x in s.funnel_stages if x.id == sid), None)
            where = "target"
            if what == "count":
                period = next((p for p in s.funnel_periods if p.id == pid), None)
                where = period.label if period else "?"
            lines.append(f"{visible(stage.name) if stage else '?'} · {visible(where)}: {msg}")
        line = self._errors_line
        if line is None:
            if lines:
                self.app.notify(lines[-1], severity="error", timeout=4)
            return
        if not line.is_attached:
            return  # the pane is going away: a cell flushed as it was removed
        text = "\n".join(lines)
        current = line.content
        if not (isinstance(current, Content) and current.plain == text):
            line.update(Content(text))
        line.display = bool(lines)

    def on_blur(self) -> None:
        self._commit()
        self._invalidate()

    def on_unmount(self) -> None:
        self._commit()

    def sync(self) -> None:
        """The session changed: redraw from it (stages, periods, names and numbers)."""
        self._read()
        self._show_reasons()
        self._invalidate()

    # -- moving --------------------------------------------------------------------

    def _move(self, row: int, col: int) -> None:
        if not self._stages or not self._cols:
            return
        row = max(0, min(row, len(self._stages) - 1))
        col = max(0, min(col, len(self._cols) - 1))
        self._commit()  # an arrow against the edge also ends the edit
        if (row, col) != (self._row, self._col):
            self._row, self._col = row, col
            self._cursor_sid = self._stages[row].id
            self._invalidate()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if not self._cols or not self.is_mounted:
            return
        x0, x1 = self._col_span(self._col)
        # the names column does not scroll: the cell is seen when it clears it
        self.scroll_to_region(
            Region(x0 - self._name_w, 0, x1 - x0 + self._name_w, 1),
            animate=False,
            force=True,
            y_axis=False,
            immediate=True,
        )
        parent = self.parent
        if isinstance(parent, Widget) and parent.is_scrollable:
            top = self.virtual_region.y + self.styles.gutter.top
            parent.scroll_to_region(Region(0, top + self._row, 1, 3), animate=False, x_axis=False)

    def on_click(self, event: events.Click) -> None:
        """A click on a cell puts the cursor there (on a header or a name: its column or row)."""
        offset = event.get_content_offset(self)
        if offset is None or not self._stages or not self._cols:
            return
        x = offset.x + (self.scroll_offset.x if offset.x >= self._name_w else 0)
        row = offset.y + self.scroll_offset.y - 1
        if row >= len(self._stages):
            return  # the line saying where the cursor is
        col = next(
            (i for i in range(len(self._cols)) if self._col_span(i)[0] <= x < self._col_span(i)[1]),
            self._col,
        )
        self._move(self._row if row < 0 else row, col)
        self.focus()

    def action_move(self, rows: int, cols: int) -> None:
        self._move(self._row + rows, self._col + cols)

    def action_edge(self, end: int) -> None:
        self._move(self._row, len(self._cols) - 1 if end else 0)

    def action_corner(self, end: int) -> None:
        if end:
            self._move(len(self._stages) - 1, len(self._cols) - 1)
        else:
            self._move(0, 0)

    def action_step(self, step: int) -> None:
        """Tab / Shift+Tab: the next (previous) cell, row by row; past the ends, leave."""
        n = len(self._cols)
        index = self._row * n + self._col + step
        if not n or not (0 <= index < n * len(self._stages)):
            self._commit()
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        self._move(*divmod(index, n))

    # -- typing --------------------------------------------------------------------

    def _begin(self, text: str) -> bool:
        key = self._cursor_key()
        if key is None:
            return False
        self._edit_key = key
        self._edit_start = self._shown_text(key)
        self._edit = text
        return True

    def _typed(self) -> None:
        self._schedule()
        self._invalidate()

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if event.is_printable and char and (self._edit is not None or not char.isspace()):
            event.stop()
            event.prevent_default()
            if self._edit is None and not self._begin(""):
                return
            self._edit = (self._edit or "") + char
            self._typed()
            return
        await super()._on_key(event)

    def action_save(self) -> None:
        if self._edit is None:
            self.action_edit()
            return
        self._commit(always=True)

    def action_edit(self) -> None:
        if self._edit is None and self._begin(""):
            self._edit = self._edit_start
            self._invalidate()

    def action_backspace(self) -> None:
        if self._edit is None:
            if not self._begin(""):
                return
            self._edit = self._edit_start
            if not self._edit:
                self.action_empty()
                return
        elif not self._edit:
            self.action_empty()
            return
        self._edit = self._edit[:-1]
        self._typed()

    def action_undo(self) -> None:
        key = self._cursor_key()
        self._drop_edit()
        if key is not None:
            self._refused.pop(key, None)
            if self._reasons.pop(key, None) is not None:
                self._show_reasons()
        self._measure()
        self._invalidate()

    def action_empty(self) -> None:
        key = self._cursor_key()
        self._drop_edit()
        if key is not None:
            self._save_cell(key, "")


__all__ = ["CountsGrid", "GridColumn"]

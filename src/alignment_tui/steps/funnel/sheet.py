"""What the counts grid holds, without drawing it: cells, cursor, the entry being typed, refusals.

:class:`CountsSheet` is the grid's state and rules — which stages and columns
there are, where the cursor is, what a cell shows, how wide each column must
be so that no number is cut, how a typed entry is saved or refused, and the
cursor cell in words — so that :mod:`.counts_grid` only draws it and turns
keys and clicks into calls here. It reads and writes through the
:class:`SessionService` and draws nothing: a line is text with the names of
its styles, which the widget looks up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len

from ...form.records import cell
from ...form.refusal import REFUSALS
from ...sessions.models import FunnelPeriod, FunnelStage
from ...sessions.parse import parse_count
from ...sessions.service import SessionService
from ...sessions.text import one_line

#: (stage id, period id, "count" or "target")
CellKey = tuple[int, int, str]
#: A column as tests and the pane name it: a period id, or "target".
ColumnName = int | str
#: A piece of a line as drawn: its text and the names of its styles (``counts-grid--<name>``).
Part = tuple[str, tuple[str, ...]]

EMPTY = "—"
#: Drawn before a refused entry: the cell reads as refused without colour.
REFUSED_MARK = "! "
#: Narrowest number column, and the name column's narrowest and widest.
MIN_CELL = 8
MIN_NAME = 8
MAX_NAME = 24
MAX_LABEL = 14


def tail(text: str, width: int) -> str:
    """*text* right-aligned in *width* cells; its start cut with "…" (the caret is at its end)."""
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


@dataclass(frozen=True)
class GridColumn:
    """One editable column: a period's counts, or the chosen period's targets."""

    period_id: int
    what: str  # "count" or "target"
    label: str  # the header, on one line


class CountsSheet:
    """The cells of the chosen period and the one before it, and the chosen period's targets.

    *columns* gives (previous period, chosen period) each time the sheet reads the session.
    """

    def __init__(
        self,
        service: SessionService,
        columns: Callable[[], tuple[FunnelPeriod | None, FunnelPeriod | None]],
    ) -> None:
        self.service = service
        self._columns = columns
        self.stages: list[FunnelStage] = []
        self.cols: list[GridColumn] = []
        #: The cursor: row and column index; the stage is followed when stages move.
        self.row = 0
        self.col = 0
        self._cursor_sid: int | None = None
        #: The chosen period when the session was last read (see :meth:`read`).
        self._chosen: int | None = None
        #: What is being typed, in which cell, and what the cell held before (None: not typing).
        self.edit: str | None = None
        self.edit_key: CellKey | None = None
        self.edit_start = ""
        #: Refused entries (kept as typed) and why, by cell.
        self.refused: dict[CellKey, str] = {}
        self.reasons: dict[CellKey, str] = {}
        self.name_w = MAX_NAME
        self.widths: list[int] = []
        #: The width the grid was last fitted to (0: not known yet).
        self.room = 0
        self.read()
        # Start on the chosen period's counts (the column before the targets): the
        # period the room is filling in, not the one before it.
        self.col = max(0, len(self.cols) - 2)

    # -- reading the session -------------------------------------------------------

    def read(self) -> None:
        """Take stages and columns from the session; keep the cursor on its stage."""
        self.stages = self.service.session.sorted_stages()
        periods = [p for p in self._columns() if p is not None]
        cols = [GridColumn(p.id, "count", one_line(p.label)) for p in periods]
        if periods:
            cols.append(GridColumn(periods[-1].id, "target", "Target"))
        self.cols = cols
        ids = [s.id for s in self.stages]
        chosen = periods[-1].id if periods else None
        if chosen != self._chosen and self._chosen is not None:
            # Another period chosen (one just added, or ◂ ▸): the cursor goes to the top
            # of its counts, where the room fills it in, not to the cell it was on (now
            # in an older period's column, where typed counts would replace old ones).
            self._cursor_sid = None
            self.row = 0
            self.col = max(0, len(cols) - 2)
        self._chosen = chosen
        if self._cursor_sid in ids:
            self.row = ids.index(self._cursor_sid)
        self.row = max(0, min(self.row, len(ids) - 1))
        self.col = max(0, min(self.col, len(cols) - 1))
        self._cursor_sid = ids[self.row] if ids else None
        shown = set(self.keys())
        for store in (self.refused, self.reasons):
            for key in [k for k in store if k not in shown]:
                del store[key]
        if self.edit_key is not None and self.edit_key not in shown:
            self.end_edit()

    def keys(self) -> list[CellKey]:
        return [(s.id, c.period_id, c.what) for s in self.stages for c in self.cols]

    def key(self, row: int, col: int) -> CellKey | None:
        if not (0 <= row < len(self.stages) and 0 <= col < len(self.cols)):
            return None
        c = self.cols[col]
        return (self.stages[row].id, c.period_id, c.what)

    def cursor_key(self) -> CellKey | None:
        return self.key(self.row, self.col)

    def saved_text(self, key: CellKey) -> str:
        sid, pid, what = key
        c = self.service.session.count_for(sid, pid)
        value = getattr(c, what) if c is not None else None
        return "" if value is None else f"{value:,}"

    def shown_text(self, key: CellKey) -> str:
        """What the cell holds when not being typed in: a refused entry, else the saved number."""
        return self.refused[key] if key in self.refused else self.saved_text(key)

    def column_index(self, column: ColumnName) -> int:
        for i, c in enumerate(self.cols):
            if (column == "target" and c.what == "target") or (
                c.what == "count" and c.period_id == column
            ):
                return i
        raise KeyError(f"no column {column!r} in the grid")

    def row_of(self, stage_id: int) -> int:
        return next(i for i, s in enumerate(self.stages) if s.id == stage_id)

    def columns(self) -> list[ColumnName]:
        """The editable columns, left to right: period ids, then "target"."""
        return ["target" if c.what == "target" else c.period_id for c in self.cols]

    def cursor(self) -> tuple[int, ColumnName] | None:
        """The cursor cell as (stage id, period id or "target")."""
        key = self.cursor_key()
        return None if key is None else (key[0], "target" if key[2] == "target" else key[1])

    def is_refused(self, stage_id: int, column: ColumnName) -> bool:
        col = self.cols[self.column_index(column)]
        return (stage_id, col.period_id, col.what) in self.refused

    def look(self, row: int, col: int) -> list[Part]:
        """The cell as drawn (padded to its column), in parts with the names of their styles.

        The cell being typed in shows the end of what is typed, then a caret.
        """
        key = self.key(row, col)
        assert key is not None
        w = self.widths[col]
        if key == self.edit_key and self.edit is not None:
            typed = " " + tail(one_line(self.edit), w - 1)
            return [(typed, ("editing",)), (" ", ("caret",)), (" ", ("editing",))]
        names: list[str] = []
        if key in self.refused:
            text = REFUSED_MARK + one_line(self.refused[key])
            names.append("refused")
        else:
            text = self.saved_text(key) or EMPTY
            if key[2] == "target":
                names.append("target")
            if text == EMPTY:
                names.append("empty")
        if (row, col) == (self.row, self.col):
            names.append("cursor")
        return [(" " + tail(text, w) + " ", tuple(names))]

    def draw(self, *, focused: bool, read_only: bool) -> list[list[Part]]:
        """Every line of the grid: the header, a line a stage, the cursor cell in words.

        The cursor's column header and stage name are underlined when the grid
        has the focus (the text only, not its padding).
        """
        header: list[Part] = [(cell("Stage", self.name_w).plain, ("header",))]
        for i, col in enumerate(self.cols):
            label = cell(col.label, self.widths[i], "right").plain
            text = label.lstrip(" ")
            mark = ("header", "label-cursor") if focused and i == self.col else ("header",)
            header += [(" " + label[: len(label) - len(text)], ("header",)), (text, mark)]
            header.append((" ", ("header",)))
        lines = [header]
        for r, stage in enumerate(self.stages):
            name = cell(one_line(stage.name), self.name_w).plain
            text = name.rstrip(" ")
            line: list[Part] = [(text, ("label-cursor",) if focused and r == self.row else ())]
            line.append((name[len(text) :], ()))
            for c in range(len(self.cols)):
                line += self.look(r, c)
            lines.append(line)
        hint = self.hint(focused=focused, read_only=read_only)
        if self.room > 0:  # the last line does not scroll: cut it visibly
            hint = cell(hint, self.room).plain.rstrip()
        lines.append([(hint, ("hint",))])
        return lines

    # -- sizes ---------------------------------------------------------------------

    def measure(self, room: int) -> tuple[int, int]:
        """Fit the columns to *room* cells; the size the grid draws (width, lines).

        A number column is as wide as its widest number or refused entry, so
        none is ever cut; the stage names take what is left (down to a minimum:
        then the numbers scroll sideways under them).
        """
        self.room = room
        widths = []
        for i, col in enumerate(self.cols):
            w = max(MIN_CELL, min(cell_len(col.label), MAX_LABEL))
            for row in range(len(self.stages)):
                key = self.key(row, i)
                if key is None:
                    continue
                w = max(w, cell_len(self.saved_text(key)) + 1)
                if key in self.refused:
                    w = max(w, cell_len(REFUSED_MARK + one_line(self.refused[key])))
            widths.append(w)
        self.widths = widths
        cells = sum(w + 2 for w in widths)
        longest = max((cell_len(one_line(s.name)) for s in self.stages), default=0)
        name_w = max(len("Stage"), min(longest, MAX_NAME))
        if room > 0:
            name_w = min(name_w, max(MIN_NAME, room - cells))
        self.name_w = name_w
        return name_w + cells, len(self.stages) + 2

    def col_span(self, col: int) -> tuple[int, int]:
        """Where column *col* starts and ends, in cells from the grid's left edge."""
        x = self.name_w + sum(w + 2 for w in self.widths[:col])
        return x, x + self.widths[col] + 2

    # -- words -----------------------------------------------------------------------

    def where(self, key: CellKey | None = None, *, short: bool = False) -> str:
        """The cursor cell (or *key*) in words: "Reach · 2026 Q4" (*short*: "Reach · target")."""
        key = key or self.cursor_key()
        if key is None:
            return ""
        sid, pid, what = key
        stage = next((s for s in self.stages if s.id == sid), None)
        name = one_line(stage.name) if stage else "?"
        if what == "target" and short:
            return f"{name} · target"
        if what == "target":
            chosen = next((p for p in self.service.session.funnel_periods if p.id == pid), None)
            return f"{name} · target for {one_line(chosen.label) if chosen else '?'}"
        col = next((c for c in self.cols if c.period_id == pid and c.what == what), None)
        return f"{name} · {col.label}" if col else name

    def hint(self, *, focused: bool, read_only: bool) -> str:
        """The grid's last line: the cursor cell in words, and what keys do there."""
        if not self.stages:
            return "No stages yet: add one above to enter its counts."
        if not self.cols:
            return "No period yet: add one above to enter counts."
        key = self.cursor_key()
        assert key is not None
        where = self.where()
        if self.edit is not None and self.edit_key == key:
            return f"{where}: typing. Enter saves and goes down, Esc undoes."
        if key in self.refused:
            return f"{where}: not saved (reason below). Esc undoes."
        saved = self.saved_text(key) or "empty"
        if read_only:
            return f"{where}: {saved}. Read-only: the counts cannot change."
        if focused:
            return f"{where}: {saved}. Type to change."
        return f"{where}: {saved}. Click a cell or Tab here to edit."

    def reason(self) -> str | None:
        """Every refused cell's reason, one a line, naming stage and column (None: none)."""
        lines = [f"{self.where(key, short=True)}: {why}" for key, why in self.reasons.items()]
        return "\n".join(lines) if lines else None

    # -- editing -----------------------------------------------------------------------

    def begin(self, text: str) -> bool:
        """Start typing *text* into the cursor cell."""
        key = self.cursor_key()
        if key is None:
            return False
        self.edit_key = key
        self.edit_start = self.shown_text(key)
        self.edit = text
        return True

    def end_edit(self) -> None:
        self.edit = None
        self.edit_key = None

    def save(self, key: CellKey, text: str) -> bool:
        """Save *text* into the cell; a refusal keeps the text as typed, with its reason."""
        sid, pid, what = key
        try:
            value = parse_count(text, field="Count" if what == "count" else "Target")
            if value is not None or self.service.session.count_for(sid, pid) is not None:
                self.service.set_count(sid, pid, **{what: value})
        except REFUSALS as exc:
            self.refused[key] = text
            self.reasons[key] = str(exc)
            return False
        self.refused.pop(key, None)
        self.reasons.pop(key, None)
        return True

    def undo(self) -> None:
        """Drop what is typed in the cursor cell, and its refusal."""
        key = self.cursor_key()
        self.end_edit()
        if key is not None:
            self.refused.pop(key, None)
            self.reasons.pop(key, None)

    # -- moving ----------------------------------------------------------------------

    def place(self, row: int, col: int) -> bool:
        """Put the cursor on (*row*, *col*), kept inside the grid; True when it moved."""
        row = max(0, min(row, len(self.stages) - 1))
        col = max(0, min(col, len(self.cols) - 1))
        if (row, col) == (self.row, self.col):
            return False
        self.row, self.col = row, col
        self._cursor_sid = self.stages[row].id
        return True

    def cell_at(self, at: tuple[int, int], x_on_screen: int) -> tuple[int, int] | None:
        """The cell (row, column) a click at *at* (x, y in the scrolled grid) is on.

        The names do not scroll (*x_on_screen* tells when the click is on them);
        a click on a name keeps the cursor's column, one on a header its row,
        one on the last line (the cursor in words) is on no cell.
        """
        if not self.stages or not self.cols:
            return None
        x, y = at
        row = y - 1
        if row >= len(self.stages):
            return None
        if x_on_screen < self.name_w:
            x = x_on_screen
        col = next(
            (i for i in range(len(self.cols)) if self.col_span(i)[0] <= x < self.col_span(i)[1]),
            self.col,
        )
        return (self.row if row < 0 else row, col)


__all__ = ["EMPTY", "REFUSED_MARK", "CellKey", "ColumnName", "CountsSheet", "GridColumn", "tail"]

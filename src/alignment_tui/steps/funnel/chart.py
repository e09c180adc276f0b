"""A bar chart of the funnel, drawn with text.

One line per stage: the owner's mark (Mk, Sh, Sa), the stage name, a bar for the
stage's conversion from the stage before (the full width is 100%, so the bars
read on a projector whatever the spread of counts: 52,500 at the top does not
squash every later stage to one cell) and the count with that conversion. The
first stage has no stage before it: its bar is full and reads "start". The
title says what the bars are. Bars are coloured by owner from theme
variables *and* drawn with a different fill per owner, so the chart reads
without colour (a legend says which is which). Where ownership changes, a
hand-over line sits between the two stages.

Everything is built as :class:`Content` from data: stage names are shown
literally (markup characters stay as typed; control characters are shown as
visible symbols, by the core's one rule: :func:`~alignment_tui.sessions.text.one_line`).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from ...form.records import cell
from ...sessions.funnel import DASH, RATE_DIGITS, PeriodFunnel, StageRow, fmt_count, fmt_rate
from ...sessions.models import Owner
from ...sessions.text import one_line

#: Theme variable per owner: the chart works with every theme.
OWNER_STYLE: dict[Owner, str] = {
    Owner.MARKETING: "$secondary",
    Owner.SHARED: "$accent",
    Owner.SALES: "$primary",
}
#: Mark and fill per owner: readable without colour. Two letters each, so that no mark
#: reads as another owner (a lone "S" read as Sales, not Shared).
OWNER_LETTER: dict[Owner, str] = {Owner.MARKETING: "Mk", Owner.SHARED: "Sh", Owner.SALES: "Sa"}
OWNER_FILL: dict[Owner, str] = {Owner.MARKETING: "█", Owner.SHARED: "▓", Owner.SALES: "▒"}

FALLBACK_WIDTH = 60


#: What the bars show, in the chart's title.
BARS = "Bars: conversion from the stage before (0–100%)"


def bar_length(count: int | None, largest: int, width: int) -> int:
    """Cells of bar for *count* when *largest* fills *width*; 0 shows empty, >0 shows ≥ 1."""
    if not count or largest <= 0 or width <= 0:
        return 0
    return max(1, min(width, count * width // largest))


def rate_bar_length(rate: float | None, width: int) -> int:
    """Cells of bar for a conversion *rate* when 100% fills *width* (more than 100% fills it);
    none shows empty, any rate above 0 shows at least one cell."""
    if rate is None or rate <= 0 or width <= 0:
        return 0
    return max(1, min(width, int(rate * width)))


def _suffix(row: StageRow, first: bool, digits: int) -> str:
    text = fmt_count(row.count)
    text += " · start" if first else f" · {fmt_rate(row.conversion, digits)}"
    if row.larger_than_previous:
        text += " ↑"
    return text


def legend() -> Content:
    parts: list[str | tuple[str, str]] = []
    for owner in Owner:
        if parts:
            parts.append("   ")
        parts.append((f"{OWNER_FILL[owner] * 2} {OWNER_LETTER[owner]}", OWNER_STYLE[owner]))
        parts.append(f" {owner.value}")
    return Content.assemble(*parts)


def chart_content(view: PeriodFunnel | None, width: int, digits: int = RATE_DIGITS) -> Content:
    """The chart for *view* in *width* cells, rates with *digits* significant digits."""
    width = max(width, 30)
    if view is None or not view.rows:
        return Content("No stages yet: add the stages of your funnel above.")
    rows = view.rows
    name_w = min(max(cell_len(one_line(r.name)) for r in rows), max(8, width // 4))
    suffixes = [_suffix(r, i == 0, digits) for i, r in enumerate(rows)]
    suffix_w = max(cell_len(s) for s in suffixes)
    # mark + " " + name + " " + bar + " " + suffix
    mark_w = max(cell_len(m) for m in OWNER_LETTER.values()) + 1
    bar_w = max(3, width - mark_w - name_w - 1 - 1 - suffix_w)
    title = f"{one_line(view.label)} · overall {fmt_rate(view.overall_conversion, digits)}"
    lines: list[Content] = [
        cell(title, width).rstrip().stylize("bold"),
        cell(BARS, width).rstrip().stylize("$text-muted"),
    ]
    for i, row in enumerate(rows):
        if i:
            prev = rows[i - 1]
            if prev.owner is not row.owner:
                label = f"── hand-over: {prev.owner.value} → {row.owner.value} "
                label = label + "─" * max(2, width - cell_len(label))
                lines.append(cell(label, width).stylize("$warning"))
        style = OWNER_STYLE[row.owner]
        if row.count is None:
            n = 0
        elif i == 0:
            n = bar_w if row.count else 0
        else:
            n = rate_bar_length(row.conversion, bar_w)
        bar = OWNER_FILL[row.owner] * n
        lines.append(
            Content.assemble(
                (OWNER_LETTER[row.owner], f"bold {style}"),
                " ",
                cell(one_line(row.name), name_w),
                " ",
                (bar, style),
                " " * (bar_w - len(bar)),
                " ",
                suffixes[i] if row.count is not None else DASH,
            )
        )
    lines.append(legend())
    return Content("\n").join(lines)


class FunnelChart(Widget):
    """The funnel of one period as bars; give it data with :meth:`show`."""

    DEFAULT_CSS = """
    FunnelChart {
        height: auto;
        width: 1fr;
    }
    """

    view: reactive[PeriodFunnel | None] = reactive(None, layout=True)
    #: Significant digits of every rate (the funnel's precision, as in the tables).
    digits: reactive[int] = reactive(RATE_DIGITS, layout=True)

    def __init__(
        self, view: PeriodFunnel | None = None, digits: int = RATE_DIGITS, **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(FunnelChart.view, view)
        self.set_reactive(FunnelChart.digits, digits)
        #: The chart last drawn, with what it was drawn from (view, digits, width): a layout
        #: asks for the height more than once, and the paint that follows needs the same chart.
        self._drawn: tuple[PeriodFunnel | None, int, int, Content] | None = None

    def show(self, view: PeriodFunnel | None, digits: int = RATE_DIGITS) -> None:
        self.digits = digits
        self.view = view

    def _width(self) -> int:
        # outer_size is a stored value; content_region would walk the compositor's map
        return self.outer_size.width - self.styles.gutter.width or FALLBACK_WIDTH

    def _chart(self, width: int) -> Content:
        drawn = self._drawn
        if drawn is None or drawn[0] is not self.view or drawn[1:3] != (self.digits, width):
            drawn = self._drawn = (
                self.view,
                self.digits,
                width,
                chart_content(self.view, width, self.digits),
            )
        return drawn[3]

    def render(self) -> Content:
        return self._chart(self._width())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._chart(width).plain.splitlines())

    @property
    def plain(self) -> str:
        """The chart as plain text at the current width (for tests and copying)."""
        return self.render().plain


__all__ = [
    "BARS",
    "OWNER_LETTER",
    "OWNER_STYLE",
    "FunnelChart",
    "bar_length",
    "chart_content",
    "legend",
    "rate_bar_length",
]

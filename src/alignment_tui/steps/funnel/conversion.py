"""Conversion: the period shown as a table and a bar chart, and every period side by side.

Everything here is worked out from the counts by :mod:`alignment_tui.sessions.funnel`
and only shown: stage-to-stage conversion, drop-off (in percent, and in
leads lost when there is room), overall conversion and the change against
the period before (in counts, and for the conversion in percentage points;
the overall rate's relative change on the line below); the chart coloured by
owner with the hand-overs marked; then one column per period, oldest left
(the oldest are left out first when the pane is narrow, and the table says so).

Every rate is printed by :func:`~alignment_tui.sessions.funnel.fmt_rate` with the
precision of the whole funnel (:func:`~alignment_tui.sessions.funnel.funnel_digits`),
as the report prints it.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...form.records import Column
from ...form.section import Section
from ...sessions.funnel import (
    RATE_DIGITS,
    PeriodFunnel,
    fmt_change,
    fmt_count,
    fmt_points,
    fmt_rate,
    fmt_rate_change,
    funnel_digits,
    funnel_periods,
    period_funnel,
)
from ...sessions.service import SessionService
from ...sessions.text import one_line
from .chart import OWNER_LETTER, OWNER_STYLE, FunnelChart
from .periods import ShownPeriod
from .tables import Cells, FigureTable, sized


def _stage_name(owner: Any, name: str, flag: str = "") -> Content:
    return Content.assemble(
        (OWNER_LETTER[owner], f"bold {OWNER_STYLE[owner]}"), " ", one_line(name) + flag
    )


def conversion_rows(
    view: PeriodFunnel | None, digits: int = RATE_DIGITS
) -> tuple[list[Column], list[Cells]]:
    """The conversion table of *view*, rates with *digits* significant digits: columns
    (the last ones droppable) and rows."""
    rows: list[Cells] = []
    before = bool(view and view.previous_label)
    for i, r in enumerate(view.rows if view else []):
        points = fmt_points(r.conversion, r.previous_conversion, digits) if before else "—"
        rows.append(
            {
                "stage": _stage_name(r.owner, r.name, " ↑" if r.larger_than_previous else ""),
                "count": fmt_count(r.count),
                "conv": fmt_rate(r.conversion, digits) if i else "",
                "drop": fmt_rate(r.drop_off, digits) if i else "",
                "overall": fmt_rate(r.overall, digits),
                "change": fmt_change(r.change_abs, r.change_rel) if before else "—",
                "points": points if i else "",
                "lost": f"{r.drop_off_abs:,}" if i and r.drop_off_abs is not None else "",
            }
        )
    change = f"vs {one_line(view.previous_label)}" if view and view.previous_label else "Change"
    columns = [
        Column("stage", "Stage"),
        sized("count", "Count", rows),
        sized("conv", "Conv.", rows),
        # drop-off is 100% less the conversion: the first to go when the room is short,
        # after the leads lost; then the change in conversion, before a name gets short
        sized("drop", "Drop-off", rows, drop=2),
        sized("overall", "Overall", rows),
        sized("change", change, rows),
        sized("points", "Conv. change", rows, drop=1),
        sized("lost", "Lost", rows, drop=3),
    ]
    return columns, rows


def overall_line(view: PeriodFunnel | None, digits: int = RATE_DIGITS) -> str:
    """ "Overall conversion, Reach → Won: 0.0305%, +21.9% vs 2026 Q3 (0.0250%)" ("" when
    there are no stages): the same words and figures as the report."""
    if view is None or not view.rows:
        return ""
    first, last = view.rows[0], view.rows[-1]
    now, before = view.overall_conversion, view.previous_overall_conversion
    text = (
        f"Overall conversion, {one_line(first.name)} → {one_line(last.name)}: "
        f"{fmt_rate(now, digits)}"
    )
    if view.previous_label is not None and None not in (before, now):
        text += (
            f", {fmt_rate_change(now, before)} vs {one_line(view.previous_label)} "
            f"({fmt_rate(before, digits)})"
        )
    return text


def history_rows(views: list[PeriodFunnel]) -> tuple[list[Column], list[Cells]]:
    """Every period side by side (oldest left): each stage's count and its change."""
    rows: list[Cells] = []
    for i, stage in enumerate(views[0].rows if views else []):
        cells: Cells = {"stage": _stage_name(stage.owner, stage.name)}
        for v in views:
            r = v.rows[i]
            text = fmt_count(r.count)
            if r.change_rel is not None:
                text += f" {r.change_rel * 100:+.0f}%"
            elif r.change_abs is not None:
                text += f" {r.change_abs:+,}"
            cells[f"p{v.period_id}"] = text
        rows.append(cells)
    n = len(views)
    columns = [Column("stage", "Stage")] + [
        # the oldest go first when the room is short; the latest always shows
        sized(f"p{v.period_id}", one_line(v.label), rows, drop=n - 1 - i)
        for i, v in enumerate(views)
    ]
    return columns, rows


class ConversionSection(Section):
    """The shown period's conversion and chart, then all periods side by side."""

    def __init__(self, service: SessionService, shown: ShownPeriod, **kwargs: Any) -> None:
        super().__init__("Conversion", **kwargs)
        self.service = service
        self.shown = shown

    def _view(self) -> PeriodFunnel | None:
        pid = self.shown.id()
        return None if pid is None else period_funnel(self.service.session, pid)

    def compose(self) -> ComposeResult:
        # The table takes the focus so that Ctrl+↓ can stop at this section.
        yield FigureTable(id="funnel-table", classes="funnel-figures", focusable=True)
        yield Static("", id="funnel-overall", classes="funnel-overall")
        # (the flags line under it is mounted by sync when a count is first flagged)
        # (drawn by sync, which the pane calls as it mounts: the figures are worked out once)
        yield FunnelChart(id="funnel-chart")
        yield Static("All periods", classes="funnel-subtitle")
        yield FigureTable(id="funnel-history", classes="funnel-figures")

    def sync(self) -> None:
        """Work the figures out again (the counts or the period shown changed)."""
        view = self._view()
        views = funnel_periods(self.service.session)
        digits = funnel_digits(views)
        self.query_one("#funnel-table", FigureTable).show(*conversion_rows(view, digits))
        overall = self.query_one("#funnel-overall", Static)
        text = overall_line(view, digits) if view and view.has_counts else ""
        if overall.content != text:
            overall.update(Content(text))
        overall.display = bool(text)
        flagged = [one_line(r.name) for r in (view.rows if view else []) if r.larger_than_previous]
        text = (
            "↑ larger than previous stage: "
            + ", ".join(flagged)
            + " (allowed; check the counts are from the same period)"
            if flagged
            else ""
        )
        for flags in self.query("#funnel-flags").results(Static):
            if flags.content != text:
                flags.update(Content(text))
            flags.display = bool(flagged)
            break
        else:
            if flagged:
                line = Static(Content(text), id="funnel-flags", classes="funnel-flags")
                self.mount(line, after=overall)
        self.query_one(FunnelChart).show(view, digits)
        history = self.query_one("#funnel-history", FigureTable)
        history.display = bool(views)
        history.show(*history_rows(views))


__all__ = ["ConversionSection", "conversion_rows", "history_rows", "overall_line"]

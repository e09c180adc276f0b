"""The funnel by keys, as a facilitator in front of a room uses it: Tab leaves the counts
grid, Enter fills a column, the focused field is plain to see, a refusal's reason goes
once it is corrected, and the owners' marks cannot be mistaken for one another."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.color import Color
from textual.widgets import Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.funnel.chart import FunnelChart
from alignment_tui.steps.funnel.counts_grid import CountsGrid
from screen_text import footer_text, widget_text
from step_helpers import reach_every_part
from test_funnel_step import (
    go_to,
    lines,
    open_on_funnel,
    reason,
    saved,
    stage_ids,
    table_rows,
)


async def test_tab_and_shift_tab_leave_the_grid_from_any_cell(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ids = stage_ids(app)
        g = await go_to(pilot, ids[3], 1)
        await pilot.press("shift+tab")  # back to "Add period", one press
        await pilot.pause()
        assert app.focused is app.screen.query_one("#add-period")
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is g and g.cursor == (ids[3], 1)  # the cursor stayed
        await pilot.press("tab")
        await pilot.pause()
        assert not g.has_focus and app.focused is app.screen.query_one("#funnel-table")
        # arrows still move cell by cell
        await go_to(pilot, ids[0], 1)
        await pilot.press("right", "down")
        assert g.cursor == (ids[1], "target")
        # the footer and the help say what the keys do
        footer = " ".join(footer_text(app.screen))
        assert "Save ↓" in footer
        tab = next(b for b in CountsGrid.BINDINGS if isinstance(b, Binding) and b.key == "tab")
        assert tab.description == "Leave the grid"


async def test_enter_between_counts_fills_the_column(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ids = stage_ids(app)
        g = await go_to(pilot, ids[0], 1)
        typed = ["9000", "900", "-5", "300"]
        await pilot.press(*typed[0], "enter", *typed[1], "enter")
        await pilot.pause()
        assert g.cursor == (ids[2], 1)
        # a refused entry keeps the cursor, its reason on screen in the grid's place
        await pilot.press(*typed[2], "enter")
        await pilot.pause()
        await pilot.pause()
        assert g.cursor == (ids[2], 1)
        why = "Marketing-qualified · 2026 Q4: Count cannot be negative"
        assert why in reason(app, "funnel-grid")
        reason_line = app.screen.query_one("#funnel-grid-reason")
        assert why in " ".join(" ".join(widget_text(reason_line)).split())  # in view at 80x24
        await pilot.press("escape", *typed[3], "enter", *"150", "enter", *"60", "enter")
        await pilot.press(*"20", "enter", *"8", "enter")
        await pilot.pause()
        assert g.cursor == (ids[-1], 1)  # the last stage: Enter saves and stays
        assert reason(app, "funnel-grid") == ""
        # the cursor's row is in view where Enter took it
        assert "Won" in " ".join(widget_text(g))
    s = saved(session_file)
    assert [s.count_for(sid, 1).count for sid in ids] == [9000, 900, 300, 150, 60, 20, 8]  # type: ignore[union-attr]


@pytest.mark.parametrize("theme", ["alignment", "alignment-projector"])
async def test_the_focused_field_shows_a_bar(session_file: Path, theme: str) -> None:
    """The focused one-line field, list or grid has a bar at its left; the others none."""
    app = open_on_funnel(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await pilot.pause()
        pane = app.screen.query_one("#pane-funnel")
        for selector in ("#stage-list-rows", "#stage-name", "#stage-owner", "#period-label",
                         "#new-period-label", "#funnel-grid"):  # fmt: skip
            widget = app.screen.query_one(selector)
            widget.focus()
            await pilot.pause()
            widget.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            assert widget_text(widget)[0].startswith("█"), selector
            # no other field of the pane shows the bar
            others = [
                w
                for w in pane.query("Input, TextArea, Choice, RecordRows, CountsGrid")
                if w is not widget and w.display and w.region
            ]
            assert all(not widget_text(w)[0].startswith("█") for w in others), selector
            primary = Color.parse(app.get_css_variables()["primary"])
            assert widget.styles.border_left[1].rgb == primary.rgb, selector


async def test_a_refused_period_label_reason_goes_when_corrected_or_left(
    session_file: Path,
) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#new-period-label", Input)
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Period label is required" in reason(app, "new-period-label")
        await pilot.press(*"20")  # correcting it
        await pilot.pause()
        assert reason(app, "new-period-label") == ""
        # refused again from the button, then the room moves on to the counts
        await pilot.press("ctrl+u", "tab", "enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#add-period")
        assert "Period label is required" in reason(app, "new-period-label")
        await pilot.press("tab", "5", "enter")
        await pilot.pause()
        assert reason(app, "new-period-label") == ""
        assert "Period label is required" not in " ".join(
            widget_text(app.screen.query_one("#pane-funnel"))
        )
        assert saved(session_file).count_for(stage_ids(app)[0], 1).count == 5  # type: ignore[union-attr]


async def test_owner_marks_cannot_be_mistaken(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.set_count(1, 1, count=1000)
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        from alignment_tui.steps.funnel.stages import StageList

        stage_lines = lines(app.screen.query_one(StageList))
        assert stage_lines[0].endswith("Mk Marketing")
        assert stage_lines[3].endswith("Sh Shared")
        assert stage_lines[4].endswith("Sa Sales")
        assert str(app.screen.query_one("#stage-owner").label) == "Mk Marketing"  # type: ignore[attr-defined]
        chart = app.screen.query_one(FunnelChart).plain.splitlines()
        assert any(line.startswith("Sh Sales-accep") for line in chart)
        assert "Mk Marketing" in chart[-1] and "Sh Shared" in chart[-1]
        assert "Sa Sales" in chart[-1]
        rows = table_rows(app, "#funnel-table")
        assert str(rows[-1][0]).startswith("Sa Won")
        for text in (*stage_lines, *chart):
            for lone in ("M ", "S ", "X "):
                assert not text.startswith(lone), text


async def test_what_it_takes_says_one_deal(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for sid, n in zip(range(1, 8), [1000, 500, 200, 100, 50, 20, 10], strict=True):
        svc.set_count(sid, 1, count=n)
    plan = svc.session.funnel_plan
    svc.update(plan, revenue_target=100, avg_deal_value=100)
    svc.set_step(StepId.FUNNEL)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        text = str(app.screen.query_one("#wit-note", Static).render())
        assert text.startswith("1 deal × ")

"""Step 4, the funnel: the facilitator types counts, edits stages and periods, fills the
hand-over agreements and "what it takes"; what is saved and what the pane shows."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import FunnelPeriod, FunnelStage, Owner, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.funnel_chart import FunnelChart

COUNTS = ["12,000", "1,200", "400", "0", "60", "20", "8"]


def open_on_funnel(path: Path) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(StepId.FUNNEL)
    svc.close()
    return AlignmentApp(path)


def saved(path: Path):  # type: ignore[no-untyped-def]
    svc = SessionService.open(path)
    session = svc.session
    svc.close()
    return session


async def type_into(
    pilot: Pilot[None], selector: str, value: str, *, clear: bool = True, keys: bool = False
) -> None:
    """Focus a field, clear it, enter *value* and save it.

    With *keys* the value is typed key by key; otherwise it goes in as one edit (as a
    paste would), which is much faster and takes the same route to the save.
    """
    widget: Widget = pilot.app.screen.query_one(selector)
    widget.focus()
    if clear:
        if isinstance(widget, TextArea):
            widget.clear()
        else:
            assert isinstance(widget, Input)
            widget.value = ""
    if keys:
        await pilot.press(*value)
    elif isinstance(widget, TextArea):
        widget.insert(value)
    else:
        assert isinstance(widget, Input)
        widget.insert_text_at_cursor(value)
    # enter saves an input without moving the focus; a text area saves when left
    await pilot.press("tab" if isinstance(widget, TextArea) else "enter")
    await pilot.pause()


async def choose_period(pilot: Pilot[None], pid: int, expect: str) -> None:
    """Choose period *pid* in the period selector; wait until the grid shows *expect*."""
    pilot.app.screen.query_one("#funnel-view-period", Select).value = pid
    for _ in range(100):
        await pilot.pause(0.02)
        if pilot.app.screen.query(expect):
            return
    raise AssertionError(f"{expect} never appeared")


async def press_button(pilot: Pilot[None], selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def rendered(app: AlignmentApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def table_rows(app: AlignmentApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    out = []
    for key in table.rows:
        out.append([c.plain if isinstance(c, Text) else str(c) for c in table.get_row(key)])
    return out


def stage_ids(app: AlignmentApp) -> list[int]:
    return [s.id for s in app.service.session.sorted_stages()]  # type: ignore[union-attr]


async def test_counts_typed_refused_and_saved(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        ids = stage_ids(app)
        assert len(ids) == 7
        for sid, value in zip(ids, COUNTS, strict=True):
            await type_into(pilot, f"#count-{sid}-1", value, keys=value == "1,200")
        await pilot.pause(0.1)
        rows = table_rows(app, "#funnel-table")
        assert [r[1] for r in rows] == COUNTS
        # conversion Enquiry: 1,200 / 12,000
        assert rows[1][2] == "10.0%"
        assert rows[1][3] == "90.0% (10,800)"
        # the stage after a zero shows "—", never an error
        assert rows[3][2] == "0.0%"
        assert rows[4][2] == "—" and rows[4][3] == "—"
        # 60 after 0 is larger than the stage before: flagged
        assert rows[4][0].endswith("↑")
        assert "larger than previous stage: Opportunity" in rendered(app, "#funnel-flags")

        # bad values are refused in the field with the reason; what was typed stays
        sid = ids[0]
        cell = f"#count-{sid}-1"
        await type_into(pilot, cell, "-5", keys=True)
        assert "Reach · 2026 Q4: Count cannot be negative" in rendered(app, "#grid-errors")
        assert app.screen.query_one("#grid-errors").display
        assert app.screen.query_one(cell, Input).value == "-5"
        assert app.screen.query_one(cell).has_class("-invalid")
        await type_into(pilot, cell, "abc", keys=True)
        assert "Reach · 2026 Q4: Count must be a whole number" in rendered(app, "#grid-errors")
        assert app.screen.query_one(cell, Input).value == "abc"
        # other changes elsewhere do not overwrite the refused entry
        await type_into(pilot, f"#count-{ids[1]}-1", "1,300")
        assert app.screen.query_one(cell, Input).value == "abc"
        await type_into(pilot, f"#target-{ids[2]}", "1.5", keys=True)
        errors = rendered(app, "#grid-errors")
        assert "Marketing-qualified · target: Target must be a whole number" in errors
        assert "Reach · 2026 Q4" in errors  # both refusals are listed
        # the chart follows the saved numbers
        chart = app.screen.query_one(FunnelChart).plain
        s_before = saved(session_file).count_for(ids[0], 1).count  # type: ignore[union-attr]
        assert "M Enquiry" in chart and "1,300 · 10.8%" in chart
        # fixing the refused values clears their reasons
        await type_into(pilot, cell, "12,000")
        await type_into(pilot, f"#target-{ids[2]}", "")
        assert not app.screen.query_one("#grid-errors").display
        assert not app.screen.query_one(cell).has_class("-invalid")
        # while "abc" was refused the file kept the old value
        assert s_before == 12000

    s = saved(session_file)
    counts = [s.count_for(sid, 1).count for sid in ids]  # type: ignore[union-attr]
    assert counts == [12000, 1300, 400, 0, 60, 20, 8]  # "-5" and "abc" never reached the file
    assert s.count_for(ids[2], 1).target is None  # type: ignore[union-attr]


async def test_periods_side_by_side(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        sid = stage_ids(app)[0]
        await type_into(pilot, f"#count-{sid}-1", "1000", clear=False)
        # an empty label is refused
        await press_button(pilot, "#add-period")
        assert "Period label is required" in rendered(app, "#new-period-error")
        await type_into(pilot, "#new-period-label", "2027 Q1", clear=False)  # enter adds it
        await pilot.pause(0.1)
        assert not app.screen.query_one("#new-period-error").display
        s = app.service.session  # type: ignore[union-attr]
        new = next(p for p in s.funnel_periods if p.label == "2027 Q1")
        # the grid has a column for it, beside the first; targets follow the latest period
        await type_into(pilot, f"#count-{sid}-{new.id}", "1,100", clear=False)
        await type_into(pilot, f"#target-{sid}", "1,500", clear=False)
        await pilot.pause(0.1)
        table = app.screen.query_one("#funnel-table", DataTable)
        assert str(table.columns["change"].label) == "vs 2026 Q4"  # type: ignore[index]
        rows = table_rows(app, "#funnel-table")
        assert rows[0][1] == "1,100"
        assert rows[0][5] == "+100 (+10.0%)"
        assert rows[1][5] == "—"
        # the period selector shows the older period too
        await choose_period(pilot, 1, f"#count-{sid}-1")
        assert table_rows(app, "#funnel-table")[0][1] == "1,000"
        # ... and the grid edits the chosen period (there is none before it)
        assert app.screen.query_one(f"#count-{sid}-1", Input).value == "1,000"
        assert not app.screen.query(f"#count-{sid}-{new.id}")
        # every period side by side, with the change vs the one before
        history = table_rows(app, "#funnel-history")
        assert history[0][1:] == ["1,000", "1,100 +10%"]
        # rename the new period once chosen again: the grid header follows
        await choose_period(pilot, new.id, f"#count-{sid}-{new.id}")
        await type_into(pilot, "#period-label", "2027 Q1 review")
        await pilot.pause(0.1)
        assert "2027 Q1 review" in str(app.screen.query_one(f"#grid-head-{new.id}").render())
        # a label already in use is refused in place
        await type_into(pilot, "#period-label", "2026 Q4")
        reason = app.screen.query_one("#period-label").parent.query_one(".field-error")  # type: ignore[union-attr]
        assert "There is already a period called 2026 Q4" in str(reason.render())

        # removing a period asks first; the destructive dialog starts on cancel
        await choose_period(pilot, 1, f"#count-{sid}-1")
        assert app.screen.query_one("#period-label", Input).value == "2026 Q4"
        await press_button(pilot, "#period-remove")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.service.session.funnel_periods) == 2  # type: ignore[union-attr]
        await press_button(pilot, "#period-remove")
        await pilot.press("y")
        await pilot.pause(0.2)
        assert not app.screen.query(f"#count-{sid}-1")
        assert app.screen.query_one("#period-label", Input).value == "2027 Q1 review"
    s = saved(session_file)
    assert [p.label for p in s.funnel_periods] == ["2027 Q1 review"]
    c = s.count_for(sid, new.id)
    assert c is not None and c.count == 1100 and c.target == 1500
    assert all(c.period_id == new.id for c in s.funnel_counts)


async def test_stages_and_handovers(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        titles = [str(w.render()) for w in app.screen.query(".handover-title")]
        assert len(titles) == 2
        assert "Marketing → Shared" in titles[0] and "Sales-accepted" in titles[0]
        # nothing is created just by looking
        assert app.service.session.handovers == []  # type: ignore[union-attr]

        # rename "Sales-accepted" (stage 4); markup characters stay literal
        await type_into(pilot, "#stage-name-4", "SAL [x]")
        await pilot.pause(0.1)
        assert "SAL [x]" in str(app.screen.query_one("#ho-title-4").render())
        assert "SAL [x]" in str(app.screen.query_one("#grid-name-4").render())
        # move it above "Marketing-qualified" with alt+↑ on its row
        assert "Current stage: SAL [x]" in rendered(app, "#stage-current")
        await pilot.press("alt+up")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 4, 3, 5, 6, 7]
        assert app.screen.focused is app.screen.query_one("#stage-name-4")  # focus stays
        labels = [str(w.render()) for w in app.screen.query(".handover-title")]
        assert len(labels) == 3 and "Shared → Marketing" in labels[1]
        # its owner to Sales (the owner button steps Marketing → Shared → Sales)
        assert "Shared" in str(app.screen.query_one("#stage-owner-4", Button).label)
        await press_button(pilot, "#stage-owner-4")
        await pilot.pause(0.1)
        assert "X Sales" in str(app.screen.query_one("#stage-owner-4", Button).label)
        labels = [str(w.render()) for w in app.screen.query(".handover-title")]
        assert len(labels) == 3
        assert "Marketing → Sales" in labels[0] and "Sales → Marketing" in labels[1]
        # back down with the ↓ button (it acts on the current stage)
        await press_button(pilot, "#stage-down")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 3, 4, 5, 6, 7]
        labels = [str(w.render()) for w in app.screen.query(".handover-title")]
        assert len(labels) == 1 and "Marketing → Sales" in labels[0]
        # an empty name is refused in the field
        await type_into(pilot, "#stage-name-4", "")
        assert "Stage name is required" in rendered(app, "#stage-error")
        assert app.screen.query_one("#stage-name-4").has_class("-invalid")

        # fill the hand-over agreement into stage 4
        await type_into(pilot, "#ho-qualifies-4", "Budget", clear=False)
        await type_into(pilot, "#ho-hours-4", "abc", clear=False)
        reason = app.screen.query_one("#ho-hours-4").parent.query_one(".field-error")  # type: ignore[union-attr]
        assert "Response time must be a number" in str(reason.render())
        await type_into(pilot, "#ho-hours-4", "24")
        await type_into(pilot, "#ho-reasons-4", "No fit", clear=False)
        await type_into(pilot, "#ho-returned-4", "Nurture", clear=False)

        # add a stage (name required) and remove it after confirming
        await press_button(pilot, "#add-stage")
        assert "Stage name is required" in rendered(app, "#new-stage-error")
        await type_into(pilot, "#new-stage-name", "Renewal", clear=False)  # enter adds it
        await pilot.pause(0.2)
        assert app.screen.query("#stage-name-8") and app.screen.query("#count-8-1")
        app.screen.query_one("#stage-name-8").focus()
        await pilot.press("alt+delete", "y")
        await pilot.pause(0.2)
        assert not app.screen.query("#stage-name-8")
    s = saved(session_file)
    stage = next(x for x in s.funnel_stages if x.id == 4)
    assert stage.name == "SAL [x]" and stage.owner is Owner.SALES
    assert [x.id for x in s.sorted_stages()] == [1, 2, 3, 4, 5, 6, 7]
    (h,) = [h for h in s.handovers if h.to_stage_id == 4]
    assert h.qualifies == "Budget"
    assert h.response_hours == 24
    assert h.return_reasons == "No fit"
    assert h.returned_handling == "Nurture"


async def test_what_it_takes_and_chart_at_80_columns(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for sid, c in zip(range(1, 8), [10**12, 1000, 300, 100, 40, 20, 10], strict=True):
        svc.set_count(sid, 1, count=c)
    svc.update(svc.session.sorted_stages()[0], name="Reach [b]\x1b[31m")
    svc.add(FunnelPeriod, label="2027 Q1")
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # the counts grid fits 80 columns with two periods and the targets
        grid = app.screen.query_one("#funnel-grid")
        assert grid.virtual_size.width <= grid.size.width
        assert app.screen.query_one("#target-7").region.right <= 80

        # the chart shows the first period chosen in the selector
        await choose_period(pilot, 1, "#grid-head-1")
        chart = app.screen.query_one(FunnelChart)
        lines = chart.plain.splitlines()
        assert all(len(line) <= chart.content_region.width for line in lines)
        stage_lines = [line for line in lines if line[:2] in ("M ", "S ", "X ")]
        assert len(stage_lines) == 7
        assert stage_lines[0].startswith("M Reach [b]␛")  # literal, escape made visible
        assert "█" in stage_lines[0] and "1,000,000,000,000" in stage_lines[0]
        assert "▓" in stage_lines[3] and "100 · 33.3%" in stage_lines[3]
        assert "▒" in stage_lines[6] and "10 · 50.0%" in stage_lines[6]
        assert any("hand-over: Marketing → Shared" in line for line in lines)
        assert any("hand-over: Shared → Sales" in line for line in lines)
        assert "M Marketing" in lines[-1] and "X Sales" in lines[-1]

        # back to the latest period: the grid edits it (and 2026 Q4 beside it)
        await choose_period(pilot, 2, "#count-2-2")
        assert app.screen.query("#count-2-1")
        # what it takes uses the latest period (no counts yet): unknown everywhere above won
        assert "Enter a revenue target" in rendered(app, "#wit-note")
        await type_into(pilot, "#plan-target", "500,000", clear=False)
        await type_into(pilot, "#plan-deal", "0", clear=False)
        reason = app.screen.query_one("#plan-deal").parent.query_one(".field-error")  # type: ignore[union-attr]
        assert "Average deal value must be more than 0" in str(reason.render())
        assert not app.screen.query_one("#wit-table").display
        await type_into(pilot, "#plan-deal", "10000")
        await pilot.pause(0.1)
        assert "50 deals" in rendered(app, "#wit-note")
        rows = table_rows(app, "#wit-table")
        assert [r[1] for r in rows] == ["—"] * 6 + ["50"]
        # counts for the latest period: needs walk back up the funnel, rounded up
        for sid, c in zip(range(2, 8), ["1000", "300", "100", "0", "20", "10"], strict=True):
            await type_into(pilot, f"#count-{sid}-2", c, clear=False)
        await pilot.pause(0.1)
        rows = table_rows(app, "#wit-table")
        # won 50 ← proposal 100; opportunity is 0: unknown from there up
        assert [r[1] for r in rows] == ["—", "—", "—", "—", "—", "100", "50"]
        await type_into(pilot, "#count-5-2", "40")
        await pilot.pause(0.1)
        rows = table_rows(app, "#wit-table")
        assert [r[1] for r in rows] == ["—", "5,000", "1,500", "500", "200", "100", "50"]
        assert rows[-1][2] == "10" and rows[-1][3] == "+40"
    plan = saved(session_file).funnel_plan
    assert plan.revenue_target == 500_000 and plan.avg_deal_value == 10_000


async def test_many_periods_mount_a_bounded_pane(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for i in range(3):
        svc.add(FunnelStage, name=f"Extra {i}", owner=Owner.SALES)
    for year in range(11):
        svc.add(FunnelPeriod, label=f"{2027 + year} Q1")
    stages = svc.session.sorted_stages()
    periods = svc.session.sorted_periods()
    for p in periods:
        for n, st in enumerate(stages):
            svc.set_count(st.id, p.id, count=1000 - 50 * n + p.id, target=1000)
    svc.close()
    assert (len(stages), len(periods)) == (10, 12)
    app = open_on_funnel(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#pane-funnel")
        assert len(list(pane.walk_children())) < 250
        # editable: the latest period and the one before it; all twelve in the table
        assert len(app.screen.query(".count-cell")) == 10 * 3
        table = app.screen.query_one("#funnel-history", DataTable)
        assert len(table.columns) == 13 and table.row_count == 10
        assert table_rows(app, "#funnel-history")[0][12] == f"{1000 + periods[-1].id:,} +0%"

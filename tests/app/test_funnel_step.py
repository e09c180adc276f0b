"""Step 4, the funnel: the facilitator types counts, edits stages and periods, fills the
hand-over agreements and "what it takes"; what is saved and what the pane shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.form import saving
from alignment_tui.form.fields import FieldSaved
from alignment_tui.form.records import RecordList
from alignment_tui.sessions.export import _report_funnel
from alignment_tui.sessions.models import FunnelPeriod, FunnelStage, Owner, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.funnel.chart import FunnelChart
from alignment_tui.steps.funnel.counts_grid import CountsGrid
from alignment_tui.steps.funnel.periods import PeriodChoice
from alignment_tui.steps.funnel.stages import StageList, StageName
from alignment_tui.steps.funnel.tables import FigureTable
from step_helpers import put_room_on_step, reach_every_part

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


async def press_button(pilot: Pilot[None], selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def rendered(app: AlignmentApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def reason(app: AlignmentApp, field: str) -> str:
    """The refusal reason shown under the field with id *field* ("" when none shows)."""
    found = app.screen.query(f"#{field}-reason")
    if not found or not found.first().display:
        return ""
    return str(found.first(Static).render())


def table_rows(app: AlignmentApp, selector: str) -> list[list[str]]:
    """Every row of a figure table, each cell whole (shown or not), in column order."""
    return app.screen.query_one(selector, FigureTable).cells


def lines(records: RecordList) -> list[str]:  # type: ignore[type-arg]
    """A record list's lines as shown (or the line saying it is empty)."""
    if records.key is None:
        return [str(records.query_one(".record-list--empty", Static).render())]
    return [str(option.prompt).rstrip() for option in records.rows.options]


def stage_ids(app: AlignmentApp) -> list[int]:
    return [s.id for s in app.service.session.sorted_stages()]  # type: ignore[union-attr]


# -- the counts grid: one widget, driven by keys and the mouse ------------------------


def grid(app: AlignmentApp) -> CountsGrid:
    return app.screen.query_one("#funnel-grid", CountsGrid)


def grid_row(app: AlignmentApp, sid: int) -> str:
    """The grid's line for stage *sid*, as drawn."""
    return grid(app).plain.splitlines()[stage_ids(app).index(sid) + 1]


async def go_to(pilot: Pilot[None], sid: int, column: int | str) -> CountsGrid:
    """Focus the grid and walk the cursor to a cell with the keys a facilitator would use."""
    g = grid(pilot.app)  # type: ignore[arg-type]
    if not g.has_focus:
        g.focus()
        await pilot.pause()
    row = stage_ids(pilot.app).index(sid)  # type: ignore[arg-type]
    col = g.columns.index(column)
    await pilot.press("ctrl+home", *["down"] * row, *["right"] * col)
    assert g.cursor == (sid, column)
    return g


async def enter_count(pilot: Pilot[None], sid: int, column: int | str, value: str) -> None:
    """Go to a cell, type *value* key by key and press Enter (which saves it)."""
    await go_to(pilot, sid, column)
    await pilot.press(*value, "enter")
    await pilot.pause()


async def choose_period(pilot: Pilot[None], pid: int, *expect: str) -> None:
    """Choose period *pid* with → on the period chooser; wait until the grid's columns are *expect*."""
    choice = pilot.app.screen.query_one("#funnel-view-period", PeriodChoice)
    choice.focus()
    await pilot.pause()
    for _ in range(len(pilot.app.service.session.funnel_periods)):  # type: ignore[union-attr]
        if choice.value == pid:
            break
        await pilot.press("right")
    assert choice.value == pid
    for _ in range(100):
        await pilot.pause(0.02)
        if grid(pilot.app).headers == ["Stage", *expect, "Target"]:  # type: ignore[arg-type]
            return
    raise AssertionError(f"the grid never showed {expect}")


@pytest.fixture
def slow_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing never saves on its own during the test (only Enter, leaving, Delete)."""
    monkeypatch.setattr(saving, "SAVE_DELAY", 60.0)


async def test_counts_typed_refused_and_saved(session_file: Path) -> None:
    posted: list[object] = []

    def hook(message: object) -> None:
        if isinstance(message, FieldSaved) and isinstance(message.field, CountsGrid):
            posted.append(message)

    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36), message_hook=hook) as pilot:
        await pilot.pause()
        ids = stage_ids(app)
        assert len(ids) == 7
        # down the column: typing then ↓ saves the cell and goes to the next stage
        await go_to(pilot, ids[0], 1)
        for value in COUNTS:
            await pilot.press(*value, "down")
        await pilot.pause(0.1)
        assert posted  # the pane and the agenda hear about each save
        rows = table_rows(app, "#funnel-table")
        assert [r[1] for r in rows] == COUNTS
        # the grid shows the saved numbers with thousand separators
        assert grid(app).cell_text(ids[0], 1) == "12,000"
        assert grid_row(app, ids[1]).split()[-2:] == ["1,200", "—"]  # no target: "—"
        # conversion Enquiry: 1,200 / 12,000
        assert rows[1][2] == "10.0%"
        assert rows[1][3] == "90.0%" and rows[1][7] == "10,800"  # drop-off, and leads lost
        # the stage after a zero shows "—", never an error
        assert rows[3][2] == "0%"  # exactly none
        assert rows[4][2] == "—" and rows[4][3] == "—"
        # 60 after 0 is larger than the stage before: flagged
        assert rows[4][0].endswith("↑")
        assert "larger than previous stage: Opportunity" in rendered(app, "#funnel-flags")

        # bad values are refused in the cell with the reason; what was typed stays
        await enter_count(pilot, ids[0], 1, "-5")
        assert "Reach · 2026 Q4: Count cannot be negative" in reason(app, "funnel-grid")
        assert grid(app).cell_text(ids[0], 1) == "! -5"  # marked without colour
        assert grid(app).is_refused(ids[0], 1)
        assert "! -5" in grid_row(app, ids[0])
        await enter_count(pilot, ids[0], 1, "abc")
        assert "Reach · 2026 Q4: Count must be a whole number" in reason(app, "funnel-grid")
        assert grid(app).cell_text(ids[0], 1) == "! abc"
        # other changes elsewhere do not overwrite the refused entry
        await enter_count(pilot, ids[1], 1, "1,300")
        assert grid(app).cell_text(ids[0], 1) == "! abc"
        await enter_count(pilot, ids[2], "target", "1.5")
        errors = reason(app, "funnel-grid")
        assert "Marketing-qualified · target: Target must be a whole number" in errors
        assert "Reach · 2026 Q4" in errors  # both refusals are listed
        # the chart follows the saved numbers
        chart = app.screen.query_one(FunnelChart).plain
        s_before = saved(session_file).count_for(ids[0], 1).count  # type: ignore[union-attr]
        assert "Mk Enquiry" in chart and "1,300 · 10.8%" in chart
        # fixing the refused values clears their reasons (Delete empties the target)
        await enter_count(pilot, ids[0], 1, "12,000")
        assert "Reach" not in reason(app, "funnel-grid")
        await go_to(pilot, ids[2], "target")
        await pilot.press("delete")
        await pilot.pause()
        assert reason(app, "funnel-grid") == ""
        assert not grid(app).is_refused(ids[0], 1)
        assert grid(app).cell_text(ids[0], 1) == "12,000"
        assert grid(app).cell_text(ids[2], "target") == "—"
        # while "abc" was refused the file kept the old value
        assert s_before == 12000

    s = saved(session_file)
    counts = [s.count_for(sid, 1).count for sid in ids]  # type: ignore[union-attr]
    assert counts == [12000, 1300, 400, 0, 60, 20, 8]  # "-5" and "abc" never reached the file
    assert s.count_for(ids[2], 1).target is None  # type: ignore[union-attr]


async def test_grid_keys_escape_delete_backspace(session_file: Path, slow_saves: None) -> None:
    svc = SessionService.open(session_file)
    svc.set_count(1, 1, count=12000)
    svc.set_count(2, 1, count=1200, target=1500)
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        g = await go_to(pilot, 1, 1)
        # the cursor cell in words, on the grid's last line
        assert g.where == "Reach · 2026 Q4"
        assert g.plain.splitlines()[-1].startswith("Reach · 2026 Q4: 12,000.")
        # typing shows in the cell with a caret; Escape drops it and shows the saved number
        await pilot.press("9", "9", "9")
        assert g.editing == "999"
        assert "999" in grid_row(app, 1) and "12,000" not in grid_row(app, 1)
        assert "typing" in g.plain.splitlines()[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert g.editing is None
        assert g.cell_text(1, 1) == "12,000"
        assert saved(session_file).count_for(1, 1).count == 12000  # type: ignore[union-attr]
        # Escape on a refused cell drops the entry and its reason too
        await pilot.press("minus", "1", "enter")
        await pilot.pause()
        assert g.cell_text(1, 1) == "! -1"
        assert "Reach · 2026 Q4: Count cannot be negative" in reason(app, "funnel-grid")
        await pilot.press("escape")
        await pilot.pause()
        assert g.cell_text(1, 1) == "12,000"
        assert reason(app, "funnel-grid") == ""
        # a refused entry stays as typed when the cursor leaves and comes back
        await pilot.press(*"1.5", "right")
        await pilot.pause()
        assert g.cursor == (1, "target")
        assert g.cell_text(1, 1) == "! 1.5"
        await pilot.press("left")
        assert g.cell_text(1, 1) == "! 1.5" and g.is_refused(1, 1)
        assert "Reach · 2026 Q4: Count must be a whole number" in reason(app, "funnel-grid")
        # Backspace edits what is there: 12,000 → 12,00 → ... → 1
        await pilot.press("escape", "backspace")
        assert g.editing == "12,00"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "enter")
        await pilot.pause()
        assert g.cell_text(1, 1) == "1"
        assert saved(session_file).count_for(1, 1).count == 1  # type: ignore[union-attr]
        assert g.cursor == (2, 1)  # Enter saved and went down a stage
        # Backspace on an empty entry empties the cell
        await pilot.press("up", "backspace", "backspace")
        await pilot.pause()
        assert g.cell_text(1, 1) == "—"
        assert saved(session_file).count_for(1, 1).count is None  # type: ignore[union-attr]
        # Delete empties a cell straight away; Home / End go along the row
        await pilot.press("down", "end")
        assert g.cursor == (2, "target")
        await pilot.press("delete")
        await pilot.pause()
        assert g.cell_text(2, "target") == "—"
        await pilot.press("home")
        assert g.cursor == (2, 1)
        await pilot.press("delete")
        await pilot.pause()
        c = saved(session_file).count_for(2, 1)
        assert c is not None and c.count is None and c.target is None
        # Enter without typing goes down a stage, as in a spreadsheet
        await pilot.press("up", "enter")
        assert g.editing is None and g.cursor == (2, 1)
        await pilot.press("up", "4", "2", "enter")
        await pilot.pause()
        assert saved(session_file).count_for(1, 1).count == 42  # type: ignore[union-attr]


async def test_grid_tab_leaves_at_the_ends_and_saves_on_blur(
    session_file: Path, slow_saves: None
) -> None:
    # (adapted: Tab and Shift+Tab leave the grid from any cell, not cell by cell;
    # tests/app/test_funnel_keys.py has the keys a facilitator uses)
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        ids = stage_ids(app)
        g = await go_to(pilot, ids[-1], 1)
        await pilot.press("right")
        assert g.cursor == (ids[-1], "target")
        await pilot.press("5", "tab")  # leaving the grid saves the cell being typed
        await pilot.pause()
        assert not g.has_focus
        assert saved(session_file).count_for(ids[-1], 1).target == 5  # type: ignore[union-attr]
        # Shift+Tab leaves backwards
        await go_to(pilot, ids[0], 1)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert not g.has_focus
        # typing then clicking elsewhere in the pane saves too
        await go_to(pilot, ids[1], 1)
        await pilot.press("7", "7")
        app.screen.query_one("#plan-target").focus()
        await pilot.pause()
        assert saved(session_file).count_for(ids[1], 1).count == 77  # type: ignore[union-attr]


async def test_grid_saves_when_typing_pauses(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        g = await go_to(pilot, 3, 1)
        await pilot.press("3", "comma", "4", "0", "0")
        assert g.editing == "3,400"
        for _ in range(100):  # no Enter: the save follows a short pause in typing
            await pilot.pause(0.05)
            if app.service.session.count_for(3, 1) is not None:  # type: ignore[union-attr]
                break
        assert saved(session_file).count_for(3, 1).count == 3400  # type: ignore[union-attr]
        assert g.editing == "3,400" and g.has_focus  # still typing in the cell


async def test_a_period_just_added_is_filled_from_its_top(session_file: Path) -> None:
    """After Add period the grid's cursor is on the first stage of the new period's counts,
    not on the cell it was on (now in the older period's column, holding a saved count)."""
    app = open_on_funnel(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ids = stage_ids(app)
        await go_to(pilot, ids[-1], 1)  # the last stage of 2026 Q4
        await pilot.press("3", "enter")
        await pilot.pause()
        await type_into(pilot, "#new-period-label", "2027 Q1", clear=False)  # enter adds it
        await pilot.pause()
        new = saved(session_file).funnel_periods[-1]
        assert new.label == "2027 Q1"
        g = grid(app)
        g.focus()
        await pilot.pause()
        assert g.cursor == (ids[0], new.id)
        await pilot.press("7", "enter")
        await pilot.pause()
    session = saved(session_file)
    assert session.count_for(ids[0], new.id).count == 7  # type: ignore[union-attr]
    assert session.count_for(ids[-1], 1).count == 3  # type: ignore[union-attr]


async def test_grid_by_mouse(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        g = grid(app)
        await pilot.pause()
        assert g.has_focus  # the step opens in the grid: start from elsewhere
        # (no scroll: Textual glides to a focused widget, and a glide still under
        # way on a busy machine would move the grid away from the click)
        stage_list(app).rows.focus(scroll_visible=False)
        g.scroll_visible(animate=False)
        await pilot.pause()
        assert not g.has_focus
        region = g.cell_region(2, "target")
        await pilot.click("#funnel-grid", offset=(region.x + 2, region.y))
        await pilot.pause()
        assert g.has_focus and g.cursor == (2, "target")
        assert g.where == "Enquiry · target for 2026 Q4"
        await pilot.press("2", "comma", "0", "0", "0", "enter")
        await pilot.pause()
        assert g.cell_text(2, "target") == "2,000"
        # a click on a stage's name keeps the column, on a header keeps the row
        name_x = 1
        await pilot.click("#funnel-grid", offset=(name_x, g.cell_region(4, 1).y))
        assert g.cursor == (4, "target")
        region = g.cell_region(4, 1)
        await pilot.click("#funnel-grid", offset=(region.x + 1, 0))
        assert g.cursor == (4, 1)
    c = saved(session_file).count_for(2, 1)
    assert c is not None and c.target == 2000 and c.count is None


async def test_grid_scrolls_sideways_keeping_the_names(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.set_count(1, 1, count=10**12, target=5)
    svc.add(FunnelPeriod, label="2027 Q1")
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(64, 30)) as pilot:
        await pilot.pause()
        g = await go_to(pilot, 1, "target")
        await pilot.pause()
        # too narrow for every column: the numbers scroll, the stage names stay
        assert g.virtual_size.width > g.size.width
        assert g.scroll_offset.x > 0
        line = g.render_line(1).text
        assert line.startswith("Reach") and line.rstrip().endswith("—")
        assert g.plain.splitlines()[-1].startswith("Reach · target for 2027 Q1: empty")
        await pilot.press("home")
        await pilot.pause()
        assert g.scroll_offset.x == 0
        assert "1,000,000,000,000" in g.render_line(1).text


async def test_periods_side_by_side(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        sid = stage_ids(app)[0]
        await enter_count(pilot, sid, 1, "1000")
        # an empty label is refused
        await press_button(pilot, "#add-period")
        assert "Period label is required" in reason(app, "new-period-label")
        await type_into(pilot, "#new-period-label", "2027 Q1", clear=False)  # enter adds it
        await pilot.pause(0.1)
        assert reason(app, "new-period-label") == ""
        s = app.service.session  # type: ignore[union-attr]
        new = next(p for p in s.funnel_periods if p.label == "2027 Q1")
        # the grid has a column for it, beside the first; targets follow the latest period
        assert grid(app).headers == ["Stage", "2026 Q4", "2027 Q1", "Target"]
        await enter_count(pilot, sid, new.id, "1,100")
        await enter_count(pilot, sid, "target", "1,500")
        await pilot.pause(0.1)
        assert grid_row(app, sid).split()[-3:] == ["1,000", "1,100", "1,500"]
        assert app.screen.query_one("#funnel-table", FigureTable).titles["change"] == "vs 2026 Q4"
        rows = table_rows(app, "#funnel-table")
        assert rows[0][1] == "1,100"
        assert rows[0][5] == "+100 (+10.0%)"
        assert rows[1][5] == "—"
        # the period selector shows the older period too
        await choose_period(pilot, 1, "2026 Q4")
        await pilot.pause(0.1)
        assert table_rows(app, "#funnel-table")[0][1] == "1,000"
        # ... and the grid edits the chosen period (there is none before it)
        assert grid(app).headers == ["Stage", "2026 Q4", "Target"]
        assert grid(app).cell_text(sid, 1) == "1,000"
        assert grid(app).cell_text(sid, "target") == "—"  # the target of 2026 Q4
        # every period side by side, with the change vs the one before
        history = table_rows(app, "#funnel-history")
        assert history[0][1:] == ["1,000", "1,100 +10%"]
        # rename the new period once chosen again: the grid header follows
        await choose_period(pilot, new.id, "2026 Q4", "2027 Q1")
        await type_into(pilot, "#period-label", "2027 Q1 review")
        await pilot.pause(0.1)
        assert "2027 Q1 review" in grid(app).headers
        assert "2027 Q1 review" in grid(app).plain.splitlines()[0]
        # a label already in use is refused in place
        await type_into(pilot, "#period-label", "2026 Q4")
        assert "There is already a period called 2026 Q4" in reason(app, "period-label")
        assert app.screen.query_one("#period-label").has_class("-invalid")
        # choosing another period drops the refused entry and its reason

        # removing a period asks first; the destructive dialog starts on cancel
        await choose_period(pilot, 1, "2026 Q4")
        assert app.screen.query_one("#period-label", Input).value == "2026 Q4"
        assert reason(app, "period-label") == ""
        assert not app.screen.query_one("#period-label").has_class("-invalid")
        await press_button(pilot, "#period-remove")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.service.session.funnel_periods) == 2  # type: ignore[union-attr]
        await press_button(pilot, "#period-remove")
        await pilot.press("y")
        await pilot.pause(0.2)
        assert grid(app).headers == ["Stage", "2027 Q1 review", "Target"]
        assert app.screen.query_one("#period-label", Input).value == "2027 Q1 review"
    s = saved(session_file)
    assert [p.label for p in s.funnel_periods] == ["2027 Q1 review"]
    c = s.count_for(sid, new.id)
    assert c is not None and c.count == 1100 and c.target == 1500
    assert all(c.period_id == new.id for c in s.funnel_counts)


def stage_list(app: AlignmentApp) -> StageList:
    return app.screen.query_one("#stage-list", StageList)


def name_field(app: AlignmentApp) -> StageName:
    return app.screen.query_one("#stage-name", StageName)


def handovers(app: AlignmentApp) -> RecordList:  # type: ignore[type-arg]
    return app.screen.query_one("#ho-list", RecordList)


async def highlight_stage(pilot: Pilot[None], sid: int) -> StageList:
    """Focus the stage list and walk its cursor to stage *sid* with ↓."""
    lst = stage_list(pilot.app)  # type: ignore[arg-type]
    lst.rows.focus()
    await pilot.pause()
    await pilot.press("home", *["down"] * stage_ids(pilot.app).index(sid))  # type: ignore[arg-type]
    await pilot.pause()
    assert lst.key == sid
    return lst


async def test_stages_by_keys(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        lst = stage_list(app)
        # one line a stage: the name and its owner; ⇄ where the lead changes hands
        assert lines(lst)[0].startswith("  Reach") and lines(lst)[0].endswith("Mk Marketing")
        assert lines(lst)[3].startswith("⇄ Sales-accepted") and "Sh Shared" in lines(lst)[3]
        assert len(lines(lst)) == 7

        # ↓ to "Sales-accepted" (stage 4): the editor line under the list shows it
        await highlight_stage(pilot, 4)
        assert name_field(app).value == "Sales-accepted"
        # Enter goes to its name; Enter saves and comes back; markup stays literal
        await pilot.press("enter")
        assert name_field(app).has_focus
        await pilot.press("ctrl+u", *"SAL [x]", "enter")
        await pilot.pause()
        assert lst.rows.has_focus
        assert saved(session_file).sorted_stages()[3].name == "SAL [x]"
        await pilot.pause(0.1)
        assert lines(lst)[3].startswith("⇄ SAL [x] ")
        assert grid_row(app, 4).startswith("SAL [x] ")  # the grid follows, literally
        assert "into SAL [x]" in lines(handovers(app))[0]
        # Escape drops what was typed and goes back to the list
        await pilot.press("enter", "Z", "escape")
        await pilot.pause()
        assert lst.rows.has_focus and name_field(app).value == "SAL [x]"
        assert saved(session_file).sorted_stages()[3].name == "SAL [x]"

        # alt+↑ moves it above "Marketing-qualified"; the cursor goes with it
        await pilot.press("alt+up")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 4, 3, 5, 6, 7]
        assert lst.rows.has_focus and lst.key == 4
        assert lines(lst)[2].startswith("⇄ SAL [x]")
        assert grid(app).plain.splitlines()[3].startswith("SAL [x]")  # the grid row moved
        labels = lines(handovers(app))
        assert len(labels) == 3 and "Shared → Marketing" in labels[1]
        # → gives it the next owner (Marketing → Shared → Sales), ← the one before
        await pilot.press("right")
        await pilot.pause(0.1)
        assert lines(lst)[2].endswith("Sa Sales")
        assert app.screen.query_one("#stage-owner").label == "Sa Sales"  # type: ignore[attr-defined]
        labels = lines(handovers(app))
        assert len(labels) == 3
        assert "Marketing → Sales" in labels[0] and "Sales → Marketing" in labels[1]
        await pilot.press("left")
        await pilot.pause(0.1)
        assert lines(lst)[2].endswith("Sh Shared")
        await pilot.press("plus")
        await pilot.pause(0.1)
        # alt+↓ works from the name field too; the ↓ button acts on the highlighted stage
        await pilot.press("enter", "alt+down")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 3, 4, 5, 6, 7]
        assert name_field(app).has_focus and name_field(app).value == "SAL [x]"
        await press_button(pilot, "#stage-up")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 4, 3, 5, 6, 7]
        await press_button(pilot, "#stage-down")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 3, 4, 5, 6, 7]
        labels = lines(handovers(app))
        assert len(labels) == 1 and "Marketing → Sales" in labels[0]

        # an empty name is refused: the reason shows under the editor line, the field stays
        name_field(app).focus()
        await pilot.press("ctrl+u", "enter")
        await pilot.pause()
        assert "Stage name is required" in reason(app, "stage-name")
        assert name_field(app).has_class("-invalid") and name_field(app).has_focus
        # Escape drops the refused entry and its reason
        await pilot.press("escape")
        await pilot.pause()
        assert not name_field(app).has_class("-invalid")
        assert reason(app, "stage-name") == ""
        assert name_field(app).value == "SAL [x]"

        # Insert on the list adds a stage at the bottom, in the editor to be named
        # (rewritten: the list is the form layer's record list, which adds by Insert
        # and names the new record in its editor, instead of a "new stage" field)
        lst.rows.focus()
        await pilot.press("insert")
        await pilot.pause(0.1)
        assert name_field(app).has_focus and name_field(app).value == "New stage"
        await pilot.press(*"Renewal", "enter")  # typing replaces the placeholder name
        await pilot.pause(0.2)
        assert lst.key == 8 and name_field(app).value == "Renewal"
        assert lines(lst)[7].startswith("  Renewal")
        assert grid(app).plain.splitlines()[8].startswith("Renewal")
        await enter_count(pilot, 8, 1, "5")
        assert saved(session_file).count_for(8, 1).count == 5  # type: ignore[union-attr]
        # Delete on the list removes the highlighted stage, after asking (starts on cancel)
        lst.rows.focus()
        await pilot.press("delete", "enter")
        await pilot.pause(0.1)
        assert 8 in stage_ids(app)
        await pilot.press("delete", "y")
        await pilot.pause(0.2)
        assert 8 not in stage_ids(app)
        assert "Renewal" not in "\n".join(lines(lst))
        assert lst.key == 7 and name_field(app).value == "Won"  # the one above it now
        assert "Renewal" not in grid(app).plain
        assert len(grid(app).plain.splitlines()) == 1 + 7 + 1  # header, stages, where
        # alt+delete does the same, from the name field
        name_field(app).focus()
        await pilot.press("alt+delete", "y")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 3, 4, 5, 6]
        # a stage just added, with nothing in it yet, goes without a question
        await press_button(pilot, "#add-stage")
        assert len(stage_ids(app)) == 7 and name_field(app).value == "New stage"
        lst.rows.focus()
        await pilot.press("delete")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 3, 4, 5, 6]
    s = saved(session_file)
    stage = next(x for x in s.funnel_stages if x.id == 4)
    assert stage.name == "SAL [x]" and stage.owner is Owner.SALES
    assert [x.id for x in s.sorted_stages()] == [1, 2, 3, 4, 5, 6]
    assert all(c.stage_id != 8 for c in s.funnel_counts)


async def test_stages_by_mouse(session_file: Path) -> None:
    # Rewritten: the stage list is the form layer's record list. A click on a stage
    # chooses it and goes to its name (as Enter does); its owner is the owner choice's.
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        lst = stage_list(app)
        # the step opens on its counts: the room scrolls up to the stages first
        lst.scroll_visible(animate=False, top=True)
        await pilot.pause()
        assert await pilot.click("#stage-list-rows", offset=(3, 2))
        await pilot.pause()
        assert lst.key == 3 and name_field(app).has_focus
        assert name_field(app).value == "Marketing-qualified"
        assert await pilot.click("#stage-list-rows", offset=(3, 5))
        await pilot.pause()
        assert lst.key == 6
        # the owner choice on the editor line steps on: Sales → Marketing → Shared
        assert await pilot.click("#stage-owner", offset=(6, 0))
        await pilot.pause(0.1)
        assert lines(lst)[5].endswith("Mk Marketing")
        assert await pilot.click("#stage-owner", offset=(6, 0))
        await pilot.pause(0.1)
        assert lines(lst)[5].endswith("Sh Shared")
        # the buttons beside it move the stage and add one
        assert await pilot.click("#stage-up")
        await pilot.pause(0.2)
        assert stage_ids(app) == [1, 2, 3, 4, 6, 5, 7]
        assert await pilot.click("#add-stage")
        await pilot.pause(0.2)
        assert len(stage_ids(app)) == 8 and name_field(app).has_focus
    s = saved(session_file)
    assert next(x for x in s.funnel_stages if x.id == 6).owner is Owner.SHARED
    assert [x.name for x in s.sorted_stages()][-1] == "New stage"


async def test_handover_agreements_in_one_editor(session_file: Path, slow_saves: None) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        picker = handovers(app)
        shown = lines(picker)
        assert len(shown) == 2
        assert "Marketing → Shared into Sales-accepted" in shown[0]
        assert shown[0].endswith("to agree")
        assert "Shared → Sales into Opportunity" in shown[1]
        title = rendered(app, "#ho-title")
        assert "Marketing → Shared" in title and "into Sales-accepted" in title
        # nothing is created just by looking
        assert app.service.session.handovers == []  # type: ignore[union-attr]

        # Enter on the list goes to the agreement; Tab walks its fields
        picker.rows.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#ho-qualifies").has_focus
        await pilot.press(*"Budget", "tab")
        await pilot.pause()
        assert app.screen.query_one("#ho-hours").has_focus
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert "Response time must be a number" in reason(app, "ho-hours")
        assert app.screen.query_one("#ho-hours").has_class("-invalid")
        await pilot.press("ctrl+u", "2", "4", "enter")
        await pilot.pause()
        assert reason(app, "ho-hours") == ""
        # (the most returned and the follow-up attempts come between the hours and the reasons)
        await pilot.press("tab", "tab", "tab", *"No fit", "tab", *"Nurture", "tab")
        await pilot.pause(0.1)
        h = next(h for h in saved(session_file).handovers if h.to_stage_id == 4)
        assert (h.qualifies, h.response_hours, h.return_reasons, h.returned_handling) == (
            "Budget",
            24,
            "No fit",
            "Nurture",
        )
        assert lines(picker)[0].endswith("✔ agreed") and lines(picker)[1].endswith("to agree")

        # ↓ puts the next hand-over in the same editor, with its own (empty) values
        picker.rows.focus()
        await pilot.press("down")
        await pilot.pause()
        assert "Shared → Sales" in rendered(app, "#ho-title")
        assert app.screen.query_one("#ho-qualifies", TextArea).text == ""
        assert app.screen.query_one("#ho-hours", Input).value == ""
        # typing not saved yet goes to its own hand-over when another one is clicked
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "tab", *"No budget")
        assert app.screen.query_one("#ho-reasons").has_focus
        picker.scroll_visible(animate=False, top=True, immediate=True)
        await pilot.pause()
        assert await pilot.click("#ho-list-rows", offset=(4, 0))
        await pilot.pause()
        assert picker.key == 4 and "Marketing → Shared" in rendered(app, "#ho-title")
        assert app.screen.query_one("#ho-qualifies", TextArea).text == "Budget"
        assert app.screen.query_one("#ho-reasons", TextArea).text == "No fit"
        h5 = next(h for h in saved(session_file).handovers if h.to_stage_id == 5)
        assert h5.return_reasons == "No budget" and h5.qualifies == ""
        await pilot.pause(0.1)
        assert lines(picker)[1].endswith("to agree")  # nothing says what qualifies yet


async def test_most_leads_returned_is_a_percentage_agreed_beside_the_response_time(
    session_file: Path, slow_saves: None
) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        hours = app.screen.query_one("#ho-hours", Input)
        most = app.screen.query_one("#ho-returned-max", Input)
        assert hours.parent is not None and most.parent is not None
        assert hours.parent.parent is most.parent.parent, "side by side, in one row"
        # Tab goes from the response time to it
        hours.focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert most.has_focus
        for typed, why in (("many", "must be a number"), ("120", "100 or less")):
            await pilot.press("ctrl+u", *typed, "enter")
            await pilot.pause()
            assert why in reason(app, "ho-returned-max")
            assert most.has_class("-invalid") and most.value == typed
            assert app.service.session.handovers == []  # type: ignore[union-attr]
        await pilot.press("ctrl+u", *"15 %", "enter")
        await pilot.pause()
        assert reason(app, "ho-returned-max") == "" and not most.has_class("-invalid")
        h = next(h for h in saved(session_file).handovers if h.to_stage_id == 4)
        assert h.returned_pct_max == 15
        await pilot.press("ctrl+u", "enter")  # blank: not agreed
        await pilot.pause()
        h = next(h for h in saved(session_file).handovers if h.to_stage_id == 4)
        assert h.returned_pct_max is None


async def test_edits_elsewhere_show_in_the_lists_and_editors(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        await highlight_stage(pilot, 4)
        svc = app.service
        assert svc is not None
        # another screen renames the stage, fills its hand-over and adds a period
        svc.update(next(s for s in svc.session.funnel_stages if s.id == 4), name="Accepted")
        svc.update(svc.handover_for(4), qualifies="Budget known", response_hours=8)
        svc.add(FunnelPeriod, label="2027 Q1")
        svc.update(svc.session.funnel_plan, currency="$", revenue_target=90_000)
        await pilot.pause(0.2)
        assert app.screen.query_one("#plan-currency", Input).value == "$"
        assert app.screen.query_one("#plan-target", Input).value == "90,000"
        assert lines(stage_list(app))[3].startswith("⇄ Accepted")
        assert name_field(app).value == "Accepted"
        assert app.screen.query_one("#ho-qualifies", TextArea).text == "Budget known"
        assert app.screen.query_one("#ho-hours", Input).value == "8"
        assert lines(handovers(app))[0].endswith("✔ agreed")
        choice = app.screen.query_one("#funnel-view-period", PeriodChoice)
        assert choice.label == "2027 Q1"
        assert app.screen.query_one("#period-label", Input).value == "2027 Q1"
        # the stage goes: the list and the hand-overs close up, the editor shows a neighbour
        svc.remove(next(s for s in svc.session.funnel_stages if s.id == 4))
        await pilot.pause(0.2)
        assert len(lines(stage_list(app))) == 6
        assert stage_list(app).key == 5 and name_field(app).value == "Opportunity"
        assert [line.split(" into ")[0] for line in lines(handovers(app))] == [
            "⇄ Marketing → Sales"
        ]
        assert app.screen.query_one("#ho-qualifies", TextArea).text == ""


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
        await reach_every_part(pilot)
        # the counts grid fits 80 columns with two periods and the targets
        g = grid(app)
        assert g.headers == ["Stage", "2026 Q4", "2027 Q1", "Target"]
        assert g.virtual_size.width <= g.size.width
        assert g.content_region.x + g.cell_region(7, "target").right <= 80
        assert g.cell_text(1, 1) == "1,000,000,000,000"  # never cut short
        # literal, escape never drawn raw (the name column is cut with "…" at this width)
        assert grid_row(app, 1).startswith("Reach [b]") and "\x1b" not in grid_row(app, 1)

        # the chart shows the first period chosen in the selector
        await choose_period(pilot, 1, "2026 Q4")
        chart = app.screen.query_one(FunnelChart)
        lines = chart.plain.splitlines()
        assert all(len(line) <= chart.content_region.width for line in lines)
        stage_lines = [line for line in lines if line[:3] in ("Mk ", "Sh ", "Sa ")]
        assert len(stage_lines) == 7
        assert stage_lines[0].startswith("Mk Reach [b]␛")  # literal, escape made visible
        assert "█" in stage_lines[0] and "1,000,000,000,000" in stage_lines[0]
        assert "▓" in stage_lines[3] and "100 · 33.3%" in stage_lines[3]
        assert "▒" in stage_lines[6] and "10 · 50.0%" in stage_lines[6]
        assert any("hand-over: Marketing → Shared" in line for line in lines)
        assert any("hand-over: Shared → Sales" in line for line in lines)
        assert "Mk Marketing" in lines[-1] and "Sa Sales" in lines[-1]

        # back to the latest period: the grid edits it (and 2026 Q4 beside it)
        await choose_period(pilot, 2, "2026 Q4", "2027 Q1")
        assert grid(app).cell_text(2, 1) == "1,000" and grid(app).cell_text(2, 2) == "—"
        # what it takes uses the latest period (no counts yet): unknown everywhere above won
        assert "Enter a revenue target" in rendered(app, "#wit-note")
        await type_into(pilot, "#plan-target", "500,000", clear=False)
        await type_into(pilot, "#plan-deal", "0", clear=False)
        assert "Average deal value must be more than 0" in reason(app, "plan-deal")
        assert not app.screen.query_one("#wit-table").display
        # another field's save does not clear the reason; fixing the value does
        await type_into(pilot, "#plan-currency", "€")
        assert reason(app, "plan-deal")
        await type_into(pilot, "#plan-deal", "10000")
        assert reason(app, "plan-deal") == ""
        await pilot.pause(0.1)
        assert "50 deals" in rendered(app, "#wit-note")
        rows = table_rows(app, "#wit-table")
        assert [r[1] for r in rows] == ["—"] * 6 + ["50"]
        # counts for the latest period: needs walk back up the funnel, rounded up
        await go_to(pilot, 2, 2)
        for c in ["1000", "300", "100", "0", "20", "10"]:
            await pilot.press(*c, "down")
        await pilot.pause(0.1)
        rows = table_rows(app, "#wit-table")
        # won 50 ← proposal 100; opportunity is 0: unknown from there up
        assert [r[1] for r in rows] == ["—", "—", "—", "—", "—", "100", "50"]
        await enter_count(pilot, 5, 2, "40")
        await pilot.pause(0.1)
        rows = table_rows(app, "#wit-table")
        assert [r[1] for r in rows] == ["—", "5,000", "1,500", "500", "200", "100", "50"]
        assert rows[-1][2] == "10" and rows[-1][3] == "+40"
    plan = saved(session_file).funnel_plan
    assert plan.revenue_target == 500_000 and plan.avg_deal_value == 10_000
    assert plan.currency == "€"


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
        # the step opens on its upper parts: the hand-overs, what it takes and the
        # step's actions wait below as titles, built when the room comes to them
        assert len(list(pane.walk_children())) < 45
        assert not pane.query(TextArea)
        await reach_every_part(pilot)
        # stages, hand-overs and counts are one widget each, not rows of fields
        # (the full hand-over agreement and the target's period are a fixed 15 more)
        assert len(list(pane.walk_children())) < 95
        assert len(pane.query(TextArea)) == 5  # one hand-over editor, whatever their number
        assert not pane.query(".reason")  # a reason's line comes when there is one
        assert len(lines(stage_list(app))) == 10
        # editable: the latest period and the one before it; all twelve in the table
        g = grid(app)
        assert g.headers == ["Stage", periods[-2].label, periods[-1].label, "Target"]
        assert len(g.plain.splitlines()) == 1 + 10 + 1
        assert grid_row(app, stages[-1].id).split()[-3:] == [
            f"{1000 - 450 + periods[-2].id:,}",
            f"{1000 - 450 + periods[-1].id:,}",
            "1,000",
        ]
        # (rewritten: the table is drawn as text now, fitted to the pane: the oldest
        # periods are left out at this width, and it says so)
        table = app.screen.query_one("#funnel-history", FigureTable)
        assert len(table.titles) == 13 and len(table.cells) == 10
        assert table_rows(app, "#funnel-history")[0][12] == f"{1000 + periods[-1].id:,} +0%"
        assert table.shown()[-1] == f"p{periods[-1].id}" and len(table.shown()) < 13
        assert "Not shown at this width: 2026 Q4" in table.plain


async def test_an_empty_funnel_gets_its_first_stage_and_period(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for stage in list(svc.session.funnel_stages):
        svc.remove(stage)
    for period in list(svc.session.funnel_periods):
        svc.remove(period)
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        lst = stage_list(app)
        assert lines(lst) == ["No stages yet: Insert (or Add stage) adds the first one."]
        # no stage: no editor line, and its buttons do nothing
        assert not app.screen.query_one("#stage-editor").display
        assert app.screen.query_one("#stage-remove").disabled
        assert lines(handovers(app))[0].startswith("No hand-over yet")
        assert not app.screen.query_one("#ho-editor").display
        assert not app.screen.query_one("#funnel-view-period").display
        assert app.screen.query_one("#period-label").disabled
        # (rewritten: the first stage comes from "Add stage", named in the editor line)
        await press_button(pilot, "#add-stage")
        await pilot.press(*"Reach", "enter")
        await type_into(pilot, "#new-period-label", "2027 Q1", clear=False)
        await pilot.pause(0.2)
        assert lst.key is not None and lines(lst)[0].startswith("  Reach")
        assert name_field(app).value == "Reach"
        choice = app.screen.query_one("#funnel-view-period", PeriodChoice)
        assert choice.display and choice.label == "2027 Q1"
        assert app.screen.query_one("#period-label", Input).value == "2027 Q1"
        assert grid(app).headers == ["Stage", "2027 Q1", "Target"]
    s = saved(session_file)
    assert [x.name for x in s.funnel_stages] == ["Reach"]
    assert s.funnel_stages[0].owner is Owner.SHARED
    assert [p.label for p in s.funnel_periods] == ["2027 Q1"]


# -- issue 11: keys in a live room ----------------------------------------------------


def pane(app: AlignmentApp) -> Widget:
    return app.screen.query_one("#pane-funnel")


def in_view(app: AlignmentApp, widget: Widget) -> bool:
    """Whether *widget* is wholly inside the part of the pane the room can see."""
    region = widget.region
    return bool(region) and pane(app).scrollable_content_region.contains_region(region)


def visible_text(app: AlignmentApp, widget: Widget) -> list[str]:
    """The lines of *widget* as the room sees them: cut where the pane's visible part ends."""
    seen = widget.region.intersection(pane(app).scrollable_content_region)
    # (outer size: a widget's border, e.g. the funnel's focus bar column, is part of it)
    strips = widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height))
    top, left = seen.y - widget.region.y, seen.x - widget.region.x
    return [s.crop(left, left + seen.width).text for s in strips[top : top + seen.height]]


async def test_a_refused_count_shows_its_reason_in_view(session_file: Path) -> None:
    """At 120x40 the reason of a refused count at the grid's bottom is on screen at once."""
    app = open_on_funnel(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ids = stage_ids(app)
        await enter_count(pilot, ids[-1], 1, "-5")
        await pilot.pause()
        await pilot.pause()
        assert "not saved (reason below)" in grid(app).plain.splitlines()[-1]
        why = [
            w
            for w in pane(app).query(Static)
            if w.display and "Count cannot be negative" in str(w.render())
        ]
        assert why, "no reason shown"
        assert in_view(app, why[0]), "the reason is below the visible part of the pane"
        assert in_view(app, grid(app))  # and the cell it is about stays in view


async def test_conversion_table_fits_beside_the_guidance(session_file: Path) -> None:
    """At 120x40 with the guidance shown, every percentage shows whole and "Change" is there."""
    svc = SessionService.open(session_file)
    later = svc.add(FunnelPeriod, label="2027 Q1")
    before = [20_000, 1_200, 400, 250, 100, 45, 12]
    now = [1_000, 500, 300, 100, 80, 60, 50]
    for sid, (a, b) in enumerate(zip(before, now, strict=True), start=1):
        svc.set_count(sid, 1, count=a)
        svc.set_count(sid, later.id, count=b)
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#guidance").display
        table = app.screen.query_one("#funnel-table")
        table.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        shown = visible_text(app, table)
        assert len(shown) >= 8
        assert "Overall" in shown[0] and "vs 2026 Q4" in shown[0]
        overall = ["100%", "50.0%", "30.0%", "10.0%", "8.00%", "6.00%", "5.00%"]
        for line, pct in zip(shown[1:8], overall, strict=True):
            assert f" {pct}" in line, (line, pct)
        assert "+38 (+316.7%)" in shown[7]  # the last stage's change: whole, not cut


# -- the same figures as the report ---------------------------------------------------

#: Two periods of the seven default stages, and the figures worked by hand for the later one.
DEMO_LIKE = (
    [48_000, 960, 310, 190, 92, 41, 12],
    [52_500, 1_180, 365, 248, 118, 52, 16],
    {
        # 1,180 / 52,500 = 2.2476%: conversion and overall are one ratio, printed once
        "conv": ["", "2.25%", "30.9%", "67.9%", "47.6%", "44.1%", "30.8%"],
        "overall": ["100%", "2.25%", "0.695%", "0.472%", "0.225%", "0.0990%", "0.0305%"],
        # 61.3% → 67.9% is +6.6 points
        "points": ["", "+0.25 pts", "-1.4 pts", "+6.6 pts", "-0.8 pts", "-0.5 pts", "+1.5 pts"],
        "line": "Overall conversion, Reach → Won: 0.0305%, +21.9% vs 2026 Q4 (0.0250%)",
    },
)
#: A stage at zero, and drop-offs (97.76%, 97.75%) that three digits would print alike.
ZERO_AND_FOURTH_DIGIT = (
    [10_000, 224, 56, 0, 0, 0, 0],
    [10_000, 225, 56, 14, 0, 0, 0],
    {
        "conv": ["", "2.250%", "24.89%", "25.00%", "0%", "—", "—"],
        "overall": ["100.0%", "2.250%", "0.5600%", "0.1400%", "0%", "0%", "0%"],
        "points": ["", "+0.010 pts", "-0.11 pts", "+25.00 pts", "—", "—", "—"],
        "line": "Overall conversion, Reach → Won: 0%, — vs 2026 Q4 (0%)",
    },
)


@pytest.mark.parametrize("funnel", [DEMO_LIKE, ZERO_AND_FOURTH_DIGIT], ids=["demo", "zero"])
async def test_conversion_table_prints_what_the_report_prints(
    session_file: Path, funnel: tuple[list[int], list[int], dict[str, list[str] | str]]
) -> None:
    before, now, expected = funnel
    svc = SessionService.open(session_file)
    later = svc.add(FunnelPeriod, label="2027 Q1")
    for sid, (a, b) in enumerate(zip(before, now, strict=True), start=1):
        svc.set_count(sid, 1, count=a)
        svc.set_count(sid, later.id, count=b)
    svc.close()
    report = _report_funnel(saved(session_file))
    at = report.index("### 2027 Q1")
    header, _align, *body = [
        [c.strip() for c in line.strip("|").split(" | ")]
        for line in report[at + 2 : at + 11]
        if line.startswith("|")
    ]
    report_line = next(line for line in report[at:] if line.startswith("Overall conversion"))

    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#funnel-table", FigureTable)
        keys = list(table.titles)
        assert table.titles["points"] == "Conv. change"
        assert "points" in table.shown()  # shown whole at this width
        rows = table_rows(app, "#funnel-table")
        ui = {key: [r[keys.index(key)] for r in rows] for key in keys}
        # the hand-worked figures
        assert ui["conv"] == expected["conv"]
        assert ui["overall"] == expected["overall"]
        assert ui["points"] == expected["points"]
        assert rendered(app, "#funnel-overall") == expected["line"] == report_line
        # ... and, cell for cell, the report's (which shows "—" where the UI leaves a blank)
        titles = {
            "conv": "Conversion",
            "drop": "Drop-off",
            "overall": "Overall",
            "change": "Change vs 2026 Q4",
            "points": "Conversion change",
        }
        for key, title in titles.items():
            column = [r[header.index(title)] for r in body]
            assert [c or "—" for c in ui[key]] == column, key
        # the chart prints the same rates
        chart = app.screen.query_one(FunnelChart).plain
        assert chart.splitlines()[0] == f"2027 Q1 · overall {expected['overall'][-1]}"
        assert f"{now[1]:,} · {ui['conv'][1]}" in chart


async def test_ctrl_arrows_jump_between_the_sections(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        stage_list(app).rows.focus()
        await pilot.pause()
        expect = [
            ("#funnel-counts", "#funnel-view-period"),
            ("#funnel-conversion", "#funnel-table"),
            ("#funnel-handovers", "#ho-list-rows"),
            ("#funnel-plan", "#plan-target"),
        ]
        for section, first in expect:
            await pilot.press("ctrl+down")
            await pilot.pause()
            assert app.focused is app.screen.query_one(first), section
            title = app.screen.query_one(section).query_one(".section-title")
            assert in_view(app, title), section  # the section's title is the landmark
        await pilot.press("ctrl+down")  # the last section: stays
        await pilot.pause()
        assert app.focused is app.screen.query_one("#plan-target")
        for _ in expect:
            await pilot.press("ctrl+up")
            await pilot.pause()
        assert app.focused is stage_list(app).rows


async def test_keys_after_a_step_change_land_in_the_funnel(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(FunnelPeriod, label="2027 Q1")
    svc.close()
    put_room_on_step(session_file, StepId.FEEDBACK)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pagedown")  # onto the funnel: the counts take the keys typed
        await pilot.pause()
        await pilot.pause()
        assert app.focused is grid(app)
        await pilot.press(*"1234", "enter")
        await pilot.pause()
        # into the chosen (latest) period's count for the first stage
        session = saved(session_file)
        assert [(c.count, c.period_id) for c in session.funnel_counts] == [
            (1234, session.funnel_periods[-1].id)
        ]
        # the stage list is a Ctrl+↑ away
        await pilot.press("ctrl+up")
        assert app.focused is stage_list(app).rows
        await pilot.press("down", "enter", "ctrl+u", *"Leads", "enter")
        await pilot.pause()
        assert saved(session_file).sorted_stages()[1].name == "Leads"
        # the field used last: back to it after a step away and back
        await go_to(pilot, 3, 1)
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        await pilot.pause()
        assert app.focused is grid(app)
        await pilot.press("4", "2", "enter")
        await pilot.pause()
    assert saved(session_file).count_for(3, 1).count == 42  # type: ignore[union-attr]


async def test_a_read_only_copy_looks_read_only(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.set_count(1, 1, count=500)
    svc.add(FunnelPeriod, label="2027 Q1")
    svc.close()
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        for selector in (
            "#stage-name",
            "#stage-owner",
            "#stage-up",
            "#stage-remove",
            "#add-stage",
            "#period-label",
            "#period-remove",
            "#new-period-label",
            "#add-period",
            "#ho-qualifies",
            "#ho-hours",
            "#plan-target",
            "#plan-deal",
            "#plan-currency",
        ):
            assert app.screen.query_one(selector).disabled, selector
        # keys that would change something do nothing; looking still works
        stage_list(app).rows.focus()
        await pilot.press("insert", "right", "alt+down")
        await pilot.pause()
        g = await go_to(pilot, 1, 2)
        await pilot.press("7", "delete", "enter")
        await pilot.pause()
        assert g.editing is None and "Read-only" in g.plain.splitlines()[-1]
        await choose_period(pilot, 1, "2026 Q4")  # another period can be looked at
    s = saved(session_file)
    assert [x.id for x in s.sorted_stages()] == [1, 2, 3, 4, 5, 6, 7]
    assert s.sorted_stages()[0].owner is Owner.MARKETING
    assert s.count_for(1, 1).count == 500  # type: ignore[union-attr]
    assert [c for c in s.funnel_counts if c.period_id != 1] == []

"""The workbook in the app: a funnel preset chosen by keys and by mouse, and when it is offered."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, OptionList, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.workbook_dialog import WorkbookDialog
from alignment_tui.sessions import workbook
from alignment_tui.sessions.models import Owner, StepId, new_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.funnel.stages import StageList
from step_helpers import put_room_on_step


def fresh_on_funnel(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.alignment.db"
    SessionService.create(path, new_session("Fresh start")).close()
    put_room_on_step(path, StepId.FUNNEL)
    return path


def preset(key: str) -> workbook.FunnelPreset:
    return next(p for p in workbook.load().funnel_presets() if p.key == key)


async def test_a_preset_fills_a_fresh_funnel_by_keys(tmp_path: Path) -> None:
    path = fresh_on_funnel(tmp_path)
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+up")  # from the counts to the stages
        await pilot.pause()
        stages = app.screen.query_one(StageList)
        assert stages.rows.has_focus
        assert any(
            b.id == "funnel.preset" for b in (x.binding for x in app.active_bindings.values())
        )
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        # the highlighted preset is shown whole before it is chosen
        detail = str(dialog.query_one("#workbook-detail", Static).content)
        assert "Lead" in detail and "Customer" in detail
        await pilot.press("down")
        await pilot.pause()
        detail = str(dialog.query_one("#workbook-detail", Static).content)
        assert "Sales-accepted" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WorkbookDialog)
        assert stages.rows.has_focus
        assert stages.rows.option_count == len(preset("b2b-waterfall").stages)
    saved = read_session(path)
    wanted = preset("b2b-waterfall")
    assert [(s.name, s.owner) for s in saved.sorted_stages()] == [
        (s.name, s.owner) for s in wanted.stages
    ]


async def test_a_preset_by_mouse_and_a_cancelled_one_changes_nothing(tmp_path: Path) -> None:
    path = fresh_on_funnel(tmp_path)
    before = [s.name for s in read_session(path).sorted_stages()]
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        button = app.screen.query_one("#stage-preset", Button)
        button.scroll_visible(animate=False)
        await pilot.pause()
        assert await pilot.click("#stage-preset")
        await pilot.pause()
        assert isinstance(app.screen, WorkbookDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert [s.name for s in read_session(path).sorted_stages()] == before
        assert await pilot.click("#stage-preset")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        options = dialog.query_one("#workbook-list", OptionList)
        options.highlighted = 2  # the inbound funnel
        await pilot.pause()
        assert await pilot.click("#workbook-use")
        await pilot.pause()
    saved = read_session(path)
    assert [s.name for s in saved.sorted_stages()] == [s.name for s in preset("inbound").stages]
    assert saved.sorted_stages()[0].owner is Owner.MARKETING


async def test_no_preset_is_offered_once_the_funnel_has_counts(tmp_path: Path) -> None:
    path = fresh_on_funnel(tmp_path)
    svc = SessionService.open(path)
    first = svc.session.sorted_stages()[0]
    svc.set_count(first.id, svc.session.funnel_periods[0].id, count=500)
    svc.close()
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert app.screen.query_one(StageList).rows.has_focus
        assert not app.screen.query_one("#stage-preset", Button).display
        assert all(x.binding.id != "funnel.preset" for x in app.active_bindings.values())
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, WorkbookDialog)
    assert read_session(path).count_for(first.id, 1) is not None


async def test_a_read_only_copy_offers_no_preset(tmp_path: Path) -> None:
    path = fresh_on_funnel(tmp_path)
    app = AlignmentApp(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#stage-preset", Button).display

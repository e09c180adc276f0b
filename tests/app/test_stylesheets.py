"""Every .tcss file is loaded once, at start, in one fixed order whatever step opens first."""

from __future__ import annotations

from pathlib import Path

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import StepId
from alignment_tui.stylesheets import PACKAGE, style_files
from step_helpers import put_room_on_step


def test_every_style_file_is_listed_exactly_once() -> None:
    on_disk = sorted(str(p) for p in PACKAGE.rglob("*.tcss"))
    listed = [str(p) for p in style_files()]
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)
    assert listed[0].endswith("app.tcss")


async def _sources(path: Path, step: StepId) -> list[str]:
    put_room_on_step(path, step)
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return [str(p) for p in style_files() if app.stylesheet.has_source(str(p), "")]


async def test_the_style_order_does_not_depend_on_the_first_step(session_file: Path) -> None:
    at_funnel = await _sources(session_file, StepId.FUNNEL)
    at_story = await _sources(session_file, StepId.STORY)
    assert at_funnel == at_story == [str(p) for p in style_files()]

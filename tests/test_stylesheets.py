"""Every .tcss file is loaded: at start, with its screen, with the workshop, or with a step's pane."""

from __future__ import annotations

from pathlib import Path

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import StepId
from alignment_tui.stylesheets import (
    APP_STYLE_NAMES,
    SCREEN_STYLE_NAMES,
    STEP_STYLE_NAMES,
    STYLES,
    WORKSHOP_BASE_STYLE_NAMES,
    WORKSHOP_STYLE_NAMES,
)
from step_helpers import put_room_on_step


def test_every_style_file_is_loaded_exactly_once() -> None:
    on_disk = sorted(p.stem for p in STYLES.glob("*.tcss"))
    listed = sorted(APP_STYLE_NAMES + SCREEN_STYLE_NAMES + WORKSHOP_STYLE_NAMES)
    assert listed == on_disk


def test_every_workshop_file_comes_with_the_workshop_or_a_step() -> None:
    assert set(STEP_STYLE_NAMES) == {step.value for step in StepId}
    loaded = set(WORKSHOP_BASE_STYLE_NAMES).union(*STEP_STYLE_NAMES.values())
    assert loaded == set(WORKSHOP_STYLE_NAMES)


async def test_a_steps_styles_are_loaded_with_its_pane(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def loaded(name: str) -> bool:
            return app.stylesheet.has_source(str(STYLES / f"{name}.tcss"), "")

        assert loaded("funnel") and loaded("workshop") and loaded("actions")
        assert not loaded("crm")
        app.screen.show_step(StepId.CRM)
        await pilot.pause()
        assert loaded("crm")
        title = app.screen.query_one("#pane-crm .section-title")
        assert title.styles.text_style.bold  # a crm.tcss rule, applied as the pane mounted
        assert title.styles.height is not None and title.styles.height.value == 1


async def test_help_and_dialog_styles_come_with_their_screens() -> None:
    """Not parsed at start-up; applied when the help screen first opens."""
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def loaded(name: str) -> bool:
            return app.stylesheet.has_source(str(STYLES / f"{name}.tcss"), "")

        assert not loaded("help") and not loaded("dialogs")
        await pilot.press("f1")
        await pilot.pause()
        assert loaded("help")
        box = app.screen.query_one("#help-box")
        assert box.styles.border.top[0] != ""  # a help.tcss rule reached the box

"""The shared stylesheets load at start in one fixed order; a room's load when it is first
used, and which room opens first cannot change a single style."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import StepId
from alignment_tui.steps import StepPane
from alignment_tui.stylesheets import (
    PACKAGE,
    SCREEN_ROOMS,
    STEP_FOLDERS,
    room_files,
    room_scopes,
    style_files,
)
from step_helpers import put_room_on_step

ROOMS = [*STEP_FOLDERS, *SCREEN_ROOMS]


#: The follow view is an app of its own with its own stylesheet (follow/app.py's CSS_PATH).
FOLLOW = PACKAGE / "follow"


def test_every_style_file_is_shared_or_in_exactly_one_room() -> None:
    on_disk = sorted(str(p) for p in PACKAGE.rglob("*.tcss") if FOLLOW not in p.parents)
    shared = [str(p) for p in style_files()]
    rooms = [str(p) for room in ROOMS for p in room_files(room)]
    assert sorted(shared + rooms) == on_disk
    assert len(set(shared + rooms)) == len(shared) + len(rooms)
    assert shared[0].endswith("app.tcss")


@pytest.mark.parametrize("room", ROOMS)
def test_every_rule_of_a_room_starts_with_its_scope(room: str) -> None:
    """A room's rule can only match inside that room, so load order between rooms is moot."""
    scopes = room_scopes(room)
    variables = AlignmentApp().get_css_variables()
    for path in room_files(room):
        sheet = Stylesheet(variables=variables)
        sheet.add_source(path.read_text(), read_from=(str(path), ""))
        sheet.parse()
        assert sheet.rules, path
        for rule in sheet.rules:
            for selector_set in rule.selector_set:
                first = selector_set.selectors[0].css
                assert first.startswith(scopes), f"{path.name}: {rule.css.splitlines()[0]}"


def _loaded(app: AlignmentApp) -> list[str]:
    """The app's .tcss files in the order its stylesheet holds them."""
    return [path for path, _ in app.stylesheet.source if path.endswith(".tcss")]


def _styles(pane: StepPane) -> list[tuple[str, str]]:
    """Every widget of *pane* with the CSS its rules gave it."""
    return [
        (f"{type(w).__name__}#{w.id}.{'.'.join(sorted(w.classes))}", w.styles.css)
        for w in pane.walk_children(with_self=True)
    ]


async def test_a_session_opens_with_only_its_own_rooms_styles(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        expected = [os.path.abspath(p) for p in style_files()] + [
            os.path.abspath(p) for room in ("workshop", "funnel") for p in room_files(room)
        ]
        assert _loaded(app) == expected
        await pilot.press("f1")  # the help screen brings its own
        await pilot.pause()
        assert _loaded(app) == expected + [os.path.abspath(p) for p in room_files("help")]


async def _story_styles(path: Path, first: StepId) -> list[tuple[str, str]]:
    put_room_on_step(path, first)
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if first is not StepId.STORY:
            await pilot.press("ctrl+pageup", "ctrl+pageup", "ctrl+pageup")  # funnel → story
            await pilot.pause()
        pane = app.screen.query_one("#pane-story", StepPane)
        assert pane.display
        return _styles(pane)


async def test_the_styles_do_not_depend_on_the_first_step(session_file: Path) -> None:
    opened_there = await _story_styles(session_file, StepId.STORY)
    reached_later = await _story_styles(session_file, StepId.FUNNEL)
    assert len(opened_there) > 20
    assert reached_later == opened_there

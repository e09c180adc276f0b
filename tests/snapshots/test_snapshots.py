"""Snapshot tests of the main screens, in both themes, at 80x24 and 120x40.

Each test builds the deterministic demo session (``sessions/demo.py``) into a
file and screenshots the real app with pytest-textual-snapshot. What would
change from run to run is pinned down here, without touching the app:

* the clock: the app's one clock (``sessions.clock``: the start screen's
  "Last edited", the actions panel's overdue marks, the review screen's date)
  is pinned, and the local time zone is UTC;
* paths: the test runs inside its tmp folder and gives the app *relative*
  paths, so the start screen, the detail line and the export dialog show
  ``sessions/…`` instead of a tmp path that differs on every run;
* the cursor: blinking is switched off in every input before the screenshot;
* toasts are cleared so they hide nothing;
* the timer's nudge (its line lit while a step's timer is not running) comes at
  once and stays lit, so every workshop picture shows it where the step's timer
  is idle or paused within its timebox;
* the theme: ``ALIGNMENT_TUI_THEME`` (read by the settings, as a user's
  config would be).

Update with ``pytest tests/test_snapshots.py --snapshot-update`` and look at
every changed SVG before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions import clock as app_clock
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import Session, StepId, new_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.timer import StepTimer

#: "Now" for every snapshot: a week and a half after the demo workshop, so
#: some demo actions are overdue (the mark shows) and others are not.
FROZEN_NOW = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)

DARK = "alignment"
LIGHT = "alignment-projector"
SMALL = (80, 24)
LARGE = (120, 40)

#: Relative to the test's tmp folder (the working directory during a test).
DATA = Path("sessions")
DEMO = DATA / "kestrel.alignment.db"


@pytest.fixture
def utc() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc: None) -> Path:
    """A pinned clock, relative paths, and the demo session written to ``DEMO``."""
    app_clock.set(FROZEN_NOW)  # conftest puts the wall clock back after the test
    # The nudge to start the timer lights the timer line for a few seconds: long
    # enough here that a slow machine takes the same picture.
    # It comes a moment after a step is shown; here at once, so that no picture
    # depends on how fast the machine took it.
    monkeypatch.setattr(StepTimer, "NUDGE_SECONDS", 3600.0)
    monkeypatch.setattr(StepTimer, "NUDGE_AFTER", 0.0)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGNMENT_TUI_DATA_DIR", str(DATA))
    DATA.mkdir()
    return tmp_path


def write(path: Path, session: Session, *, step: StepId | None = None) -> Path:
    if step is not None:
        session.meta = session.meta.model_copy(update={"current_step": step})
    SessionService.create(path, session).close()
    return path


def second_session() -> Session:
    """A new session edited shortly before "now", listed above the demo."""
    session = new_session(
        "Q1 kick-off",
        organisation="Acme Tools",
        workshop_date=dt.date(2027, 1, 12),
        facilitator="Fran",
    )
    stamp = FROZEN_NOW - dt.timedelta(minutes=25)
    session.meta = session.meta.model_copy(update={"created_at": stamp, "updated_at": stamp})
    return session


def use_theme(monkeypatch: pytest.MonkeyPatch, theme: str) -> None:
    monkeypatch.setenv("ALIGNMENT_TUI_THEME", theme)


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers and lazy mounts finish, then stop every cursor from blinking."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    # Toasts (e.g. an answer to a key) would hide the screen.
    pilot.app.clear_notifications()
    await pilot.pause()


def keys(*presses: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await pilot.pause()
            await settle(pilot)

    return run_before


Snap = Callable[..., bool]

# Each screen at 80x24 in the dark theme and at 120x40 in the light one; the
# two workshop steps and the review also at 80x24 in the light theme, where
# room and contrast are tightest.
CASES = [
    pytest.param(DARK, SMALL, id="dark-80x24"),
    pytest.param(LIGHT, LARGE, id="light-120x40"),
]
MORE_CASES = [*CASES, pytest.param(LIGHT, SMALL, id="light-80x24")]


@pytest.mark.parametrize(("theme", "size"), CASES)
def test_start_screen_with_two_sessions(
    snap_compare: Snap,
    world: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
) -> None:
    write(DEMO, demo_session())
    write(DATA / "q1-kick-off.alignment.db", second_session())
    use_theme(monkeypatch, theme)
    assert snap_compare(AlignmentApp(), terminal_size=size, run_before=keys())


async def show_people(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#setup-people").scroll_visible(animate=False, top=True)
    await settle(pilot)


@pytest.mark.parametrize(("theme", "size"), CASES)
def test_workshop_setup_step(
    snap_compare: Snap,
    world: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
) -> None:
    write(DEMO, demo_session(), step=StepId.SETUP)
    use_theme(monkeypatch, theme)
    assert snap_compare(AlignmentApp(DEMO), terminal_size=size, run_before=keys())


def test_workshop_setup_people_light_80x24(
    snap_compare: Snap, world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The people table at 80 columns: the role is cut short, the lead mark stays."""
    write(DEMO, demo_session(), step=StepId.SETUP)
    use_theme(monkeypatch, LIGHT)
    assert snap_compare(AlignmentApp(DEMO), terminal_size=SMALL, run_before=show_people)


@pytest.mark.parametrize(("theme", "size"), MORE_CASES)
def test_workshop_funnel_step(
    snap_compare: Snap,
    world: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
) -> None:
    write(DEMO, demo_session(), step=StepId.FUNNEL)
    use_theme(monkeypatch, theme)
    assert snap_compare(AlignmentApp(DEMO), terminal_size=size, run_before=keys())


@pytest.mark.parametrize(("theme", "size"), MORE_CASES)
def test_review_screen(
    snap_compare: Snap,
    world: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
) -> None:
    write(DEMO, demo_session(), step=StepId.SETUP)
    use_theme(monkeypatch, theme)
    assert snap_compare(AlignmentApp(DEMO), terminal_size=size, run_before=keys("ctrl+r"))


@pytest.mark.parametrize(("theme", "size"), CASES)
def test_export_dialog(
    snap_compare: Snap,
    world: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
) -> None:
    write(DEMO, demo_session(), step=StepId.SETUP)
    use_theme(monkeypatch, theme)
    assert snap_compare(AlignmentApp(DEMO), terminal_size=size, run_before=keys("f7"))


@pytest.mark.parametrize(("theme", "size"), CASES)
def test_help_screen(
    snap_compare: Snap,
    world: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
) -> None:
    write(DEMO, demo_session(), step=StepId.SETUP)
    use_theme(monkeypatch, theme)
    assert snap_compare(AlignmentApp(DEMO), terminal_size=size, run_before=keys("f1"))

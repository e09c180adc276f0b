"""The next workshop from the start screen: f on a session, the form, and the earlier file untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.screens.new_session import NewSessionScreen
from alignment_tui.screens.start import StartScreen
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions import paths
from alignment_tui.sessions.carry import STILL_OPEN
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from screen_text import record_notifications


def demo_in_data_folder() -> Path:
    path = paths.session_path_for("Kestrel demo")
    SessionService.create(path, demo_session()).close()
    return path


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_next_workshop_from_the_start_screen_by_keys() -> None:
    earlier = demo_in_data_folder()
    before = hashlib.sha256(earlier.read_bytes()).hexdigest()
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewSessionScreen)
        carried = str(form.query_one("#new-carried", Static).content)
        earlier_session = demo_session()
        still_open = sum(a.status in STILL_OPEN for a in earlier_session.actions)
        assert f"{len(earlier_session.participants)} people" in carried
        assert f"{still_open} open actions" in carried
        title = form.query_one("#new-title", Input)
        assert title.value == earlier_session.meta.title and title.has_focus
        await pilot.press(*"Kestrel Q1 review")  # the title is selected: typing replaces it
        await pilot.press("f2")  # no people rows to add in a follow-up: nothing happens
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        created = app.screen.service.path
    assert hashlib.sha256(earlier.read_bytes()).hexdigest() == before
    nxt = read_session(created)
    assert nxt.meta.title == "Kestrel Q1 review"
    assert [p.name for p in nxt.participants] == [p.name for p in earlier_session.participants]
    assert nxt.funnel_counts == [] and nxt.signoffs == []
    assert len(nxt.actions) == still_open


async def test_a_damaged_session_is_no_start_for_the_next_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = paths.session_path_for("Broken")
    bad.write_bytes(b"not a session")
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert any("session that opens" in n for n in notes)
    assert bad.read_bytes() == b"not a session"

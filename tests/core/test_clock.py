"""The app's one clock: tests (and the processes they start) decide what "today" is."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alignment_tui.sessions import clock as app_clock
from alignment_tui.sessions.models import new_session, now
from alignment_tui.sessions.parse import parse_date
from alignment_tui.sessions.store import read_session
from conftest import PINNED_AT, PinnedClock

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_the_fixture_fixes_today_for_the_whole_core(clock: PinnedClock) -> None:
    assert clock.today() == PINNED_AT.date() == app_clock.today()
    assert new_session("x").meta.workshop_date == PINNED_AT.date()
    assert parse_date("+2w") == PINNED_AT.date() + dt.timedelta(weeks=2)
    assert parse_date("today") == PINNED_AT.date()
    assert now() == clock.now().replace(microsecond=0)
    assert now().tzinfo is not None and now().utcoffset() == dt.timedelta(0)


def test_crossing_midnight(clock: PinnedClock) -> None:
    clock.set(dt.datetime(2026, 12, 4, 23, 59, 59))
    assert parse_date("today") == dt.date(2026, 12, 4)
    clock.advance(2)
    assert parse_date("today") == dt.date(2026, 12, 5)
    assert app_clock.local_now().replace(tzinfo=None) == dt.datetime(2026, 12, 5, 0, 0, 1)


def test_a_running_clock_goes_on_from_where_it_was_set() -> None:
    start = dt.datetime(2026, 12, 4, 23, 59, 59, 900_000)
    with app_clock.pinned(start, running=True):
        first = app_clock.local_now().replace(tzinfo=None)
        assert start <= first < start + dt.timedelta(minutes=1)
        assert app_clock.local_now().replace(tzinfo=None) >= first
    with app_clock.pinned(dt.date(2030, 1, 2)):
        assert app_clock.today() == dt.date(2030, 1, 2)
        assert app_clock.local_now().hour == 12  # a date alone is its noon
    assert abs(app_clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_the_environment_fixes_it_for_other_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(app_clock.ENV_VAR, "2026-12-04T23:59:58")
    assert app_clock.local_now().replace(tzinfo=None) == dt.datetime(2026, 12, 4, 23, 59, 58)
    app_clock.set(dt.date(2031, 5, 6))  # set in the process: it wins
    assert app_clock.today() == dt.date(2031, 5, 6)
    app_clock.reset()
    assert app_clock.today() == dt.date(2026, 12, 4)

    target = tmp_path / "new.alignment.db"
    env = {**os.environ, "PYTHONPATH": SRC, app_clock.ENV_VAR: "2026-12-05"}
    proc = subprocess.run(
        [sys.executable, "-m", "alignment_tui", "new", str(target), "--no-open"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert read_session(target).meta.workshop_date == dt.date(2026, 12, 5)


def test_a_bad_value_in_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(app_clock.ENV_VAR, "next tuesday")
    with pytest.raises(ValueError, match="ALIGNMENT_TUI_TODAY='next tuesday': expected a date"):
        app_clock.today()

"""Shared fixtures: a private data folder per test, the app's clock, ready-made sessions."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from alignment_tui.sessions import clock as app_clock
from alignment_tui.sessions.models import Participant, Session, Team, new_session
from alignment_tui.sessions.service import SessionService

#: A memory-backed folder for the tests' files, when the machine has one with room to spare.
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_FOLDER_ROOM = 1 << 30


def _tmp_in_memory() -> None:
    """Put ``tmp_path`` (pytest's temporary root) in memory, not on the disk.

    Every commit of a session file waits for the disk (SQLite syncs it), and the
    tests commit thousands of times: making one session file took 0.8 s on a
    disk in use, 0.13 s in memory, and the tests' saves wait likewise. What the
    tests prove does not change: the same SQLite files are written, read and
    locked the same way, and a killed process leaves the same file in memory as
    on a disk (only a power cut would differ, which no test makes). The crash
    tests keep their files on the disk anyway (see test_crash_safety.py).

    Only when nobody chose a root (``PYTEST_DEBUG_TEMPROOT``, ``--basetemp``) and
    the folder is writable with a gigabyte free; otherwise the usual place.
    pytest keeps its numbered folders and cleans them up there as it does in /tmp.
    """
    if "PYTEST_DEBUG_TEMPROOT" in os.environ:
        return
    try:
        usable = os.access(MEMORY_FOLDER, os.W_OK | os.X_OK) and (
            shutil.disk_usage(MEMORY_FOLDER).free >= MEMORY_FOLDER_ROOM
        )
    except OSError:
        usable = False
    if usable:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(MEMORY_FOLDER)


_tmp_in_memory()

#: Where the ``clock`` fixture starts: a fixed local moment, far from any test run's wall clock.
PINNED_AT = dt.datetime(2026, 12, 4, 10, 0, 0)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "crash: kills child processes many times (slow; run alone with -m crash)",
    )


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the real user data or config folders; the wall clock unless a test sets it."""
    monkeypatch.setenv("ALIGNMENT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALIGNMENT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv(app_clock.ENV_VAR, raising=False)
    yield
    app_clock.reset()


class PinnedClock:
    """The app's clock, fixed for one test (and for the processes the test starts).

    ``today()`` and ``now()`` are what the app sees; a test compares dates with
    them, never with the wall clock, so it passes on either side of midnight.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch

    def set(self, when: dt.datetime | dt.date | str, *, running: bool = False) -> None:
        """Fix the clock at *when* (naive times are local)."""
        app_clock.set(when, running=running)
        self._export()

    def advance(self, seconds: float) -> None:
        """Move the clock on (to cross midnight, say)."""
        app_clock.advance(seconds)
        self._export()

    def today(self) -> dt.date:
        return app_clock.today()

    def now(self) -> dt.datetime:
        return app_clock.now()

    def _export(self) -> None:
        # A subprocess started by the test reads the same moment from the environment.
        self._monkeypatch.setenv(app_clock.ENV_VAR, app_clock.now().isoformat())


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[PinnedClock]:
    """The app's clock fixed at :data:`PINNED_AT` for this test."""
    pinned = PinnedClock(monkeypatch)
    pinned.set(PINNED_AT)
    yield pinned
    app_clock.reset()


def four_people() -> list[Participant]:
    return [
        Participant(id=1, name="Sam Sales", team=Team.SALES, role="VP Sales", is_lead=True),
        Participant(id=2, name="Mia Marketing", team=Team.MARKETING, role="CMO", is_lead=True),
        Participant(id=3, name="Ravi", team=Team.SALES, role="Account executive"),
        Participant(id=4, name="Lena", team=Team.MARKETING, role="Demand generation"),
    ]


@pytest.fixture
def session() -> Session:
    return new_session(
        "Q4 alignment",
        organisation="Acme",
        workshop_date=dt.date(2026, 11, 27),
        facilitator="Fran",
        participants=four_people(),
    )


@pytest.fixture
def session_file(tmp_path: Path, session: Session) -> Path:
    path = tmp_path / "q4.alignment.db"
    SessionService.create(path, session).close()
    return path

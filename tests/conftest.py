"""Shared fixtures: a private data folder per test, and ready-made sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alignment_tui.sessions.models import Participant, Session, Team, new_session
from alignment_tui.sessions.service import SessionService


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data or config folders."""
    monkeypatch.setenv("ALIGNMENT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALIGNMENT_TUI_CONFIG_DIR", str(tmp_path / "config"))


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

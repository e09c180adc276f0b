"""The next workshop from an earlier one: what is carried, what stays behind, the earlier file untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment_tui import cli
from alignment_tui.sessions.carry import STILL_OPEN, next_workshop
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import ActionStatus
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "earlier.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_agreements_are_carried_and_the_day_stays_behind() -> None:
    earlier = demo_session()
    assert earlier.funnel_counts and earlier.signoffs  # the demo has both to leave behind
    assert any(a.status not in STILL_OPEN for a in earlier.actions)
    nxt = next_workshop(earlier, title="Q1 follow-up", workshop_date=dt.date(2027, 2, 3))

    assert nxt.meta.title == "Q1 follow-up" and nxt.meta.workshop_date == dt.date(2027, 2, 3)
    assert nxt.meta.organisation == earlier.meta.organisation
    assert nxt.meta.facilitator == earlier.meta.facilitator
    assert nxt.meta.next_review is None
    for attr in (
        "participants",
        "goals",
        "behaviours",
        "pillars",
        "proof_points",
        "retired_messages",
        "crm_grants",
        "feedback_items",
        "funnel_stages",
        "handovers",
    ):
        assert getattr(nxt, attr) == getattr(earlier, attr), attr
    assert nxt.story == earlier.story and nxt.crm == earlier.crm
    assert nxt.feedback == earlier.feedback and nxt.funnel_plan == earlier.funnel_plan
    # left behind
    assert nxt.funnel_counts == [] and nxt.signoffs == [] and nxt.reviews == []
    assert [p.label for p in nxt.funnel_periods] == ["2027 Q1"]
    assert all(item.spent_seconds == 0 for item in nxt.agenda)
    assert [a.id for a in nxt.actions] == [a.id for a in earlier.actions if a.status in STILL_OPEN]
    assert all(a.status in (ActionStatus.OPEN, ActionStatus.DOING) for a in nxt.actions)


def test_new_from_an_earlier_file_leaves_it_byte_identical(demo_file: Path, tmp_path: Path) -> None:
    before = digest(demo_file)
    target = tmp_path / "next.alignment.db"
    result = CliRunner().invoke(
        cli.cli,
        ["new", str(target), "--from", str(demo_file), "--title", "Next round", "--no-open"],
    )
    assert result.exit_code == 0, result.output
    assert digest(demo_file) == before
    assert not demo_file.with_name(demo_file.name + "-wal").exists()
    carried = read_session(target)
    earlier = read_session(demo_file)
    assert carried.meta.title == "Next round"
    assert [p.name for p in carried.participants] == [p.name for p in earlier.participants]
    assert carried.funnel_counts == [] and carried.signoffs == []
    assert len(carried.actions) == sum(a.status in STILL_OPEN for a in earlier.actions)


def test_new_from_keeps_the_earlier_title_unless_told(demo_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "again.alignment.db"
    result = CliRunner().invoke(
        cli.cli, ["new", str(target), "--from", str(demo_file), "--no-open"]
    )
    assert result.exit_code == 0, result.output
    assert read_session(target).meta.title == demo_session().meta.title


@pytest.mark.parametrize("content", [None, b"not a session at all", b"SQLite format 3\x00junk"])
def test_new_from_a_missing_or_damaged_file_says_so_and_creates_nothing(
    tmp_path: Path, content: bytes | None
) -> None:
    earlier = tmp_path / "earlier.alignment.db"
    if content is not None:
        earlier.write_bytes(content)
    target = tmp_path / "next.alignment.db"
    result = CliRunner().invoke(cli.cli, ["new", str(target), "--from", str(earlier), "--no-open"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert not target.exists()
    if content is not None:
        assert earlier.read_bytes() == content

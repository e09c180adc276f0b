"""The "since the last review" pack: golden files for the demo after its second review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment_tui import cli
from alignment_tui.sessions.demo_review import demo_with_reviews
from alignment_tui.sessions.export import render
from alignment_tui.sessions.models import Goal, Review
from alignment_tui.sessions.review_pack import render_review_pack, render_review_pack_html
from alignment_tui.sessions.store import SessionStore
from conftest import PinnedClock

GOLDEN = Path(__file__).parent / "golden"


def _golden(name: str, text: str) -> None:
    # After an intended change: ALIGNMENT_TUI_UPDATE_GOLDEN=1 pytest tests/core/test_review_pack.py,
    # then read the diff.
    if os.environ.get("ALIGNMENT_TUI_UPDATE_GOLDEN"):
        (GOLDEN / name).write_bytes(text.encode("utf-8"))
    assert text == (GOLDEN / name).read_bytes().decode("utf-8")


def test_pack_of_the_demo_after_two_reviews_matches_golden(clock: PinnedClock) -> None:
    text = render(demo_with_reviews(), "review")
    _golden("demo_reviews.review.md", text)
    # what the directors look for, said plainly
    assert "review of 2027-01-14 · since the review of 2026-11-26" in text
    assert "| Sales-accepted | 190 | 248 | +58 (+30.5%) | 61.3% | 67.9% | +6.6 pts |" in text
    assert "| Sales-accepted → Opportunity | 48 h | 55 h | — | 9% | **missed** (response) |" in text
    assert "of the 4 the fortnightly cadence asked for: **not met as agreed**" in text
    assert "due moved from 2026-12-01 to 2027-01-20" in text


def test_pack_html_goes_through_the_reports_page(clock: PinnedClock) -> None:
    page = render(demo_with_reviews(), "review-html")
    _golden("demo_reviews.review.html", page)
    assert page.startswith("<!DOCTYPE html>") and "<h2>" not in page  # one printed document
    assert "<svg" not in page and "<table>" in page
    assert page == render_review_pack_html(demo_with_reviews())


def test_pack_does_not_depend_on_the_clock(clock: PinnedClock) -> None:
    first = render_review_pack(demo_with_reviews())
    clock.set("2031-06-01T08:00:00")
    assert render_review_pack(demo_with_reviews()) == first


def test_pack_without_a_review_looks_at_today_and_escapes_user_text(clock: PinnedClock) -> None:
    session = demo_with_reviews()
    session.reviews = []
    session.goal_values = []
    session.handover_figures = []
    session.goals.append(Goal(id=9, position=9, statement="Fix *this* | now", target="2 # x"))
    text = render_review_pack(session)
    assert f"no review recorded yet; as of {clock.today().isoformat()}" in text
    assert "since the workshop (2026-11-20)" in text
    assert "| Fix \\*this\\* \\| now | 2 \\# x | — | no value recorded |" in text


def test_a_review_with_notes_full_of_markup_stays_literal() -> None:
    session = demo_with_reviews()
    session.reviews[1] = Review(
        id=2, held_on=session.reviews[1].held_on, notes="<b>x</b>\n# not a heading"
    )
    text = render_review_pack(session)
    assert "\\<b\\>x\\</b\\>  \n\\# not a heading" in text


def test_cli_writes_the_pack_as_markdown_or_as_a_web_page(
    tmp_path: Path, clock: PinnedClock
) -> None:
    path = tmp_path / "demo.alignment.db"
    session = demo_with_reviews()
    SessionStore.create(path, session).close(session)
    runner = CliRunner()
    result = runner.invoke(cli.cli, ["export", str(path), "--format", "review"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(session, "review")
    page = tmp_path / "pack.html"
    result = runner.invoke(cli.cli, ["export", str(path), "--format", "review", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text() == render(session, "review-html")
    assert "Wrote review (web page)" in result.stderr
    again = runner.invoke(cli.cli, ["export", str(path), "--format", "review", "-o", str(page)])
    assert again.exit_code == 2 and "--force" in again.stderr


@pytest.mark.parametrize("fmt", ["review"])
def test_pack_of_a_fresh_session(fmt: str, session_file: Path, clock: PinnedClock) -> None:
    from alignment_tui.sessions.store import read_session

    text = render(read_session(session_file), fmt)
    assert "No joint goals were agreed." in text
    assert "No hand-over agreement is written." in text

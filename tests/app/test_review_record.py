"""The review screen on the demo after two reviews: look without recording, start on purpose,
record goal values and hand-over figures, reopen and see them with their trend.

The clock is pinned (the ``clock`` fixture) on the day the demo's next review is due,
2027-04-08; no date comes from the wall clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.screens.review import ReviewScreen
from alignment_tui.sessions.demo_review import demo_with_reviews
from alignment_tui.sessions.review import sparkline
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from conftest import PinnedClock
from screen_text import widget_text
from test_review import start_review

REVIEW_DAY = dt.datetime(2027, 4, 8, 10, 0)


@pytest.fixture
def demo_file(tmp_path: Path, clock: PinnedClock) -> Path:
    clock.set(REVIEW_DAY)
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_with_reviews()).close()
    return path


def recorded(path: Path) -> tuple[object, ...]:
    """Everything a review records, as the file holds it."""
    s = read_session(path)
    return (s.reviews, s.goal_values, s.handover_figures, s.meta.next_review)


def rows(screen: ReviewScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_opening_the_demo_review_records_nothing(demo_file: Path) -> None:
    before = recorded(demo_file)
    app = AlignmentApp(demo_file, review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert recorded(demo_file) == before
        intro = str(screen.query_one("#review-intro", Static).content)
        assert "nothing recorded" in intro and "since the review of 2027-01-14" in intro
        # goals against targets, with their values at both reviews as a trend
        goals = rows(screen, "#review-goals")
        assert goals[0][0].startswith("1. Grow qualified pipeline")
        assert "target: 260 per quarter" in goals[0][0]
        assert goals[0][1:6] == ["236", "248", "+12", sparkline([236, 248]), "✘ no"]
        assert goals[1][1:6] == ["7.5", "5.5", "-2", sparkline([7.5, 5.5]), "✘ no"]
        # the funnel's change per stage in points, with each stage's conversion trend
        funnel = {row[0]: row for row in rows(screen, "#review-funnel")}
        assert funnel["Sales-accepted"][4:6] == ["67.9%", "+6.6"]
        # hand-overs as measured at the last review, flagged when missed
        handovers = rows(screen, "#review-handovers")
        assert handovers[1][0] == "Sales-accepted → Opportunity"
        assert handovers[1][2:] == ["55 h", "9%", "MISSED"]
        assert handovers[0][2:] == ["22 h", "11%", "✔ met"]
        loop = str(screen.query_one("#review-loop", Static).content)
        assert loop == (
            "Met 0 of 6 times agreed since the review of 2027-01-14 (fortnightly): "
            "NOT met as agreed"
        )
        since = str(screen.query_one("#review-since", Static).content)
        assert "Slipped (open past due, or due date moved) since the review" in since
        # an open action says what it aims at after its text
        aims = {r[1].split(" → ")[0]: r[1] for r in rows(screen, "#review-actions")}
        booking = aims["Book first meetings from the proposal stage within two days"]
        assert booking.endswith(" → Stage: Proposal")
        # nothing to write into before the review is started
        assert not screen.query_one("#review-goal-fields").display
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        # ctrl+r from the workshop opens the same look
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        message = str(app.screen.query_one("#confirm-message", Static).content)
        assert message.startswith("Records a review held on 2027-04-08")
        # the demo's latest period is the last review's: this one's counts get a new one
        assert "with a new funnel period 2027 Q2 for its counts" in message
        await pilot.press("n")  # not now
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        app.exit()
    assert recorded(demo_file) == before


async def test_start_record_and_reopen_with_the_trend(demo_file: Path) -> None:
    app = AlignmentApp(demo_file, review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await start_review(pilot)
        s = read_session(demo_file)
        assert [r.held_on for r in s.reviews][-1] == dt.date(2027, 4, 8)
        # started with a funnel period of its own for its counts (the latest was looked
        # at by the review of 2027-01-14)
        period = next(p for p in s.funnel_periods if p.id == s.reviews[-1].period_id)
        assert period.label == "2027 Q2" and period.starts == dt.date(2027, 4, 8)
        # the focus is in the first goal's field: two goal values, then the first
        # hand-over's response time and a share returned that is not a number
        assert screen.focused is not None and screen.focused.id == "review-goal-1"
        # (Tab passes the third goal and the button that adds a funnel period)
        await pilot.press(*"255", "tab", *"4.5", "tab", "tab", "tab")
        assert screen.focused.id == "review-handover-1-hours"
        await pilot.press(*"20", "tab", *"lots", "enter")
        await pilot.pause()
        reason = screen.query_one("#review-handover-1-returned-reason", Static)
        assert reason.display and "Leads returned" in str(reason.content)
        returned = screen.query_one("#review-handover-1-returned", Input)
        assert returned.value == "lots" and returned.has_class("-invalid")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)

    s = read_session(demo_file)
    review = max(s.reviews, key=lambda r: r.held_on)
    assert review.held_on == dt.date(2027, 4, 8) and len(s.reviews) == 3
    values = {v.goal_id: v.value for v in s.goal_values if v.review_id == review.id}
    assert values == {1: 255, 2: 4.5}
    figures = [
        (f.handover_id, f.response_hours, f.returned_pct)
        for f in s.handover_figures
        if f.review_id == review.id
    ]
    assert figures == [(1, 20, None)]

    # Reopened the same day: the review recorded is the one shown, with its values and trend.
    app = AlignmentApp(demo_file, review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        intro = str(screen.query_one("#review-intro", Static).content)
        assert intro.startswith("The review of 2027-04-08 (recorded)")
        assert screen.query_one("#review-goal-1", Input).value == "255"
        assert screen.query_one("#review-goal-2", Input).value == "4.5"
        assert screen.query_one("#review-handover-1-hours", Input).value == "20"
        goals = rows(screen, "#review-goals")
        assert goals[0][1:6] == ["248", "255", "+7", sparkline([236, 248, 255]), "✘ no"]
        assert goals[1][1:6] == ["5.5", "4.5", "-1", sparkline([7.5, 5.5, 4.5]), "✔ yes"]
        assert len(goals[0][4]) == 3
        handovers = rows(screen, "#review-handovers")
        assert handovers[0][2:] == ["20 h", "—", "✔ met"]
        assert not screen.query_one("#review-start").display
        app.exit()
    assert len(read_session(demo_file).reviews) == 3


async def test_read_only_review_cannot_be_started(demo_file: Path) -> None:
    before = recorded(demo_file)
    app = AlignmentApp(demo_file, readonly=True, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.check_action("start_review", ()) is None
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        note = str(screen.query_one("#review-record-note", Static).content)
        assert "read-only" in note
        app.exit()
    assert recorded(demo_file) == before


async def test_f7_writes_the_review_pack_beside_the_session(demo_file: Path) -> None:
    """The review screen's F7 writes the 'since the last review' pack, never over a file."""
    from alignment_tui.sessions.export import render

    target = demo_file.with_name("demo.review-2027-04-08.md")
    app = AlignmentApp(demo_file, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        for _ in range(50):
            if target.exists():
                break
            await pilot.pause(0.05)
        assert target.read_text() == render(read_session(demo_file), "review")
        target.write_text("keep me")
        await pilot.press("f7")
        await pilot.pause(0.3)
        assert target.read_text() == "keep me"
        app.exit()


async def test_a_loop_meeting_is_recorded_by_keys_and_counted(demo_file: Path) -> None:
    """Without starting the review: a meeting held, by keys at 80x24. A date that is not
    one, or after today, is refused with its reason under the row and nothing is written;
    a good one is recorded with its note (literal) and counted against the cadence."""
    before = read_session(demo_file)
    app = AlignmentApp(demo_file, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("tab", "tab")  # past Start and "Add a period"
        date = screen.query_one("#review-meeting-date", Input)
        assert date.has_focus
        for typed, reason in (
            ("2027-02-30", "Meeting date: 2027-02-30 is not a real date"),
            ("2027-05-01", "Meeting date: 2027-05-01 is after today; record a meeting once it"),
        ):
            await pilot.press("ctrl+u", *typed, "enter")
            await pilot.pause()
            shown = screen.query_one("#review-meeting-date-reason", Static)
            assert shown.display and str(shown.content).startswith(reason)
            assert any("Meeting date:" in row for row in widget_text(shown))
            assert date.value == typed and date.has_focus
        assert read_session(demo_file).loop_meetings == before.loop_meetings

        await pilot.press("ctrl+u", *"2027-02-09", "tab", *"[b]brief[/b] shown", "enter")
        await pilot.pause()
        assert not screen.query_one("#review-meeting-date-reason", Static).display
        assert date.value == "" and date.has_focus
        loop = str(screen.query_one("#review-loop", Static).content)
        assert loop.splitlines() == [
            "Met 1 of 6 times agreed since the review of 2027-01-14 (fortnightly): "
            "NOT met as agreed",
            "Held: 2027-02-09 ([b]brief[/b] shown)",
        ]
        # the same day twice is refused
        await pilot.press(*"2027-02-09", "enter")
        await pilot.pause()
        shown = screen.query_one("#review-meeting-date-reason", Static)
        assert shown.display and "already recorded" in str(shown.content)
        app.exit()
    after = read_session(demo_file)
    added = [m for m in after.loop_meetings if m not in before.loop_meetings]
    assert [(m.held_on, m.notes) for m in added] == [(dt.date(2027, 2, 9), "[b]brief[/b] shown")]
    assert after.reviews == before.reviews  # a meeting recorded starts no review

"""The review meeting: opening it records nothing; a review is started on purpose (F5 and a
confirmation), then holds its notes and next date; open actions first (overdue marked).

The figures since the last review, and recording goal values and hand-over figures, are
tested in test_review_record.py.

Dates come from the app's clock (the ``clock`` fixture), never from the wall
clock: a test that took "today" when it was imported failed when run across
midnight, because the app took its own "today" later.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.screens.review import ReviewScreen, next_period_label, review_order
from alignment_tui.sessions.models import ActionStatus, FunnelPeriod, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from conftest import PinnedClock


def _prepare(path: Path, today: dt.date) -> None:
    svc = SessionService.open(path)
    svc.add_action("Later task", StepId.GOALS, owner_id=2, due=today + dt.timedelta(days=10))
    svc.add_action("Overdue task", StepId.CRM, owner_id=4, due=today - dt.timedelta(days=5))
    svc.add_action("Finished task", StepId.STORY, status=ActionStatus.DONE)
    svc.add_action("Undated task", StepId.FUNNEL)
    first = svc.session.sorted_periods()[0]
    svc.add(FunnelPeriod, label="Earlier")
    # make "Earlier" come first and the default period last
    svc.move(svc.session.sorted_periods()[-1], -1)
    earlier = next(p for p in svc.session.funnel_periods if p.label == "Earlier")
    reach = svc.session.sorted_stages()[0]
    svc.set_count(reach.id, earlier.id, count=800)
    svc.set_count(reach.id, first.id, count=1000)
    svc.close()


def test_review_order_puts_overdue_first() -> None:
    from alignment_tui.sessions.models import Action

    today = dt.date(2026, 12, 4)
    actions = [
        Action(id=1, text="b", due=today + dt.timedelta(days=1)),
        Action(id=2, text="a", due=today - dt.timedelta(days=1)),
        Action(id=3, text="c"),
        Action(id=4, text="d", status=ActionStatus.DONE, due=today - dt.timedelta(days=9)),
    ]
    assert [a.id for a in review_order(actions, today)] == [2, 1, 3]


def test_next_period_label_avoids_duplicates() -> None:
    today = dt.date(2026, 12, 4)
    assert next_period_label([], today) == "2026 Q4"
    taken = [FunnelPeriod(id=1, label="2026 Q4")]
    assert next_period_label(taken, today) == "Review 2026-12-04"


async def start_review(pilot: Pilot[Any]) -> None:
    """Start the review by keys: F5, then yes to the confirmation."""
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("y")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)


async def test_review_meeting_flow(session_file: Path, clock: PinnedClock) -> None:
    _prepare(session_file, clock.today())
    app = AlignmentApp(session_file, review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # opening the review records nothing
        assert read_session(session_file).reviews == []
        assert not screen.query_one("#review-own-fields").display
        table = screen.query_one("#review-actions", DataTable)
        first_row = [str(c) for c in table.get_row_at(0)]
        assert first_row[1] == "Overdue task"
        assert "OVERDUE" in first_row[4]
        assert table.row_count == 3  # the done action is not listed
        funnel = screen.query_one("#review-funnel", DataTable)
        reach_row = [str(c) for c in funnel.get_row_at(0)]
        assert reach_row[:4] == ["Reach", "800", "1,000", "+200 (+25.0%)"]
        # tick the overdue action done with space
        table.focus()
        await pilot.press("space")
        await pilot.pause()
        # add a new period for this review (its button, by keys: Shift+Tab back to it
        # from the table, over the loop meeting's button and fields)
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert screen.focused is not None and screen.focused.id == "review-add-period"
        await pilot.press("enter")
        await pilot.pause()
        assert read_session(session_file).reviews == []
        await start_review(pilot)
        assert screen.query_one("#review-own-fields").display
        # write notes and the next review date
        screen.query_one("#review-notes").focus()
        await pilot.press(*"Pipeline up")
        screen.query_one("#review-next").focus()
        await pilot.press(*"+4w", "enter")
        await pilot.pause()
        note = str(screen.query_one("#review-actions-note", Static).content)
        assert "1 overdue" not in note
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)

    svc = SessionService.open(session_file)
    s = svc.session
    svc.close()
    overdue = next(a for a in s.actions if a.text == "Overdue task")
    assert overdue.status is ActionStatus.DONE
    assert len(s.funnel_periods) == 3
    today = clock.today()
    assert [r.held_on for r in s.reviews] == [today]
    assert s.reviews[0].notes == "Pipeline up"
    assert s.reviews[0].next_review == today + dt.timedelta(weeks=4)
    assert s.meta.next_review == today + dt.timedelta(weeks=4)


async def _write_notes(app: AlignmentApp, pilot: Pilot[Any], notes: str, next_review: str) -> None:
    """Type the review's notes and its next date, then leave the review."""
    screen = app.screen
    screen.query_one("#review-notes").focus()
    await pilot.press(*notes)
    screen.query_one("#review-next").focus()
    await pilot.press(*next_review, "enter")
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, ReviewScreen)


async def test_review_started_after_midnight_is_held_on_the_new_day(
    session_file: Path, clock: PinnedClock
) -> None:
    """The date the test takes first (as an import-time TODAY did) is not the date recorded."""
    clock.set(dt.datetime(2026, 12, 4, 23, 59, 59))
    taken_early = clock.today()
    _prepare(session_file, taken_early)
    clock.advance(2)  # midnight passes before the app starts
    app = AlignmentApp(session_file, review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.sub_title == "2026-12-05"
        await start_review(pilot)
        await _write_notes(app, pilot, "After midnight", "+1w")

    s = read_session(session_file)
    today = clock.today()
    assert today == dt.date(2026, 12, 5) != taken_early
    assert [(r.held_on, r.notes) for r in s.reviews] == [(today, "After midnight")]
    assert s.meta.next_review == today + dt.timedelta(weeks=1)


async def test_midnight_during_a_review_keeps_it_one_review(
    session_file: Path, clock: PinnedClock
) -> None:
    """A review that runs past midnight stays the review of the day it was opened; on the
    next day the screen opens looking again, and a second review is a second choice."""
    clock.set(dt.datetime(2026, 12, 4, 23, 59, 59))
    _prepare(session_file, clock.today())
    app = AlignmentApp(session_file, review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.sub_title == "2026-12-04"
        clock.advance(2)
        await start_review(pilot)
        screen.query_one("#review-add-period", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        await _write_notes(app, pilot, "Ran late", "2026-12-18")

    s = read_session(session_file)
    assert [(r.held_on, r.notes) for r in s.reviews] == [(dt.date(2026, 12, 4), "Ran late")]
    added = s.sorted_periods()[-1]
    assert (added.label, added.starts) == ("Review 2026-12-04", dt.date(2026, 12, 4))
    # the period added after the review was started is the one it looks at
    assert s.reviews[0].period_id == added.id

    # Opened again on the new day: a look, nothing recorded, until started.
    app = AlignmentApp(session_file, review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.sub_title == "2026-12-05"
        intro = str(app.screen.query_one("#review-intro", Static).content)
        assert "since the review of 2026-12-04" in intro and "nothing recorded" in intro
        assert [r.held_on for r in read_session(session_file).reviews] == [dt.date(2026, 12, 4)]
        await start_review(pilot)
        app.exit()
    s = read_session(session_file)
    assert [r.held_on for r in s.reviews] == [dt.date(2026, 12, 4), dt.date(2026, 12, 5)]

"""The review meeting: open actions first (overdue marked), funnel change, a recorded review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.screens.review import ReviewScreen, next_period_label, review_order
from alignment_tui.sessions.models import ActionStatus, FunnelPeriod, StepId
from alignment_tui.sessions.service import SessionService

TODAY = dt.date.today()


def _prepare(path: Path) -> None:
    svc = SessionService.open(path)
    svc.add_action("Later task", StepId.GOALS, owner_id=2, due=TODAY + dt.timedelta(days=10))
    svc.add_action("Overdue task", StepId.CRM, owner_id=4, due=TODAY - dt.timedelta(days=5))
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

    actions = [
        Action(id=1, text="b", due=TODAY + dt.timedelta(days=1)),
        Action(id=2, text="a", due=TODAY - dt.timedelta(days=1)),
        Action(id=3, text="c"),
        Action(id=4, text="d", status=ActionStatus.DONE, due=TODAY - dt.timedelta(days=9)),
    ]
    assert [a.id for a in review_order(actions, TODAY)] == [2, 1, 3]


def test_next_period_label_avoids_duplicates() -> None:
    quarter = f"{TODAY.year} Q{(TODAY.month - 1) // 3 + 1}"
    assert next_period_label([], TODAY) == quarter
    taken = [FunnelPeriod(id=1, label=quarter)]
    assert next_period_label(taken, TODAY) == f"Review {TODAY.isoformat()}"


async def test_review_meeting_flow(session_file: Path) -> None:
    _prepare(session_file)
    app = AlignmentApp(session_file, review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one("#review-actions", DataTable)
        first_row = [str(c) for c in table.get_row_at(0)]
        assert first_row[1] == "Overdue task"
        assert "OVERDUE" in first_row[4]
        assert table.row_count == 3  # the done action is not listed
        funnel = screen.query_one("#review-funnel", DataTable)
        reach_row = [str(c) for c in funnel.get_row_at(0)]
        assert reach_row[2:5] == ["800", "1,000", "▲ +200 (+25%)"]
        # tick the overdue action done with space
        table.focus()
        await pilot.press("space")
        await pilot.pause()
        # add a new period for this review
        await pilot.click("#review-add-period")
        await pilot.pause()
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
    assert [r.held_on for r in s.reviews] == [TODAY]
    assert s.reviews[0].notes == "Pipeline up"
    assert s.meta.next_review == TODAY + dt.timedelta(weeks=4)

"""Reviews through the service, and what a review shows, on hand-made periods (no clock read)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alignment_tui.sessions import store
from alignment_tui.sessions.models import (
    ActionStatus,
    Cadence,
    FunnelPeriod,
    FunnelStage,
    Goal,
    Owner,
    StepId,
    Weekday,
)
from alignment_tui.sessions.review import (
    actions_since,
    conversion_trends,
    funnel_change,
    goal_progress,
    handover_performance,
    loop_attendance,
    lower_is_better,
    meeting_day,
    period_for_new_review,
    review_window,
    scheduled_meetings,
    sparkline,
    target_number,
)
from alignment_tui.sessions.service import ChangeRefused, SessionService
from alignment_tui.sessions.targets import target_name, target_short
from conftest import PinnedClock

D = dt.date.fromisoformat


@pytest.fixture
def svc(session_file: Path, clock: PinnedClock) -> SessionService:
    """The session of 2026-11-27 with four stages and three hand-made periods."""
    clock.set("2026-11-27T15:00:00")
    service = SessionService.open(session_file)
    s = service.session
    service.replace_stages(
        [
            ("Enquiry", Owner.MARKETING),
            ("Qualified", Owner.MARKETING),
            ("Accepted", Owner.SALES),
            ("Won", Owner.SALES),
        ]
    )
    q4 = s.funnel_periods[0]
    service.update(q4, label="2026 Q4")
    q1 = service.add(FunnelPeriod, label="2027 Q1")
    q2 = service.add(FunnelPeriod, label="2027 Q2")
    ids = {st.name: st.id for st in s.funnel_stages}
    counts = {
        # Enquiry, Qualified, Accepted, Won
        q4.id: (1000, 200, 0, 0),  # a stage at zero
        q1.id: (1200, 300, 60, 12),
        q2.id: (1100, 330, 99, 20),
    }
    for pid, row in counts.items():
        for name, n in zip(("Enquiry", "Qualified", "Accepted", "Won"), row, strict=True):
            service.set_count(ids[name], pid, count=n)
    return service


def _stage(svc: SessionService, name: str) -> FunnelStage:
    return next(st for st in svc.session.funnel_stages if st.name == name)


def test_starting_a_review_is_one_record_on_purpose(
    svc: SessionService, clock: PinnedClock
) -> None:
    s = svc.session
    before = len(s.reviews)
    window = review_window(s, today=clock.today())  # looking records nothing
    assert window.review is None and len(s.reviews) == before
    clock.set("2027-01-14T10:00:00")
    review = svc.start_review(new_period="2027 Q3 ")
    period = next(p for p in s.funnel_periods if p.id == review.period_id)
    assert (review.held_on, period.label, period.starts) == (
        D("2027-01-14"),
        "2027 Q3",
        D("2027-01-14"),
    )
    with pytest.raises(ChangeRefused, match="already recorded"):
        svc.start_review()
    with pytest.raises(ChangeRefused, match="already exists"):
        svc.start_review(D("2027-01-15"), new_period="2027 q3")
    latest = svc.start_review(D("2027-01-16"))
    assert latest.period_id == period.id  # the latest period by default
    svc.set_next_review(latest, "2027-04-08")
    assert s.meta.next_review == D("2027-04-08")
    # in the file at once, not only once another save writes the session's details
    assert store.read_session(svc.path).meta.next_review == D("2027-04-08")
    svc.set_next_review(review, "2027-02-01")  # an earlier review: the session's date stays
    assert s.meta.next_review == D("2027-04-08")
    with pytest.raises(ChangeRefused, match="Next review"):
        svc.set_next_review(latest, "2027-01-01")
    svc.set_review_notes(latest, "Counts in")
    svc.close()
    again = store.read_session(svc.path)
    assert [r.notes for r in again.reviews if r.id == latest.id] == ["Counts in"]
    assert again.meta.next_review == D("2027-04-08")


def test_goal_values_over_reviews_against_the_target(svc: SessionService) -> None:
    goal = svc.add(Goal, statement="Grow pipeline", target="260 per quarter")
    speed = svc.add(Goal, statement="Meet fast", target="Under 5 working days")
    words = svc.add(Goal, statement="One story", target="Everyone tells it")
    r1 = svc.start_review(D("2026-12-10"))
    r2 = svc.start_review(D("2027-01-14"))
    svc.set_goal_value(r1, goal, "236")
    svc.set_goal_value(r2, goal, "1,260")
    svc.set_goal_value(r2, goal, 261)  # changed
    svc.set_goal_value(r1, speed, "6.5")
    svc.set_goal_value(r2, speed, "5")
    svc.set_goal_value(r2, words, "most of the sales team")
    with pytest.raises(ChangeRefused, match="at most 200"):
        svc.set_goal_value(r2, words, "x" * 201)
    progress = goal_progress(svc.session, review_window(svc.session, r2))
    grow, fast, story = progress
    assert grow.trend == [236, 261] and grow.target == 260 and grow.reached
    assert grow.change == 25
    assert fast.lower_is_better and fast.trend == [6.5, 5] and fast.reached is False  # not under 5
    assert story.now is not None and story.now.shown == "most of the sales team"
    assert story.reached is None
    svc.set_goal_value(r2, words, "  ")  # blank removes it
    assert len([v for v in svc.session.goal_values if v.goal_id == words.id]) == 0
    # at the first review, the later value is not yet there
    first = goal_progress(svc.session, review_window(svc.session, r1))[0]
    assert first.trend == [236] and first.before is None


def test_target_numbers_and_directions() -> None:
    assert target_number("260 per quarter") == 260
    assert target_number("1,200 enquiries") == 1200
    assert target_number("30% win rate") == 30
    assert target_number("Everyone tells it") is None
    assert target_number("from 200 to 300") is None  # two readings: no verdict
    assert lower_is_better("Under 5 working days") and lower_is_better("at most 24 h")
    assert not lower_is_better("260 per quarter")
    assert sparkline([1, None, 3, 2]) == "▁ █▅"


def test_stage_change_in_points_and_per_cent_with_a_stage_at_zero_and_a_new_stage(
    svc: SessionService,
) -> None:
    s = svc.session
    q4, q1, q2 = s.sorted_periods()
    # a stage added after Q4 was counted: no count before
    new = svc.add(FunnelStage, name="Meeting", owner=Owner.SALES)
    svc.move(new, -1)
    svc.move(next(st for st in s.funnel_stages if st.id == new.id), -1)
    svc.set_count(new.id, q1.id, count=40)
    svc.set_count(new.id, q2.id, count=50)
    r1 = svc.start_review(D("2026-12-10"), period_id=q4.id)
    r2 = svc.start_review(D("2027-01-14"), period_id=q1.id)
    change = funnel_change(s, review_window(s, r2))
    assert (change.base_period, change.period) == (q4, q1)
    rows = {r.name: r for r in change.rows}
    assert [r.name for r in change.rows] == ["Enquiry", "Qualified", "Meeting", "Accepted", "Won"]
    enquiry = rows["Enquiry"]
    assert (enquiry.count_before, enquiry.count, enquiry.change_abs) == (1000, 1200, 200)
    assert enquiry.change_rel == pytest.approx(0.2) and enquiry.points is None  # first stage
    qualified = rows["Qualified"]  # 20% -> 25%
    assert qualified.points == pytest.approx(5.0)
    meeting = rows["Meeting"]  # new: nothing before
    assert meeting.count_before is None and meeting.change_abs is None and meeting.points is None
    accepted = rows["Accepted"]  # 0 in Q4: no change in per cent, conversion from Meeting
    assert (accepted.count_before, accepted.change_abs, accepted.change_rel) == (0, 60, None)
    assert accepted.conversion == pytest.approx(60 / 40) and accepted.conversion_before is None
    won = rows["Won"]  # after a stage at zero: no conversion before (no division by zero)
    assert won.conversion_before is None and won.conversion == pytest.approx(0.2)
    assert won.points is None
    # the first review compares with the period before its own
    first = funnel_change(s, review_window(s, r1))
    assert first.base_period is None and all(r.change_abs is None for r in first.rows)
    assert r1.id != r2.id


def test_a_removed_stage_and_an_action_aimed_at_it(svc: SessionService, clock: PinnedClock) -> None:
    s = svc.session
    q4, q1, _q2 = s.sorted_periods()
    clock.set("2026-11-28T09:00:00")
    aimed = svc.add_action("Score leads before passing them", StepId.FUNNEL, due="2026-12-20")
    svc.link_action(aimed, stage_id=_stage(svc, "Qualified").id)
    r1 = svc.start_review(D("2026-12-10"), period_id=q4.id)
    clock.set("2027-01-05T09:00:00")
    svc.toggle_action(next(a for a in s.actions if a.id == aimed.id))
    r2 = svc.start_review(D("2027-01-14"), period_id=q1.id)
    before = {r.name: r for r in funnel_change(s, review_window(s, r2)).rows}
    assert [a.id for a in before["Qualified"].done] == [aimed.id]
    svc.remove(_stage(svc, "Qualified"))
    rows = {r.name: r for r in funnel_change(s, review_window(s, r2)).rows}
    assert "Qualified" not in rows
    # Accepted now converts from Enquiry, in both periods alike: 0/1000 -> 60/1200
    assert rows["Accepted"].conversion_before == 0 and rows["Accepted"].conversion == pytest.approx(
        0.05
    )
    assert rows["Accepted"].points == pytest.approx(5.0)
    action = next(a for a in s.actions if a.id == aimed.id)
    assert target_name(s, action) == "Stage: Qualified (removed)"
    # cut for the actions table, the "(removed)" stays in view
    assert target_short(s, action) == "Stage: Qualified (removed)"
    assert target_short(s, action, width=20) == "Stage: Qu… (removed)"
    since = actions_since(s, review_window(s, r2))
    assert [a.id for a in since.done] == [aimed.id]  # still counted as done in between
    trends = {t.name: t.rates for t in conversion_trends(s)}
    assert list(trends) == ["Accepted", "Won"]
    assert [rate for _label, rate in trends["Won"]] == [
        None,
        pytest.approx(0.2),
        pytest.approx(20 / 99),
    ]
    assert r1.held_on < r2.held_on


def test_actions_done_slipped_moved_and_new_since_the_last_review(
    svc: SessionService, clock: PinnedClock
) -> None:
    s = svc.session
    goal = svc.add(Goal, statement="Grow pipeline", target="260")
    clock.set("2026-11-27T11:00:00")  # the workshop's day
    overdue = svc.add_action("Share the dashboard", StepId.CRM, due="2026-12-05")
    moved = svc.add_action("Rewrite the home page", StepId.STORY, due="2027-01-30")
    svc.update(moved, due="2027-01-31")  # changed the day it was written: a correction
    assert not next(a for a in s.actions if a.id == moved.id).due_moved
    done = svc.add_action("Book the round-table", StepId.FEEDBACK, due="2026-12-20")
    svc.link_action(done, goal_id=goal.id)
    r1 = svc.start_review(D("2026-12-10"))
    clock.set("2026-12-20T09:00:00")
    svc.update(next(a for a in s.actions if a.id == moved.id), due="2027-02-28")
    svc.set_action_status(next(a for a in s.actions if a.id == done.id), ActionStatus.DONE)
    fresh = svc.add_action("Publish a case study", StepId.GOALS, due="2027-03-31")
    r2 = svc.start_review(D("2027-01-14"))
    m = next(a for a in s.actions if a.id == moved.id)
    assert (m.first_due, m.due, m.due_moved_on) == (
        D("2027-01-31"),
        D("2027-02-28"),
        D("2026-12-20"),
    )
    since = actions_since(s, review_window(s, r2))
    assert [a.id for a in since.done] == [done.id]
    assert [a.id for a in since.slipped] == [overdue.id, moved.id]
    assert [a.id for a in since.new] == [fresh.id]
    at_first = actions_since(s, review_window(s, r1))
    assert [a.id for a in at_first.slipped] == [overdue.id]  # 2026-12-05 < 2026-12-10
    assert at_first.done == [] and at_first.new == []  # written on the workshop's day
    grow = goal_progress(s, review_window(s, r2))[0]
    assert [a.id for a in grow.done] == [done.id]
    # ticked open again: the day it was done is forgotten
    svc.toggle_action(next(a for a in s.actions if a.id == done.id))
    assert next(a for a in s.actions if a.id == done.id).done_on is None
    with pytest.raises(ChangeRefused, match="not both"):
        svc.link_action(m, goal_id=goal.id, stage_id=1)
    with pytest.raises(ChangeRefused, match="no longer there"):
        svc.link_action(m, stage_id=999)


def test_handover_performance_against_the_agreement(svc: SessionService) -> None:
    s = svc.session
    accepted = _stage(svc, "Accepted")
    agreement = svc.handover_for(accepted.id)
    svc.update(agreement, response_hours=24, returned_pct_max=10)
    r1 = svc.start_review(D("2026-12-10"))
    r2 = svc.start_review(D("2027-01-14"))
    svc.set_handover_figures(r1, agreement, response_hours="30", returned_pct="8%")
    svc.set_handover_figures(r2, agreement, response_hours=20)
    svc.set_handover_figures(r2, agreement, returned_pct="12,5")
    with pytest.raises(ChangeRefused, match=r"Leads returned \(%\)"):
        svc.set_handover_figures(r2, agreement, returned_pct="lots")
    with pytest.raises(ChangeRefused, match=r"100\.0 or less"):
        svc.set_handover_figures(r2, agreement, returned_pct=120)
    [first] = handover_performance(s, review_window(s, r1))
    assert first.label == "Qualified → Accepted"
    assert first.response_missed is True and first.returned_missed is False and first.missed
    [second] = handover_performance(s, review_window(s, r2))
    assert second.figure is not None and (
        second.figure.response_hours,
        second.figure.returned_pct,
    ) == (20, 12.5)
    assert second.response_missed is False and second.returned_missed is True
    assert second.before is not None and second.before.response_hours == 30
    svc.update(agreement, draft=True)  # a draft agreement has nothing agreed to miss
    [draft] = handover_performance(s, review_window(s, r2))
    assert draft.missed is False and draft.agreed_hours is None
    svc.set_handover_figures(r2, agreement, response_hours=None, returned_pct=None)
    assert s.handover_figures and all(f.review_id == r1.id for f in s.handover_figures)


def test_loop_met_against_the_cadence(svc: SessionService) -> None:
    s = svc.session
    svc.update(
        s.feedback,
        cadence=Cadence.FORTNIGHTLY,
        weekday=Weekday.TUESDAY,
        first_meeting="2026-12-01",
        forum="Round-table",
    )
    assert scheduled_meetings(s, D("2026-11-27"), D("2026-12-31")) == [
        D("2026-12-01"),
        D("2026-12-15"),
        D("2026-12-29"),
    ]
    r1 = svc.start_review(D("2027-01-14"))
    for day in ("2026-12-01", "2026-12-15"):
        svc.add_loop_meeting(day)
    with pytest.raises(ChangeRefused, match="already recorded"):
        svc.add_loop_meeting("2026-12-15")
    with pytest.raises(ChangeRefused, match="Date"):
        svc.add_loop_meeting("2026-12-32")
    loop = loop_attendance(s, review_window(s, r1))
    # since the workshop (2026-11-27): 12-01, 12-15, 12-29 and 01-12 were due
    assert (len(loop.held), loop.expected, loop.met) == (2, 4, False)
    svc.add_loop_meeting("2027-01-05", notes="moved from the 29th")
    svc.add_loop_meeting("2027-01-12")
    assert loop_attendance(s, review_window(s, r1)).met is True
    svc.update(s.feedback, cadence=Cadence.MONTHLY)  # first Tuesday of the month
    assert scheduled_meetings(s, D("2026-11-27"), D("2027-03-31")) == [
        D("2026-12-01"),
        D("2027-01-05"),
        D("2027-02-02"),
        D("2027-03-02"),
    ]


def test_review_figures_in_one_call_for_the_screen(svc: SessionService, clock: PinnedClock) -> None:
    from alignment_tui.sessions.review import review_figures

    s = svc.session
    look = review_figures(s, today=D("2027-01-14"))  # a look: nothing recorded
    assert look.window.review is None and s.reviews == []
    assert look.window.end == D("2027-01-14") and look.funnel.period == s.sorted_periods()[-1]
    review = svc.start_review(D("2027-01-14"))
    again = review_figures(s, today=D("2027-01-14"))  # today's review is the one looked at
    assert again.window.review == review
    assert [t.name for t in again.trends] == ["Qualified", "Accepted", "Won"]


def test_a_meeting_day_is_a_real_day_not_after_today() -> None:
    today = D("2027-04-08")
    assert meeting_day("2027-02-09", today) == D("2027-02-09")
    assert meeting_day(" today ", today) == today
    for typed, reason in (
        ("", "Meeting date is required"),
        ("2027-02-30", "not a real date"),
        ("soon", "must be a date"),
        ("2027-04-09", "is after today"),
        ("+1d", "is after today"),
    ):
        with pytest.raises(ValueError, match=reason):
            meeting_day(typed, today)


def test_a_new_review_gets_a_period_of_its_own_when_the_latest_was_looked_at(
    svc: SessionService,
) -> None:
    s = svc.session
    latest = s.sorted_periods()[-1]
    assert period_for_new_review(s) == latest  # no review has looked at it yet
    svc.start_review(D("2027-04-08"))
    assert period_for_new_review(s) is None  # the latest is that review's now
    review = svc.start_review(D("2027-07-08"), new_period="2027 Q3")
    added = next(p for p in s.funnel_periods if p.id == review.period_id)
    assert added.label == "2027 Q3" and added is s.sorted_periods()[-1]
    assert period_for_new_review(s) is None

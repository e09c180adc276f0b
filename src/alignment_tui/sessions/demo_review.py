"""The demo session after its second review (2027-01-14): the example of follow-through.

Built on :func:`.demo.demo_session` (which is left as it is: other golden files
depend on it), adding what two reviews record: each joint goal's value at both,
the hand-overs' achieved figures, the loop's meetings, actions aimed at a goal
or a stage, done between the reviews, moved, or new since the first. Fully
deterministic (nothing reads the clock): it is the golden "since the last
review" pack's session, and a ready example for the review screen's tests.

Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt

from .demo import DANA, LENA, PRIYA, demo_session
from .models import (
    Action,
    ActionStatus,
    GoalValue,
    HandoverFigure,
    LoopMeeting,
    Review,
    Session,
    StepId,
)

D = dt.date.fromisoformat
SECOND_REVIEW = D("2027-01-14")


def _at(day: str, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(D(day), dt.time(hour, minute), tzinfo=dt.UTC)


def demo_with_reviews() -> Session:
    """The demo as it stands after the review of 2027-01-14 (two reviews recorded)."""
    session = demo_session()
    first = session.reviews[0].model_copy(
        update={"period_id": 2, "next_review": SECOND_REVIEW}  # 2026 Q4, counted to date
    )
    second = Review(
        id=2,
        held_on=SECOND_REVIEW,
        period_id=2,  # 2026 Q4, counted in full
        next_review=D("2027-04-08"),
        notes="Q4 closed: sales-accepted leads up, but proposals wait too long for a "
        "first meeting. The round-table skipped the holiday week.",
    )
    session.reviews = [first, second]
    session.meta = session.meta.model_copy(
        update={"next_review": D("2027-04-08"), "updated_at": _at("2027-01-14", "16:05")}
    )
    session.goal_values = [
        # goal 1: sales-accepted leads per quarter (260); 2: days to first meeting (under 5);
        # 3: win rate with a case study (30%)
        GoalValue(id=1, review_id=1, goal_id=1, value=236),
        GoalValue(id=2, review_id=1, goal_id=2, value=7.5),
        GoalValue(id=3, review_id=1, goal_id=3, text="not measured yet: no CRM field"),
        GoalValue(id=4, review_id=2, goal_id=1, value=248),
        GoalValue(id=5, review_id=2, goal_id=2, value=5.5),
        GoalValue(id=6, review_id=2, goal_id=3, value=24),
    ]
    session.handovers = [
        h.model_copy(update={"returned_pct_max": 15.0}) if h.id == 1 else h
        for h in session.handovers
    ]
    session.handover_figures = [
        HandoverFigure(id=1, review_id=1, handover_id=1, response_hours=30, returned_pct=18),
        HandoverFigure(id=2, review_id=1, handover_id=2, response_hours=40),
        HandoverFigure(id=3, review_id=2, handover_id=1, response_hours=22, returned_pct=11),
        HandoverFigure(id=4, review_id=2, handover_id=2, response_hours=55, returned_pct=9),
    ]
    session.loop_meetings = [
        LoopMeeting(id=1, held_on=D("2026-12-01")),
        LoopMeeting(id=2, held_on=D("2026-12-15"), notes="First campaign brief shown"),
        LoopMeeting(id=3, held_on=D("2027-01-12")),
    ]
    changes: dict[int, dict[str, object]] = {
        # done before the first review
        1: {"done_on": D("2026-11-23")},
        2: {"done_on": D("2026-11-25")},
        9: {"done_on": D("2026-11-24")},
        # done between the reviews, aimed at a goal or a stage
        3: {"status": ActionStatus.DONE, "done_on": D("2026-12-11"), "target_goal_id": 2},
        11: {"status": ActionStatus.DONE, "done_on": D("2027-01-08"), "target_stage_id": 4},
        # moved, still open
        10: {"due": D("2027-01-20"), "first_due": D("2026-12-01"), "due_moved_on": D("2026-12-02")},
        # still open, aimed at a stage
        5: {"target_stage_id": 5},
    }
    session.actions = [
        a.model_copy(update=changes[a.id]) if a.id in changes else a for a in session.actions
    ]
    session.actions += [
        Action(
            id=13,
            text="Put a booking link on every campaign landing page",
            step=StepId.FUNNEL,
            owner_id=PRIYA,
            due=D("2026-12-18"),
            status=ActionStatus.DONE,
            created_at=_at("2026-11-27", "15:00"),
            done_on=D("2026-12-16"),
            target_goal_id=2,
        ),
        Action(
            id=14,
            text="Publish the first manufacturing case study",
            step=StepId.GOALS,
            owner_id=LENA,
            due=D("2027-02-15"),
            created_at=_at("2026-12-03", "09:30"),
            target_goal_id=3,
        ),
        Action(
            id=15,
            text="Book first meetings from the proposal stage within two days",
            step=StepId.FUNNEL,
            owner_id=DANA,
            due=D("2027-02-01"),
            created_at=_at("2027-01-14", "15:40"),
            target_stage_id=6,
        ),
    ]
    return Session.model_validate(session.model_dump())

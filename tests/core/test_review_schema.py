"""Schema 5's records: what they refuse, and what happens when what they point at is removed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from alignment_tui.sessions import store
from alignment_tui.sessions.models import (
    Action,
    FunnelPeriod,
    FunnelStage,
    Goal,
    GoalValue,
    HandoverFigure,
    LoopMeeting,
    Review,
    Session,
    StepId,
)
from alignment_tui.sessions.service import ChangeRefused, SessionService


def test_a_goal_value_is_a_number_or_a_short_text() -> None:
    assert GoalValue(review_id=1, goal_id=1, value=250).value == 250
    assert GoalValue(review_id=1, goal_id=1, text="  on track ").text == "on track"
    with pytest.raises(ValidationError, match="both are empty"):
        GoalValue(review_id=1, goal_id=1)
    with pytest.raises(ValidationError, match="not both"):
        GoalValue(review_id=1, goal_id=1, value=1, text="one")
    for bad in ("many", float("nan"), float("inf"), 1e16):
        with pytest.raises(ValidationError):
            GoalValue(review_id=1, goal_id=1, value=bad)
    with pytest.raises(ValidationError, match="at most 200"):
        GoalValue(review_id=1, goal_id=1, text="x" * 201)


def test_handover_figures_are_hours_and_a_share() -> None:
    f = HandoverFigure(review_id=1, handover_id=1, response_hours="20.5", returned_pct=12)
    assert (f.response_hours, f.returned_pct) == (20.5, 12)
    for field, bad in (
        ("response_hours", -1),
        ("response_hours", 24 * 366),
        ("returned_pct", 101),
        ("returned_pct", -0.1),
        ("returned_pct", "a lot"),
    ):
        with pytest.raises(ValidationError, match=field):
            HandoverFigure(review_id=1, handover_id=1, **{field: bad})


def test_review_dates_are_real_and_the_next_comes_later() -> None:
    with pytest.raises(ValidationError, match="held_on"):
        Review(held_on="2027-02-30")
    with pytest.raises(ValidationError, match="must come after this review"):
        Review(held_on="2027-01-14", next_review="2027-01-14")
    assert Review(held_on="2027-01-14", next_review="2027-04-08").next_review == dt.date(2027, 4, 8)
    with pytest.raises(ValidationError, match="held_on"):
        LoopMeeting(held_on="soon")


def test_an_action_aims_at_one_target_at_most() -> None:
    with pytest.raises(ValidationError, match="not both"):
        Action(text="Booking link", target_goal_id=1, target_stage_id=2)


def test_session_refuses_dangling_or_doubled_review_records(session: Session) -> None:
    data = session.model_dump()
    data["reviews"] = [{"id": 1, "held_on": "2027-01-14"}]
    data["goals"] = [{"id": 1, "statement": "Grow"}]
    ok = Session.model_validate(
        {**data, "goal_values": [{"id": 1, "review_id": 1, "goal_id": 1, "value": 3}]}
    )
    assert ok.goal_values[0].value == 3
    with pytest.raises(ValidationError, match="review or goal does not exist"):
        Session.model_validate(
            {**data, "goal_values": [{"id": 1, "review_id": 2, "goal_id": 1, "value": 3}]}
        )
    with pytest.raises(ValidationError, match="one value per goal and review"):
        Session.model_validate(
            {
                **data,
                "goal_values": [
                    {"id": 1, "review_id": 1, "goal_id": 1, "value": 3},
                    {"id": 2, "review_id": 1, "goal_id": 1, "value": 4},
                ],
            }
        )
    with pytest.raises(ValidationError, match="stage 99 does not exist"):
        Session.model_validate({**data, "actions": [{"id": 1, "text": "x", "target_stage_id": 99}]})
    with pytest.raises(ValidationError, match="period 9 does not exist"):
        Session.model_validate(
            {**data, "reviews": [{"id": 1, "held_on": "2027-01-14", "period_id": 9}]}
        )


# -- a target removed later ------------------------------------------------------------------


def test_a_removed_stage_leaves_its_actions_with_a_remembered_name(session_file: Path) -> None:
    """Decided: the link is cleared (the file stays valid) and the action keeps the name."""
    svc = SessionService.open(session_file)
    enquiry = next(s for s in svc.session.funnel_stages if s.name == "Enquiry")
    action = svc.add_action("Booking link on every landing page", StepId.FUNNEL)
    svc.update(action, target_stage_id=enquiry.id)
    other = svc.add_action("Score leads", StepId.FUNNEL)
    svc.update(other, target_stage_id=enquiry.id + 1)
    svc.remove(enquiry)
    gone = next(a for a in svc.session.actions if a.id == action.id)
    assert gone.target_stage_id is None and gone.target_gone == "Stage: Enquiry"
    kept = next(a for a in svc.session.actions if a.id == other.id)
    assert kept.target_stage_id == enquiry.id + 1 and kept.target_gone == ""
    svc.close()
    reopened = store.read_session(session_file)  # validates whole: nothing points at nothing
    assert next(a for a in reopened.actions if a.id == action.id).target_gone == "Stage: Enquiry"


def test_a_removed_goal_takes_its_values_and_leaves_a_remembered_name(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    goal = svc.add(Goal, statement="Grow   qualified\npipeline", target="260 per quarter")
    review = svc.add(Review, held_on="2027-01-14")
    svc.add(GoalValue, review_id=review.id, goal_id=goal.id, value=248)
    action = svc.add_action("Weekly pipeline call", StepId.GOALS)
    svc.update(action, target_goal_id=goal.id)
    svc.remove(goal)
    assert svc.session.goal_values == []
    assert svc.session.actions[0].target_goal_id is None
    assert svc.session.actions[0].target_gone == "Goal: Grow qualified pipeline"
    svc.close()
    assert store.read_session(session_file).actions[0].target_gone.startswith("Goal: Grow")


def test_removing_a_period_a_review_or_a_handover_keeps_the_file_valid(
    session_file: Path,
) -> None:
    svc = SessionService.open(session_file)
    period = svc.add(FunnelPeriod, label="2027 Q1")
    review = svc.add(Review, held_on="2027-01-14", period_id=period.id)
    handover = svc.handover_for(4)
    svc.add(HandoverFigure, review_id=review.id, handover_id=handover.id, response_hours=30)
    goal = svc.add(Goal, statement="Grow")
    svc.add(GoalValue, review_id=review.id, goal_id=goal.id, text="on track")
    svc.remove(period)
    assert svc.session.reviews[0].period_id is None
    svc.remove(handover)
    assert svc.session.handover_figures == []
    svc.add(HandoverFigure, review_id=review.id, handover_id=svc.handover_for(4).id)
    stage = next(s for s in svc.session.funnel_stages if s.id == 4)
    svc.remove(stage)  # its hand-over goes, and the hand-over's figures with it
    assert svc.session.handover_figures == []
    svc.remove(svc.session.reviews[0])
    assert svc.session.goal_values == []
    svc.close()
    again = store.read_session(session_file)
    assert again.reviews == [] and again.goal_values == [] and again.handover_figures == []


def test_a_preset_replacing_the_stages_unaims_the_actions(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    action = svc.add_action("Booking link", StepId.FUNNEL)
    svc.update(action, target_stage_id=2)
    svc.replace_stages([("Lead", FunnelStage.model_fields["owner"].default)])
    assert svc.session.actions[0].target_stage_id is None
    assert svc.session.actions[0].target_gone == "Stage: Enquiry"
    svc.close()
    store.read_session(session_file)


def test_refused_values_name_the_reason_and_leave_the_file_alone(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    review = svc.add(Review, held_on="2027-01-14")
    before = session_file.read_bytes()
    with pytest.raises(ChangeRefused, match="Next review"):
        svc.update(review, next_review="2027-01-01")
    with pytest.raises(ChangeRefused, match=r"Leads returned \(%\) must be 100.0 or less"):
        svc.add(HandoverFigure, review_id=review.id, handover_id=1, returned_pct=140)
    assert session_file.read_bytes() == before
    svc.close()


def test_reviews_survive_the_file_and_json_round_trips(tmp_path: Path) -> None:
    from alignment_tui.sessions.demo_review import demo_with_reviews
    from alignment_tui.sessions.jsonio import from_json, to_json

    session = demo_with_reviews()
    assert session.goal_values and session.handover_figures and session.loop_meetings
    assert from_json(to_json(session)) == session
    path = tmp_path / "reviewed.alignment.db"
    store.SessionStore.create(path, session).close(session)
    assert store.read_session(path) == session


def test_the_service_refuses_what_would_not_load_again(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    review = svc.add(Review, held_on="2027-01-14")
    goal = svc.add(Goal, statement="Grow")
    svc.add(GoalValue, review_id=review.id, goal_id=goal.id, value=1)
    before = session_file.read_bytes()
    with pytest.raises(ChangeRefused, match="already has a value"):
        svc.add(GoalValue, review_id=review.id, goal_id=goal.id, value=2)
    with pytest.raises(ChangeRefused, match="no longer recorded"):
        svc.add(GoalValue, review_id=99, goal_id=goal.id, value=2)
    action = svc.add_action("x", StepId.FUNNEL)
    before = session_file.read_bytes()
    with pytest.raises(ChangeRefused, match="stage is no longer there"):
        svc.update(action, target_stage_id=99)
    with pytest.raises(ChangeRefused, match="period is no longer there"):
        svc.update(review, period_id=99)
    with pytest.raises(ChangeRefused, match="hand-over is no longer there"):
        svc.add(HandoverFigure, review_id=review.id, handover_id=99)
    assert session_file.read_bytes() == before
    svc.close()
    store.read_session(session_file)

"""A large, realistic session for the benchmark, built with the models.

300 actions, 40 goals (two behaviours each), 12 periods of 10 funnel stages
with a count and a target in every cell, 30 participants, a full message house,
CRM grants and a feedback loop.
"""

from __future__ import annotations

import datetime as dt
import random

from alignment_tui.sessions.models import (
    Action,
    ActionStatus,
    Behaviour,
    CrmGrant,
    FeedbackItem,
    FeedbackSide,
    FunnelCount,
    FunnelPeriod,
    FunnelStage,
    Goal,
    Handover,
    Owner,
    Participant,
    Pillar,
    ProofPoint,
    RetiredMessage,
    Session,
    StepId,
    Story,
    Team,
    new_session,
)

WORDS = (
    "pipeline brand story customer enquiry qualified proposal campaign brief review "
    "feedback deal value lost reason webinar partner launch forecast segment persona"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def build_large_session(
    *,
    actions: int = 300,
    goals: int = 40,
    periods: int = 12,
    stages: int = 10,
    people: int = 30,
    current_step: StepId = StepId.FUNNEL,
    seed: int = 7,
) -> Session:
    rng = random.Random(seed)
    teams = [Team.SALES, Team.MARKETING, Team.OTHER]
    participants = [
        Participant(
            id=i,
            name=f"Person {i:02d}",
            team=Team.SALES if i == 1 else Team.MARKETING if i == 2 else teams[i % 3],
            role=_sentence(rng, 2),
            is_lead=i in (1, 2),
        )
        for i in range(1, people + 1)
    ]
    s = new_session(
        "Large benchmark workshop",
        organisation="Benchmark Ltd",
        workshop_date=dt.date(2026, 11, 27),
        facilitator="Fran",
        participants=participants,
    )
    s.meta = s.meta.model_copy(
        update={"current_step": current_step, "warmup_notes": _sentence(rng, 80)}
    )
    s.goals = [
        Goal(
            id=i,
            position=i,
            statement=_sentence(rng, 12),
            measure=_sentence(rng, 6),
            target=f"{rng.randint(5, 60)}%",
            due=dt.date(2027, 1 + i % 12, 1 + i % 28),
            votes=rng.randint(0, 9),
        )
        for i in range(1, goals + 1)
    ]
    s.behaviours = [
        Behaviour(id=i, goal_id=(i - 1) // 2 + 1, team=team, text=_sentence(rng, 10))
        for i, team in enumerate([Team.SALES, Team.MARKETING] * goals, start=1)
    ]
    s.story = Story(audience=_sentence(rng, 10), core_message=_sentence(rng, 30))
    s.pillars = [Pillar(id=i, position=i, title=_sentence(rng, 4)) for i in range(1, 5)]
    s.proof_points = [
        ProofPoint(id=i, pillar_id=(i - 1) // 3 + 1, position=i, text=_sentence(rng, 8))
        for i in range(1, 13)
    ]
    s.retired_messages = [
        RetiredMessage(id=i, text=_sentence(rng, 8), reason=_sentence(rng, 6)) for i in range(1, 6)
    ]
    s.crm_grants = [
        CrmGrant(
            id=i, participant_id=(i * 2 - 1) % people + 1, watches=["deal notes", "lost reasons"]
        )
        for i in range(1, 6)
    ]
    s.feedback_items = [
        FeedbackItem(id=i, side=list(FeedbackSide)[i % 3], position=i, text=_sentence(rng, 9))
        for i in range(1, 13)
    ]
    owners = [Owner.MARKETING] * 4 + [Owner.SHARED] * 2 + [Owner.SALES] * (stages - 6)
    s.funnel_stages = [
        FunnelStage(id=i, position=i, name=f"Stage {i}", owner=owners[i - 1])
        for i in range(1, stages + 1)
    ]
    s.funnel_periods = [
        FunnelPeriod(id=p, position=p, label=f"2026-{p:02d}", starts=dt.date(2026, p, 1))
        for p in range(1, periods + 1)
    ]
    cells = []
    for p in range(1, periods + 1):
        value = rng.randint(8000, 12000)
        for st in range(1, stages + 1):
            cells.append(
                FunnelCount(
                    id=len(cells) + 1,
                    stage_id=st,
                    period_id=p,
                    count=value,
                    target=int(value * 1.1),
                )
            )
            value = int(value * rng.uniform(0.3, 0.7))
    s.funnel_counts = cells
    s.handovers = [
        Handover(id=i, to_stage_id=stage, qualifies=_sentence(rng, 8), response_hours=24)
        for i, stage in enumerate((5, 7), start=1)
    ]
    steps = list(StepId)
    s.actions = [
        Action(
            id=i,
            text=_sentence(rng, 7),
            step=steps[i % len(steps)],
            owner_id=rng.randint(1, people),
            due=dt.date(2027, 1 + i % 12, 1 + i % 28),
            status=list(ActionStatus)[i % 4],
        )
        for i in range(1, actions + 1)
    ]
    return Session.model_validate(s.model_dump())

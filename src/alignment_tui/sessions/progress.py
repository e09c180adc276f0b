"""Step completion: what the step list shows and each step explains.

Each rule returns a :class:`StepStatus` with the list of what is still missing,
so the step can say exactly why it is not complete yet. Imports neither
textual nor rich.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .models import (
    FeedbackSide,
    LeadRole,
    Owner,
    Session,
    SignOffSubject,
    StepId,
    Team,
)
from .signoff import signoff_state


@dataclass
class StepStatus:
    step: StepId
    started: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.started and not self.missing

    @property
    def symbol(self) -> str:
        """A mark that does not rely on colour: done, started or empty."""
        if self.complete:
            return "✔"
        return "◐" if self.started else "○"


#: What each step needs to count as complete, in words shown in the step.
RULES: dict[StepId, str] = {
    StepId.SETUP: "a title, a facilitator, and a Sales lead and a Marketing lead among the people",
    StepId.GOALS: "at least one goal with a measure, a behaviour from each team for every goal, "
    "and both leads' agreement",
    StepId.STORY: "an audience, a core message, three or four pillars each with proof, "
    "and both leads' sign-off of the current version",
    StepId.CRM: "a CRM system and at least one marketer with access granted",
    StepId.FEEDBACK: "a cadence and forum, something each team brings, "
    "the 'feedback, not approval' agreement and no item worded as an approval gate",
    StepId.FUNNEL: "stages owned by Marketing and by Sales, counts for the latest period, "
    "and an agreement at every hand-over",
    StepId.WRAPUP: "at least one action with an owner and a due date, and the next review date",
}

APPROVAL_WORDS = (
    "approve",
    "approval",
    "approves",
    "approved",
    "sign off",
    "sign-off",
    "signs off",
    "signoff",
    "needs approval",
    "must be approved",
    "veto",
    "green light",
    "gatekeep",
    "gate",
)


def is_approval_gate(text: str) -> bool:
    """True when *text* reads like an approval gate rather than feedback."""
    low = " ".join(text.lower().split())
    # Match at the start of a word, so "gate" flags "gates" but not "investigate".
    return any(re.search(rf"\b{re.escape(w)}", low) for w in APPROVAL_WORDS)


def step_status(session: Session, step: StepId) -> StepStatus:
    s = session
    st = StepStatus(step)
    if step is StepId.SETUP:
        st.started = True
        if not s.meta.facilitator.strip():
            st.missing.append("a facilitator")
        if s.lead(Team.SALES) is None:
            st.missing.append("a Sales lead")
        if s.lead(Team.MARKETING) is None:
            st.missing.append("a Marketing lead")
    elif step is StepId.GOALS:
        # Goals are named by their place in the list (as the step shows them).
        ordered = sorted(s.goals, key=lambda g: (g.position, g.id))
        goals = [(n, g) for n, g in enumerate(ordered, 1) if g.statement.strip()]
        st.started = bool(goals or s.meta.warmup_notes.strip())
        if not goals:
            st.missing.append("a goal")
        for n, g in goals:
            if not g.measure.strip():
                st.missing.append(f"a measure for goal {n}")
            for team in (Team.SALES, Team.MARKETING):
                if not any(
                    b.goal_id == g.id and b.team is team and b.text.strip() for b in s.behaviours
                ):
                    st.missing.append(f"a {team.value} behaviour for goal {n}")
        _need_signoffs(s, SignOffSubject.GOALS, st, "agreement")
    elif step is StepId.STORY:
        pillars = [p for p in s.pillars if p.title.strip()]
        st.started = bool(s.story.core_message.strip() or pillars or s.story.audience.strip())
        if not s.story.audience.strip():
            st.missing.append("the audience")
        if not s.story.core_message.strip():
            st.missing.append("the core message")
        if not 3 <= len(pillars) <= 4:
            st.missing.append("three or four pillars")
        for p in pillars:
            if not any(pp.pillar_id == p.id and pp.text.strip() for pp in s.proof_points):
                st.missing.append(f"proof for pillar '{p.title.strip()[:30]}'")
        _need_signoffs(s, SignOffSubject.STORY, st, "sign-off")
    elif step is StepId.CRM:
        st.started = bool(s.crm.system.strip() or s.crm_grants)
        if not s.crm.system.strip():
            st.missing.append("the CRM system")
        marketers = {p.id for p in s.participants if p.team is Team.MARKETING}
        if not any(
            g.participant_id in marketers and g.status.value == "granted" for g in s.crm_grants
        ):
            st.missing.append("a marketer with access granted")
    elif step is StepId.FEEDBACK:
        items = [i for i in s.feedback_items if i.text.strip()]
        st.started = bool(items or s.feedback.forum.strip() or s.feedback.not_approval_agreed)
        if not s.feedback.forum.strip():
            st.missing.append("the forum")
        for side in (FeedbackSide.SALES, FeedbackSide.MARKETING):
            if not any(i.side is side for i in items):
                st.missing.append(f"what {side.value} brings")
        if not s.feedback.not_approval_agreed:
            st.missing.append("the 'feedback, not approval' agreement")
        gates = [i for i in items if is_approval_gate(i.text)]
        if gates:
            st.missing.append(f"{len(gates)} item(s) worded as approval gates to reword")
    elif step is StepId.FUNNEL:
        stages = s.sorted_stages()
        periods = s.sorted_periods()
        st.started = any(c.count is not None for c in s.funnel_counts)
        owners = {x.owner for x in stages}
        if Owner.MARKETING not in owners or Owner.SALES not in owners:
            st.missing.append("stages owned by Marketing and by Sales")
        if periods:
            last = periods[-1]
            if any((c := s.count_for(x.id, last.id)) is None or c.count is None for x in stages):
                st.missing.append(f"a count at every stage for {last.label}")
        else:
            st.missing.append("a period")
        for prev, cur in itertools.pairwise(stages):
            if prev.owner is not cur.owner:
                h = next((h for h in s.handovers if h.to_stage_id == cur.id), None)
                if h is None or not h.qualifies.strip():
                    st.missing.append(f"the hand-over agreement into {cur.name}")
    elif step is StepId.WRAPUP:
        st.started = bool(s.actions or s.meta.next_review)
        if not any(a.owner_id and a.due for a in s.actions):
            st.missing.append("an action with an owner and a due date")
        if s.meta.next_review is None:
            st.missing.append("the next review date")
    return st


def _need_signoffs(s: Session, subject: SignOffSubject, st: StepStatus, word: str) -> None:
    for role in (LeadRole.SALES, LeadRole.MARKETING):
        state = signoff_state(s, subject, role)
        who = "Sales" if role is LeadRole.SALES else "Marketing"
        if state == "missing":
            st.missing.append(f"the {who} lead's {word}")
        elif state == "changed":
            st.missing.append(f"the {who} lead's {word} again (changed since)")


def all_statuses(session: Session) -> dict[StepId, StepStatus]:
    return {step: step_status(session, step) for step in StepId}


def progress(session: Session) -> tuple[int, int]:
    """(complete steps, all steps)."""
    statuses = all_statuses(session)
    return sum(1 for st in statuses.values() if st.complete), len(statuses)

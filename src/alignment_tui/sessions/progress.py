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
    FeedbackItem,
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
    "the 'feedback, not approval' agreement and no item worded as an approval gate "
    "(unless reviewed as not a gate)",
    StepId.FUNNEL: "stages owned by Marketing and by Sales, counts for the latest period, "
    "and an agreement at every hand-over",
    StepId.WRAPUP: "at least one action with an owner and a due date, and the next review date",
}

# -- the approval-gate check ------------------------------------------------------------
#
# An item reads like an approval gate when one side has to say yes before the
# other may act. The check is a few word patterns, read clause by clause:
#
# * a gate word ("approve", "sign off", "veto", "final say", "OK every", …)
#   counts unless the words just before it in its clause negate it ("not an
#   approval", "no sign-off needed", "never a gate"); two negations cancel out
#   ("nothing goes out without approval");
# * a gate word after "until", "unless", "before" or "once" always counts
#   ("nothing launches until sales signs it off"), and so does someone having to
#   say yes ("until sales says yes") or nothing going out without something
#   ("nothing goes out without a call").
#
# Deterministic and plain: the facilitator can mark an item the check gets
# wrong as reviewed (see ``gate_open``).

#: Where one clause ends and the next begins ("feedback, not approval: …").
_CLAUSE_BREAK = re.compile(r"[.;:!?,()\[\]{}\"]|\s-+\s|[–—]|\b(?:but|however|while|whereas)\b")

#: The words of a gate (matched at word starts, so "investigate" is not "gate").
_GATE_TERM = re.compile(
    r"""
      \b(?:pre-?)?approv(?:e|es|ed|al|als|ing|er|ers)\b
    | \bsign(?:s|ed|ing)?[-\s]?off\b | \bsignoffs?\b
    | \bveto(?:es|ed|ing)?\b
    | \bgreen[-\s]?light
    | \bgatekeep\w*
    | \bgates?\b
    | \b(?:final|last)\s(?:say|word)\b
    | \bsay-so\b
    | \bgo-?ahead\b
    | \brubber[-\s]?stamp
    | \b(?:to|must|will|should|shall|can|may)\s(?:ok|okay)\b
    | \b(?:ok|okay)s?\s(?:every|each|all|any)\b
    | \b(?:the|an|their|your|our)\s(?:ok|okay)\b
    | \b(?!(?:it|that|what|there|here|this|who|he|she|one)'s\b)\w+(?:'s|s')\s(?:ok|okay)\b
    | \b(?:ok'd|okayed|oked|oks|okays)\b
    | \b(?:must|has\sto|have\sto|needs?\sto|should)\s(?:say|give)\s(?:yes|the\sok|the\snod)\b
    | \bblock(?:s|ed|ing)?\s(?:a\s|the\s|any\s|every\s|each\s)?(?:launch|campaign|release|send|post)
    """,
    re.VERBOSE,
)

#: Someone has to say yes first: "until sales says yes", "once marketing gives the OK".
_SAYS_YES = re.compile(
    r"\b(?:until|unless|till|once)\b.*\b(?:says?|said|gives?|gave)\s"
    r"(?:yes|ok|okay|the\s(?:ok|okay|go-ahead|nod|green\slight))\b"
)

#: Nothing goes out without something: "nothing launches without …", "no post goes live until …".
_NOTHING_WITHOUT = re.compile(
    r"\b(?:nothing|no\s\w+|never)\b.*\b(?:goes?\s(?:out|live)|launch(?:es)?|ships?|"
    r"(?:is|gets?)\s(?:published|sent|released))(?:\s\w+){0,3}\s(?:without|until|unless|before)\b"
)

#: Words that make a gate word after them conditional: "… until sales approves".
_CONDITION = re.compile(r"\b(?:until|unless|till|before|once)\b")

#: The owner of the work having the final say is the feedback rule, not a gate.
_OWNER = re.compile(r"\b(?:owner|owners|author|authors)\b")

_NEGATORS = frozenset(
    {"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without", "cannot"}
    | {"instead", "rather"}
)

#: How many words before a gate word can negate it.
_NEGATION_REACH = 8


def _negated(before: str) -> bool:
    """True when the words *before* a gate word (in its clause) negate it an odd number of times."""
    words = before.split()[-_NEGATION_REACH:]
    return sum(1 for w in words if w in _NEGATORS or w.endswith("n't")) % 2 == 1


def _clause_is_gate(clause: str) -> bool:
    if _SAYS_YES.search(clause) or _NOTHING_WITHOUT.search(clause):
        return True
    for match in _GATE_TERM.finditer(clause):
        before = clause[: match.start()]
        if _CONDITION.search(before):
            return True
        if match.group().startswith(("final", "last")) and _OWNER.search(before):
            continue  # "the owner has the final say"
        if not _negated(before):
            return True
    return False


def is_approval_gate(text: str) -> bool:
    """True when *text* reads like an approval gate rather than feedback."""
    low = " ".join(text.lower().replace("’", "'").split())
    return any(_clause_is_gate(clause) for clause in _CLAUSE_BREAK.split(low))


def gate_open(item: FeedbackItem) -> bool:
    """True when *item* reads like an approval gate and the facilitator has not cleared it."""
    return not item.gate_reviewed and is_approval_gate(item.text)


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
        gates = [i for i in items if gate_open(i)]
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
                elif h.draft:  # filled from the template: nobody agreed it yet
                    st.missing.append(f"the room's word on the draft hand-over into {cur.name}")
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

"""Pydantic models: the in-memory truth of a workshop session.

Every record that is stored in its own table carries an integer ``id`` (unique
within its table) so the store can upsert and delete single rows, and so the
JSON export and import keep identities. Singletons (the session metadata, the
story, the CRM set-up, the feedback loop, the funnel plan) always have id 1.

This module imports neither textual nor rich. It deliberately has no
``from __future__ import annotations``: with string annotations pydantic has to
``eval`` all ~170 of them while building the classes (~5 ms of every start).
"""

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import clock

# ---------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------


class StepId(StrEnum):
    """The steps of the workshop, in their usual order."""

    SETUP = "setup"
    GOALS = "goals"
    STORY = "story"
    CRM = "crm"
    FEEDBACK = "feedback"
    FUNNEL = "funnel"
    WRAPUP = "wrapup"

    @property
    def label(self) -> str:
        return STEP_TITLES[self]

    @property
    def short(self) -> str:
        """A short name for the step list."""
        return STEP_SHORT[self]

    @property
    def number(self) -> str:
        """The framework number shown in the step list ("", "0" … "4")."""
        return STEP_NUMBERS[self]


STEP_TITLES: dict[StepId, str] = {
    StepId.SETUP: "Set-up and people",
    StepId.GOALS: "Common ground and joint goals",
    StepId.STORY: "One baseline story",
    StepId.CRM: "Marketing inside the CRM",
    StepId.FEEDBACK: "Feedback loop, not approvals",
    StepId.FUNNEL: "One funnel, split in two",
    StepId.WRAPUP: "Wrap-up and next review",
}
STEP_SHORT: dict[StepId, str] = {
    StepId.SETUP: "Set-up",
    StepId.GOALS: "Joint goals",
    StepId.STORY: "Baseline story",
    StepId.CRM: "CRM access",
    StepId.FEEDBACK: "Feedback loop",
    StepId.FUNNEL: "Funnel",
    StepId.WRAPUP: "Wrap-up",
}
STEP_NUMBERS: dict[StepId, str] = {
    StepId.SETUP: "",
    StepId.GOALS: "0",
    StepId.STORY: "1",
    StepId.CRM: "2",
    StepId.FEEDBACK: "3",
    StepId.FUNNEL: "4",
    StepId.WRAPUP: "",
}
STEP_ORDER: list[StepId] = list(StepId)

#: Default timebox per step, in minutes (a half-day workshop).
DEFAULT_TIMEBOX: dict[StepId, int] = {
    StepId.SETUP: 10,
    StepId.GOALS: 30,
    StepId.STORY: 40,
    StepId.CRM: 15,
    StepId.FEEDBACK: 25,
    StepId.FUNNEL: 45,
    StepId.WRAPUP: 15,
}


class Team(StrEnum):
    SALES = "Sales"
    MARKETING = "Marketing"
    OTHER = "Other"


class Owner(StrEnum):
    """Who owns a funnel stage."""

    MARKETING = "Marketing"
    SHARED = "Shared"
    SALES = "Sales"


class LeadRole(StrEnum):
    SALES = "sales"
    MARKETING = "marketing"


class SignOffSubject(StrEnum):
    GOALS = "goals"
    STORY = "story"
    FEEDBACK = "feedback"


class ActionStatus(StrEnum):
    OPEN = "open"
    DOING = "doing"
    DONE = "done"
    DROPPED = "dropped"


class AccessLevel(StrEnum):
    READ_ONLY = "read-only"
    COMMENT = "comment"
    EDIT = "edit"


class GrantStatus(StrEnum):
    PLANNED = "planned"
    REQUESTED = "requested"
    GRANTED = "granted"
    BLOCKED = "blocked"


class Cadence(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Weekday(StrEnum):
    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


class TargetPeriod(StrEnum):
    """The time a revenue target covers."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class FeedbackSide(StrEnum):
    SALES = "Sales"
    MARKETING = "Marketing"
    RULE = "Rule"


# ---------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------

#: A required short text: stripped, non-empty, one line's worth.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
#: An optional short text.
Short = Annotated[str, StringConstraints(max_length=200)]
#: A longer free text (notes, agreements).
Text = Annotated[str, StringConstraints(max_length=20_000)]
Count = Annotated[int, Field(ge=0, le=10**15)]
#: An e-mail address, or nothing: enough of a check to catch a typo, not a verdict.
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=200, pattern=r"^$|^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$"
    ),
]
#: An IANA time-zone name ("Europe/Berlin", "UTC"), or nothing (the computer's own).
TimeZoneName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=64,
        pattern=r"^$|^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$",
    ),
]
RowId = Annotated[int, Field(ge=1)]
#: A measured value: finite, within what any real measure reaches.
Measured = Annotated[float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
#: A share in per cent.
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
#: A time in hours (up to a year).
Hours = Annotated[float, Field(ge=0, le=24 * 365, allow_inf_nan=False)]


def _empty_list() -> list[Any]:
    """``default_factory`` for list fields.

    Not ``list`` itself: pydantic inspects every factory's signature, and for a
    builtin that means parsing its text signature with ``tokenize`` (compiling
    its large regex first), ~15 ms of every start for 17 fields.
    """
    return []


class Record(BaseModel):
    """Base of every stored record."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        use_enum_values=False,
        str_strip_whitespace=False,
    )
    #: Table that stores records of this kind.
    TABLE: ClassVar[str] = ""
    #: Fields stored as JSON text.
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: RowId = 1


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


class SessionMeta(Record):
    TABLE: ClassVar[str] = "session"

    title: Name
    organisation: Short = ""
    workshop_date: dt.date
    facilitator: Short = ""
    current_step: StepId = StepId.SETUP
    next_review: dt.date | None = None
    workshop_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 180
    warmup_notes: Text = ""
    created_at: dt.datetime
    updated_at: dt.datetime


class Participant(Record):
    TABLE: ClassVar[str] = "participants"

    name: Name
    team: Team = Team.OTHER
    role: Short = ""
    is_lead: bool = False
    #: For the calendar file's invitations (schema 3).
    email: Email = ""

    @model_validator(mode="after")
    def _lead_team(self) -> Self:
        if self.is_lead and self.team is Team.OTHER:
            raise ValueError("a lead must be on the Sales or the Marketing team")
        return self


class Goal(Record):
    TABLE: ClassVar[str] = "goals"

    position: int = 0
    statement: Text = ""
    measure: Text = ""
    target: Short = ""
    due: dt.date | None = None
    votes: Annotated[int, Field(ge=0, le=10_000)] = 0


class Behaviour(Record):
    TABLE: ClassVar[str] = "behaviours"

    goal_id: RowId
    team: Team
    text: Text = ""

    @field_validator("team")
    @classmethod
    def _sales_or_marketing(cls, v: Team) -> Team:
        if v is Team.OTHER:
            raise ValueError("behaviours are committed by Sales or Marketing")
        return v


class Story(Record):
    TABLE: ClassVar[str] = "story"

    audience: Text = ""
    core_message: Text = ""


class Pillar(Record):
    TABLE: ClassVar[str] = "pillars"

    position: int = 0
    title: Text = ""


class ProofPoint(Record):
    TABLE: ClassVar[str] = "proof_points"

    pillar_id: RowId
    position: int = 0
    text: Text = ""


class RetiredMessage(Record):
    TABLE: ClassVar[str] = "retired_messages"

    text: Text = ""
    reason: Text = ""


class SignOff(Record):
    """A lead's sign-off of a subject; ``fingerprint`` is the content signed."""

    TABLE: ClassVar[str] = "signoffs"

    subject: SignOffSubject
    role: LeadRole
    name: Name
    signed_at: dt.datetime
    fingerprint: Short = ""


class CrmSetup(Record):
    TABLE: ClassVar[str] = "crm"

    system: Short = ""
    notes: Text = ""


class CrmGrant(Record):
    TABLE: ClassVar[str] = "crm_grants"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("watches",)

    participant_id: RowId | None = None
    access: AccessLevel = AccessLevel.READ_ONLY
    watches: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=_empty_list
    )
    granted_by: Short = ""
    due: dt.date | None = None
    status: GrantStatus = GrantStatus.PLANNED


class FeedbackLoop(Record):
    TABLE: ClassVar[str] = "feedback_loop"

    cadence: Cadence = Cadence.FORTNIGHTLY
    forum: Short = ""
    duration_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 45
    attendees: Text = ""
    brief_weeks: Annotated[int, Field(ge=0, le=52)] = 4
    not_approval_agreed: bool = False
    # When the loop meets, as fields a calendar can use (schema 3); None: not agreed yet.
    weekday: Weekday | None = None
    start_time: dt.time | None = None
    time_zone: TimeZoneName = ""
    first_meeting: dt.date | None = None


class FeedbackItem(Record):
    TABLE: ClassVar[str] = "feedback_items"

    side: FeedbackSide
    position: int = 0
    text: Text = ""
    #: The facilitator read this item and it is not an approval gate, whatever its words
    #: (the service clears it when the text changes: the review was of the old words).
    gate_reviewed: bool = False
    #: The workbook document this item follows (a document template's key, e.g.
    #: "campaign-brief"); "" for none (schema 4). A key the workbook no longer has is
    #: kept and shown as it is.
    document: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^$|^[a-z0-9][a-z0-9-]{0,39}$")
    ] = ""


class FunnelStage(Record):
    TABLE: ClassVar[str] = "funnel_stages"

    position: int = 0
    name: Name
    owner: Owner = Owner.SHARED


class FunnelPeriod(Record):
    TABLE: ClassVar[str] = "funnel_periods"

    position: int = 0
    label: Name
    starts: dt.date | None = None


class FunnelCount(Record):
    TABLE: ClassVar[str] = "funnel_counts"

    stage_id: RowId
    period_id: RowId
    count: Count | None = None
    target: Count | None = None


class Handover(Record):
    """The agreement at a hand-over: keyed by the stage that receives the lead."""

    TABLE: ClassVar[str] = "handovers"

    to_stage_id: RowId
    qualifies: Text = ""
    response_hours: Annotated[float, Field(ge=0, le=24 * 365)] | None = None
    return_reasons: Text = ""
    returned_handling: Text = ""
    # The rest of a full hand-over agreement (schema 3).
    follow_up_attempts: Annotated[int, Field(ge=0, le=50)] | None = None
    escalate_to: Text = ""
    volume_commitment: Text = ""
    #: Filled from the workbook's template and not yet changed or confirmed by the room
    #: (schema 4): the step and the report read it as a draft, not as agreed.
    draft: bool = False
    #: The most of the handed-over leads the receiving team may send back (%), as
    #: agreed (schema 5); None: not agreed, so a review shows the share without a verdict.
    returned_pct_max: Percent | None = None


class FunnelPlan(Record):
    """Inputs of "what it takes"."""

    TABLE: ClassVar[str] = "funnel_plan"

    revenue_target: Annotated[float, Field(ge=0, le=1e15)] | None = None
    avg_deal_value: Annotated[float, Field(gt=0, le=1e15)] | None = None
    currency: Annotated[str, StringConstraints(max_length=8)] = "€"
    #: The time the revenue target covers (schema 3); None: not said.
    revenue_period: TargetPeriod | None = None


class MessageDraft(Record):
    """A message drafted from the message house with a workbook template (schema 3)."""

    TABLE: ClassVar[str] = "message_drafts"

    position: int = 0
    #: The workbook template it was started from ("" when written from scratch).
    template: Short = ""
    title: Short = ""
    audience: Short = ""
    text: Text = ""


class Action(Record):
    TABLE: ClassVar[str] = "actions"

    text: Name
    step: StepId = StepId.SETUP
    owner_id: RowId | None = None
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    created_at: dt.datetime | None = None
    # What the action is meant to improve (schema 5): a joint goal or a funnel stage
    # (the conversion into it), at most one; both None: not said.
    target_goal_id: RowId | None = None
    target_stage_id: RowId | None = None
    #: What it aimed at when that goal or stage was removed ("Stage: Enquiry"), so a
    #: review can still say why the action was taken; "" otherwise.
    target_gone: Short = ""
    #: The due date it had before it was first moved (None: never moved), and the day
    #: it was last moved: a review counts a moved due date as a slip (schema 5).
    first_due: dt.date | None = None
    due_moved_on: dt.date | None = None
    #: The day it was ticked done (None: not done, or done before schema 5 kept the day).
    done_on: dt.date | None = None

    @property
    def done(self) -> bool:
        return self.status is ActionStatus.DONE

    @property
    def due_moved(self) -> bool:
        """Whether the due date is not the one first agreed."""
        return self.first_due is not None and self.first_due != self.due

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if self.target_goal_id is not None and self.target_stage_id is not None:
            raise ValueError("an action aims at one goal or one funnel stage, not both")
        return self


class AgendaItem(Record):
    TABLE: ClassVar[str] = "agenda"

    step: StepId
    minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 15
    spent_seconds: Annotated[float, Field(ge=0)] = 0.0
    # The timer's state (schema 6), so every copy showing the step shows the same time
    # left: minutes * 60 + added_seconds - (spent_seconds - zero_seconds).
    #: Time added to this step's timebox ("a minute more").
    added_seconds: Annotated[float, Field(ge=0, le=24 * 3600, allow_inf_nan=False)] = 0.0
    #: The time spent when the timer was last reset (0: never reset).
    zero_seconds: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    #: While the timer runs: the moment (ISO 8601, UTC) up to which ``spent_seconds`` counts
    #: the run (the run's start, moved on at each save of the time spent), so that
    #: ``spent_seconds + (now - running_since)`` is the time spent now; None while it stands.
    running_since: Annotated[str, StringConstraints(max_length=40)] | None = None


class Review(Record):
    """A review meeting, recorded on purpose ("Start this review"), never by looking."""

    TABLE: ClassVar[str] = "reviews"

    held_on: dt.date
    notes: Text = ""
    #: The date of the next review agreed at this one (schema 5); the session's
    #: ``meta.next_review`` follows the latest review's.
    next_review: dt.date | None = None
    #: The funnel period whose counts this review looks at (schema 5); None: none
    #: chosen, or the period was removed since.
    period_id: RowId | None = None

    @field_validator("next_review")
    @classmethod
    def _next_after(cls, v: dt.date | None, info: ValidationInfo) -> dt.date | None:
        held = info.data.get("held_on")
        if v is not None and isinstance(held, dt.date) and v <= held:
            raise ValueError(f"must come after this review ({held.isoformat()})")
        return v


class GoalValue(Record):
    """Where a joint goal's measure stood at a review (schema 5).

    A number (in the goal's own unit, as its target is written) or, where the
    measure is not numeric, a short text; one or the other, not both.
    """

    TABLE: ClassVar[str] = "goal_values"

    review_id: RowId
    goal_id: RowId
    value: Measured | None = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""

    @model_validator(mode="after")
    def _number_or_text(self) -> Self:
        if self.value is None and not self.text:
            raise ValueError("a value is a number or a short text; both are empty")
        if self.value is not None and self.text:
            raise ValueError("a value is a number or a short text, not both")
        return self


class HandoverFigure(Record):
    """How a hand-over went between two reviews, measured at the later one (schema 5)."""

    TABLE: ClassVar[str] = "handover_figures"

    review_id: RowId
    handover_id: RowId
    #: The receiving team's response time actually achieved (hours; e.g. the median).
    response_hours: Hours | None = None
    #: The share of handed-over leads sent back (%).
    returned_pct: Percent | None = None


class LoopMeeting(Record):
    """A meeting of the feedback loop that was held (schema 5).

    Dates, not a count per review: how many meetings the cadence asks for
    depends on the window looked at (since the last review, since the first
    meeting), and a review date can move; with the dates, "met as agreed" is
    worked out for any window, and a meeting belongs to no review.
    """

    TABLE: ClassVar[str] = "loop_meetings"

    held_on: dt.date
    notes: Short = ""


#: Every table-backed list of the session, in storage and export order:
#: (attribute on Session, model class).
COLLECTIONS: list[tuple[str, type[Record]]] = [
    ("participants", Participant),
    ("goals", Goal),
    ("behaviours", Behaviour),
    ("pillars", Pillar),
    ("proof_points", ProofPoint),
    ("retired_messages", RetiredMessage),
    ("message_drafts", MessageDraft),
    ("signoffs", SignOff),
    ("crm_grants", CrmGrant),
    ("feedback_items", FeedbackItem),
    ("funnel_stages", FunnelStage),
    ("funnel_periods", FunnelPeriod),
    ("funnel_counts", FunnelCount),
    ("handovers", Handover),
    ("actions", Action),
    ("agenda", AgendaItem),
    ("reviews", Review),
    ("goal_values", GoalValue),
    ("handover_figures", HandoverFigure),
    ("loop_meetings", LoopMeeting),
]
#: Singletons: (attribute on Session, model class).
SINGLETONS: list[tuple[str, type[Record]]] = [
    ("meta", SessionMeta),
    ("story", Story),
    ("crm", CrmSetup),
    ("feedback", FeedbackLoop),
    ("funnel_plan", FunnelPlan),
]
MODEL_BY_TABLE: dict[str, type[Record]] = {m.TABLE: m for _, m in COLLECTIONS + SINGLETONS}
ATTR_BY_MODEL: dict[type[Record], str] = {m: a for a, m in COLLECTIONS + SINGLETONS}

DEFAULT_STAGES: list[tuple[str, Owner]] = [
    ("Reach", Owner.MARKETING),
    ("Enquiry", Owner.MARKETING),
    ("Marketing-qualified", Owner.MARKETING),
    ("Sales-accepted", Owner.SHARED),
    ("Opportunity", Owner.SALES),
    ("Proposal", Owner.SALES),
    ("Won", Owner.SALES),
]


class Session(BaseModel):
    """A whole workshop session."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    meta: SessionMeta
    story: Story = Field(default_factory=Story)
    crm: CrmSetup = Field(default_factory=CrmSetup)
    feedback: FeedbackLoop = Field(default_factory=FeedbackLoop)
    funnel_plan: FunnelPlan = Field(default_factory=FunnelPlan)
    participants: list[Participant] = Field(default_factory=_empty_list)
    goals: list[Goal] = Field(default_factory=_empty_list)
    behaviours: list[Behaviour] = Field(default_factory=_empty_list)
    pillars: list[Pillar] = Field(default_factory=_empty_list)
    proof_points: list[ProofPoint] = Field(default_factory=_empty_list)
    retired_messages: list[RetiredMessage] = Field(default_factory=_empty_list)
    message_drafts: list[MessageDraft] = Field(default_factory=_empty_list)
    signoffs: list[SignOff] = Field(default_factory=_empty_list)
    crm_grants: list[CrmGrant] = Field(default_factory=_empty_list)
    feedback_items: list[FeedbackItem] = Field(default_factory=_empty_list)
    funnel_stages: list[FunnelStage] = Field(default_factory=_empty_list)
    funnel_periods: list[FunnelPeriod] = Field(default_factory=_empty_list)
    funnel_counts: list[FunnelCount] = Field(default_factory=_empty_list)
    handovers: list[Handover] = Field(default_factory=_empty_list)
    actions: list[Action] = Field(default_factory=_empty_list)
    agenda: list[AgendaItem] = Field(default_factory=_empty_list)
    reviews: list[Review] = Field(default_factory=_empty_list)
    goal_values: list[GoalValue] = Field(default_factory=_empty_list)
    handover_figures: list[HandoverFigure] = Field(default_factory=_empty_list)
    loop_meetings: list[LoopMeeting] = Field(default_factory=_empty_list)

    @model_validator(mode="after")
    def _integrity(self) -> Self:
        """References between records must point at records that exist."""
        for attr, _model in COLLECTIONS:
            ids = [r.id for r in getattr(self, attr)]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{attr}: ids must be unique")
        people = {p.id for p in self.participants}
        goals = {g.id for g in self.goals}
        pillars = {p.id for p in self.pillars}
        stages = {s.id for s in self.funnel_stages}
        periods = {p.id for p in self.funnel_periods}
        leads: dict[Team, int] = {}
        for p in self.participants:
            if p.is_lead:
                leads[p.team] = leads.get(p.team, 0) + 1
        for team, n in leads.items():
            if n > 1:
                raise ValueError(f"participants: only one {team.value} lead")
        for b in self.behaviours:
            if b.goal_id not in goals:
                raise ValueError(f"behaviours: goal {b.goal_id} does not exist")
        for pp in self.proof_points:
            if pp.pillar_id not in pillars:
                raise ValueError(f"proof_points: pillar {pp.pillar_id} does not exist")
        for g in self.crm_grants:
            if g.participant_id is not None and g.participant_id not in people:
                raise ValueError(f"crm_grants: participant {g.participant_id} does not exist")
        for c in self.funnel_counts:
            if c.stage_id not in stages or c.period_id not in periods:
                raise ValueError("funnel_counts: stage or period does not exist")
        for h in self.handovers:
            if h.to_stage_id not in stages:
                raise ValueError(f"handovers: stage {h.to_stage_id} does not exist")
        for a in self.actions:
            if a.owner_id is not None and a.owner_id not in people:
                raise ValueError(f"actions: owner {a.owner_id} does not exist")
            if a.target_goal_id is not None and a.target_goal_id not in goals:
                raise ValueError(f"actions: goal {a.target_goal_id} does not exist")
            if a.target_stage_id is not None and a.target_stage_id not in stages:
                raise ValueError(f"actions: stage {a.target_stage_id} does not exist")
        reviews = {r.id for r in self.reviews}
        for r in self.reviews:
            if r.period_id is not None and r.period_id not in periods:
                raise ValueError(f"reviews: period {r.period_id} does not exist")
        seen: set[tuple[int, int]] = set()
        for v in self.goal_values:
            if v.review_id not in reviews or v.goal_id not in goals:
                raise ValueError("goal_values: review or goal does not exist")
            if (v.review_id, v.goal_id) in seen:
                raise ValueError("goal_values: one value per goal and review")
            seen.add((v.review_id, v.goal_id))
        handovers = {h.id for h in self.handovers}
        seen = set()
        for f in self.handover_figures:
            if f.review_id not in reviews or f.handover_id not in handovers:
                raise ValueError("handover_figures: review or hand-over does not exist")
            if (f.review_id, f.handover_id) in seen:
                raise ValueError("handover_figures: one per hand-over and review")
            seen.add((f.review_id, f.handover_id))
        return self

    # -- convenience look-ups -------------------------------------------------

    def participant(self, pid: int | None) -> Participant | None:
        return next((p for p in self.participants if p.id == pid), None)

    def lead(self, team: Team) -> Participant | None:
        return next((p for p in self.participants if p.is_lead and p.team is team), None)

    def owner_name(self, action: Action) -> str:
        p = self.participant(action.owner_id)
        return p.name if p else ""

    def timebox(self, step: StepId) -> AgendaItem:
        for item in self.agenda:
            if item.step is step:
                return item
        return AgendaItem(id=1, step=step, minutes=DEFAULT_TIMEBOX[step])

    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.status in (ActionStatus.OPEN, ActionStatus.DOING)]

    def sorted_stages(self) -> list[FunnelStage]:
        return sorted(self.funnel_stages, key=lambda s: (s.position, s.id))

    def sorted_periods(self) -> list[FunnelPeriod]:
        return sorted(self.funnel_periods, key=lambda p: (p.position, p.id))

    def count_for(self, stage_id: int, period_id: int) -> FunnelCount | None:
        for c in self.funnel_counts:
            if c.stage_id == stage_id and c.period_id == period_id:
                return c
        return None

    def next_id(self, attr: str) -> int:
        return max((r.id for r in getattr(self, attr)), default=0) + 1


def now() -> dt.datetime:
    """The current time from the app's clock, timezone-aware UTC, to the second."""
    return clock.now().replace(microsecond=0)


def new_session(
    title: str,
    *,
    organisation: str = "",
    workshop_date: dt.date | None = None,
    facilitator: str = "",
    participants: list[Participant] | None = None,
) -> Session:
    """A fresh session with the default funnel stages, one period and the agenda."""
    stamp = now()
    meta = SessionMeta(
        title=title,
        organisation=organisation,
        workshop_date=workshop_date or clock.today(),
        facilitator=facilitator,
        created_at=stamp,
        updated_at=stamp,
    )
    stages = [
        FunnelStage(id=i, position=i, name=name, owner=owner)
        for i, (name, owner) in enumerate(DEFAULT_STAGES, start=1)
    ]
    period_label = f"{meta.workshop_date.year} Q{(meta.workshop_date.month - 1) // 3 + 1}"
    agenda = [
        AgendaItem(id=i, step=step, minutes=DEFAULT_TIMEBOX[step])
        for i, step in enumerate(STEP_ORDER, start=1)
    ]
    return Session(
        meta=meta,
        participants=list(participants or []),
        funnel_stages=stages,
        funnel_periods=[FunnelPeriod(id=1, position=1, label=period_label)],
        agenda=agenda,
    )

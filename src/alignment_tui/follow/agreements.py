"""Each step's agreement in presentation form: what the room looks at, not the forms.

:func:`present` builds the widgets of one step from the session; :func:`step_key`
is what they are built from, so the view is rebuilt only when that changed (the
timer's saves every few seconds change the agenda, which no step shows).
The figures come from the headless core (funnel maths, sign-offs, approval gates).
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget

from ..sessions.export import loop_settings
from ..sessions.funnel import (
    fmt_money,
    funnel_digits,
    funnel_periods,
    session_handover_points,
)
from ..sessions.models import (
    STEP_ORDER,
    FeedbackSide,
    GrantStatus,
    Session,
    SignOffSubject,
    StepId,
    Team,
)
from ..sessions.progress import all_statuses, gate_open
from ..steps.funnel.chart import FunnelChart
from .blocks import (
    NOT_AGREED,
    Card,
    Columns,
    action_line,
    block,
    bullets,
    column,
    date,
    heading,
    label_value,
    line,
    muted,
    open_actions,
    para,
    signoff_line,
)
from .house import MessageHouse

#: What each step's presentation is built from (attributes of the session).
SHOWS: dict[StepId, tuple[str, ...]] = {
    StepId.SETUP: ("participants",),
    StepId.GOALS: ("goals", "behaviours", "signoffs", "participants"),
    StepId.STORY: (
        "story",
        "pillars",
        "proof_points",
        "retired_messages",
        "signoffs",
        "participants",
    ),
    StepId.CRM: ("crm", "crm_grants", "participants"),
    StepId.FEEDBACK: ("feedback", "feedback_items", "signoffs", "participants"),
    StepId.FUNNEL: ("funnel_stages", "funnel_periods", "funnel_counts", "handovers", "funnel_plan"),
    StepId.WRAPUP: (
        "actions",
        "participants",
        "goals",
        "signoffs",
        "story",
        "pillars",
        "proof_points",
        "crm",
        "crm_grants",
        "feedback",
        "feedback_items",
        "funnel_stages",
        "funnel_periods",
        "funnel_counts",
        "handovers",
    ),
}


def step_key(session: Session, step: StepId) -> tuple[Any, ...]:
    """What *step*'s presentation shows: equal keys draw the same."""
    meta = session.meta.model_dump(exclude={"updated_at", "current_step"})
    return (step, repr(meta), *(repr(getattr(session, attr)) for attr in SHOWS[step]))


# -- set-up ----------------------------------------------------------------------------


def _setup(s: Session) -> list[Widget]:
    meta = s.meta
    out: list[Widget] = [
        label_value("Workshop", meta.title),
        label_value("Organisation", meta.organisation, "not said"),
        label_value("Date", meta.workshop_date.isoformat()),
        label_value("Facilitator", meta.facilitator, "not said"),
    ]
    cols = []
    for team in Team:
        people = [p for p in s.participants if p.team is team]
        items = [
            Content.assemble(
                line(p.name),
                (" (lead)" if p.is_lead else "", "bold $accent"),
                (" — " if p.role.strip() else "", "$text-muted"),
                line(p.role.strip()).stylize("$text-muted"),
            )
            for p in people
        ]
        cols.append(column(team.value, items, "nobody yet", team.name.lower()))
    out.append(Columns(*cols, classes="people"))
    return out


# -- 0 joint goals ---------------------------------------------------------------------


def _goals(s: Session) -> list[Widget]:
    out: list[Widget] = []
    if s.meta.warmup_notes.strip():
        out.append(Card(heading("Common ground"), para(block(s.meta.warmup_notes)), classes="card"))
    goals = sorted(s.goals, key=lambda g: (g.position, g.id))
    if not goals:
        out.append(muted("No joint goals yet."))
    for i, g in enumerate(goals, 1):
        title = Content.assemble(
            (f"{i}  ", "bold $accent"), block(g.statement or "(no statement yet)")
        )
        facts = Content.assemble(
            ("Measure: ", "bold"),
            line(g.measure) if g.measure.strip() else ("not set", "$text-muted"),
            ("  ·  Target: ", "bold"),
            line(g.target) if g.target.strip() else ("not set", "$text-muted"),
            ("  ·  by ", "bold"),
            date(g.due),
            (f"  ·  ● {g.votes} votes" if g.votes else "", "$accent"),
        )
        cols = []
        for team in (Team.SALES, Team.MARKETING):
            texts = [
                line(b.text)
                for b in s.behaviours
                if b.goal_id == g.id and b.team is team and b.text.strip()
            ]
            cols.append(column(f"{team.value} commits to", texts, "nothing yet", team.name.lower()))
        out.append(
            Card(para(title, "title"), para(facts, "facts"), Columns(*cols), classes="card goal")
        )
    out.append(signoff_line(s, SignOffSubject.GOALS))
    return out


# -- 1 the story -----------------------------------------------------------------------


def _story(s: Session) -> list[Widget]:
    out: list[Widget] = [MessageHouse(s.story, list(s.pillars), list(s.proof_points))]
    retired = [
        Content.assemble(
            ("✗ ", "$error"),
            line(r.text),
            (" — " if r.reason.strip() else "", "$text-muted"),
            line(r.reason).stylize("$text-muted"),
        )
        for r in s.retired_messages
        if r.text.strip()
    ]
    if retired:
        out.append(Card(heading("No longer said"), *bullets(retired), classes="card retired"))
    out.append(signoff_line(s, SignOffSubject.STORY, "Signed off"))
    return out


# -- 2 CRM access ----------------------------------------------------------------------

GRANT_MARK = {
    GrantStatus.PLANNED: ("○ planned", "$text-muted"),
    GrantStatus.REQUESTED: ("◐ requested", "$warning"),
    GrantStatus.GRANTED: ("✔ granted", "$success"),
    GrantStatus.BLOCKED: ("✖ blocked", "$error"),
}


def _crm(s: Session) -> list[Widget]:
    out: list[Widget] = [label_value("CRM", s.crm.system)]
    if not s.crm_grants:
        out.append(muted("Nobody in marketing has CRM access planned yet."))
    for g in s.crm_grants:
        person = s.participant(g.participant_id)
        who = (
            line(person.name) if person else Content("someone not named yet").stylize("$text-muted")
        )
        head = Content.assemble(
            who, (f"  {g.access.value}", "bold $accent"), "   ", GRANT_MARK[g.status]
        )
        when = Content.assemble(
            ("Granted by ", "bold"),
            line(g.granted_by) if g.granted_by.strip() else ("not said", "$text-muted"),
            ("  ·  by ", "bold"),
            date(g.due),
        )
        watches = [line(w) for w in g.watches if w.strip()]
        watch = Content("Watches: ").stylize("bold") + (
            Content(", ").join(watches) if watches else Content("not said").stylize("$text-muted")
        )
        out.append(Card(para(head, "title"), para(when), para(watch), classes="card grant"))
    if s.crm.notes.strip():
        out.append(Card(heading("Notes"), para(block(s.crm.notes)), classes="card"))
    return out


# -- 3 the feedback loop ---------------------------------------------------------------


def _meets(s: Session) -> str:
    fb = s.feedback
    if fb.weekday is None:
        return ""
    text = f"{fb.weekday.value}s"
    if fb.start_time is not None:
        text += f" at {fb.start_time.strftime('%H:%M')}"
        if fb.time_zone:
            text += f" ({fb.time_zone})"
    if fb.first_meeting is not None:
        text += f", from {fb.first_meeting.isoformat()}"
    return text


def _feedback(s: Session) -> list[Widget]:
    fb = s.feedback
    cadence, length, brief_weeks = loop_settings(s)
    head = " · ".join(
        [
            cadence.value.capitalize() if cadence else "Cadence not agreed yet",
            one if (one := fb.forum.strip()) else "forum not agreed yet",
            f"{length} minutes" if length is not None else "length not agreed yet",
        ]
    )
    out: list[Widget] = [
        para(line(head), "title"),
        label_value("Meets", _meets(s)),
        label_value("Attendees", fb.attendees, "not said"),
        label_value(
            "Campaign briefs reach sales",
            f"{brief_weeks} weeks before launch" if brief_weeks is not None else "",
        ),
    ]
    items = sorted(s.feedback_items, key=lambda i: (i.position, i.id))

    def side(which: FeedbackSide) -> list[Content]:
        lines = []
        for item in items:
            if item.side is which and item.text.strip():
                flag = (
                    ("  ⚠ reads like an approval gate", "bold $warning") if gate_open(item) else ""
                )
                lines.append(Content.assemble(line(item.text), flag))
        return lines

    out.append(
        Columns(
            column("Sales brings", side(FeedbackSide.SALES), "nothing yet", "sales"),
            column("Marketing brings", side(FeedbackSide.MARKETING), "nothing yet", "marketing"),
        )
    )
    rules = bullets(side(FeedbackSide.RULE), "nothing yet")
    out.append(Card(heading("Ground rules"), *rules, classes="card"))
    agreed = (
        Content("✔ agreed").stylize("bold $success")
        if fb.not_approval_agreed
        else Content(NOT_AGREED).stylize("$text-muted")
    )
    out.append(label_value("Feedback, not approval", agreed))
    out.append(signoff_line(s, SignOffSubject.FEEDBACK))
    return out


# -- 4 the funnel ----------------------------------------------------------------------


def _funnel(s: Session) -> list[Widget]:
    periods = funnel_periods(s)
    counted = [pf for pf in periods if pf.has_counts]
    view = counted[-1] if counted else (periods[-1] if periods else None)
    out: list[Widget] = [FunnelChart(view, funnel_digits(periods))]
    points = session_handover_points(s)
    if points:
        out.append(heading("Hand-overs"))
    for p in points:
        h = next((h for h in s.handovers if h.to_stage_id == p.to_stage_id), None)
        title = Content.assemble(
            line(p.from_name),
            " → ",
            line(p.to_name),
            (f"   {p.label}", "$text-muted"),
            ("   draft, not agreed yet" if h is not None and h.draft else "", "$warning"),
        )
        if h is None:
            out.append(
                Card(para(title, "title"), muted("No agreement yet."), classes="card handover")
            )
            continue
        hours = h.response_hours
        out.append(
            Card(
                para(title, "title"),
                label_value("Qualifies", h.qualifies),
                label_value("Response", "" if hours is None else f"within {hours:g} hours"),
                label_value("Sent back when", h.return_reasons),
                label_value("Returned leads", h.returned_handling),
                classes="card handover",
            )
        )
    plan = s.funnel_plan
    if plan.revenue_target is not None:
        target = fmt_money(plan.revenue_target, plan.currency)
        if plan.revenue_period is not None:
            target += f" a {plan.revenue_period.value}"
        out.append(label_value("Revenue target", target))
    return out


# -- wrap-up ---------------------------------------------------------------------------


def _wrapup(s: Session) -> list[Widget]:
    statuses = all_statuses(s)
    items = []
    for step in STEP_ORDER:
        st = statuses[step]
        style = "$success" if st.complete else ("$warning" if st.started else "$text-muted")
        items.append(Content.assemble((st.symbol + " ", style), step.label))
    todo = open_actions(s, None)
    out: list[Widget] = [
        label_value("Next review", date(s.meta.next_review, ""), "not set yet"),
        Card(heading("Where the agreements stand"), *(para(i) for i in items), classes="card"),
        Card(
            heading(f"Every open action ({len(todo)})"),
            *bullets([action_line(s, a, with_step=True) for a in todo], "none"),
            classes="card",
        ),
    ]
    return out


BUILDERS = {
    StepId.SETUP: _setup,
    StepId.GOALS: _goals,
    StepId.STORY: _story,
    StepId.CRM: _crm,
    StepId.FEEDBACK: _feedback,
    StepId.FUNNEL: _funnel,
    StepId.WRAPUP: _wrapup,
}


def present(session: Session, step: StepId) -> list[Widget]:
    """The widgets that show *step*'s agreement."""
    return BUILDERS[step](session)

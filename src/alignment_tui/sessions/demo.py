"""A filled-in example session: a fictional B2B software firm, every step done.

Fully deterministic: fixed ids, dates and timestamps (nothing reads the
clock), so the demo exports are the same bytes every time and serve as the
golden files of the export tests.

The company, Kestrel Metrics, is invented: it sells a production-analytics
product to mid-sized manufacturers. One ground rule of its feedback loop is
still worded as an approval gate, so the demo shows that flag (and the
action to reword it).

Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt

from .models import (
    DEFAULT_STAGES,
    DEFAULT_TIMEBOX,
    STEP_ORDER,
    AccessLevel,
    Action,
    ActionStatus,
    AgendaItem,
    Behaviour,
    Cadence,
    CrmGrant,
    CrmSetup,
    FeedbackItem,
    FeedbackLoop,
    FeedbackSide,
    FunnelCount,
    FunnelPeriod,
    FunnelPlan,
    FunnelStage,
    Goal,
    GrantStatus,
    Handover,
    LeadRole,
    Participant,
    Pillar,
    ProofPoint,
    RetiredMessage,
    Review,
    Session,
    SessionMeta,
    SignOff,
    SignOffSubject,
    StepId,
    Story,
    TargetPeriod,
    Team,
    Weekday,
)
from .signoff import fingerprint

DEMO_TITLE = "Revenue team alignment 2027"
WORKSHOP_DAY = dt.date(2026, 11, 20)


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# People ---------------------------------------------------------------------

DANA, LENA, TOMAS, PRIYA, JONAS, AIKO = 1, 2, 3, 4, 5, 6

#: example.com addresses (reserved for examples: nobody gets the demo's invitations)
MAIL = "@kestrel-metrics.example.com"

PARTICIPANTS = [
    Participant(
        id=DANA,
        name="Dana Okafor",
        team=Team.SALES,
        role="VP Sales",
        is_lead=True,
        email=f"dana.okafor{MAIL}",
    ),
    Participant(
        id=LENA,
        name="Lena Brandt",
        team=Team.MARKETING,
        role="Head of Marketing",
        is_lead=True,
        email=f"lena.brandt{MAIL}",
    ),
    Participant(
        id=TOMAS,
        name="Tomás Ruiz",
        team=Team.SALES,
        role="Senior account executive",
        email=f"tomas.ruiz{MAIL}",
    ),
    Participant(
        id=PRIYA,
        name="Priya Nair",
        team=Team.MARKETING,
        role="Demand generation",
        email=f"priya.nair{MAIL}",
    ),
    Participant(id=JONAS, name="Jonas Weber", team=Team.SALES, role="Sales development lead"),
    Participant(id=AIKO, name="Aiko Tanaka", team=Team.OTHER, role="Revenue operations"),
]

WARMUP = (
    "Both teams want more revenue from mid-sized manufacturers, not just more leads.\n"
    "Both tell the story: marketing on the website and at trade fairs, sales in every demo.\n"
    "Both hear customers: sales on calls, marketing in webinars and surveys.\n"
    "Friction today: leads passed over that sales never calls back, and sales decks that "
    "still promise an 'AI platform'."
)

# (statement, measure, target, due, votes, sales behaviours, marketing behaviours)
GOALS = [
    (
        "Grow qualified pipeline from mid-sized manufacturers",
        "Sales-accepted leads per quarter, from the CRM",
        "260 per quarter",
        "2027-06-30",
        6,
        ["Accept or return every marketing-qualified lead within one working day"],
        ["Pass on only leads that meet the agreed qualification"],
    ),
    (
        "Shorten the time from first enquiry to first meeting",
        "Median days from enquiry to first meeting",
        "Under 5 working days",
        "2027-03-31",
        4,
        ["Offer meeting slots in the first reply"],
        [
            "Route web enquiries to the right sales rep within an hour",
            "Put a booking link on every campaign landing page",
        ],
    ),
    (
        "Win more deals where customer proof was used",
        "Win rate of opportunities that used a case study",
        "30% win rate",
        "2027-09-30",
        5,
        ["Log in the CRM which case study was shared in each deal"],
        ["Publish one new manufacturing case study every quarter"],
    ),
]

AUDIENCE = (
    "Operations and finance leaders at manufacturers with 200 to 2,000 staff "
    "who still run their plants on spreadsheets"
)
CORE_MESSAGE = (
    "Kestrel turns the numbers your plants already produce into decisions your team "
    "can act on the same day."
)
PILLARS = [
    (
        "Live in weeks, not quarters",
        [
            "Median go-live of 34 days across 2026 customers",
            "Ready-made connectors for the twelve most common plant systems",
        ],
    ),
    (
        "Numbers everyone trusts",
        [
            "Every figure traces back to the machine and shift it came from",
            "Independent security audit passed in 2026",
        ],
    ),
    (
        "Made for the people on the floor",
        [
            "Shift leads use it on tablets without training",
            "Rated 4.6 out of 5 by 300 shift leads in the 2026 user survey",
        ],
    ),
]
RETIRED = [
    (
        "The AI platform for Industry 4.0",
        "Promises a big transformation programme; contradicts 'live in weeks'",
    ),
    (
        "The cheapest analytics on the market",
        "We win on time to value, not on price; it invited discount requests",
    ),
    (
        "Replace your ERP reporting",
        "We sit beside the ERP; finance teams heard a threat to their system",
    ),
]

# (side, text)
FEEDBACK = [
    (FeedbackSide.SALES, "Three customer stories from recent calls: what won or lost the deal"),
    (FeedbackSide.SALES, "The top objections of the fortnight, in the prospect's own words"),
    (FeedbackSide.MARKETING, "Campaign briefs four weeks before launch, so sales can prepare"),
    (FeedbackSide.MARKETING, "Which content was used in the deals won and lost"),
    (FeedbackSide.RULE, "Feedback is advice: the campaign owner decides what changes"),
    (FeedbackSide.RULE, "Urgent customer feedback is shared the same day, not saved up"),
    (FeedbackSide.RULE, "Sales must approve every campaign before launch"),
]

#: The workbook document an item of the loop follows (its text -> the document's key).
FEEDBACK_DOCUMENTS = {
    "Three customer stories from recent calls: what won or lost the deal": "customer-story",
    "Campaign briefs four weeks before launch, so sales can prepare": "campaign-brief",
}

# stage name -> (earlier period count, later period count, later period target)
FUNNEL = {
    "Reach": (48_000, 52_500, 55_000),
    "Enquiry": (960, 1_180, 1_200),
    "Marketing-qualified": (310, 365, 380),
    "Sales-accepted": (190, 248, 260),
    "Opportunity": (92, 118, 120),
    "Proposal": (41, 52, 55),
    "Won": (12, 16, 18),
}

# to stage id -> (qualifies, response hours, return reasons, returned handling)
HANDOVERS = {
    4: (
        "A manufacturer with 200 to 2,000 staff, a named contact responsible for a plant or "
        "its budget, and a stated reporting problem",
        24.0,
        "Wrong company size; student or job seeker; existing customer (goes to account "
        "management); no way to reach the contact",
        "Marketing nurtures returned leads for 90 days and records the reason in the CRM",
    ),
    5: (
        "First meeting held, problem and timeline confirmed, and the person who signs the "
        "budget identified",
        48.0,
        "No project this year; nobody owns the budget",
        "Back to shared nurture with a follow-up task in 60 days",
    ),
}

# (step, text, owner, due, status, created)
ACTIONS = [
    (StepId.SETUP, "Send the workshop summary to everyone who attended", AIKO, "2026-11-23",
     ActionStatus.DONE, "11:50"),
    (StepId.GOALS, "Add the three joint goals to the quarterly business review", DANA,
     "2026-12-01", ActionStatus.DONE, "10:07"),
    (StepId.GOALS, "Build the enquiry-to-first-meeting report in the CRM", AIKO, "2026-12-12",
     ActionStatus.DOING, "10:09"),
    (StepId.STORY, "Rewrite the website home page around the core message", LENA,
     "2027-01-15", ActionStatus.OPEN, "10:52"),
    (StepId.STORY, "Replace the 'AI platform' slides in the sales deck", TOMAS, "2026-12-10",
     ActionStatus.OPEN, "10:54"),
    (StepId.STORY, "Print posters of the core message for the office", PRIYA, "2026-12-18",
     ActionStatus.DROPPED, "10:55"),
    (StepId.CRM, "Share CRM dashboard", LENA, "2026-12-05", ActionStatus.OPEN, "11:07"),
    (StepId.CRM, "Approve the read-only licence for Lena", AIKO, "2026-12-11",
     ActionStatus.OPEN, "11:08"),
    (StepId.FEEDBACK, "Book the fortnightly round-table until June", JONAS, "2026-11-27",
     ActionStatus.DONE, "11:24"),
    (StepId.FEEDBACK, "Reword the 'approve every campaign' rule as feedback", LENA,
     "2026-12-01", ActionStatus.OPEN, "11:26"),
    (StepId.FUNNEL, "Add the agreed return reasons to the CRM pick-list", AIKO, "2026-12-15",
     ActionStatus.OPEN, "11:41"),
    (StepId.FUNNEL, "Snapshot the funnel counts on the first of every month", PRIYA,
     "2026-12-01", ActionStatus.OPEN, "11:43"),
]  # fmt: skip

#: Seconds spent per step during the workshop (later steps were not timed).
SPENT = {StepId.SETUP: 655.0, StepId.GOALS: 1985.0, StepId.STORY: 2710.0, StepId.CRM: 840.0}


def demo_session() -> Session:
    """The example session: the same every time it is built."""
    day = WORKSHOP_DAY
    meta = SessionMeta(
        title=DEMO_TITLE,
        organisation="Kestrel Metrics",
        workshop_date=day,
        facilitator="Marit Olsen",
        current_step=StepId.WRAPUP,
        next_review=_d("2027-01-14"),
        workshop_minutes=180,
        warmup_notes=WARMUP,
        created_at=_at(day, "08:30"),
        updated_at=_at(_d("2026-11-26"), "15:10"),
    )

    goals: list[Goal] = []
    behaviours: list[Behaviour] = []
    for i, (statement, measure, aim, due, votes, sales, marketing) in enumerate(GOALS, 1):
        goals.append(
            Goal(
                id=i,
                position=i,
                statement=statement,
                measure=measure,
                target=aim,
                due=_d(due),
                votes=votes,
            )
        )
        for team, texts in ((Team.SALES, sales), (Team.MARKETING, marketing)):
            for text in texts:
                behaviours.append(
                    Behaviour(id=len(behaviours) + 1, goal_id=i, team=team, text=text)
                )

    pillars: list[Pillar] = []
    proofs: list[ProofPoint] = []
    for i, (title, points) in enumerate(PILLARS, 1):
        pillars.append(Pillar(id=i, position=i, title=title))
        for j, text in enumerate(points, 1):
            proofs.append(ProofPoint(id=len(proofs) + 1, pillar_id=i, position=j, text=text))
    retired = [
        RetiredMessage(id=i, text=text, reason=reason)
        for i, (text, reason) in enumerate(RETIRED, 1)
    ]

    grants = [
        CrmGrant(
            id=1,
            participant_id=PRIYA,
            access=AccessLevel.READ_ONLY,
            watches=["deal notes", "lost reasons", "pipeline value by campaign"],
            granted_by="Aiko Tanaka",
            due=_d("2026-12-04"),
            status=GrantStatus.GRANTED,
        ),
        CrmGrant(
            id=2,
            participant_id=LENA,
            access=AccessLevel.READ_ONLY,
            watches=["lost reasons", "win/loss interview notes"],
            granted_by="Aiko Tanaka",
            due=_d("2026-12-11"),
            status=GrantStatus.REQUESTED,
        ),
    ]

    positions: dict[FeedbackSide, int] = {}
    items: list[FeedbackItem] = []
    for side, text in FEEDBACK:
        positions[side] = positions.get(side, 0) + 1
        items.append(
            FeedbackItem(
                id=len(items) + 1,
                side=side,
                position=positions[side],
                text=text,
                document=FEEDBACK_DOCUMENTS.get(text, ""),
            )
        )

    stages = [
        FunnelStage(id=i, position=i, name=name, owner=owner)
        for i, (name, owner) in enumerate(DEFAULT_STAGES, 1)
    ]
    periods = [
        FunnelPeriod(id=1, position=1, label="2026 Q3", starts=_d("2026-07-01")),
        FunnelPeriod(id=2, position=2, label="2026 Q4", starts=_d("2026-10-01")),
    ]
    counts: list[FunnelCount] = []
    for stage in stages:
        before, after, target = FUNNEL[stage.name]
        counts.append(FunnelCount(id=len(counts) + 1, stage_id=stage.id, period_id=1, count=before))
        counts.append(
            FunnelCount(
                id=len(counts) + 1, stage_id=stage.id, period_id=2, count=after, target=target
            )
        )
    handovers = [
        Handover(
            id=i,
            to_stage_id=to_stage,
            qualifies=qualifies,
            response_hours=hours,
            return_reasons=reasons,
            returned_handling=handling,
            follow_up_attempts=3,
            escalate_to="Dana and Lena together; then the managing director",
            volume_commitment="260 marketing-qualified leads a quarter"
            if to_stage == 4  # into Sales-accepted
            else "",
        )
        for i, (to_stage, (qualifies, hours, reasons, handling)) in enumerate(HANDOVERS.items(), 1)
    ]

    actions = [
        Action(
            id=i,
            text=text,
            step=step,
            owner_id=owner,
            due=_d(due),
            status=status,
            created_at=_at(day, created),
        )
        for i, (step, text, owner, due, status, created) in enumerate(ACTIONS, 1)
    ]
    agenda = [
        AgendaItem(id=i, step=step, minutes=DEFAULT_TIMEBOX[step], spent_seconds=SPENT.get(step, 0))
        for i, step in enumerate(STEP_ORDER, 1)
    ]
    reviews = [
        Review(
            id=1,
            held_on=_d("2026-11-26"),
            notes="First check-in: Priya can read the CRM; Q4 counts to date entered; "
            "the approval rule still needs rewording.",
        )
    ]

    session = Session(
        meta=meta,
        story=Story(audience=AUDIENCE, core_message=CORE_MESSAGE),
        crm=CrmSetup(
            system="Salesforce Sales Cloud",
            notes="Read-only licences come from the existing pool; revenue operations "
            "manages the profile.",
        ),
        feedback=FeedbackLoop(
            cadence=Cadence.FORTNIGHTLY,
            forum="Pipeline and campaign round-table, Tuesdays 16:00, video call",
            duration_minutes=45,
            attendees="Both leads, the sales development lead, demand generation and revenue "
            "operations; account executives take turns",
            brief_weeks=4,
            not_approval_agreed=True,
            weekday=Weekday.TUESDAY,
            start_time=dt.time(16, 0),
            time_zone="Europe/Berlin",
            first_meeting=_d("2026-12-01"),
        ),
        funnel_plan=FunnelPlan(
            revenue_target=1_200_000,
            avg_deal_value=48_000,
            currency="€",
            revenue_period=TargetPeriod.YEAR,
        ),
        participants=list(PARTICIPANTS),
        goals=goals,
        behaviours=behaviours,
        pillars=pillars,
        proof_points=proofs,
        retired_messages=retired,
        crm_grants=grants,
        feedback_items=items,
        funnel_stages=stages,
        funnel_periods=periods,
        funnel_counts=counts,
        handovers=handovers,
        actions=actions,
        agenda=agenda,
        reviews=reviews,
    )

    # Both leads sign off the goals and the story as they stand.
    signed = [
        (SignOffSubject.GOALS, LeadRole.SALES, "Dana Okafor", "10:05"),
        (SignOffSubject.GOALS, LeadRole.MARKETING, "Lena Brandt", "10:06"),
        (SignOffSubject.STORY, LeadRole.SALES, "Dana Okafor", "10:58"),
        (SignOffSubject.STORY, LeadRole.MARKETING, "Lena Brandt", "10:58"),
    ]
    session.signoffs = [
        SignOff(
            id=i,
            subject=subject,
            role=role,
            name=name,
            signed_at=_at(day, hhmm),
            fingerprint=fingerprint(session, subject),
        )
        for i, (subject, role, name, hhmm) in enumerate(signed, 1)
    ]
    return Session.model_validate(session.model_dump())

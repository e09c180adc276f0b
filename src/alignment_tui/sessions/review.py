"""What a review shows: read-only figures over a session, for the review screen and the pack.

Every function here is pure: it reads a :class:`Session` and returns plain
dataclasses; nothing is written and nothing is recorded (looking at a review
never records one; :meth:`.service.SessionService.start_review` does). Dates
come from the caller or from :mod:`.clock`, never from the wall clock.

The window of a review
    A review looks back to the review before it (by date), or to the workshop
    for the first one: ``(start, end]``, where *end* is the review's date, or
    today when looking without a recorded review (``review=None``).

The funnel at a review
    A review looks at one funnel period (``Review.period_id``: the latest when
    it was started, or a period started with it; the latest period for a review
    that names none, or whose period was removed). "Since the last review"
    compares it with the period the previous review looked at when that is an
    earlier period, else with the period just before it (the first review, two
    reviews of one period, a period removed since). Stages are compared in
    today's funnel: a removed stage has no counts left (they go with it), so the
    conversion into the stage after it is worked out from the stage before, in
    both periods alike; a stage with no count in the base period has no change.

For the review screen
    Open it on ``review_figures(service.session, today=clock.today())``: a look,
    nothing recorded (the window runs from the latest review to today; a review
    already recorded today is the one shown). "Start this review" calls
    ``service.start_review()`` (optionally ``new_period="2027 Q1"``); then
    ``review_figures(session, review)`` again. Recording goes through the
    service, one call per field, each refusing bad input with ``ChangeRefused``:
    ``set_goal_value(review, goal, "248")`` (words are kept as text, blank
    removes), ``set_handover_figures(review, handover, response_hours=...,
    returned_pct=...)``, ``set_review_notes``, ``set_next_review``,
    ``set_review_period``, ``link_action(action, goal_id=... | stage_id=...)``,
    ``add_loop_meeting(day)``. The small trend line is :func:`sparkline`;
    numbers read as :func:`fmt_value`, :func:`fmt_hours`, :func:`fmt_pct`, and
    rates with :mod:`.funnel`'s ``fmt_rate`` / ``fmt_points``.

Imports neither textual nor rich.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import clock
from .funnel import compute_rows
from .loop import loop_settings
from .models import (
    Action,
    ActionStatus,
    Cadence,
    FunnelPeriod,
    Goal,
    GoalValue,
    Handover,
    HandoverFigure,
    LoopMeeting,
    Review,
    Session,
)
from .parse import parse_date

# ---------------------------------------------------------------------------
# The window
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewWindow:
    """The stretch of time and the funnel periods one review looks at."""

    #: The review (None: looking now, before one is recorded).
    review: Review | None
    #: The review before it (None: this is the first; the window starts at the workshop).
    previous: Review | None
    start: dt.date
    end: dt.date
    #: The period the review looks at, and the one its change is counted from.
    period: FunnelPeriod | None
    base_period: FunnelPeriod | None

    @property
    def since_label(self) -> str:
        """ "since the review of 2026-11-26" / "since the workshop (2026-11-20)"."""
        if self.previous is not None:
            return f"since the review of {self.previous.held_on.isoformat()}"
        return f"since the workshop ({self.start.isoformat()})"

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start < day <= self.end


def sorted_reviews(session: Session) -> list[Review]:
    """The recorded reviews, oldest first."""
    return sorted(session.reviews, key=lambda r: (r.held_on, r.id))


def review_window(
    session: Session, review: Review | None = None, *, today: dt.date | None = None
) -> ReviewWindow:
    """The window of *review* (None: a look today, after the latest recorded review)."""
    reviews = sorted_reviews(session)
    if review is None:
        end = today or clock.today()
        earlier = [r for r in reviews if r.held_on < end]
        # a review recorded today is the one being looked at
        same_day = next((r for r in reviews if r.held_on == end), None)
        if same_day is not None:
            return review_window(session, same_day)
    else:
        end = review.held_on
        earlier = [r for r in reviews if (r.held_on, r.id) < (review.held_on, review.id)]
    previous = earlier[-1] if earlier else None
    start = previous.held_on if previous is not None else session.meta.workshop_date
    periods = session.sorted_periods()
    by_id = {p.id: p for p in periods}
    period = None
    if review is not None and review.period_id is not None:
        period = by_id.get(review.period_id)
    if period is None and periods:
        # looking now, or a review that names no period (recorded before schema 5, or
        # its period removed): the latest period, as starting a review would choose
        period = periods[-1]
    base = None
    if period is not None:
        order = [p.id for p in periods]
        idx = order.index(period.id)
        prev_period = (
            by_id.get(previous.period_id)
            if previous is not None and previous.period_id is not None
            else None
        )
        if prev_period is not None and order.index(prev_period.id) < idx:
            base = prev_period
        elif idx > 0:
            base = periods[idx - 1]
    return ReviewWindow(review, previous, start, end, period, base)


# ---------------------------------------------------------------------------
# Actions: done, slipped, new
# ---------------------------------------------------------------------------


OPEN = (ActionStatus.OPEN, ActionStatus.DOING)


def done_in(action: Action, window: ReviewWindow) -> bool:
    """Ticked done within the window (an action done before the day was kept, in a file
    older than schema 5, counts for the first review only)."""
    if not action.done:
        return False
    if action.done_on is None:
        return window.previous is None
    return window.contains(action.done_on)


def slipped_in(action: Action, window: ReviewWindow) -> bool:
    """Still open at the window's end past its due date, or its due date moved within it."""
    if action.status not in OPEN:
        return False
    if action.due is not None and action.due < window.end:
        return True
    return action.due_moved and window.contains(action.due_moved_on)


def new_in(action: Action, window: ReviewWindow) -> bool:
    """Written within the window (after the workshop's day for the first review)."""
    if action.created_at is None:
        return False
    return window.contains(action.created_at.astimezone().date())


@dataclass(frozen=True)
class ActionsSince:
    done: list[Action]
    slipped: list[Action]
    new: list[Action]


def _by_due(actions: Sequence[Action]) -> list[Action]:
    return sorted(actions, key=lambda a: (a.due or dt.date.max, a.id))


def actions_since(session: Session, window: ReviewWindow) -> ActionsSince:
    """Every action done, slipped and new in *window*."""
    acts = session.actions
    return ActionsSince(
        done=_by_due([a for a in acts if done_in(a, window)]),
        slipped=_by_due([a for a in acts if slipped_in(a, window)]),
        new=_by_due([a for a in acts if new_in(a, window)]),
    )


# ---------------------------------------------------------------------------
# Joint goals: values over reviews against the target
# ---------------------------------------------------------------------------

_TARGET_NUMBER = re.compile(r"[-+]?\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")
_LOWER = ("under", "below", "less than", "fewer than", "at most", "no more than", "within",
          "max", "maximum", "<", "≤", "reduce", "cut")  # fmt: skip
_STRICT = ("under", "below", "less than", "fewer than", "<", "over", "above", "more than", ">")


def target_number(target: str) -> float | None:
    """The number in a goal's written target ("260 per quarter" → 260, "30% win rate" →
    30, "Under 5 working days" → 5); None when it has none or more than one reading."""
    found = _TARGET_NUMBER.findall(target)
    if len(found) != 1:
        return None
    return float(re.sub(r"[,\u00a0\u202f ]", "", found[0]))


def lower_is_better(target: str) -> bool:
    """Whether a target asks for less ("Under 5 working days", "at most 24 hours")."""
    low = f" {target.casefold()} "
    return any(f" {w} " in low or (not w.isalpha() and w in low) for w in _LOWER)


def reached(value: float, target: float, written: str) -> bool:
    low = f" {written.casefold()} "
    strict = any(f" {w} " in low or (not w.isalpha() and w in low) for w in _STRICT)
    if lower_is_better(written):
        return value < target if strict else value <= target
    return value > target if strict else value >= target


@dataclass(frozen=True)
class GoalPoint:
    """A goal's value at one review."""

    review: Review
    value: GoalValue

    @property
    def number(self) -> float | None:
        return self.value.value

    @property
    def shown(self) -> str:
        return fmt_value(self.value.value) if self.value.value is not None else self.value.text


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    #: Its values at every review that recorded one, oldest first.
    points: list[GoalPoint]
    #: The target's number (None: the target is words, or not set).
    target: float | None
    lower_is_better: bool
    #: The value at the review looked at, and at the one before it (None: not recorded).
    now: GoalPoint | None = None
    before: GoalPoint | None = None
    #: Actions aimed at the goal done in the window, and the ones that slipped.
    done: list[Action] = field(default_factory=list)
    slipped: list[Action] = field(default_factory=list)

    @property
    def reached(self) -> bool | None:
        """Whether the latest numeric value meets the target (None: cannot say)."""
        if self.now is None or self.now.number is None or self.target is None:
            return None
        return reached(self.now.number, self.target, self.goal.target)

    @property
    def change(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        if self.now.number is None or self.before.number is None:
            return None
        return self.now.number - self.before.number

    @property
    def trend(self) -> list[float | None]:
        return [p.number for p in self.points]


def goal_progress(session: Session, window: ReviewWindow) -> list[GoalProgress]:
    """Per joint goal: its values over the reviews up to the window's end, against its target."""
    reviews = [r for r in sorted_reviews(session) if r.held_on <= window.end]
    if window.review is not None:
        reviews = [
            r for r in reviews if (r.held_on, r.id) <= (window.review.held_on, window.review.id)
        ]
    order = {r.id: n for n, r in enumerate(reviews)}
    by_id = {r.id: r for r in reviews}
    result = []
    for goal in sorted(session.goals, key=lambda g: (g.position, g.id)):
        values = sorted(
            (v for v in session.goal_values if v.goal_id == goal.id and v.review_id in order),
            key=lambda v: order[v.review_id],
        )
        points = [GoalPoint(by_id[v.review_id], v) for v in values]
        now = next((p for p in points if window.review and p.review.id == window.review.id), None)
        before = next(
            (p for p in points if window.previous and p.review.id == window.previous.id), None
        )
        if window.review is None and points:
            now = points[-1]
            before = points[-2] if len(points) > 1 else None
        aimed = [a for a in session.actions if a.target_goal_id == goal.id]
        result.append(
            GoalProgress(
                goal=goal,
                points=points,
                target=target_number(goal.target),
                lower_is_better=lower_is_better(goal.target),
                now=now,
                before=before,
                done=_by_due([a for a in aimed if done_in(a, window)]),
                slipped=_by_due([a for a in aimed if slipped_in(a, window)]),
            )
        )
    return result


# ---------------------------------------------------------------------------
# The funnel: change per stage since the last review, and the trend per stage
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StageChange:
    stage_id: int
    name: str
    count: int | None
    count_before: int | None
    #: count - count_before, and that over count_before (None: cannot say).
    change_abs: int | None
    change_rel: float | None
    #: The conversion into this stage from the stage before it, now and in the base period.
    conversion: float | None
    conversion_before: float | None
    done: list[Action] = field(default_factory=list)
    slipped: list[Action] = field(default_factory=list)

    @property
    def points(self) -> float | None:
        """The change of the conversion in percentage points (None: cannot say)."""
        if self.conversion is None or self.conversion_before is None:
            return None
        return (self.conversion - self.conversion_before) * 100


@dataclass(frozen=True)
class FunnelChange:
    period: FunnelPeriod | None
    base_period: FunnelPeriod | None
    rows: list[StageChange]


def _counts(session: Session, period: FunnelPeriod | None) -> dict[int, int | None]:
    if period is None:
        return {}
    return {c.stage_id: c.count for c in session.funnel_counts if c.period_id == period.id}


def funnel_change(session: Session, window: ReviewWindow) -> FunnelChange:
    """Per stage (today's funnel, in order): counts and conversion in the review's period
    beside the base period, with the actions aimed at the stage done and slipped."""
    stages = session.sorted_stages()
    now = _counts(session, window.period)
    before = _counts(session, window.base_period) if window.base_period is not None else None
    rows = compute_rows(stages, now, previous=before) if stages else []
    result = []
    for row in rows:
        aimed = [a for a in session.actions if a.target_stage_id == row.stage_id]
        result.append(
            StageChange(
                stage_id=row.stage_id,
                name=row.name,
                count=row.count,
                count_before=row.previous_period_count,
                change_abs=row.change_abs,
                change_rel=row.change_rel,
                conversion=row.conversion,
                conversion_before=row.previous_conversion,
                done=_by_due([a for a in aimed if done_in(a, window)]),
                slipped=_by_due([a for a in aimed if slipped_in(a, window)]),
            )
        )
    return FunnelChange(window.period, window.base_period, result)


@dataclass(frozen=True)
class StageTrend:
    """The conversion into one stage (from the stage before) in every period, oldest first."""

    stage_id: int
    name: str
    #: (period label, conversion or None)
    rates: list[tuple[str, float | None]]


def conversion_trends(session: Session) -> list[StageTrend]:
    """Per stage after the first: its conversion in every period (a missing count: None)."""
    stages = session.sorted_stages()
    periods = session.sorted_periods()
    per_period = [(p.label, compute_rows(stages, _counts(session, p))) for p in periods]
    return [
        StageTrend(
            stage.id, stage.name, [(label, rows[i].conversion) for label, rows in per_period]
        )
        for i, stage in enumerate(stages)
        if i
    ]


# ---------------------------------------------------------------------------
# Hand-overs: performance against the agreement
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverResult:
    handover: Handover
    #: "Marketing-qualified → Sales-accepted" (the stage before the receiving one).
    label: str
    figure: HandoverFigure | None
    before: HandoverFigure | None

    @property
    def agreed_hours(self) -> float | None:
        return None if self.handover.draft else self.handover.response_hours

    @property
    def agreed_returned(self) -> float | None:
        return None if self.handover.draft else self.handover.returned_pct_max

    @property
    def response_missed(self) -> bool | None:
        achieved = self.figure.response_hours if self.figure else None
        if achieved is None or self.agreed_hours is None:
            return None
        return achieved > self.agreed_hours

    @property
    def returned_missed(self) -> bool | None:
        share = self.figure.returned_pct if self.figure else None
        if share is None or self.agreed_returned is None:
            return None
        return share > self.agreed_returned

    @property
    def missed(self) -> bool:
        """Flagged: a figure beyond what was agreed."""
        return bool(self.response_missed or self.returned_missed)


def handover_performance(session: Session, window: ReviewWindow) -> list[HandoverResult]:
    """Every hand-over agreement (funnel order) with the figures recorded at the review
    and at the one before; a draft agreement has no agreed figures to miss."""
    stages = session.sorted_stages()
    position = {s.id: n for n, s in enumerate(stages)}
    result = []
    for h in sorted(session.handovers, key=lambda h: (position.get(h.to_stage_id, 0), h.id)):
        n = position.get(h.to_stage_id)
        if n is None:
            continue
        into = stages[n].name
        label = f"{stages[n - 1].name} → {into}" if n else into

        def at(review: Review | None, hid: int = h.id) -> HandoverFigure | None:
            if review is None:
                return None
            return next(
                (
                    f
                    for f in session.handover_figures
                    if f.review_id == review.id and f.handover_id == hid
                ),
                None,
            )

        result.append(HandoverResult(h, label, at(window.review), at(window.previous)))
    return result


# ---------------------------------------------------------------------------
# The feedback loop: met as agreed?
# ---------------------------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _add_months(day: dt.date, months: int, weekday: int | None, week: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    if weekday is None:
        return dt.date(year, month, min(day.day, last))
    if week < 5:
        first = (weekday - dt.date(year, month, 1).weekday()) % 7 + 1
        return dt.date(year, month, first + 7 * (week - 1))
    return dt.date(year, month, last - (dt.date(year, month, last).weekday() - weekday) % 7)


def scheduled_meetings(session: Session, start: dt.date, end: dt.date) -> list[dt.date]:
    """The loop's meetings the cadence puts in ``(start, end]``.

    The series starts at the agreed first meeting (or the workshop), moved on to
    the agreed weekday; weekly and fortnightly step by 7 and 14 days; monthly and
    quarterly keep the weekday of the same week of the month (as the calendar
    file's repeat rule does), or the day of the month when no weekday is agreed.
    """
    loop = session.feedback
    first = loop.first_meeting or session.meta.workshop_date
    weekday = _WEEKDAYS.index(loop.weekday.value) if loop.weekday is not None else None
    if weekday is not None:
        first += dt.timedelta(days=(weekday - first.weekday()) % 7)
    week = (first.day - 1) // 7 + 1
    days: list[dt.date] = []
    n = 0
    while len(days) < 1000:
        if loop.cadence in (Cadence.WEEKLY, Cadence.FORTNIGHTLY):
            step = 7 if loop.cadence is Cadence.WEEKLY else 14
            day = first + dt.timedelta(days=step * n)
        else:
            months = 1 if loop.cadence is Cadence.MONTHLY else 3
            day = _add_months(first, months * n, weekday, week)
        if day > end:
            break
        if day > start:
            days.append(day)
        n += 1
    return days


@dataclass(frozen=True)
class LoopAttendance:
    cadence: Cadence | None
    held: list[LoopMeeting]
    #: How many meetings the cadence asked for in the window (None: no cadence agreed).
    expected: int | None

    @property
    def met(self) -> bool | None:
        """Met as agreed: at least as many meetings as the cadence asked for (None: nothing
        to measure against, or no meeting was due)."""
        if self.expected is None or self.expected == 0:
            return None
        return len(self.held) >= self.expected


def meeting_day(text: str, today: dt.date) -> dt.date:
    """The day a loop meeting was held, as typed ("2027-03-02", "today"): required, and
    not after *today* (a meeting is recorded once it has been held). ValueError says why."""
    day = parse_date(text, field="Meeting date", today=today, allow_blank=False)
    assert day is not None
    if day > today:
        raise ValueError(
            f"Meeting date: {day.isoformat()} is after today; record a meeting once it is held"
        )
    return day


def period_for_new_review(session: Session) -> FunnelPeriod | None:
    """The funnel period a review started now looks at: the latest one, unless an earlier
    review already looked at it (None: this review's counts need a new period)."""
    periods = session.sorted_periods()
    if not periods:
        return None
    latest = periods[-1]
    if any(r.period_id == latest.id for r in session.reviews):
        return None
    return latest


def loop_attendance(session: Session, window: ReviewWindow) -> LoopAttendance:
    """The loop's meetings held in the window against the ones its cadence asked for."""
    cadence = loop_settings(session)[0]
    held = sorted(
        (m for m in session.loop_meetings if window.contains(m.held_on)),
        key=lambda m: (m.held_on, m.id),
    )
    expected = (
        None if cadence is None else len(scheduled_meetings(session, window.start, window.end))
    )
    return LoopAttendance(cadence, held, expected)


# ---------------------------------------------------------------------------
# Formatting shared by the screen and the pack
# ---------------------------------------------------------------------------

DASH = "—"
SPARKS = "▁▂▃▄▅▆▇█"


def fmt_value(value: float | None) -> str:
    """A measured value as people write it: 248 → "248", 4.5 → "4.5", 1200 → "1,200"."""
    if value is None:
        return DASH
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_hours(value: float | None) -> str:
    return DASH if value is None else f"{fmt_value(value)} h"


def fmt_pct(value: float | None) -> str:
    return DASH if value is None else f"{fmt_value(value)}%"


def sparkline(values: Sequence[float | None]) -> str:
    """A small trend line ("▁▄█"); a value not recorded is a space."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARKS[len(SPARKS) // 2])
        else:
            out.append(SPARKS[round((v - low) / span * (len(SPARKS) - 1))])
    return "".join(out)


@dataclass(frozen=True)
class ReviewFigures:
    """Everything a review shows, in one call (see the module's docstring)."""

    window: ReviewWindow
    goals: list[GoalProgress]
    funnel: FunnelChange
    trends: list[StageTrend]
    handovers: list[HandoverResult]
    loop: LoopAttendance
    actions: ActionsSince


def review_figures(
    session: Session, review: Review | None = None, *, today: dt.date | None = None
) -> ReviewFigures:
    """The figures of *review* (None: a look today, nothing recorded)."""
    window = review_window(session, review, today=today)
    return ReviewFigures(
        window=window,
        goals=goal_progress(session, window),
        funnel=funnel_change(session, window),
        trends=conversion_trends(session),
        handovers=handover_performance(session, window),
        loop=loop_attendance(session, window),
        actions=actions_since(session, window),
    )

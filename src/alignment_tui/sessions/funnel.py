"""Funnel maths: conversion, drop-off, change between periods, hand-overs, "what it takes".

Pure functions over a :class:`Session` (or over stages and counts). Every rate
that cannot be computed (a previous count of 0 or a missing count) is ``None``;
the screens and exports show it as "—" (see :func:`fmt_rate` and friends), so
nothing here ever divides by zero.

Imports neither textual nor rich.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from .models import FunnelCount, FunnelStage, Owner, Session, TargetPeriod

DASH = "—"

# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    """One stage in one period, with everything derived from its count."""

    stage_id: int
    name: str
    owner: Owner
    count: int | None
    target: int | None = None
    #: count / previous stage's count (None for the first stage or when undefined).
    conversion: float | None = None
    #: 1 - conversion.
    drop_off: float | None = None
    #: previous stage's count - count (negative when this stage is larger).
    drop_off_abs: int | None = None
    #: count / first stage's count.
    overall: float | None = None
    #: True when this stage counts more than the stage before it (allowed, but worth a look).
    larger_than_previous: bool = False
    #: The same stage's count in the previous period, when there is one.
    previous_period_count: int | None = None
    #: count - previous period's count.
    change_abs: int | None = None
    #: change_abs / previous period's count.
    change_rel: float | None = None
    #: The conversion into this stage in the previous period, when there is one.
    previous_conversion: float | None = None
    #: The previous period's count / the previous period's first count.
    previous_overall: float | None = None

    @property
    def target_gap(self) -> int | None:
        """target - count (positive: still short of the target)."""
        if self.target is None or self.count is None:
            return None
        return self.target - self.count


@dataclass(frozen=True)
class PeriodFunnel:
    """The whole funnel for one period."""

    period_id: int | None
    label: str
    rows: list[StageRow]
    previous_label: str | None = None

    @property
    def overall_conversion(self) -> float | None:
        """Last stage / first stage."""
        return self.rows[-1].overall if self.rows else None

    @property
    def previous_overall_conversion(self) -> float | None:
        """Last stage / first stage in the period before (None when there is none)."""
        return self.rows[-1].previous_overall if self.rows else None

    @property
    def has_counts(self) -> bool:
        return any(r.count is not None for r in self.rows)


@dataclass(frozen=True)
class HandoverPoint:
    """Two consecutive stages with different owners: a lead changes hands here."""

    from_stage_id: int
    from_name: str
    from_owner: Owner
    to_stage_id: int
    to_name: str
    to_owner: Owner

    @property
    def label(self) -> str:
        """ "Marketing → Sales"."""
        return f"{self.from_owner.value} → {self.to_owner.value}"


@dataclass(frozen=True)
class NeedRow:
    """What one stage needs to reach the revenue target, beside today's count."""

    stage_id: int
    name: str
    owner: Owner
    needed: int | None
    today: int | None
    #: The need before rounding (None where ``needed`` is): ``needed`` is it rounded up.
    exact: Fraction | None = None

    @property
    def gap(self) -> int | None:
        """needed - today (positive: more needed than there is today)."""
        if self.needed is None or self.today is None:
            return None
        return self.needed - self.today


@dataclass(frozen=True)
class WhatItTakes:
    """What the revenue target takes, in the period of the counts.

    ``deals_needed`` is the won deals in that period, rounded up; ``deals_exact``
    the same before rounding (the target converted to the counts' period, divided
    by the deal value). Every stage's need is worked out from ``deals_exact`` and
    rounded up once, at the end.
    """

    revenue_target: float
    avg_deal_value: float
    deals_needed: int
    rows: list[NeedRow]
    period_label: str = ""
    deals_exact: Fraction = Fraction(0)
    #: The period the target covers (None: not said).
    target_period: TargetPeriod | None = None
    #: The kind of period the counts are in, read from its label (None: not known).
    counts_period: TargetPeriod | None = None
    #: The revenue target for one period of the counts (the target itself when not converted).
    period_target: Fraction = Fraction(0)

    @property
    def converted(self) -> bool:
        """Whether the target was converted to another period's length."""
        return (
            self.target_period is not None
            and self.counts_period is not None
            and self.target_period is not self.counts_period
        )


# ---------------------------------------------------------------------------
# Core computations
# ---------------------------------------------------------------------------


def _ratio(num: int | None, den: int | None) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return num / den


def compute_rows(
    stages: Sequence[FunnelStage],
    counts: Mapping[int, int | None],
    *,
    targets: Mapping[int, int | None] | None = None,
    previous: Mapping[int, int | None] | None = None,
) -> list[StageRow]:
    """Rows for *stages* (in funnel order) from counts keyed by stage id.

    *previous* holds the previous period's counts (same keys) for the change
    columns; leave it out for the first period.
    """
    rows: list[StageRow] = []
    first = counts.get(stages[0].id) if stages else None
    first_before = previous.get(stages[0].id) if stages and previous is not None else None
    prev_count: int | None = None
    prev_before: int | None = None
    for i, stage in enumerate(stages):
        count = counts.get(stage.id)
        conversion = _ratio(count, prev_count) if i else None
        drop_abs = (
            prev_count - count if i and count is not None and prev_count is not None else None
        )
        before = previous.get(stage.id) if previous is not None else None
        change = count - before if count is not None and before is not None else None
        rows.append(
            StageRow(
                stage_id=stage.id,
                name=stage.name,
                owner=stage.owner,
                count=count,
                target=(targets or {}).get(stage.id),
                conversion=conversion,
                drop_off=None if conversion is None else 1 - conversion,
                drop_off_abs=drop_abs,
                overall=_ratio(count, first),
                larger_than_previous=bool(
                    i and count is not None and prev_count is not None and count > prev_count
                ),
                previous_period_count=before,
                change_abs=change,
                change_rel=_ratio(change, before),
                previous_conversion=_ratio(before, prev_before) if i else None,
                previous_overall=_ratio(before, first_before),
            )
        )
        prev_count = count
        prev_before = before
    return rows


def _period_maps(
    session: Session, period_id: int
) -> tuple[dict[int, int | None], dict[int, int | None]]:
    counts: dict[int, int | None] = {}
    targets: dict[int, int | None] = {}
    for c in session.funnel_counts:
        if c.period_id == period_id:
            counts[c.stage_id] = c.count
            targets[c.stage_id] = c.target
    return counts, targets


def period_funnel(session: Session, period_id: int) -> PeriodFunnel:
    """The funnel of one period, with the change against the period before it."""
    periods = session.sorted_periods()
    idx = next(i for i, p in enumerate(periods) if p.id == period_id)
    counts, targets = _period_maps(session, period_id)
    previous = None
    previous_label = None
    if idx > 0:
        previous, _ = _period_maps(session, periods[idx - 1].id)
        previous_label = periods[idx - 1].label
    rows = compute_rows(session.sorted_stages(), counts, targets=targets, previous=previous)
    return PeriodFunnel(period_id, periods[idx].label, rows, previous_label)


def funnel_periods(session: Session) -> list[PeriodFunnel]:
    """Every period's funnel, oldest first."""
    return [period_funnel(session, p.id) for p in session.sorted_periods()]


def latest_period_funnel(session: Session) -> PeriodFunnel | None:
    periods = session.sorted_periods()
    return period_funnel(session, periods[-1].id) if periods else None


def handover_points(stages: Sequence[FunnelStage]) -> list[HandoverPoint]:
    """Consecutive stages (in funnel order) whose owners differ."""
    return [
        HandoverPoint(a.id, a.name, a.owner, b.id, b.name, b.owner)
        for a, b in itertools.pairwise(stages)
        if a.owner is not b.owner
    ]


def session_handover_points(session: Session) -> list[HandoverPoint]:
    return handover_points(session.sorted_stages())


# ---------------------------------------------------------------------------
# What it takes
# ---------------------------------------------------------------------------


def _exact(value: float | int) -> Fraction:
    """The number as typed (``0.1`` is one tenth, not its binary neighbour)."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def deals_needed(revenue_target: float | None, avg_deal_value: float | None) -> int:
    """ceil(target / deal value); a clear ValueError when that cannot be worked out."""
    if revenue_target is None:
        raise ValueError("Revenue target is required")
    if avg_deal_value is None:
        raise ValueError("Average deal value is required")
    if not math.isfinite(revenue_target) or not math.isfinite(avg_deal_value):
        raise ValueError("Revenue target and average deal value must be numbers")
    if revenue_target < 0:
        raise ValueError("Revenue target cannot be negative")
    if avg_deal_value <= 0:
        raise ValueError("Average deal value must be more than 0")
    return math.ceil(_exact(revenue_target) / _exact(avg_deal_value))


#: Months in each period a target or the counts can cover.
MONTHS: dict[TargetPeriod, int] = {
    TargetPeriod.MONTH: 1,
    TargetPeriod.QUARTER: 3,
    TargetPeriod.YEAR: 12,
}
#: "a month", "a quarter", "a year": how the UI and the report say a period.
PER: dict[TargetPeriod, str] = {p: f"a {p.value}" for p in TargetPeriod}

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_YEAR = r"(?:19|20|21)\d\d"
_QUARTER_RE = re.compile(
    rf"^(?:(?:fy\s*)?{_YEAR}[\s/-]*q[1-4]|q[1-4][\s/-]*(?:fy\s*)?{_YEAR}|q[1-4])$"
)
_MONTH_NUM_RE = re.compile(rf"^(?:{_YEAR}[-/.](?:0?[1-9]|1[0-2])|(?:0?[1-9]|1[0-2])[-/.]{_YEAR})$")
_YEAR_RE = re.compile(rf"^(?:fy\s*)?{_YEAR}$")


def _is_month_name(word: str) -> bool:
    return len(word) >= 3 and any(name.startswith(word) for name in _MONTH_NAMES)


def period_kind(label: str) -> TargetPeriod | None:
    """The kind of period a funnel period's label names, or None when it does not say.

    "2027 Q1", "Q1 2027", "FY2027 Q1" are quarters; "2027-03", "03/2027",
    "March 2027", "Mar 2027" months; "2027", "FY2027" a year. Anything else
    ("Spring push", "Weeks 1-6") is not known, and a target is not converted to it.
    """
    text = " ".join(label.casefold().replace(",", " ").split())
    if not text:
        return None
    if _QUARTER_RE.match(text):
        return TargetPeriod.QUARTER
    if _MONTH_NUM_RE.match(text):
        return TargetPeriod.MONTH
    if _YEAR_RE.match(text):
        return TargetPeriod.YEAR
    words = text.replace("-", " ").split()
    if len(words) == 2:
        a, b = words
        if (_is_month_name(a) and re.match(rf"^{_YEAR}$", b)) or (
            _is_month_name(b) and re.match(rf"^{_YEAR}$", a)
        ):
            return TargetPeriod.MONTH
    return None


def period_target(
    revenue_target: float,
    target_period: TargetPeriod | None,
    counts_period: TargetPeriod | None,
) -> Fraction:
    """The target for one period of the counts, exactly (by the months each covers).

    Not converted when either period is not known: a yearly target of 1,200,000 is
    300,000 a quarter and 100,000 a month; a monthly 100,000 is 1,200,000 a year.
    """
    exact = _exact(revenue_target)
    if target_period is None or counts_period is None:
        return exact
    return exact * MONTHS[counts_period] / MONTHS[target_period]


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def what_it_takes(
    stages: Sequence[FunnelStage],
    counts: Mapping[int, int | None],
    revenue_target: float | None,
    avg_deal_value: float | None,
    *,
    period_label: str = "",
    target_period: TargetPeriod | None = None,
) -> WhatItTakes:
    """The count each stage needs, at today's rates, to win enough deals.

    The revenue target is first converted to the period of the counts (read from
    *period_label* by :func:`period_kind`; not converted when the target's period
    or the counts' is not known). Deals: that target ÷ the deal value. Walking back
    up the funnel, a stage needs the next stage's need ÷ the conversion into it.
    Everything is worked out exactly and rounded up once, at the end, for each
    stage: so a stage's figure is ``deals * its count / the last count`` rounded up,
    and agrees with "deals ÷ overall rate" within one lead. Where a conversion on
    the way is unknown or zero, the stage and every stage above it get ``None``.
    """
    deals_needed(revenue_target, avg_deal_value)  # the same refusals
    assert revenue_target is not None and avg_deal_value is not None
    counts_period = period_kind(period_label)
    target = period_target(revenue_target, target_period, counts_period)
    deals = target / _exact(avg_deal_value)
    exact: list[Fraction | None] = [None] * len(stages)
    if stages:
        exact[-1] = deals
    for i in range(len(stages) - 2, -1, -1):
        below = exact[i + 1]
        here = counts.get(stages[i].id)
        nxt = counts.get(stages[i + 1].id)
        exact[i] = None if below is None or not here or not nxt else below * here / nxt
    rows = [
        NeedRow(s.id, s.name, s.owner, None if e is None else _ceil(e), counts.get(s.id), e)
        for s, e in zip(stages, exact, strict=True)
    ]
    return WhatItTakes(
        float(revenue_target),
        float(avg_deal_value),
        _ceil(deals),
        rows,
        period_label,
        deals_exact=deals,
        target_period=target_period,
        counts_period=counts_period,
        period_target=target,
    )


def _plan_period(session: Session, period_id: int | None) -> tuple[int | None, str]:
    periods = session.sorted_periods()
    if period_id is None and periods:
        period_id = periods[-1].id
    label = next((p.label for p in periods if p.id == period_id), "")
    return period_id, label


def session_what_it_takes(session: Session, period_id: int | None = None) -> WhatItTakes:
    """What it takes from the session's plan, at the rates of *period_id* (default: latest)."""
    plan = session.funnel_plan
    period_id, label = _plan_period(session, period_id)
    counts: dict[int, int | None] = {}
    if period_id is not None:
        counts, _ = _period_maps(session, period_id)
    return what_it_takes(
        session.sorted_stages(),
        counts,
        plan.revenue_target,
        plan.avg_deal_value,
        period_label=label,
        target_period=plan.revenue_period,
    )


def fmt_deals(value: Fraction) -> str:
    """Deals as worked out: "25", "6.25", "8.33…" (a figure that does not end is cut with "…")."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    shown = Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{shown.quantize(Decimal('0.01'), rounding=ROUND_DOWN):,f}"
    exact = value * 100
    return text if exact.denominator == 1 else text + "…"


def what_it_takes_basis(result: WhatItTakes, currency: str = "") -> list[str]:
    """How the figures were worked out, in words, for the UI and the report (one line each).

    The won deals against the target for one period of the counts (with the exact
    figure when it is not whole), the target's period and its conversion (or why
    there is none), and the rounding rule (:data:`ROUNDING`).
    """
    cur = currency
    target = fmt_money(result.revenue_target, cur)
    label = result.period_label.strip()
    counts = result.counts_period
    deals = result.deals_exact
    won = result.deals_needed
    line = (
        f"{fmt_count(won)} {'deal' if won == 1 else 'deals'} × "
        f"{fmt_money(result.avg_deal_value, cur)} ≥ {fmt_money(float(result.period_target), cur)}"
    )
    if deals.denominator != 1:
        line += f" ({fmt_deals(deals)} deals exactly)"
    lines = [line + "."]
    if result.target_period is None:
        where = f" ({label})" if label else ""
        lines.append(
            f"The target's period is not said: {target} is taken as one period of the counts"
            f"{where}."
        )
    elif not label:
        lines.append(f"Target {target} {PER[result.target_period]}; no period of counts yet.")
    elif counts is None:
        lines.append(
            f"Target {target} {PER[result.target_period]}; “{label}” is not a month, "
            "quarter or year, so the target is not converted."
        )
    elif result.converted:
        lines.append(
            f"Target {target} {PER[result.target_period]} is "
            f"{fmt_money(float(result.period_target), cur)} {PER[counts]} ({label})."
        )
    else:
        lines.append(f"Target {target} {PER[result.target_period]}, as the counts ({label}).")
    lines.append(ROUNDING)
    return lines


#: How "what it takes" rounds, as the UI and the report say it.
ROUNDING = "Each figure is worked out exactly and rounded up once, at the end."


def target_counts(
    session: Session, result: WhatItTakes, period_id: int
) -> tuple[list[FunnelCount], list[int]]:
    """The counts of *period_id* with each stage's need from *result* as its target.

    For one save (``SessionService.save_together``): a stage's count is kept and its
    target replaced; a stage with no figure (a rate unknown) is left as it is; a
    stage with no record yet gets a new one. Also returns the ids of the stages whose
    existing target the save changes (the room is asked first when there are any).
    """
    existing = {c.stage_id: c for c in session.funnel_counts if c.period_id == period_id}
    next_id = session.next_id("funnel_counts")
    records: list[FunnelCount] = []
    replaced: list[int] = []
    for row in result.rows:
        if row.needed is None:
            continue
        found = existing.get(row.stage_id)
        if found is None:
            records.append(
                FunnelCount(
                    id=next_id, stage_id=row.stage_id, period_id=period_id, target=row.needed
                )
            )
            next_id += 1
            continue
        if found.target is not None and found.target != row.needed:
            replaced.append(row.stage_id)
        if found.target != row.needed:
            records.append(found.model_copy(update={"target": row.needed}))
    return records, replaced


def plan_period_id(session: Session) -> int | None:
    """The period "what it takes" is worked out at (the latest), None when there is none."""
    return _plan_period(session, None)[0]


# ---------------------------------------------------------------------------
# Formatting (plain text, shared by screens and exports)
# ---------------------------------------------------------------------------


def fmt_count(value: int | None) -> str:
    """1200 → "1,200"; None → "—"."""
    return DASH if value is None else f"{value:,}"


#: Significant digits a rate is shown with, unless more are needed to tell two rates apart.
RATE_DIGITS = 3
#: The most significant digits :func:`rate_digits` ever asks for.
MAX_RATE_DIGITS = 6
#: Significant digits kept from a computed rate: the float's last bits are noise
#: (``1 - 0.3`` and ``0.7`` are one rate), ratios of real counts differ well before.
_KEPT_DIGITS = 12


def _round_sig(value: Decimal, digits: int) -> Decimal:
    """*value* to *digits* significant digits, never rounding its whole part (1,234.5 → 1,235)."""
    if not value or not value.is_finite():
        return value

    def at(places: int) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-max(0, places)), rounding=ROUND_HALF_UP)

    places = digits - 1 - value.adjusted()
    rounded = at(places)
    if rounded.adjusted() > value.adjusted():
        # 99.96 → 100.0 gained a digit: 100 has the digits asked for
        rounded = at(places - 1)
    return rounded


def _percent(value: float) -> Decimal:
    """The percentage (*value* times 100) as the decimal the rate stands for (the float's noise dropped)."""
    if value == 0:
        return Decimal(0)  # exactly none: "0%"
    # repr is the shortest decimal that reads back as the same float
    return _round_sig(Decimal(repr(float(value))) * 100, _KEPT_DIGITS)


def _shown_percent(value: float, digits: int) -> Decimal:
    return _round_sig(_percent(value), digits)


def fmt_rate(value: float | None, digits: int = RATE_DIGITS) -> str:
    """A rate as a percentage with *digits* significant digits; the one rule for every rate.

    0.6129 → "61.3%", 0.02 → "2.00%", 0.00025 → "0.0250%", 1.0 → "100%", 0 → "0%",
    2.5 → "250%", None → "—". The whole part is never rounded (12.345 → "1,235%") and a
    small rate is never hidden: it gets the decimals its digits need. The same ratio prints
    the same wherever it appears, given the same *digits* (see :func:`rate_digits`).
    """
    if value is None:
        return DASH
    return f"{_shown_percent(value, digits):,f}%"


def rate_digits(
    values: Iterable[float | None], least: int = RATE_DIGITS, most: int = MAX_RATE_DIGITS
) -> int:
    """The fewest significant digits (at least *least*) at which different rates print
    differently. Rates that still print the same with *most* digits (99.9999999% and
    100%) do not count: they would only make every other rate longer. ``None`` is left out.
    """
    rates = {_percent(v) for v in values if v is not None}
    told_apart = len({_round_sig(r, most) for r in rates})
    for digits in range(least, most):
        if len({_round_sig(r, digits) for r in rates}) == told_apart:
            return digits
    return most


def funnel_digits(periods: Iterable[PeriodFunnel]) -> int:
    """One precision for every rate of a funnel: conversions, drop-offs and overall rates of
    every period, so that one ratio prints the same in every table, chart and report, and
    two different rates never print the same (within :data:`MAX_RATE_DIGITS`)."""
    return rate_digits(
        rate for pf in periods for r in pf.rows for rate in (r.conversion, r.drop_off, r.overall)
    )


def _fmt_rel(rel: float) -> str:
    """A relative change, one decimal: 0.1 → "+10.0%"; a change too small for one decimal
    gets two significant digits (0.00004 → "+0.0040%"), never a "0.0%" that is not zero."""
    if rel == 0:
        return "0.0%"
    text = f"{rel * 100:+.1f}%"
    if text[1:] == "0.0%":
        text = f"{_round_sig(_percent(abs(rel)), 2):f}%"
        text = ("-" if rel < 0 else "+") + text
    return text


def fmt_change(abs_change: int | None, rel_change: float | None) -> str:
    """A change in counts: "+120 (+10.0%)", "-5", or "—"."""
    if abs_change is None:
        return DASH
    text = f"{abs_change:+,}" if abs_change else "0"
    if rel_change is not None:
        text += f" ({_fmt_rel(rel_change)})"
    return text


def fmt_points(now: float | None, before: float | None, digits: int = RATE_DIGITS) -> str:
    """The change of a conversion between two periods, in percentage points: "+6.6 pts".

    It is the difference of the two rates *as printed* with *digits* (61.3% → 67.9% is
    "+6.6 pts"), so it agrees with a reader's own subtraction. "—" when either is unknown.
    """
    if now is None or before is None:
        return DASH
    diff = _shown_percent(now, digits) - _shown_percent(before, digits)
    return f"{diff:f} pts" if not diff else f"{diff:+,f} pts"


def fmt_rate_change(now: float | None, before: float | None) -> str:
    """The relative change of a rate (the overall conversion): 0.025% → 0.0305% is "+21.9%".

    Worked from the rates themselves, printed like the relative change of a count.
    "—" when either is unknown or the rate before was 0.
    """
    if now is None or before is None or before == 0:
        return DASH
    return _fmt_rel(now / before - 1)


def fmt_money(value: float | None, currency: str = "") -> str:
    if value is None:
        return DASH
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{currency}{text}"

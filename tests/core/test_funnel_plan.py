"""The revenue target's period and "what it takes": conversion, rounding, copying into targets.

Worked by hand (the rule these tests hold the code to):

- A target is converted to the period of the counts by the months each covers: a
  yearly 1,200,000 is 300,000 a quarter and 100,000 a month. A period label says its
  kind ("2027 Q1" a quarter, "2027-03" / "March 2027" a month, "2027" a year); any
  other label, or a target whose period is not said, is not converted.
- Deals = that target ÷ the deal value, exactly: 1,200,000 a year at 48,000 is 25 deals
  a year, 6.25 a quarter (7 won deals, rounded up), 2.083… a month (3).
- A stage needs deals * its count ÷ the last stage's count, worked out exactly from the
  exact deals and rounded up once, at the end. So "deals ÷ overall rate" (a director's
  own check) agrees with the top figure within one lead.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

from alignment_tui.sessions.funnel import (
    ROUNDING,
    fmt_deals,
    period_kind,
    period_target,
    plan_period_id,
    session_what_it_takes,
    target_counts,
    what_it_takes,
    what_it_takes_basis,
)
from alignment_tui.sessions.models import (
    FunnelCount,
    FunnelPeriod,
    FunnelStage,
    Owner,
    Session,
    TargetPeriod,
)
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session

M, S, X = Owner.MARKETING, Owner.SHARED, Owner.SALES
Q, MO, Y = TargetPeriod.QUARTER, TargetPeriod.MONTH, TargetPeriod.YEAR

#: The demo's quarter: 52,500 reached, 16 won.
DEMO_COUNTS = [52_500, 1_180, 365, 248, 118, 52, 16]


def stages(n: int) -> list[FunnelStage]:
    owners = [M, M, M, S, X, X, X][:n] if n <= 7 else [M] * n
    return [
        FunnelStage(id=i, position=i, name=f"Stage {i}", owner=o)
        for i, o in enumerate(owners, start=1)
    ]


def counts(*values: int | None) -> dict[int, int | None]:
    return dict(enumerate(values, start=1))


# -- the kind of period a label names -----------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("2027 Q1", Q),
        ("Q1 2027", Q),
        ("2027-Q4", Q),
        ("FY2027 Q2", Q),
        ("q3 2026", Q),
        ("2027-03", MO),
        ("03/2027", MO),
        ("2027/3", MO),
        ("March 2027", MO),
        ("Mar 2027", MO),
        ("2027 September", MO),
        ("sept 2027", MO),
        ("2027", Y),
        ("FY2027", Y),
        ("FY 2027", Y),
        ("", None),
        ("Spring push", None),
        ("Weeks 1-6", None),
        ("2027 H1", None),
        ("Q5 2027", None),
        ("2027-13", None),
        ("Ma 2027", None),  # too short to be a month's name
    ],
)
def test_period_kind(label: str, kind: TargetPeriod | None) -> None:
    assert period_kind(label) is kind


# -- converting the target ---------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "of", "to", "expected"),
    [
        (1_200_000, Y, Q, Fraction(300_000)),
        (1_200_000, Y, MO, Fraction(100_000)),
        (1_200_000, Y, Y, Fraction(1_200_000)),
        (100_000, MO, Y, Fraction(1_200_000)),
        (300_000, Q, MO, Fraction(100_000)),
        (1_000_000, Y, MO, Fraction(250_000, 3)),  # 83,333.33…, kept exact
        (1_200_000, None, Q, Fraction(1_200_000)),  # the target's period not said
        (1_200_000, Y, None, Fraction(1_200_000)),  # the counts' period not known
    ],
)
def test_period_target(
    target: float, of: TargetPeriod | None, to: TargetPeriod | None, expected: Fraction
) -> None:
    assert period_target(target, of, to) == expected


def test_yearly_target_a_quarter_and_a_month() -> None:
    st = stages(2)
    year = what_it_takes(
        st, counts(100, 10), 1_200_000, 48_000, period_label="2027", target_period=Y
    )
    assert (year.deals_exact, year.deals_needed) == (25, 25)
    quarter = what_it_takes(
        st, counts(100, 10), 1_200_000, 48_000, period_label="2027 Q1", target_period=Y
    )
    assert quarter.converted and quarter.counts_period is Q
    assert quarter.period_target == 300_000
    assert (quarter.deals_exact, quarter.deals_needed) == (Fraction(25, 4), 7)  # 6.25 → 7
    month = what_it_takes(
        st, counts(100, 10), 1_200_000, 48_000, period_label="March 2027", target_period=Y
    )
    assert (month.deals_exact, month.deals_needed) == (Fraction(25, 12), 3)  # 2.083… → 3
    # a stage above: 10% of leads are won, so 10 * the exact deals, rounded up once
    assert [r.needed for r in quarter.rows] == [63, 7]  # 62.5 → 63, not 7 * 10 = 70
    assert [r.needed for r in month.rows] == [21, 3]  # 20.83… → 21, not 30


def test_not_converted_when_a_period_is_not_known() -> None:
    st = stages(2)
    unsaid = what_it_takes(st, counts(100, 10), 1_200_000, 48_000, period_label="2027 Q1")
    assert not unsaid.converted and unsaid.deals_needed == 25
    odd = what_it_takes(
        st, counts(100, 10), 1_200_000, 48_000, period_label="Spring push", target_period=Y
    )
    assert odd.counts_period is None and not odd.converted and odd.deals_needed == 25


# -- rounding once -------------------------------------------------------------------


def test_demo_quarter_rounds_up_once_and_agrees_with_the_directors_check() -> None:
    st = stages(7)
    result = what_it_takes(
        st, counts(*DEMO_COUNTS), 1_200_000, 48_000, period_label="2026 Q4", target_period=Y
    )
    # 6.25 deals; Reach: 6.25 * 52,500 ÷ 16 = 20,507.8125 → 20,508
    assert [r.needed for r in result.rows] == [20_508, 461, 143, 97, 47, 21, 7]
    assert result.rows[0].exact == Fraction(328_125, 16)
    # the director: deals ÷ overall rate (16 / 52,500), on a calculator
    overall = DEMO_COUNTS[-1] / DEMO_COUNTS[0]
    check = 6.25 / overall
    assert abs(result.rows[0].needed - check) < 1  # type: ignore[operator]
    # rounding at every stage instead would drift: 7 → 23 → 53 → … far above the check
    drift = 7
    for here, below in zip(DEMO_COUNTS[-2::-1], DEMO_COUNTS[:0:-1], strict=True):
        drift = math.ceil(drift * here / below)
    assert drift - check > 1_000


def test_round_once_differs_from_rounding_at_every_stage() -> None:
    # 1 deal; 2 won of 3 proposals of 10 leads: Proposal 1.5 → 2, Leads 5 (not ceil(2*10/3) = 7)
    result = what_it_takes(stages(3), counts(10, 3, 2), 1, 1)
    assert [r.needed for r in result.rows] == [5, 2, 1]
    assert [r.exact for r in result.rows] == [5, Fraction(3, 2), 1]


def test_fmt_deals() -> None:
    assert fmt_deals(Fraction(25)) == "25"
    assert fmt_deals(Fraction(25, 4)) == "6.25"
    assert fmt_deals(Fraction(25, 12)) == "2.08…"
    assert fmt_deals(Fraction(12_345)) == "12,345"


def test_basis_says_how_it_was_worked_out() -> None:
    st = stages(2)
    quarter = what_it_takes(
        st, counts(100, 10), 1_200_000, 48_000, period_label="2027 Q1", target_period=Y
    )
    assert what_it_takes_basis(quarter, "€") == [
        "7 deals × €48,000 ≥ €300,000 (6.25 deals exactly).",
        "Target €1,200,000 a year is €300,000 a quarter (2027 Q1).",
        ROUNDING,
    ]
    assert "rounded up once, at the end" in ROUNDING
    unsaid = what_it_takes(st, counts(100, 10), 1_200_000, 48_000, period_label="2027 Q1")
    assert "period is not said" in what_it_takes_basis(unsaid)[1]
    odd = what_it_takes(st, counts(100, 10), 1, 1, period_label="Spring push", target_period=Y)
    assert "“Spring push” is not a month, quarter or year" in what_it_takes_basis(odd)[1]
    same = what_it_takes(st, counts(100, 10), 4, 1, period_label="2027 Q1", target_period=Q)
    assert what_it_takes_basis(same)[:2] == [
        "4 deals × 1 ≥ 4.",
        "Target 4 a quarter, as the counts (2027 Q1).",
    ]


def test_session_reads_the_period_from_the_plan(session: Session) -> None:
    for sid, c in enumerate(DEMO_COUNTS, start=1):
        session.funnel_counts.append(FunnelCount(id=sid, stage_id=sid, period_id=1, count=c))
    session.funnel_plan = session.funnel_plan.model_copy(
        update={"revenue_target": 1_200_000, "avg_deal_value": 48_000, "revenue_period": Y}
    )
    result = session_what_it_takes(session)
    assert result.period_label == "2026 Q4" and result.deals_needed == 7
    assert result.rows[0].needed == 20_508


# -- copying into the stage targets ----------------------------------------------------


def test_copy_into_targets_in_one_save(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    svc.add(FunnelPeriod, label="2027 Q1")
    q1 = plan_period_id(svc.session)
    assert q1 == 2
    # counts for Q1 on every stage but Enquiry (so Enquiry and Reach have no figure);
    # Won already has a target, Opportunity has a count record with no target
    for sid, c in zip((1, 3, 4, 5, 6, 7), (52_500, 365, 248, 118, 52, 16), strict=True):
        svc.set_count(sid, q1, count=c)
    svc.set_count(7, q1, target=5)
    svc.set_count(1, 1, count=40_000, target=1)  # the period before is left alone
    svc.update(
        svc.session.funnel_plan,
        revenue_target=1_200_000,
        avg_deal_value=48_000,
        revenue_period=Y,
    )
    result = session_what_it_takes(svc.session)
    assert [r.needed for r in result.rows] == [None, None, 143, 97, 47, 21, 7]
    records, replaced = target_counts(svc.session, result, q1)
    assert replaced == [7]  # Won's 5 becomes 7: the room is asked first
    assert {r.stage_id: r.target for r in records} == {3: 143, 4: 97, 5: 47, 6: 21, 7: 7}
    seen: list[str] = []
    svc.subscribe(seen.append)
    svc.save_together(list(records))
    assert seen == ["funnel_counts"]  # one save, one change
    svc.close()

    saved = read_session(session_file)
    q1_rows = {c.stage_id: (c.count, c.target) for c in saved.funnel_counts if c.period_id == q1}
    assert q1_rows == {
        1: (52_500, None),  # no figure (Enquiry has no count): left as it was
        3: (365, 143),
        4: (248, 97),
        5: (118, 47),
        6: (52, 21),
        7: (16, 7),
    }
    before = [(c.count, c.target) for c in saved.funnel_counts if c.period_id == 1]
    assert before == [(40_000, 1)]
    # copying again changes nothing and asks nothing
    again, replaced = target_counts(saved, session_what_it_takes(saved), q1)
    assert (again, replaced) == ([], [])


def test_copy_into_targets_adds_records_where_there_are_none(session: Session) -> None:
    result = what_it_takes(session.sorted_stages(), {}, 100, 10, period_label="2026 Q4")
    records, replaced = target_counts(session, result, 1)
    # only the last stage has a figure without counts: a new record with its target
    assert replaced == []
    assert [(r.stage_id, r.period_id, r.count, r.target) for r in records] == [(7, 1, None, 10)]
    assert records[0].id == session.next_id("funnel_counts")

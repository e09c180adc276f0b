"""The funnel maths: headless, no terminal."""

from __future__ import annotations

import pytest

from alignment_tui.sessions.funnel import (
    DASH,
    compute_rows,
    deals_needed,
    fmt_change,
    fmt_count,
    fmt_money,
    fmt_rate,
    funnel_periods,
    handover_points,
    latest_period_funnel,
    period_funnel,
    session_handover_points,
    session_what_it_takes,
    what_it_takes,
)
from alignment_tui.sessions.models import (
    FunnelCount,
    FunnelPeriod,
    FunnelPlan,
    FunnelStage,
    Owner,
    Session,
)

M, S, X = Owner.MARKETING, Owner.SHARED, Owner.SALES


def stages(*owners: Owner) -> list[FunnelStage]:
    return [
        FunnelStage(id=i, position=i, name=f"Stage {i}", owner=o)
        for i, o in enumerate(owners, start=1)
    ]


def counts(*values: int | None) -> dict[int, int | None]:
    return {i: v for i, v in enumerate(values, start=1)}


# -- conversion and drop-off ---------------------------------------------------


def test_conversion_drop_off_and_overall() -> None:
    rows = compute_rows(stages(M, M, X), counts(1000, 200, 50))
    assert [r.count for r in rows] == [1000, 200, 50]
    assert rows[0].conversion is None and rows[0].drop_off is None
    assert rows[0].overall == 1.0
    assert rows[1].conversion == pytest.approx(0.2)
    assert rows[1].drop_off == pytest.approx(0.8)
    assert rows[1].drop_off_abs == 800
    assert rows[2].conversion == pytest.approx(0.25)
    assert rows[2].overall == pytest.approx(0.05)
    assert not any(r.larger_than_previous for r in rows)


def test_zero_count_makes_the_next_rate_undefined() -> None:
    rows = compute_rows(stages(M, M, X, X), counts(100, 0, 0, 3))
    assert rows[1].conversion == 0.0
    assert rows[1].drop_off == 1.0
    # previous count 0: no rate, no error
    assert rows[2].conversion is None and rows[2].drop_off is None
    assert rows[2].drop_off_abs == 0
    assert rows[3].conversion is None
    assert rows[3].larger_than_previous is True
    assert rows[3].overall == pytest.approx(0.03)


def test_first_stage_zero_gives_no_overall() -> None:
    rows = compute_rows(stages(M, X), counts(0, 0))
    assert [r.overall for r in rows] == [None, None]
    assert rows[1].conversion is None


def test_missing_counts() -> None:
    rows = compute_rows(stages(M, S, X), {1: 100, 3: 10})
    assert rows[1].count is None
    assert rows[1].conversion is None and rows[1].drop_off_abs is None
    assert rows[2].conversion is None  # previous stage missing
    assert rows[2].overall == pytest.approx(0.1)
    assert rows[1].overall is None


def test_first_count_missing() -> None:
    rows = compute_rows(stages(M, X), {2: 5})
    assert rows[0].overall is None and rows[1].overall is None


def test_single_stage() -> None:
    rows = compute_rows(stages(X), counts(7))
    assert len(rows) == 1
    assert rows[0].conversion is None and rows[0].overall == 1.0
    assert handover_points(stages(X)) == []


def test_no_stages() -> None:
    assert compute_rows([], {}) == []
    assert handover_points([]) == []


def test_growing_counts_are_allowed_but_flagged() -> None:
    rows = compute_rows(stages(M, M, X), counts(10, 40, 20))
    assert rows[1].larger_than_previous is True
    assert rows[1].conversion == pytest.approx(4.0)
    assert rows[1].drop_off == pytest.approx(-3.0)
    assert rows[1].drop_off_abs == -30
    assert rows[2].larger_than_previous is False


def test_huge_counts() -> None:
    big = 10**12
    rows = compute_rows(stages(M, X), counts(big, big // 4))
    assert rows[1].conversion == pytest.approx(0.25)
    assert rows[1].drop_off_abs == big - big // 4
    assert fmt_count(big) == "1,000,000,000,000"


def test_change_against_previous_period() -> None:
    rows = compute_rows(stages(M, X), counts(120, 0), previous=counts(100, 0))
    assert rows[0].change_abs == 20
    assert rows[0].change_rel == pytest.approx(0.2)
    assert rows[0].previous_period_count == 100
    # previous 0: absolute change known, relative undefined
    assert rows[1].change_abs == 0 and rows[1].change_rel is None
    # the rates of the period before, for the change in conversion
    assert rows[0].previous_conversion is None and rows[0].previous_overall == 1.0
    assert rows[1].previous_conversion == 0.0 and rows[1].previous_overall == 0.0


def test_change_with_missing_previous() -> None:
    rows = compute_rows(stages(M, X), counts(120, 5), previous={1: None})
    assert rows[0].change_abs is None and rows[1].change_abs is None
    rows = compute_rows(stages(M, X), counts(120, 5))
    assert rows[0].change_abs is None


def test_target_gap() -> None:
    rows = compute_rows(stages(M), counts(80), targets={1: 100})
    assert rows[0].target == 100 and rows[0].target_gap == 20


# -- hand-overs ------------------------------------------------------------------


def test_handover_points_where_owner_changes() -> None:
    points = handover_points(stages(M, M, S, X, X, M, X))
    assert [(p.from_stage_id, p.to_stage_id) for p in points] == [(2, 3), (3, 4), (5, 6), (6, 7)]
    assert [p.label for p in points] == [
        "Marketing → Shared",
        "Shared → Sales",
        "Sales → Marketing",
        "Marketing → Sales",
    ]


def test_handover_direct_marketing_to_sales() -> None:
    (point,) = handover_points(stages(M, X))
    assert point.label == "Marketing → Sales"
    assert point.to_name == "Stage 2"


# -- what it takes -----------------------------------------------------------------


def test_deals_needed_rounds_up() -> None:
    assert deals_needed(100_000, 10_000) == 10
    assert deals_needed(100_001, 10_000) == 11
    assert deals_needed(0, 5) == 0
    # 1.1 / 0.1 is 11.000000000000002 in floating point; as typed it is 11
    assert deals_needed(1.1, 0.1) == 11


@pytest.mark.parametrize(
    ("target", "value", "reason"),
    [
        (1000, 0, "Average deal value must be more than 0"),
        (1000, -5, "Average deal value must be more than 0"),
        (None, 10, "Revenue target is required"),
        (1000, None, "Average deal value is required"),
        (-1, 10, "Revenue target cannot be negative"),
        (float("nan"), 10, "must be numbers"),
    ],
)
def test_deals_needed_refuses(target: float | None, value: float | None, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        deals_needed(target, value)


def test_what_it_takes_walks_back_up_the_funnel() -> None:
    # rates: 1000 -> 300 (30%), 300 -> 90 (30%), 90 -> 30 (1/3)
    result = what_it_takes(stages(M, M, S, X), counts(1000, 300, 90, 30), 500_000, 10_000)
    assert result.deals_needed == 50
    needed = [r.needed for r in result.rows]
    # 50 won -> ceil(50 * 90/30) = 150 -> ceil(150 * 300/90) = 500 -> ceil(500 * 1000/300) = 1667
    assert needed == [1667, 500, 150, 50]
    assert [r.today for r in result.rows] == [1000, 300, 90, 30]
    assert result.rows[0].gap == 667


def test_what_it_takes_rounds_up_once_at_the_end() -> None:
    # each stage: deals * its count / the last count, exactly, then rounded up
    # rate 3 -> 1: one deal needs 3; 7 -> 3: one deal needs 7 at the top
    result = what_it_takes(stages(M, S, X), counts(7, 3, 1), 1, 1)
    assert [r.needed for r in result.rows] == [7, 3, 1]
    result = what_it_takes(stages(M, S, X), counts(7, 3, 1), 2, 1)
    # 2 deals -> 6 -> 2 * 7/1 = 14
    assert [r.needed for r in result.rows] == [14, 6, 2]
    result = what_it_takes(stages(M, X), counts(10, 3), 1, 1)
    # 1 deal at 30% -> ceil(3.33) = 4
    assert [r.needed for r in result.rows] == [4, 1]
    # 10 -> 3 -> 2: Proposal 1.5 -> 2, the top 1 * 10/2 = 5 (rounding at every stage gave 7)
    result = what_it_takes(stages(M, S, X), counts(10, 3, 2), 1, 1)
    assert [r.needed for r in result.rows] == [5, 2, 1]


def test_what_it_takes_unknown_or_zero_rates_give_none_upwards() -> None:
    result = what_it_takes(stages(M, M, S, X), counts(1000, None, 90, 30), 10, 1)
    assert [r.needed for r in result.rows] == [None, None, 30, 10]
    result = what_it_takes(stages(M, S, X), counts(100, 50, 0), 10, 1)
    assert [r.needed for r in result.rows] == [None, None, 10]
    assert result.rows[0].gap is None


def test_what_it_takes_growing_counts() -> None:
    result = what_it_takes(stages(M, X), counts(10, 20), 10, 1)
    assert [r.needed for r in result.rows] == [5, 10]


def test_what_it_takes_huge_counts_stay_exact() -> None:
    big = 10**12
    result = what_it_takes(stages(M, X), counts(big, 3), 1e9, 1)
    assert result.deals_needed == 10**9
    assert result.rows[0].needed == 333_333_333_333_333_333_334  # ceil(10**21 / 3)


def test_what_it_takes_single_stage_and_none() -> None:
    result = what_it_takes(stages(X), counts(4), 100, 10)
    assert [r.needed for r in result.rows] == [10]
    assert what_it_takes([], {}, 100, 10).rows == []
    with pytest.raises(ValueError, match="more than 0"):
        what_it_takes(stages(X), counts(4), 100, 0)


# -- over a session ----------------------------------------------------------------


def _two_periods(session: Session) -> Session:
    session.funnel_periods.append(FunnelPeriod(id=2, position=2, label="2027 Q1"))
    for sid, (a, b) in enumerate(
        [(1000, 1100), (400, 420), (100, 90), (50, 60), (20, 30), (10, 12), (5, 6)], start=1
    ):
        session.funnel_counts.append(FunnelCount(id=sid, stage_id=sid, period_id=1, count=a))
        session.funnel_counts.append(
            FunnelCount(id=100 + sid, stage_id=sid, period_id=2, count=b, target=b + 10)
        )
    return session


def test_session_periods_side_by_side(session: Session) -> None:
    _two_periods(session)
    views = funnel_periods(session)
    assert [v.label for v in views] == ["2026 Q4", "2027 Q1"]
    assert views[0].previous_label is None and views[1].previous_label == "2026 Q4"
    assert views[0].rows[0].change_abs is None
    assert views[1].rows[0].change_abs == 100
    assert views[1].rows[0].target == 1110
    assert views[1].overall_conversion == pytest.approx(6 / 1100)
    latest = latest_period_funnel(session)
    assert latest is not None and latest.period_id == 2
    assert period_funnel(session, 1).has_counts


def test_session_handover_points_default_stages(session: Session) -> None:
    labels = [(p.label, p.to_name) for p in session_handover_points(session)]
    assert labels == [
        ("Marketing → Shared", "Sales-accepted"),
        ("Shared → Sales", "Opportunity"),
    ]


def test_session_what_it_takes_uses_latest_period(session: Session) -> None:
    _two_periods(session)
    session.funnel_plan = FunnelPlan(revenue_target=120_000, avg_deal_value=10_000)
    result = session_what_it_takes(session)
    assert result.period_label == "2027 Q1"
    assert result.deals_needed == 12
    assert result.rows[-1].needed == 12 and result.rows[-1].today == 6
    # proposal: ceil(12 * 12/6) = 24
    assert result.rows[-2].needed == 24
    first = session_what_it_takes(session, period_id=1)
    assert first.rows[-2].needed == 24 and first.rows[-2].today == 10


def test_session_what_it_takes_without_plan(session: Session) -> None:
    with pytest.raises(ValueError, match="Revenue target is required"):
        session_what_it_takes(session)


def test_empty_session_counts(session: Session) -> None:
    view = latest_period_funnel(session)
    assert view is not None and not view.has_counts
    assert all(r.count is None and r.conversion is None for r in view.rows)


# -- formatting ----------------------------------------------------------------------


def test_formatting() -> None:
    assert fmt_count(None) == DASH
    assert fmt_count(1200) == "1,200"
    assert fmt_rate(None) == DASH
    assert fmt_rate(0.1234) == "12.3%"
    assert fmt_rate(2.5) == "250%"
    assert fmt_rate(0.0) == "0%"
    assert fmt_rate(5 / 10**12) == "0.000000000500%"  # small, never hidden
    assert fmt_change(None, None) == DASH
    assert fmt_change(120, 0.1) == "+120 (+10.0%)"
    assert fmt_change(-5, None) == "-5"
    assert fmt_money(None) == DASH
    assert fmt_money(1500000, "€") == "€1,500,000"
    assert fmt_money(12.5) == "12.50"

"""Funnel figures told right: one precision rule for every rate, and the change between
periods as percentage points (conversions) and as a relative change (the overall rate).

Every funnel here is small and worked by hand; the tests assert the strings a reader sees,
from the formatting functions and from the report's funnel section.
"""

from __future__ import annotations

import pytest

from alignment_tui.sessions.export import _report_funnel
from alignment_tui.sessions.funnel import (
    DASH,
    fmt_change,
    fmt_points,
    fmt_rate,
    fmt_rate_change,
    funnel_digits,
    funnel_periods,
    rate_digits,
)
from alignment_tui.sessions.models import FunnelCount, FunnelPeriod, FunnelStage, Owner, Session

# -- the rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, DASH),
        (0, "0%"),  # exactly none
        (1.0, "100%"),
        (0.5, "50.0%"),
        (0.02, "2.00%"),
        (1180 / 52500, "2.25%"),  # 2.2476...%
        (190 / 310, "61.3%"),
        (12 / 48000, "0.0250%"),  # never "0.03%", never "<0.1%"
        (16 / 52500, "0.0305%"),
        (31 / 100000, "0.0310%"),
        (1 / 3, "33.3%"),
        (1 / 32, "3.13%"),  # 3.125: a half rounds up
        (2.5, "250%"),  # a stage larger than the one before
        (12.345, "1,235%"),  # the whole part is never rounded away
        (0.9996, "100%"),  # 99.96% to three digits
        (1 - 0.3, "70.0%"),  # the float's noise is not a digit
    ],
)
def test_three_significant_digits(value: float | None, text: str) -> None:
    assert fmt_rate(value) == text


def test_more_digits_when_asked() -> None:
    assert fmt_rate(0.9996, 4) == "99.96%"
    assert fmt_rate(1.0, 4) == "100.0%"
    assert fmt_rate(123 / 1000, 4) == "12.30%"
    assert fmt_rate(1234 / 10000, 4) == "12.34%"


def test_shared_precision_tells_different_rates_apart() -> None:
    # differ in the third significant digit: three digits are enough
    assert rate_digits([224 / 10000, 225 / 10000]) == 3
    # differ only in the fourth: one more for every rate of the set
    assert rate_digits([123 / 1000, 1234 / 10000]) == 4
    assert rate_digits([0.9996, 1.0]) == 4
    # one ratio reached two ways is one rate, not two
    assert rate_digits([0.7, 1 - 0.3, 0.5, 2 / 4]) == 3
    # rates no sensible precision tells apart do not lengthen every other one
    assert rate_digits([1.0, 1 - 10**-9, 0.3]) == 3
    assert rate_digits([None, None]) == 3


def test_change_in_points_is_the_difference_of_the_printed_rates() -> None:
    # 61.3% → 67.9%: a reader's subtraction gives 6.6 (the unrounded difference is 6.65)
    assert fmt_points(248 / 365, 190 / 310) == "+6.6 pts"
    assert fmt_points(190 / 310, 248 / 365) == "-6.6 pts"
    assert fmt_points(1180 / 52500, 960 / 48000) == "+0.25 pts"  # 2.25% - 2.00%
    assert fmt_points(16 / 52500, 12 / 48000) == "+0.0055 pts"  # 0.0305% - 0.0250%
    assert fmt_points(0.5, 0.5) == "0.0 pts"
    assert fmt_points(0.0, 0.25) == "-25.0 pts"
    assert fmt_points(None, 0.5) == DASH and fmt_points(0.5, None) == DASH


def test_relative_change_of_a_rate() -> None:
    # 0.0250% → 0.0305%: (16 / 52,500) / (12 / 48,000) = 768 / 630 = 1.219...
    assert fmt_rate_change(16 / 52500, 12 / 48000) == "+21.9%"
    assert fmt_rate_change(31 / 100000, 10 / 40000) == "+24.0%"
    assert fmt_rate_change(0.25, 0.5) == "-50.0%"
    assert fmt_rate_change(0.5, 0.5) == "0.0%"
    assert fmt_rate_change(0.5, 0.0) == DASH  # from nothing: no relative change
    assert fmt_rate_change(None, 0.5) == DASH
    # a real change too small for one decimal is not shown as none
    assert fmt_rate_change(0.50002, 0.5) == "+0.0040%"
    assert fmt_change(4, 4 / 12) == "+4 (+33.3%)"


# -- small funnels, worked by hand, as the report prints them ---------------------------


def funnel_session(
    session: Session, names: list[str], periods: dict[str, list[int | None]]
) -> Session:
    """*session* with only the stages *names* and the *periods* (label → counts), in order."""
    owners = [Owner.MARKETING, Owner.SHARED, *[Owner.SALES] * 10]
    session.funnel_stages = [
        FunnelStage(id=i, position=i, name=name, owner=owners[i - 1])
        for i, name in enumerate(names, start=1)
    ]
    session.handovers = []
    session.funnel_periods = [
        FunnelPeriod(id=p, position=p, label=label) for p, label in enumerate(periods, start=1)
    ]
    session.funnel_counts = [
        FunnelCount(id=p * 100 + s, stage_id=s, period_id=p, count=c)
        for p, values in enumerate(periods.values(), start=1)
        for s, c in enumerate(values, start=1)
    ]
    return session


def report_table(session: Session, label: str) -> list[dict[str, str]]:
    """The report's table of period *label*: one dict per row, by column title."""
    lines = _report_funnel(session)
    at = lines.index(f"### {label}")
    table = []
    for line in lines[at + 2 :]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split(" | ")])
    headers, _align, *rows = table
    return [dict(zip(headers, row, strict=True)) for row in rows]


def report_overall(session: Session, label: str) -> str:
    lines = _report_funnel(session)
    at = lines.index(f"### {label}")
    return next(line for line in lines[at:] if line.startswith("Overall conversion"))


def column(rows: list[dict[str, str]], title: str) -> list[str]:
    return [r[title] for r in rows]


def test_round_numbers(session: Session) -> None:
    s = funnel_session(session, ["Leads", "Meetings", "Deals", "Won"], {"Q1": [1000, 500, 100, 10]})
    rows = report_table(s, "Q1")
    assert column(rows, "Conversion") == [DASH, "50.0%", "20.0%", "10.0%"]
    assert column(rows, "Drop-off") == [DASH, "50.0%", "80.0%", "90.0%"]
    assert column(rows, "Overall") == ["100%", "50.0%", "10.0%", "1.00%"]
    assert report_overall(s, "Q1") == "Overall conversion, Leads → Won: 1.00%"
    assert "Conversion change" not in rows[0]  # no period before: no change columns


def test_a_stage_at_zero(session: Session) -> None:
    s = funnel_session(session, ["Leads", "Meetings", "Deals", "Won"], {"Q1": [200, 50, 0, 5]})
    rows = report_table(s, "Q1")
    # nothing after a zero can be a rate; the zero itself is exact
    assert column(rows, "Conversion") == [DASH, "25.0%", "0%", DASH]
    assert column(rows, "Drop-off") == [DASH, "75.0%", "100%", DASH]
    assert column(rows, "Overall") == ["100%", "25.0%", "0%", "2.50%"]
    assert report_overall(s, "Q1") == "Overall conversion, Leads → Won: 2.50%"


def test_a_stage_at_zero_in_the_period_before(session: Session) -> None:
    s = funnel_session(session, ["Leads", "Deals", "Won"], {"Q1": [100, 0, 0], "Q2": [100, 20, 5]})
    rows = report_table(s, "Q2")
    # 0% → 20.0% is +20.0 points; 0 → 5 won has no rate before it
    assert column(rows, "Conversion change") == [DASH, "+20.0 pts", DASH]
    assert column(rows, "Change vs Q1") == ["0 (0.0%)", "+20", "+5"]
    # the overall rate was 0%: its relative change is not a number
    assert report_overall(s, "Q2") == "Overall conversion, Leads → Won: 5.00%, — vs Q1 (0%)"


def test_rates_that_differ_in_the_third_digit(session: Session) -> None:
    s = funnel_session(
        session, ["Reach", "Enquiry", "Won"], {"Q1": [1000, 224, 56], "Q2": [1000, 225, 56]}
    )
    assert funnel_digits(funnel_periods(s)) == 3
    q1, q2 = report_table(s, "Q1"), report_table(s, "Q2")
    # 22.4% and 22.5% (no rule of fixed decimals: both would be "22%" with none)
    assert column(q1, "Conversion") == [DASH, "22.4%", "25.0%"]
    assert column(q2, "Conversion") == [DASH, "22.5%", "24.9%"]
    assert column(q2, "Drop-off") == [DASH, "77.5%", "75.1%"]
    # the same ratio prints the same in every column: conversion and overall of Enquiry
    assert q2[1]["Overall"] == q2[1]["Conversion"] == "22.5%"
    assert column(q2, "Conversion change") == [DASH, "+0.1 pts", "-0.1 pts"]
    # 56 won from 1,000 both times: the same rate, and no change
    assert report_overall(s, "Q2") == ("Overall conversion, Reach → Won: 5.60%, 0.0% vs Q1 (5.60%)")


def test_drop_offs_that_differ_in_the_fourth_digit_give_every_rate_a_fourth(
    session: Session,
) -> None:
    # 2.24% and 2.25% differ in the third digit, but their drop-offs, 97.76% and 97.75%,
    # would both read "97.8%"
    s = funnel_session(session, ["Reach", "Enquiry"], {"Q1": [10000, 224], "Q2": [10000, 225]})
    q1, q2 = report_table(s, "Q1"), report_table(s, "Q2")
    assert column(q1, "Drop-off") == [DASH, "97.76%"]
    assert column(q2, "Drop-off") == [DASH, "97.75%"]
    assert column(q1, "Conversion") == [DASH, "2.240%"]
    assert column(q2, "Conversion") == [DASH, "2.250%"]
    assert column(q2, "Conversion change") == [DASH, "+0.010 pts"]


def test_a_drop_off_short_of_everything_never_reads_100(session: Session) -> None:
    # 12 of 48,000 go on: 99.975% drop off, which three digits would round to "100%"
    s = funnel_session(session, ["Reach", "Won"], {"Q1": [48000, 12]})
    rows = report_table(s, "Q1")
    assert column(rows, "Drop-off") == [DASH, "99.98%"]
    assert column(rows, "Overall") == ["100.0%", "0.02500%"]


def test_rates_that_differ_only_in_the_fourth_digit_get_a_fourth(session: Session) -> None:
    s = funnel_session(session, ["Reach", "Won"], {"Q1": [1000, 123], "Q2": [10000, 1234]})
    assert funnel_digits(funnel_periods(s)) == 4
    q1, q2 = report_table(s, "Q1"), report_table(s, "Q2")
    assert column(q1, "Conversion") == [DASH, "12.30%"]
    assert column(q2, "Conversion") == [DASH, "12.34%"]
    # every rate of the funnel takes the fourth digit, so one ratio reads one way
    assert column(q1, "Overall") == ["100.0%", "12.30%"]
    assert column(q2, "Conversion change") == [DASH, "+0.04 pts"]


def test_small_overall_rate_and_its_change(session: Session) -> None:
    # 12 won from 48,000 then 16 from 52,500: 0.025% → 0.0305%, up by 21.9%
    s = funnel_session(
        session, ["Reach", "Enquiry", "Won"], {"Q3": [48000, 480, 12], "Q4": [52500, 525, 16]}
    )
    assert funnel_digits(funnel_periods(s)) == 3
    q3, q4 = report_table(s, "Q3"), report_table(s, "Q4")
    assert column(q3, "Overall") == ["100%", "1.00%", "0.0250%"]
    assert column(q4, "Overall") == ["100%", "1.00%", "0.0305%"]
    assert column(q4, "Conversion") == [DASH, "1.00%", "3.05%"]
    assert column(q4, "Conversion change") == [DASH, "0.00 pts", "+0.55 pts"]
    assert column(q4, "Change vs Q3") == ["+4,500 (+9.4%)", "+45 (+9.4%)", "+4 (+33.3%)"]
    assert report_overall(s, "Q3") == "Overall conversion, Reach → Won: 0.0250%"
    assert report_overall(s, "Q4") == (
        "Overall conversion, Reach → Won: 0.0305%, +21.9% vs Q3 (0.0250%)"
    )


def test_025_against_031(session: Session) -> None:
    s = funnel_session(
        session, ["Reach", "Enquiry", "Won"], {"Q3": [40000, 400, 10], "Q4": [100000, 1000, 31]}
    )
    q3, q4 = report_table(s, "Q3"), report_table(s, "Q4")
    assert q3[2]["Overall"] == "0.0250%" and q4[2]["Overall"] == "0.0310%"
    assert q4[2]["Conversion change"] == "+0.60 pts"  # 2.50% → 3.10%
    assert report_overall(s, "Q4").endswith(": 0.0310%, +24.0% vs Q3 (0.0250%)")


def test_conversion_change_in_points(session: Session) -> None:
    # 190 of 310 accepted (61.3%), then 248 of 365 (67.9%)
    s = funnel_session(session, ["Qualified", "Accepted"], {"Q3": [310, 190], "Q4": [365, 248]})
    q4 = report_table(s, "Q4")
    assert column(q4, "Conversion") == [DASH, "67.9%"]
    assert column(q4, "Conversion change") == [DASH, "+6.6 pts"]
    assert column(q4, "Change vs Q3") == ["+55 (+17.7%)", "+58 (+30.5%)"]
    # 0.679452... / 0.612903... = 1.1086
    assert report_overall(s, "Q4").endswith(": 67.9%, +10.9% vs Q3 (61.3%)")

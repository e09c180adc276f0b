"""What the review screen shows of :func:`~..sessions.review.review_figures`, as rows.

Pure functions from the figures to table rows and lines of text (Rich ``Text``
for the cells, Textual ``Content`` for the lines; user text is never markup).
The screen (:mod:`.review`) puts them in its tables; tests read them there.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ..sessions.funnel import fmt_change, fmt_points, fmt_rate
from ..sessions.models import Action, Session
from ..sessions.review import (
    DASH,
    ActionsSince,
    FunnelChange,
    GoalProgress,
    HandoverResult,
    LoopAttendance,
    StageTrend,
    fmt_hours,
    fmt_pct,
    fmt_value,
    sparkline,
)
from ..sessions.targets import goal_title, target_name

GOAL_COLUMNS = ("Goal and target", "Before", "Now", "Change", "Trend", "Reached")
HANDOVER_COLUMNS = ("Hand-over", "Agreed", "Achieved", "Returned", "")


def cut(text: str, width: int) -> str:
    """*text* on one line, cut to *width* cells with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


def goal_rows(
    goals: list[GoalProgress], *, width: int, error: str, ok: str, muted: str = "dim"
) -> list[list[Text]]:
    """Per joint goal: its words over its target (each cut to *width*), the value before
    and now, the change, the trend line over every review, and whether it is reached."""
    rows = []
    for g in goals:
        change = g.change
        if change is None:
            change_text = DASH
        else:
            change_text = (
                "0" if change == 0 else ("+" if change > 0 else "-") + fmt_value(abs(change))
            )
        if g.reached is None:
            mark = Text(" ")
        elif g.reached:
            mark = Text("✔ yes", style=ok)
        else:
            mark = Text("✘ no", style=error)
        rows.append(
            [
                Text.assemble(
                    cut(f"{g.goal.position or g.goal.id}. {goal_title(g.goal)}", width),
                    "\n",
                    (cut(f"   target: {g.goal.target.strip() or DASH}", width), muted),
                ),
                Text(cut(g.before.shown, 18) if g.before else DASH),
                Text(cut(g.now.shown, 18) if g.now else DASH),
                Text(change_text),
                Text(sparkline(g.trend) or DASH),
                mark,
            ]
        )
    return rows


def funnel_columns(funnel: FunnelChange) -> list[str]:
    base = funnel.base_period.label if funnel.base_period else "Before"
    now = funnel.period.label if funnel.period else "Now"
    return ["Stage", base, now, "Change", "Conv.", "Pts", "Trend"]


def funnel_rows(
    funnel: FunnelChange, trends: list[StageTrend], *, compact: bool = False
) -> list[list[Text]]:
    """Per stage: counts in the base period and now, the change (*compact*: without its
    per cent), the conversion into it, its change in percentage points, and its
    conversion over every period."""
    trend_of = {t.stage_id: t for t in trends}
    rows = []
    for row in funnel.rows:
        trend = trend_of.get(row.stage_id)
        line = sparkline([rate for _label, rate in trend.rates]) if trend else ""
        rows.append(
            [
                Text(row.name),
                Text(DASH if row.count_before is None else f"{row.count_before:,}"),
                Text(DASH if row.count is None else f"{row.count:,}"),
                Text(fmt_change(row.change_abs, None if compact else row.change_rel)),
                Text(fmt_rate(row.conversion) if row.conversion is not None else DASH),
                Text(fmt_points(row.conversion, row.conversion_before).removesuffix(" pts")),
                Text(line or DASH),
            ]
        )
    return rows


def handover_rows(handovers: list[HandoverResult], *, error: str, ok: str) -> list[list[Text]]:
    """Per hand-over: what was agreed, what was achieved, flagged when missed."""
    rows = []
    for h in handovers:
        agreed = []
        if h.agreed_hours is not None:
            agreed.append(f"≤{fmt_hours(h.agreed_hours)}")
        if h.agreed_returned is not None:
            agreed.append(f"≤{fmt_pct(h.agreed_returned)} back")
        if h.handover.draft:
            agreed = ["draft"]
        figure = h.figure
        hours = figure.response_hours if figure else None
        share = figure.returned_pct if figure else None
        if h.missed:
            flag = Text("MISSED", style=error)
        elif h.response_missed is False or h.returned_missed is False:
            flag = Text("✔ met", style=ok)
        else:
            flag = Text(" ")
        rows.append(
            [
                Text(h.label),
                Text(", ".join(agreed) or DASH),
                Text(fmt_hours(hours), style=error if h.response_missed else ""),
                Text(fmt_pct(share), style=error if h.returned_missed else ""),
                flag,
            ]
        )
    return rows


def loop_line(loop: LoopAttendance, since: str) -> Content:
    """Whether the feedback loop met as agreed in the window ("met 3 of 4 times agreed since
    the review of …"), and under it the meetings held, with their notes."""
    held = len(loop.held)
    if loop.cadence is None:
        first = Content(
            f"Met {held} time{'s' if held != 1 else ''} {since}; "
            "no cadence agreed to measure against."
        )
    elif loop.expected in (None, 0):
        first = Content(
            f"Met {held} time{'s' if held != 1 else ''} {since}; "
            f"none was due yet at the {loop.cadence.value} cadence."
        )
    else:
        verdict = "[b]met as agreed[/b]" if loop.met else "[b $text-error]NOT met as agreed[/]"
        first = Content.from_markup(
            f"Met $held of $due $times agreed $since ($cadence): {verdict}",
            held=str(held),
            due=str(loop.expected),
            times="time" if loop.expected == 1 else "times",
            since=since,
            cadence=loop.cadence.value,
        )
    if not loop.held:
        return first
    days = [
        m.held_on.isoformat() + (f" ({' '.join(m.notes.split())})" if m.notes.strip() else "")
        for m in loop.held
    ]
    return Content("\n").join([first, Content("Held: " + " · ".join(days))])


def _action(session: Session, action: Action) -> str:
    aim = target_name(session, action)
    due = f", due {action.due.isoformat()}" if action.due else ""
    return f"  • {' '.join(action.text.split())}{due}" + (f"  → {aim}" if aim else "")


def actions_lines(session: Session, actions: ActionsSince, since: str) -> Content:
    """Actions done, slipped and new in the window, each with what it aims at."""
    parts: list[str] = []
    for label, group in (
        ("Done", actions.done),
        ("Slipped (open past due, or due date moved)", actions.slipped),
        ("New", actions.new),
    ):
        parts.append(f"{label} {since}: {len(group)}")
        parts.extend(_action(session, a) for a in group)
    return Content("\n".join(parts))

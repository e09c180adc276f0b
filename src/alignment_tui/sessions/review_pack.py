"""The "since the last review" pack: a short document for the two directors.

``alignment-tui export PATH --format review`` (Markdown; a web page when the
output file ends in ``.html``). It covers the latest recorded review against
the one before it (or, with no review recorded, today against the latest):
joint goals against their targets with the values at every review, the
funnel's change with the actions that aimed at each stage, the conversion
trend per stage, hand-over performance against the agreement, whether the
feedback loop met as agreed, the actions done, slipped and new, and the next
review's date.

All figures come from :mod:`.review`; rates follow the funnel's one precision
rule (:func:`.funnel.funnel_digits`), so a conversion reads the same here as
in the report. User text is escaped as in the report (:func:`.export.md_inline`).
The web page goes through the report's own path (:func:`.html.render_html`);
its sections are third-level headings so the pack prints as one document, not
a page per section.

Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from . import clock
from .funnel import DASH, fmt_change, fmt_points, fmt_rate, funnel_digits, funnel_periods
from .markdown import _table, md_block, md_inline
from .models import Action, ActionStatus, Session
from .review import (
    GoalPoint,
    ReviewWindow,
    actions_since,
    conversion_trends,
    fmt_hours,
    fmt_pct,
    fmt_value,
    funnel_change,
    goal_progress,
    handover_performance,
    loop_attendance,
    review_window,
    sorted_reviews,
    sparkline,
)
from .targets import goal_title, target_name

#: The most reviews a goal table shows side by side (the latest ones).
GOAL_COLUMNS = 4


def pack_window(session: Session, today: dt.date | None = None) -> ReviewWindow:
    """The window the pack covers: the latest recorded review, or today when none is."""
    reviews = sorted_reviews(session)
    if reviews:
        return review_window(session, reviews[-1])
    return review_window(session, None, today=today or clock.today())


def _action_line(session: Session, a: Action, *, why: bool = True) -> str:
    parts = [md_inline(a.text)]
    owner = session.owner_name(a)
    if owner:
        parts.append(md_inline(owner))
    if a.done and a.done_on is not None:
        parts.append(f"done {a.done_on.isoformat()}")
    elif a.due_moved and a.first_due is not None and a.due is not None:
        parts.append(f"due moved from {a.first_due.isoformat()} to {a.due.isoformat()}")
    elif a.due is not None:
        parts.append(f"due {a.due.isoformat()}")
    if a.status is ActionStatus.DOING:
        parts.append("in progress")
    target = target_name(session, a) if why else ""
    if target:
        parts.append(f"for {md_inline(target)}")
    return "- " + " — ".join(parts)


def _intro(session: Session, window: ReviewWindow) -> list[str]:
    meta = session.meta
    title = md_inline(" ".join(meta.title.split()))
    lines = [f"# Since the last review: {title}", ""]
    about = []
    if meta.organisation.strip():
        about.append(md_inline(meta.organisation))
    if window.review is not None:
        about.append(f"review of {window.review.held_on.isoformat()}")
    else:
        about.append(f"no review recorded yet; as of {window.end.isoformat()}")
    about.append(window.since_label)
    nxt = meta.next_review
    about.append(f"next review {nxt.isoformat()}" if nxt else "next review not set yet")
    lines += [" · ".join(about), ""]
    if window.review is not None and window.review.notes.strip():
        lines += ["**Notes of the review:**", "", md_block(window.review.notes), ""]
    return lines


def _point(point: GoalPoint) -> str:
    """A value in a table cell: a number as formatted, words escaped."""
    if point.number is not None:
        return fmt_value(point.number)
    return md_inline(point.shown, table=True)


def _goals(session: Session, window: ReviewWindow) -> list[str]:
    lines = ["### Joint goals against their targets", ""]
    progress = goal_progress(session, window)
    if not progress:
        return [*lines, "No joint goals were agreed.", ""]
    reviews = [r for r in sorted_reviews(session) if r.held_on <= window.end]
    if window.review is not None:
        reviews = [
            r for r in reviews if (r.held_on, r.id) <= (window.review.held_on, window.review.id)
        ]
    shown = reviews[-GOAL_COLUMNS:]
    headers = ["Goal", "Target", *(r.held_on.isoformat() for r in shown), "Trend", "Status"]
    rows = []
    for gp in progress:
        at = {p.review.id: p for p in gp.points}
        cells = [_point(at[r.id]) if r.id in at else DASH for r in shown]
        if gp.reached is True:
            status = "reached"
        elif gp.reached is False:
            status = "not yet"
        elif gp.now is None:
            status = "no value recorded"
        else:
            status = DASH
        if gp.change is not None and gp.change:
            status += f" ({'+' if gp.change > 0 else '-'}{fmt_value(abs(gp.change))})"
        rows.append(
            [
                md_inline(goal_title(gp.goal), table=True),
                md_inline(gp.goal.target, table=True) if gp.goal.target.strip() else DASH,
                *cells,
                sparkline(gp.trend) or DASH,
                status,
            ]
        )
    lines += _table(headers, rows, "ll" + "r" * len(shown) + "ll")
    lines.append("")
    lines += _why_moved(
        session,
        "Why they moved, " + window.since_label,
        [(goal_title(gp.goal), gp.done, gp.slipped) for gp in progress],
    )
    return lines


def _funnel(session: Session, window: ReviewWindow, digits: int) -> list[str]:
    change = funnel_change(session, window)
    if change.period is None:
        return ["### Funnel change", "", "No funnel period to look at yet.", ""]
    now_label = md_inline(change.period.label, table=True)
    if change.base_period is None:
        heading = f"### Funnel: {md_inline(change.period.label)}"
        base_label = "Before"
    else:
        heading = (
            f"### Funnel change: {md_inline(change.period.label)} against "
            f"{md_inline(change.base_period.label)}"
        )
        base_label = md_inline(change.base_period.label, table=True)
    lines = [heading, ""]
    headers = [
        "Stage",
        base_label,
        now_label,
        "Change",
        f"Conversion {base_label}",
        f"Conversion {now_label}",
        "Change (points)",
    ]
    rows = []
    for r in change.rows:
        rows.append(
            [
                md_inline(r.name, table=True),
                DASH if r.count_before is None else f"{r.count_before:,}",
                DASH if r.count is None else f"{r.count:,}",
                fmt_change(r.change_abs, r.change_rel),
                fmt_rate(r.conversion_before, digits),
                fmt_rate(r.conversion, digits),
                fmt_points(r.conversion, r.conversion_before, digits),
            ]
        )
    lines += _table(headers, rows, "lrrrrrr")
    lines += [
        "",
        "Conversion: into the stage from the stage before it. A count of 0 or a missing "
        "count leaves the next conversion unknown (—).",
        "",
    ]
    lines += _why_moved(
        session,
        "Why it moved, " + window.since_label,
        [(r.name, r.done, r.slipped) for r in change.rows],
    )
    return lines


def _why_moved(
    session: Session, title: str, aims: list[tuple[str, Sequence[Action], Sequence[Action]]]
) -> list[str]:
    """Per goal or stage, the actions aimed at it that were done and that slipped."""
    aims = [aim for aim in aims if aim[1] or aim[2]]
    if not aims:
        return []
    lines = [title + ":", ""]
    for name, done, slipped in aims:
        lines.append(f"- **{md_inline(name)}**")
        for word, actions in (("done", done), ("slipped", slipped)):
            for a in actions:
                line = _action_line(session, a, why=False).replace("- ", f"- {word}: ", 1)
                lines.append("  " + line)
    return [*lines, ""]


def _trend(session: Session, digits: int) -> list[str]:
    trends = conversion_trends(session)
    periods = session.sorted_periods()
    if not trends or len(periods) < 2:
        return []
    headers = ["Conversion into", *(md_inline(p.label, table=True) for p in periods)]
    rows = [
        [md_inline(t.name, table=True), *(fmt_rate(rate, digits) for _label, rate in t.rates)]
        for t in trends
    ]
    return [
        "### Conversion trend per stage",
        "",
        *_table(headers, rows, "l" + "r" * len(periods)),
        "",
    ]


def _handovers(session: Session, window: ReviewWindow) -> list[str]:
    results = handover_performance(session, window)
    lines = ["### Hand-overs against the agreement", ""]
    if not results:
        return [*lines, "No hand-over agreement is written.", ""]
    headers = [
        "Hand-over",
        "Response agreed",
        "Achieved",
        "Returned, most agreed",
        "Returned",
        "Verdict",
    ]
    rows = []
    for r in results:
        fig = r.figure
        if r.handover.draft:
            verdict = "draft agreement"
        elif r.missed:
            missed = [
                what
                for what, flag in (("response", r.response_missed), ("returns", r.returned_missed))
                if flag
            ]
            verdict = "**missed** (" + ", ".join(missed) + ")"
        elif r.response_missed is False or r.returned_missed is False:
            verdict = "met"
        elif fig is None:
            verdict = "not measured"
        else:
            verdict = DASH
        rows.append(
            [
                md_inline(r.label, table=True),
                fmt_hours(r.agreed_hours),
                fmt_hours(fig.response_hours if fig else None),
                fmt_pct(r.agreed_returned),
                fmt_pct(fig.returned_pct if fig else None),
                verdict,
            ]
        )
    lines += _table(headers, rows, "lrrrrl")
    lines.append("")
    return lines


def _loop(session: Session, window: ReviewWindow) -> list[str]:
    att = loop_attendance(session, window)
    lines = ["### Feedback loop", ""]
    held = ", ".join(m.held_on.isoformat() for m in att.held)
    n = len(att.held)
    meetings = f"{n} meeting{'s' if n != 1 else ''} held" + (f" ({held})" if held else "")
    if att.cadence is None or att.expected is None:
        lines.append(f"{meetings}; no cadence agreed to measure against.")
    elif att.expected == 0:
        lines.append(f"{meetings}; the {att.cadence.value} cadence asked for none in this time.")
    else:
        verdict = "met as agreed" if att.met else "**not met as agreed**"
        lines.append(
            f"{meetings} of the {att.expected} the {att.cadence.value} cadence asked for: "
            f"{verdict}."
        )
    return [*lines, ""]


def _actions(session: Session, window: ReviewWindow) -> list[str]:
    since = actions_since(session, window)
    lines = [f"### Actions {window.since_label}", ""]
    for label, items, empty in (
        ("Done", since.done, "none"),
        ("Slipped (open past the due date, or the due date moved)", since.slipped, "none"),
        ("New", since.new, "none"),
    ):
        lines.append(f"**{label}: {len(items) or empty}**")
        lines.append("")
        lines += [_action_line(session, a) for a in items]
        if items:
            lines.append("")
    return lines


def _next(session: Session) -> list[str]:
    nxt = session.meta.next_review
    return ["### Next review", "", nxt.isoformat() if nxt else "Not set yet.", ""]


def render_review_pack(session: Session, *, today: dt.date | None = None) -> str:
    """The pack as Markdown."""
    window = pack_window(session, today)
    digits = funnel_digits(funnel_periods(session))
    lines = [
        *_intro(session, window),
        *_goals(session, window),
        *_funnel(session, window, digits),
        *_trend(session, digits),
        *_handovers(session, window),
        *_loop(session, window),
        *_actions(session, window),
        *_next(session),
    ]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def render_review_pack_html(session: Session, *, today: dt.date | None = None) -> str:
    """The pack as one self-contained web page, through the report's own HTML path."""
    from .html import render_html

    return render_html(session, render_review_pack(session, today=today), chart=False)

"""Exports: the checklist of agreed actions, the full report, actions as CSV, and JSON.

``render(session, fmt)`` returns the text; ``write_export`` writes it to a
file without ever replacing one unless asked (and never a session file).

The report is for the two directors: a one-page summary first, then each
step's details; the facilitator's material (status, timings, word counts) only
with ``facilitator=True``. A value nobody set reads "not agreed yet".

Everything the room typed goes through one escaping helper per target:
:func:`md_inline` for Markdown (a line break, a ``|`` or a ``[`` in typed
text can never break a checklist line or a table row; escape sequences and
other control characters are shown visibly), :func:`csv_cell` for CSV. JSON
keeps every text exactly as typed.

Imports neither textual nor rich.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import clock
from .funnel import (
    DASH,
    PER,
    PeriodFunnel,
    fmt_change,
    fmt_count,
    fmt_money,
    fmt_points,
    fmt_rate,
    fmt_rate_change,
    funnel_digits,
    funnel_periods,
    session_handover_points,
    session_what_it_takes,
    what_it_takes_basis,
)
from .jsonio import to_json
from .loop import loop_settings as loop_settings
from .markdown import (
    _table,
    csv_cell,
    md_block,
    md_inline,
)
from .markdown import visible_controls as visible_controls
from .models import (
    STEP_ORDER,
    Action,
    ActionStatus,
    FeedbackItem,
    FeedbackSide,
    LeadRole,
    Session,
    SignOffSubject,
    StepId,
    Team,
)
from .progress import is_approval_gate, progress, step_status
from .signoff import find_signoff, signoff_state

if TYPE_CHECKING:
    from .workbook import DocumentTemplate

FORMATS: tuple[str, ...] = ("checklist", "report", "html", "ics", "csv", "json", "review")
#: The review pack as a web page (``export --format review -o pack.html``; see .review_pack).
REVIEW_HTML = "review-html"
#: What the report says of a value nobody has set (never the field's default).
NOT_AGREED = "not agreed yet"
#: What the report says of a hand-over the template filled and the room has not agreed.
DRAFT_HANDOVER = "a draft from the workbook's template, not agreed yet"
SQLITE_HEADER = b"SQLite format 3\x00"

# ---------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------

# The rules live in .markdown (shared with the review pack); every name is importable here.

# ---------------------------------------------------------------------------
# Small formatters
# ---------------------------------------------------------------------------


def _date(value: dt.date | None, missing: str = DASH) -> str:
    return value.isoformat() if value else missing


def _when(value: dt.datetime) -> str:
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if value.tzinfo is not None:
        return value.strftime("%Y-%m-%d %H:%M %z")
    return value.strftime("%Y-%m-%d %H:%M")


def _step_heading(step: StepId) -> str:
    return f"{step.number}. {step.label}" if step.number else step.label


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _minutes(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


STATUS_WORDS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "open",
    ActionStatus.DOING: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.DROPPED: "dropped",
}


def _ordered_actions(session: Session) -> list[Action]:
    order = {step: i for i, step in enumerate(STEP_ORDER)}
    return sorted(session.actions, key=lambda a: (order[a.step], a.id))


# ---------------------------------------------------------------------------
# Checklist
# ---------------------------------------------------------------------------


def _is_overdue(action: Action, today: dt.date) -> bool:
    """Still to do (open or in progress) and due before *today*."""
    return (
        action.status in (ActionStatus.OPEN, ActionStatus.DOING)
        and action.due is not None
        and action.due < today
    )


def checklist_line(session: Session, action: Action, *, today: dt.date | None = None) -> str:
    """One action on one line: a task while it is to do or done, a plain bullet once dropped.

    ``- [ ] Share CRM dashboard — owner: Lena · due 2026-12-05 · **overdue**``;
    ``- ~~Print posters~~ — owner: Priya · due 2026-12-18 · dropped`` (no checkbox,
    so no Markdown viewer counts a dropped action as done or as still to do).
    *today* (the app's clock by default) decides what is overdue.
    """
    text = md_inline(action.text) or DASH
    owner = session.owner_name(action)
    details = [f"owner: {md_inline(owner)}" if owner else "no owner yet"]
    details.append(f"due {action.due.isoformat()}" if action.due else "no due date")
    if action.status is ActionStatus.DROPPED:
        return f"- ~~{text}~~ — " + " · ".join([*details, "dropped"])
    if action.status is ActionStatus.DOING:
        details.append("in progress")
    if _is_overdue(action, clock.today() if today is None else today):
        details.append("**overdue**")
    box = "[x]" if action.status is ActionStatus.DONE else "[ ]"
    return f"- {box} {text} — " + " · ".join(details)


def render_checklist(session: Session) -> str:
    meta = session.meta
    today = clock.today()
    lines = [f"# Agreed actions — {md_inline(meta.title)}", ""]
    about = [md_inline(meta.organisation)] if meta.organisation.strip() else []
    about.append(f"workshop on {meta.workshop_date.isoformat()}")
    if meta.facilitator.strip():
        about.append(f"facilitated by {md_inline(meta.facilitator)}")
    if meta.next_review:
        about.append(f"next review {meta.next_review.isoformat()}")
    lines += [" · ".join(about), ""]
    counts = {status: 0 for status in ActionStatus}
    for a in session.actions:
        counts[a.status] += 1
    # "Open" is what is still to do: open and in progress, never dropped.
    still_open = f"{counts[ActionStatus.OPEN] + counts[ActionStatus.DOING]} open"
    overdue = sum(1 for a in session.actions if _is_overdue(a, today))
    if overdue:
        still_open += f" ({overdue} overdue as of {today.isoformat()})"
    lines += [
        f"{still_open} · {counts[ActionStatus.DONE]} done · {counts[ActionStatus.DROPPED]} dropped",
        "",
    ]
    actions = _ordered_actions(session)
    if not actions:
        lines += ["_No actions agreed yet._", ""]
    for step in STEP_ORDER:
        mine = [a for a in actions if a.step is step]
        if not mine:
            continue
        lines += [f"## {_step_heading(step)}", ""]
        kept = [a for a in mine if a.status is not ActionStatus.DROPPED]
        dropped = [a for a in mine if a.status is ActionStatus.DROPPED]
        if kept:
            lines += [checklist_line(session, a, today=today) for a in kept]
            lines.append("")
        if dropped:
            # A separate plain list after the tasks: dropped is neither done nor to do.
            lines += ["_Dropped:_", ""]
            lines += [checklist_line(session, a, today=today) for a in dropped]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    """``1 action``, ``2 actions``: never "action(s)"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


#: "3 item(s) worded as approval gates" and the like, from the step rules.
_MAYBE_PLURAL = re.compile(r"\b(\d+) (\w+)\(s\)( worded as approval gates)?")


def _tidy_plurals(text: str) -> str:
    """Words written as "item(s)" by the step rules, said in the singular or the plural."""

    def fix(m: re.Match[str]) -> str:
        n = int(m.group(1))
        tail = m.group(3) or ""
        if n == 1 and tail:
            tail = " worded as an approval gate"
        return _plural(n, m.group(2)) + tail

    return _MAYBE_PLURAL.sub(fix, text)


def _status_line(session: Session, step: StepId) -> str:
    st = step_status(session, step)
    if st.complete:
        return "_Status: ✔ complete._"
    needed = "; ".join(md_inline(_tidy_plurals(m)) for m in st.missing)
    mark = st.symbol
    return f"_Status: {mark} still needed: {needed}._" if needed else f"_Status: {mark}._"


def _status_tail(session: Session, step: StepId, facilitator: bool) -> list[str]:
    """A section's closing status line, for the facilitator only."""
    return [_status_line(session, step), ""] if facilitator else []


def _signoff_lines(
    session: Session, subject: SignOffSubject, facilitator: bool = False
) -> list[str]:
    """Who signed and when: the day for the directors, the minute for the facilitator."""
    out = []
    for role, who in ((LeadRole.SALES, "Sales lead"), (LeadRole.MARKETING, "Marketing lead")):
        so = find_signoff(session, subject, role)
        if so is None:
            out.append(f"- {who}: not signed yet")
            continue
        when = _when(so.signed_at) if facilitator else so.signed_at.date().isoformat()
        line = f"- {who}: {md_inline(so.name)}, signed {when}"
        if signoff_state(session, subject, role) == "changed":
            line += " — ⚠ changed since sign-off"
        out.append(line)
    return out


def _report_setup(session: Session, facilitator: bool = False) -> list[str]:
    meta = session.meta
    lines = [f"## {_step_heading(StepId.SETUP)}", ""]
    lines.append(f"- **Facilitator:** {md_inline(meta.facilitator) or DASH}")
    if facilitator:
        lines.append(f"- **Workshop length:** {meta.workshop_minutes} minutes")
    lines.append("")
    if session.participants:
        rows = [
            [
                md_inline(p.name, table=True),
                p.team.value,
                md_inline(p.role, table=True),
                f"{p.team.value} lead" if p.is_lead else "",
            ]
            for p in session.participants
        ]
        lines += _table(["Name", "Team", "Role", "Lead"], rows)
    else:
        lines.append("_No participants recorded._")
    return [*lines, "", *_status_tail(session, StepId.SETUP, facilitator)]


def _report_goals(session: Session, facilitator: bool = False) -> list[str]:
    lines = [f"## {_step_heading(StepId.GOALS)}", ""]
    if session.meta.warmup_notes.strip():
        lines += ["### Common ground (warm-up notes)", "", md_block(session.meta.warmup_notes), ""]
    lines += ["### Joint goals", ""]
    goals = sorted(session.goals, key=lambda g: (g.position, g.id))
    if not goals:
        lines += ["_No goals yet._", ""]
    else:
        rows = [
            [
                str(i),
                md_inline(g.statement, table=True) or DASH,
                md_inline(g.measure, table=True) or DASH,
                md_inline(g.target, table=True) or DASH,
                _date(g.due),
                # The room's dot votes: how the workshop ran, for the facilitator.
                *([str(g.votes)] if facilitator else []),
            ]
            for i, g in enumerate(goals, 1)
        ]
        headers = ["#", "Goal", "Measure", "Target", "Due"]
        if facilitator:
            headers.append("Votes")
        lines += _table(headers, rows, "rllllr")
        lines.append("")
        for i, g in enumerate(goals, 1):
            lines += [f"**Behaviours for goal {i}**", ""]
            mine = [b for b in session.behaviours if b.goal_id == g.id]
            if not mine:
                lines.append("- _none yet_")
            for team in (Team.SALES, Team.MARKETING):
                for b in mine:
                    if b.team is team:
                        lines.append(f"- {team.value}: {md_inline(b.text) or DASH}")
            lines.append("")
    lines += [
        "### Agreement of both leads",
        "",
        *_signoff_lines(session, SignOffSubject.GOALS, facilitator),
    ]
    return [*lines, "", *_status_tail(session, StepId.GOALS, facilitator)]


def _report_story(session: Session, facilitator: bool = False) -> list[str]:
    story = session.story
    lines = [f"## {_step_heading(StepId.STORY)}", ""]
    # The word count is the facilitator's check that the story stays high level.
    words = f" ({_plural(len(story.core_message.split()), 'word')})" if facilitator else ""
    lines += [
        f"- **Who it is for:** {md_inline(story.audience) or DASH}",
        f"- **Core message{words}:** {md_inline(story.core_message) or DASH}",
        "",
        "### Pillars and proof",
        "",
    ]
    pillars = sorted(session.pillars, key=lambda p: (p.position, p.id))
    if not pillars:
        lines.append("_No pillars yet._")
    for i, pillar in enumerate(pillars, 1):
        lines.append(f"{i}. **{md_inline(pillar.title) or DASH}**")
        proofs = sorted(
            (pp for pp in session.proof_points if pp.pillar_id == pillar.id and pp.text.strip()),
            key=lambda pp: (pp.position, pp.id),
        )
        if not proofs:
            lines.append("   - ⚠ no proof yet")
        for pp in proofs:
            lines.append(f"   - {md_inline(pp.text)}")
    lines += ["", "### Retired messages", ""]
    if session.retired_messages:
        rows = [
            [md_inline(r.text, table=True) or DASH, md_inline(r.reason, table=True) or DASH]
            for r in session.retired_messages
        ]
        lines += _table(["Message we stop using", "Why it goes"], rows)
    else:
        lines.append("_None recorded._")
    lines += _report_message_drafts(session)
    lines += ["", "### Sign-off", "", *_signoff_lines(session, SignOffSubject.STORY, facilitator)]
    return [*lines, "", *_status_tail(session, StepId.STORY, facilitator)]


def _report_message_drafts(session: Session) -> list[str]:
    """The messages drafted from the house (elevator line, e-mail opener …), as written."""
    drafts = sorted(session.message_drafts, key=lambda d: (d.position, d.id))
    drafts = [d for d in drafts if d.text.strip()]
    if not drafts:
        return []
    lines = ["", "### Messages drafted from the story", ""]
    for d in drafts:
        title = md_inline(d.title) or "Message"
        audience = f" — for {md_inline(d.audience)}" if d.audience.strip() else ""
        lines += [f"**{title}**{audience}", "", md_block(d.text), ""]
    return lines[:-1]


def _report_crm(session: Session, facilitator: bool = False) -> list[str]:
    crm = session.crm
    lines = [f"## {_step_heading(StepId.CRM)}", ""]
    lines += [f"- **CRM system:** {md_inline(crm.system) or DASH}", ""]
    if crm.notes.strip():
        lines += [md_block(crm.notes), ""]
    lines += ["### Access for marketing", ""]
    if session.crm_grants:
        rows = []
        for g in session.crm_grants:
            person = session.participant(g.participant_id)
            rows.append(
                [
                    md_inline(person.name, table=True) if person else DASH,
                    person.team.value if person else DASH,
                    g.access.value,
                    ", ".join(md_inline(w, table=True) for w in g.watches) or DASH,
                    md_inline(g.granted_by, table=True) or DASH,
                    _date(g.due),
                    g.status.value,
                ]
            )
        lines += _table(
            ["Who", "Team", "Access", "Will look at", "Granted by", "By", "Status"], rows
        )
    else:
        lines.append("_No access planned yet._")
    return [*lines, "", *_status_tail(session, StepId.CRM, facilitator)]


def _meets(session: Session) -> str:
    """When the loop meets ("Tuesdays at 16:00 (Europe/Berlin), from 2026-12-01"), or
    "not agreed yet" while no weekday is set."""
    fb = session.feedback
    if fb.weekday is None:
        return NOT_AGREED
    text = f"{fb.weekday.value}s"
    if fb.start_time is not None:
        text += f" at {fb.start_time.strftime('%H:%M')}"
        if fb.time_zone:
            text += f" ({md_inline(fb.time_zone)})"
    if fb.first_meeting is not None:
        text += f", from {fb.first_meeting.isoformat()}"
    return text


def _documents(session: Session) -> dict[str, DocumentTemplate]:
    """The workbook's documents, read only when an item of the loop points to one."""
    if not any(i.document for i in session.feedback_items):
        return {}
    from . import workbook  # (reads TOML files: only when a document is pointed to)

    return workbook.load().documents()


def _pointed(session: Session) -> list[FeedbackItem]:
    """The loop's written items that point to a document, in the report's order."""
    order = {side: n for n, side in enumerate(FeedbackSide)}
    return sorted(
        (i for i in session.feedback_items if i.document and i.text.strip()),
        key=lambda i: (order[i.side], i.position, i.id),
    )


def _item_document(item: FeedbackItem, documents: dict[str, DocumentTemplate]) -> str:
    """What a report's item line says of the document it points to ("" for none)."""
    if not item.document:
        return ""
    found = documents.get(item.document)
    if found is None:  # no longer in the workbook: the bare key, nothing to print
        return f" (follows {md_inline(item.document)}, no longer in the workbook)"
    return f" (follows the {md_inline(found.title)} template: see the appendix)"


def _report_documents(session: Session, documents: dict[str, DocumentTemplate]) -> list[str]:
    """The appendix: once each, the documents the loop's items point to, heading by heading."""
    used: dict[str, list[FeedbackItem]] = {}
    for item in _pointed(session):
        if item.document in documents:
            used.setdefault(item.document, []).append(item)
    if not used:
        return []
    lines = [
        "## Appendix: the loop's document templates",
        "",
        "The feedback loop's items follow these documents; each heading says what to write.",
        "",
    ]
    for key, items in used.items():
        doc = documents[key]
        lines += [f"### {md_inline(doc.title)}", ""]
        if doc.about:
            lines += [md_inline(doc.about), ""]
        uses = "; ".join(f"{md_inline(i.text)} ({SIDE_HEADINGS[i.side]})" for i in items)
        lines += [f"Used for: {uses}.", ""]
        lines += [f"- **{md_inline(head)}:** {md_inline(prompt)}" for head, prompt in doc.sections]
        lines.append("")
    return lines


#: Each list of the loop as the report heads it.
SIDE_HEADINGS: dict[FeedbackSide, str] = {
    FeedbackSide.SALES: "What Sales brings",
    FeedbackSide.MARKETING: "What Marketing brings",
    FeedbackSide.RULE: "Ground rules",
}


def _report_feedback(
    session: Session,
    facilitator: bool = False,
    documents: dict[str, DocumentTemplate] | None = None,
) -> list[str]:
    documents = documents or {}
    fb = session.feedback
    cadence, length, brief_weeks = loop_settings(session)
    lines = [f"## {_step_heading(StepId.FEEDBACK)}", ""]
    agreed = (
        "✔ agreed: this is a feedback loop, not an approvals loop"
        if fb.not_approval_agreed
        else "✘ not agreed yet"
    )
    lines += [
        f"- **Cadence:** {cadence.value if cadence else NOT_AGREED}",
        f"- **Forum:** {md_inline(fb.forum) or NOT_AGREED}",
        f"- **Meets:** {_meets(session)}",
        f"- **Length:** {NOT_AGREED if length is None else _plural(length, 'minute')}",
        f"- **Attendees:** {md_inline(fb.attendees) or NOT_AGREED}",
        "- **Campaign briefs reach sales:** "
        + (NOT_AGREED if brief_weeks is None else f"{_plural(brief_weeks, 'week')} before launch"),
        f"- **Feedback, not approval:** {agreed}",
        "",
    ]
    for side, heading in SIDE_HEADINGS.items():
        lines += [f"### {heading}", ""]
        items = sorted(
            (i for i in session.feedback_items if i.side is side and i.text.strip()),
            key=lambda i: (i.position, i.id),
        )
        if not items:
            lines.append("_Nothing yet._")
        for item in items:
            flag = ""
            if is_approval_gate(item.text):
                flag = (
                    " (reviewed: not a gate)"
                    if item.gate_reviewed
                    else " — ⚠ reads like an approval gate"
                )
            lines.append(f"- {md_inline(item.text)}{flag}{_item_document(item, documents)}")
        lines.append("")
    if any(so.subject is SignOffSubject.FEEDBACK for so in session.signoffs):
        lines += [
            "### Sign-off",
            "",
            *_signoff_lines(session, SignOffSubject.FEEDBACK, facilitator),
            "",
        ]
    return [*lines, *_status_tail(session, StepId.FEEDBACK, facilitator)]


def _period_table(
    pf: PeriodFunnel, handover_into: dict[int, str], digits: int | None = None
) -> list[str]:
    """One period's funnel; every rate with *digits* significant digits (the precision
    of the whole funnel, :func:`funnel_digits`; this period's own when left out)."""
    d = funnel_digits([pf]) if digits is None else digits
    headers = ["Stage", "Owner", "Count", "Target", "Conversion", "Drop-off", "Overall"]
    align = "llrrrrr"
    if pf.previous_label is not None:
        headers += [f"Change vs {md_inline(pf.previous_label, table=True)}", "Conversion change"]
        align += "rr"
    headers.append("Hand-over")
    rows = []
    for r in pf.rows:
        row = [
            md_inline(r.name, table=True),
            r.owner.value,
            fmt_count(r.count),
            fmt_count(r.target),
            fmt_rate(r.conversion, d),
            fmt_rate(r.drop_off, d),
            fmt_rate(r.overall, d),
        ]
        if pf.previous_label is not None:
            row += [
                fmt_change(r.change_abs, r.change_rel),
                fmt_points(r.conversion, r.previous_conversion, d),
            ]
        row.append(handover_into.get(r.stage_id, ""))
        rows.append(row)
    lines = _table(headers, rows, align)
    if pf.rows:
        first, last = pf.rows[0], pf.rows[-1]
        overall = fmt_rate(pf.overall_conversion, d)
        before = pf.previous_overall_conversion
        if pf.previous_label is not None and None not in (before, pf.overall_conversion):
            overall += (
                f", {fmt_rate_change(pf.overall_conversion, before)} vs "
                f"{md_inline(pf.previous_label)} ({fmt_rate(before, d)})"
            )
        lines += [
            "",
            f"Overall conversion, {md_inline(first.name)} → {md_inline(last.name)}: {overall}",
        ]
    return lines


def _report_funnel(session: Session, facilitator: bool = False) -> list[str]:
    lines = [f"## {_step_heading(StepId.FUNNEL)}", ""]
    stages = session.sorted_stages()
    points = session_handover_points(session)
    handover_into = {p.to_stage_id: f"⇄ {p.label}" for p in points}
    periods = funnel_periods(session)
    digits = funnel_digits(periods)
    if not stages:
        lines += ["_No stages yet._", ""]
    for pf in periods:
        lines += [f"### {md_inline(pf.label)}", ""]
        if not pf.has_counts:
            lines += ["_No counts yet._", ""]
            continue
        lines += [*_period_table(pf, handover_into, digits), ""]
    if len(periods) > 1 and stages:
        lines += ["### Periods side by side", ""]
        headers = ["Stage", *(md_inline(pf.label, table=True) for pf in periods)]
        rows = []
        for i, stage in enumerate(stages):
            rows.append(
                [
                    md_inline(stage.name, table=True),
                    *(fmt_count(pf.rows[i].count) for pf in periods),
                ]
            )
        lines += [*_table(headers, rows, "l" + "r" * len(periods)), ""]
    lines += ["### Hand-over agreements", ""]
    if not points:
        lines += ["_No hand-over points: every stage has the same owner._", ""]
    for p in points:
        lines += [
            f"#### {md_inline(p.from_name)} → {md_inline(p.to_name)} ({p.label})",
            "",
        ]
        h = next((h for h in session.handovers if h.to_stage_id == p.to_stage_id), None)
        if h is None:
            lines += ["_No agreement recorded yet._", ""]
            continue
        hours = _response_time(h.response_hours)
        if h.draft:
            lines += [f"_{DRAFT_HANDOVER[:1].upper()}{DRAFT_HANDOVER[1:]}._", ""]
        lines += [
            f"- **A lead crosses when:** {md_inline(h.qualifies) or DASH}",
            f"- **Response time:** {hours}",
            f"- **Reasons to send one back:** {md_inline(h.return_reasons) or DASH}",
            f"- **What happens to returned leads:** {md_inline(h.returned_handling) or DASH}",
            "- **Follow-up attempts before returning:** "
            + (NOT_AGREED if h.follow_up_attempts is None else str(h.follow_up_attempts)),
            f"- **Escalate to:** {md_inline(h.escalate_to) or NOT_AGREED}",
            f"- **Marketing's volume commitment:** {md_inline(h.volume_commitment) or NOT_AGREED}",
            "",
        ]
    plan = session.funnel_plan
    if plan.revenue_target is not None and plan.avg_deal_value is not None:
        lines += ["### What it takes", ""]
        try:
            wit = session_what_it_takes(session)
        except ValueError as exc:
            lines += [f"_{md_inline(str(exc))}._", ""]
        else:
            rates = f", worked out at the rates of {md_inline(wit.period_label)}"
            lines += [
                f"Revenue target {_revenue_target(session)}"
                + (rates if wit.period_label else "")
                + ":",
                "",
                *(f"- {md_inline(line)}" for line in what_it_takes_basis(wit, plan.currency)),
                "",
            ]
            rows = [
                [
                    md_inline(r.name, table=True),
                    r.owner.value,
                    fmt_count(r.needed),
                    fmt_count(r.today),
                    DASH if r.gap is None else f"{r.gap:+,}",
                ]
                for r in wit.rows
            ]
            lines += [*_table(["Stage", "Owner", "Needed", "Today", "Gap"], rows, "llrrr"), ""]
    return [*lines, *_status_tail(session, StepId.FUNNEL, facilitator)]


def _report_actions(session: Session) -> list[str]:
    lines = ["## Actions", ""]
    actions = _ordered_actions(session)
    if not actions:
        return [*lines, "_No actions yet._", ""]
    rows = [
        [
            str(a.id),
            a.step.short,
            md_inline(a.text, table=True),
            md_inline(session.owner_name(a), table=True) or DASH,
            _date(a.due),
            STATUS_WORDS[a.status],
        ]
        for a in actions
    ]
    return [*lines, *_table(["#", "Step", "Action", "Owner", "Due", "Status"], rows), ""]


def _report_facilitator(session: Session) -> list[str]:
    """How the workshop ran: progress, the last edit, the agenda and the time spent."""
    done, total = progress(session)
    lines = [
        "## For the facilitator",
        "",
        f"- **Progress:** {done} of {_plural(total, 'step')} complete",
        f"- **Workshop length:** {_plural(session.meta.workshop_minutes, 'minute')}",
        f"- **Last edited:** {_when(session.meta.updated_at)}",
        "",
        "### Agenda and time",
        "",
    ]
    rows = []
    planned = spent = 0.0
    for step in STEP_ORDER:
        item = session.timebox(step)
        planned += item.minutes
        spent += item.spent_seconds
        rows.append(
            [
                _step_heading(step),
                f"{item.minutes} min",
                _minutes(item.spent_seconds) if item.spent_seconds else DASH,
            ]
        )
    rows.append(["**Total**", f"{int(planned)} min", _minutes(spent) if spent else DASH])
    return [*lines, *_table(["Step", "Timebox", "Time spent (min:s)"], rows, "lrr"), ""]


def _report_reviews(session: Session, facilitator: bool = False) -> list[str]:
    lines = [f"## {_step_heading(StepId.WRAPUP)}", "", "### Reviews", ""]
    reviews = sorted(session.reviews, key=lambda r: (r.held_on, r.id))
    if not reviews:
        lines.append("_No review held yet._")
    for r in reviews:
        notes = md_inline(r.notes)
        lines.append(f"- **{r.held_on.isoformat()}**" + (f" — {notes}" if notes else ""))
    lines += [
        "",
        f"**Next review:** {_date(session.meta.next_review, 'not set yet')}",
        "",
        *_status_tail(session, StepId.WRAPUP, facilitator),
    ]
    return lines


# -- the one-page summary ----------------------------------------------------------------


def _agreement(session: Session, subject: SignOffSubject) -> str:
    """Where the two leads stand on *subject*, in a few words."""
    states = [signoff_state(session, subject, role) for role in LeadRole]
    if "changed" in states:
        return "changed since the leads signed it"
    if all(st == "signed" for st in states):
        return "signed by both leads"
    if any(st == "signed" for st in states):
        return "signed by one lead so far"
    return "not signed yet"


def _summary_goals(session: Session) -> list[str]:
    goals = sorted(session.goals, key=lambda g: (g.position, g.id))
    if not goals:
        return [f"**Joint goals:** {NOT_AGREED}", ""]
    lines = [f"**Joint goals** ({_agreement(session, SignOffSubject.GOALS)})", ""]
    for i, g in enumerate(goals, 1):
        target = md_inline(g.target) or "not set"
        due = g.due.isoformat() if g.due else "no date yet"
        lines.append(f"{i}. {md_inline(g.statement) or DASH} — target: {target} · due {due}")
    return [*lines, ""]


def _summary_story(session: Session) -> list[str]:
    message = md_inline(session.story.core_message)
    if not message:
        return [f"**Core message:** {NOT_AGREED}", ""]
    return [f"**Core message** ({_agreement(session, SignOffSubject.STORY)}): {message}", ""]


def _summary_crm(session: Session) -> list[str]:
    system = md_inline(session.crm.system)
    if not session.crm_grants:
        return [f"**CRM access for marketing:** {NOT_AGREED}", ""]
    head = "**CRM access for marketing**" + (f" ({system})" if system else "")
    lines = [head, ""]
    for g in session.crm_grants:
        person = session.participant(g.participant_id)
        who = md_inline(person.name) if person else "someone not named yet"
        by = f"by {g.due.isoformat()}" if g.due else "no date yet"
        lines.append(f"- {who}: {g.access.value}, {by} — {g.status.value}")
    return [*lines, ""]


def _summary_loop(session: Session) -> list[str]:
    fb = session.feedback
    cadence, length, brief_weeks = loop_settings(session)
    forum = md_inline(fb.forum)
    if cadence is None and length is None and not forum:
        meeting = NOT_AGREED
    else:
        meeting = " · ".join(
            [
                cadence.value if cadence else "cadence not agreed yet",
                forum or "forum not agreed yet",
                "length not agreed yet" if length is None else _plural(length, "minute"),
            ]
        )
    briefs = NOT_AGREED if brief_weeks is None else f"{_plural(brief_weeks, 'week')} before launch"
    approval = "agreed" if fb.not_approval_agreed else NOT_AGREED
    if (
        meeting == NOT_AGREED
        and brief_weeks is None
        and fb.weekday is None
        and not fb.not_approval_agreed
    ):
        return [f"**Feedback loop:** {NOT_AGREED}", ""]
    return [
        f"**Feedback loop:** {meeting}",
        "",
        f"- Meets: {_meets(session)}",
        f"- Campaign briefs reach sales: {briefs}",
        f"- Feedback, not approval: {approval}",
        "",
    ]


def _response_time(hours: float | None) -> str:
    return NOT_AGREED if hours is None else f"within {_number(hours)} hours"


def _summary_handovers(session: Session) -> list[str]:
    points = session_handover_points(session)
    if not points:
        return ["**Hand-overs:** none (every stage has the same owner)", ""]
    if not session.handovers:
        return [f"**Hand-overs:** {NOT_AGREED}", ""]
    lines = ["**Hand-overs**", ""]
    for p in points:
        head = f"- {md_inline(p.from_name)} → {md_inline(p.to_name)} ({p.label})"
        h = next((h for h in session.handovers if h.to_stage_id == p.to_stage_id), None)
        if h is None:
            lines.append(f"{head}: {NOT_AGREED}")
            continue
        lines += [
            f"{head} — {DRAFT_HANDOVER}" if h.draft else head,
            f"  - Qualifies: {md_inline(h.qualifies) or NOT_AGREED}",
            f"  - Response: {_response_time(h.response_hours)}",
            f"  - Sent back when: {md_inline(h.return_reasons) or NOT_AGREED}",
        ]
    return [*lines, ""]


def _summary_funnel(session: Session) -> list[str]:
    periods = funnel_periods(session)
    digits = funnel_digits(periods)
    counted = [pf for pf in periods if pf.has_counts]
    if not counted:
        headline = "**Funnel:** no counts yet"
    else:
        pf = counted[-1]
        first, last = pf.rows[0], pf.rows[-1]
        rate = pf.overall_conversion
        headline = (
            f"**Funnel, {md_inline(pf.label)}:** overall conversion "
            f"({md_inline(first.name)} → {md_inline(last.name)}) "
        )
        if rate is None:
            headline += "not known yet: a count is missing"
        else:
            headline += fmt_rate(rate, digits)
            before = pf.previous_overall_conversion
            if pf.previous_label is not None and before is not None:
                headline += (
                    f", {fmt_rate_change(rate, before)} vs {md_inline(pf.previous_label)} "
                    f"({fmt_rate(before, digits)})"
                )
    plan = session.funnel_plan
    if plan.revenue_target is None:
        target = "not set"
    else:
        # What it takes in deals and leads is in the funnel's details, with how it rounds.
        target = _revenue_target(session)
    return [headline, "", f"- Revenue target: {target}", ""]


def _revenue_target(session: Session) -> str:
    """ "€1,200,000 a year at an average deal value of €48,000" (or what is not set)."""
    plan = session.funnel_plan
    cur = md_inline(plan.currency)
    per = PER[plan.revenue_period] if plan.revenue_period else "(period not said)"
    deal = fmt_money(plan.avg_deal_value, cur) if plan.avg_deal_value else "not set"
    return f"{fmt_money(plan.revenue_target, cur)} {per} at an average deal value of {deal}"


def _summary_actions(session: Session) -> list[str]:
    today = clock.today()
    todo = sorted(
        session.open_actions(),
        key=lambda a: (a.due is None, a.due or today, STEP_ORDER.index(a.step), a.id),
    )
    overdue = sum(1 for a in todo if _is_overdue(a, today))
    head = f"**Open actions:** {len(todo)}" if todo else "**Open actions:** none"
    if overdue:
        head += f" ({overdue} overdue as of {today.isoformat()})"
    if not todo:
        return [head, ""]
    rows = []
    for a in todo:
        status = [STATUS_WORDS[a.status]]
        if _is_overdue(a, today):
            status.append("**overdue**")
        rows.append(
            [
                md_inline(a.text, table=True),
                md_inline(session.owner_name(a), table=True) or "no owner yet",
                _date(a.due, "no date yet"),
                ", ".join(status),
            ]
        )
    return [head, "", *_table(["Action", "Owner", "Due", "Status"], rows), ""]


def report_summary(session: Session) -> list[str]:
    """The one page the two directors read first: what was agreed, and what is next.

    Anything nobody has set reads "not agreed yet" (or "not set"), never a default
    value; see :func:`loop_settings` for how the loop's defaults are told apart.
    """
    return [
        "## Summary",
        "",
        *_summary_goals(session),
        *_summary_story(session),
        *_summary_crm(session),
        *_summary_loop(session),
        *_summary_handovers(session),
        *_summary_funnel(session),
        *_summary_actions(session),
        f"**Next review:** {_date(session.meta.next_review, 'not set yet')}",
        "",
    ]


def render_report(session: Session, facilitator: bool = False) -> str:
    """The report: a one-page summary for the two directors, then each step's details.

    With *facilitator*, also how the workshop ran: each step's completion status,
    word counts, sign-off times to the minute, dot votes, progress, the last edit,
    and the agenda with the time spent.
    """
    meta = session.meta
    about = [md_inline(meta.organisation)] if meta.organisation.strip() else []
    about.append(f"workshop on {meta.workshop_date.isoformat()}")
    if meta.facilitator.strip():
        about.append(f"facilitated by {md_inline(meta.facilitator)}")
    lines = [
        f"# {md_inline(meta.title)}",
        "",
        "Sales and marketing alignment workshop — " + " · ".join(about),
        "",
    ]
    lines += report_summary(session)
    lines += _report_setup(session, facilitator)
    lines += _report_goals(session, facilitator)
    lines += _report_story(session, facilitator)
    lines += _report_crm(session, facilitator)
    documents = _documents(session)
    lines += _report_feedback(session, facilitator, documents)
    lines += _report_funnel(session, facilitator)
    lines += _report_actions(session)
    lines += _report_reviews(session, facilitator)
    lines += _report_documents(session, documents)
    if facilitator:
        lines += _report_facilitator(session)
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

CSV_HEADER = ("id", "step", "text", "owner", "due", "status")


def _csv_status(action: Action, today: dt.date) -> str:
    """The report's status word, with ", overdue" when a to-do is past its date."""
    word = STATUS_WORDS[action.status]
    return f"{word}, overdue" if _is_overdue(action, today) else word


def render_csv(session: Session) -> str:
    """The actions for a spreadsheet: step names and status words as the report has them.

    Dates are ISO (YYYY-MM-DD); what is overdue is decided by the app's clock.
    """
    today = clock.today()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for a in _ordered_actions(session):
        writer.writerow(
            [
                a.id,
                _step_heading(a.step),
                csv_cell(a.text),
                csv_cell(session.owner_name(a)),
                a.due.isoformat() if a.due else "",
                _csv_status(a, today),
            ]
        )
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def render(session: Session, fmt: str, *, facilitator: bool = False) -> str:
    """The session exported as *fmt* (one of :data:`FORMATS`).

    *facilitator* adds the facilitator's material to the report and its web page
    (see :func:`render_report`); the other formats ignore it.
    """
    if fmt == "checklist":
        return render_checklist(session)
    if fmt == "report":
        return render_report(session, facilitator)
    if fmt == "html":
        from .html import render_html

        return render_html(session, render_report(session, facilitator))
    if fmt == "ics":
        from .calendar import render_ics  # (icalendar is slow to import: only when asked)

        return render_ics(session)
    if fmt == "csv":
        return render_csv(session)
    if fmt == "json":
        return to_json(session)
    if fmt in ("review", REVIEW_HTML):
        from . import review_pack

        if fmt == REVIEW_HTML:
            return review_pack.render_review_pack_html(session)
        return review_pack.render_review_pack(session)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_target(path: Path, *, force: bool = False) -> None:
    """Raise an OSError with one line when *path* must not be written."""
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{path.parent}: no such folder")
    if path.exists():
        if not force:
            raise FileExistsError(f"{path}: already exists")
        if _is_sqlite(path):
            raise FileExistsError(
                f"{path}: is a database (a session?); an export never replaces it"
            )


def write_export(
    session: Session,
    fmt: str,
    path: Path,
    *,
    force: bool = False,
    bom: bool = False,
    facilitator: bool = False,
) -> Path:
    """Render and write; refuse to replace a file unless *force* (and never a session file).

    *facilitator*: the report (Markdown or HTML) with the facilitator's material.

    With *bom*, the file starts with a UTF-8 byte-order mark (Excel then reads
    accented names right); without it, plain UTF-8. Raises ValueError for an
    unknown format and OSError (one-line message) when the file cannot be
    written. Returns the path written.
    """
    path = Path(path).expanduser()
    text = render(session, fmt, facilitator=facilitator)
    check_target(path, force=force)
    data = text.encode("utf-8-sig" if bom else "utf-8")
    if not force:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise FileExistsError(f"{path}: already exists") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path

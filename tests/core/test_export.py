"""Exports: golden files of the demo, escaping of hostile text, JSON import errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.errors import ImportFileError
from alignment_tui.sessions.export import (
    FORMATS,
    checklist_line,
    csv_cell,
    loop_settings,
    md_block,
    md_inline,
    render,
    visible_controls,
    write_export,
)
from alignment_tui.sessions.jsonio import from_json, to_json
from alignment_tui.sessions.models import (
    Action,
    ActionStatus,
    Cadence,
    Goal,
    LeadRole,
    Participant,
    RetiredMessage,
    Session,
    SignOffSubject,
    StepId,
    Team,
    new_session,
)
from alignment_tui.sessions.progress import all_statuses
from alignment_tui.sessions.signoff import signoff_state
from conftest import PinnedClock

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = {
    "checklist": "demo.checklist.md",
    "report": "demo.report.md",
    "html": "demo.report.html",
    "ics": "demo.ics",
    "csv": "demo.actions.csv",
    "json": "demo.json",
    "review": "demo.review.md",
}


# ---------------------------------------------------------------------------
# The demo and its golden files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_export_matches_golden_file(fmt: str, clock: PinnedClock) -> None:
    # The golden files were written with the clock at conftest.PINNED_AT (2026-12-04):
    # two of the demo's open actions are overdue then. After an intended change:
    # ALIGNMENT_TUI_UPDATE_GOLDEN=1 pytest tests/core/test_export.py, then read the diff.
    text = render(demo_session(), fmt)
    if os.environ.get("ALIGNMENT_TUI_UPDATE_GOLDEN"):
        (GOLDEN / GOLDEN_FILES[fmt]).write_bytes(text.encode("utf-8"))
    expected = (GOLDEN / GOLDEN_FILES[fmt]).read_bytes().decode("utf-8")
    assert text == expected


def test_demo_facilitator_report_matches_golden_file(clock: PinnedClock) -> None:
    text = render(demo_session(), "report", facilitator=True)
    if os.environ.get("ALIGNMENT_TUI_UPDATE_GOLDEN"):
        (GOLDEN / "demo.report.facilitator.md").write_bytes(text.encode("utf-8"))
    expected = (GOLDEN / "demo.report.facilitator.md").read_bytes().decode("utf-8")
    assert text == expected
    # The web page is made from the same document.
    page = render(demo_session(), "html", facilitator=True)
    assert "<h2>For the facilitator</h2>" in page and "Status: ✔ complete." in page
    assert "<h2>For the facilitator</h2>" not in render(demo_session(), "html")


def test_other_formats_ignore_the_facilitator_flag(clock: PinnedClock) -> None:
    for fmt in ("checklist", "csv", "json"):
        assert render(demo_session(), fmt, facilitator=True) == render(demo_session(), fmt)


def _summary(report: str) -> str:
    return report.split("## Summary\n\n")[1].split("\n## ")[0]


def test_the_report_opens_with_the_summary_for_the_directors(clock: PinnedClock) -> None:
    report = render(demo_session(), "report")
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Summary" and headings[1] == "## Set-up and people"
    summary = _summary(report)
    for expected in (
        "1. Grow qualified pipeline from mid-sized manufacturers — target: 260 per quarter"
        " · due 2027-06-30",
        "**Core message** (signed by both leads): Kestrel turns the numbers",
        "- Priya Nair: read-only, by 2026-12-04 — granted",
        "**Feedback loop:** fortnightly · Pipeline and campaign round-table, Tuesdays 16:00,"
        " video call · 45 minutes",
        "  - Response: within 24 hours",
        "**Funnel, 2026 Q4:** overall conversion (Reach → Won) 0.0305%, +21.9% vs 2026 Q3"
        " (0.0250%)",
        "- Revenue target: €1,200,000 a year at an average deal value of €48,000",
        "- Meets: Tuesdays at 16:00 (Europe/Berlin), from 2026-12-01",
        "**Open actions:** 8 (2 overdue as of 2026-12-04)",
        "| Snapshot the funnel counts on the first of every month | Priya Nair | 2026-12-01"
        " | open, **overdue** |",
        "**Next review:** 2027-01-14",
    ):
        assert expected in summary, expected
    # Soonest first; nothing done or dropped.
    rows = [line for line in summary.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 8
    assert "Print posters" not in summary and "Book the fortnightly" not in summary


def test_facilitator_material_only_when_asked_for(clock: PinnedClock) -> None:
    plain = render(demo_session(), "report")
    full = render(demo_session(), "report", facilitator=True)
    for detail in (
        "_Status:",
        "**Progress:**",
        "**Last edited:**",
        "Agenda and time",
        "Time spent",
        "**Workshop length:**",
        "(18 words)",
        "| Votes |",
        "signed 2026-11-20 10:05 UTC",
    ):
        assert detail not in plain, detail
        assert detail in full, detail
    assert "1 item worded as an approval gate to reword" in full
    assert "(s)" not in plain and "(s)" not in full


def test_a_blank_session_reports_nothing_as_agreed(clock: PinnedClock) -> None:
    s = new_session("Blank", workshop_date=dt.date(2026, 1, 5))
    report = render(s, "report")
    summary = _summary(report)
    assert summary.splitlines() == [
        "**Joint goals:** not agreed yet",
        "",
        "**Core message:** not agreed yet",
        "",
        "**CRM access for marketing:** not agreed yet",
        "",
        "**Feedback loop:** not agreed yet",
        "",
        "**Hand-overs:** not agreed yet",
        "",
        "**Funnel:** no counts yet",
        "",
        "- Revenue target: not set",
        "",
        "**Open actions:** none",
        "",
        "**Next review:** not set yet",
    ]
    # The loop's stored defaults are never read as agreed, in the summary or the details.
    for default in ("fortnightly", "45 minutes", "4 weeks", "Votes"):
        assert default not in report, default
    loop = report.split("## 3. Feedback loop")[1].split("\n## ")[0]
    assert "- **Cadence:** not agreed yet" in loop
    assert "- **Length:** not agreed yet" in loop
    assert "- **Campaign briefs reach sales:** not agreed yet" in loop
    assert "- **Meets:** not agreed yet" in loop


def test_loop_values_count_as_agreed_once_changed_or_worked_on() -> None:
    s = new_session("Loop", workshop_date=dt.date(2026, 1, 5))
    assert loop_settings(s) == (None, None, None)
    # A value changed from its default was set by someone; the others were not.
    s.feedback = s.feedback.model_copy(update={"cadence": Cadence.MONTHLY})
    assert loop_settings(s) == (Cadence.MONTHLY, None, None)
    summary = _summary(render(s, "report"))
    assert "**Feedback loop:** monthly · forum not agreed yet · length not agreed yet" in summary
    # Once the room has written the forum, the values left as they were are agreed too.
    s.feedback = s.feedback.model_copy(
        update={"forum": "Round-table", "cadence": Cadence.FORTNIGHTLY}
    )
    assert loop_settings(s) == (Cadence.FORTNIGHTLY, 45, 4)
    summary = _summary(render(s, "report"))
    assert "**Feedback loop:** fortnightly · Round-table · 45 minutes" in summary
    assert "- Campaign briefs reach sales: 4 weeks before launch" in summary
    s.feedback = s.feedback.model_copy(update={"brief_weeks": 1, "duration_minutes": 1})
    assert "1 week before launch" in render(s, "report")
    assert "· 1 minute\n" in render(s, "report")


def test_summary_says_what_is_missing_per_goal_and_hand_over(clock: PinnedClock) -> None:
    s = demo_session()
    s.goals[0] = s.goals[0].model_copy(update={"target": "", "due": None})
    s.handovers[0] = s.handovers[0].model_copy(update={"response_hours": None, "qualifies": ""})
    s.funnel_plan = s.funnel_plan.model_copy(update={"revenue_target": None})
    summary = _summary(render(s, "report"))
    assert " — target: not set · due no date yet" in summary
    assert "  - Qualifies: not agreed yet\n  - Response: not agreed yet\n" in summary
    assert "- Revenue target: not set" in summary


def test_summary_escapes_what_the_room_typed(hostile_session: Session, clock: PinnedClock) -> None:
    summary = _summary(render(hostile_session, "report"))
    assert "\x1b" not in summary
    assert "1. Fix \\| pipe \\[b\\] \\*bold\\*" in summary
    assert "— target: \\[x\\] · due no date yet" in summary
    row = next(line for line in summary.splitlines() if line.startswith("| Fix"))
    assert "<br>second line" in row and row.endswith(
        "| Sam \\| ␛\\[31mSales | 2026-12-01 | open, **overdue** |"
    )


def test_formats_are_the_seven_promised() -> None:
    assert FORMATS == ("checklist", "report", "html", "ics", "csv", "json", "review")
    with pytest.raises(ValueError, match="unknown export format"):
        render(demo_session(), "pdf")


def test_demo_is_deterministic_and_never_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import alignment_tui.sessions.models as models

    def no_clock() -> dt.datetime:
        raise AssertionError("the demo must not read the clock")

    monkeypatch.setattr(models, "now", no_clock)
    first = demo_session()
    assert first == demo_session()
    assert to_json(first) == to_json(demo_session())


def test_demo_fills_every_step() -> None:
    s = demo_session()
    assert 5 <= len(s.participants) <= 7
    assert s.lead(Team.SALES) is not None and s.lead(Team.MARKETING) is not None
    assert len(s.goals) == 3 and all(g.measure and g.target and g.due for g in s.goals)
    statuses = all_statuses(s)
    # Everything is complete except the feedback loop, whose approval-gate rule is flagged.
    assert [step for step, st in statuses.items() if not st.complete] == [StepId.FEEDBACK]
    assert statuses[StepId.FEEDBACK].missing == ["1 item(s) worded as approval gates to reword"]
    for subject in (SignOffSubject.GOALS, SignOffSubject.STORY):
        for role in LeadRole:
            assert signoff_state(s, subject, role) == "signed"
    assert {g.status.value for g in s.crm_grants} == {"granted", "requested"}
    assert len(s.funnel_periods) == 2 and len(s.funnel_stages) == 7
    later = s.sorted_periods()[-1].id
    assert all((c := s.count_for(st.id, later)) and c.target for st in s.funnel_stages)
    assert len(s.handovers) == 2
    assert 10 <= len(s.actions) <= 13
    assert {a.status for a in s.actions} >= {ActionStatus.OPEN, ActionStatus.DONE}
    assert len(s.reviews) == 1 and s.meta.next_review is not None


def test_checklist_groups_by_step_in_order_and_shows_owner_and_due(clock: PinnedClock) -> None:
    text = render(demo_session(), "checklist")
    assert "- [ ] Share CRM dashboard — owner: Lena Brandt · due 2026-12-05" in text.splitlines()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Set-up and people"
    assert headings.index("## 2. Marketing inside the CRM") < headings.index(
        "## 4. One funnel, split in two"
    )
    assert "## Wrap-up and next review" not in headings  # no actions there
    assert "- ~~Print posters of the core message for the office~~" in text


# ---------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------

HOSTILE = "Fix | pipe [b] *bold* _u_ #1 `code` <i>x</i> &amp;\nsecond line\tTab \x1b[31mred\x1b[0m"


def _cells(row: str) -> list[str]:
    """Split a Markdown table row on pipes that are not backslash-escaped."""
    cells, current, i = [], "", 0
    while i < len(row):
        ch = row[i]
        if ch == "\\" and i + 1 < len(row):
            current += row[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
        i += 1
    cells.append(current)
    return cells[1:-1]


@pytest.fixture
def hostile_session() -> Session:
    s = new_session(
        "Title | with [link](x) and\nnewline",
        organisation="Org\x1b]0;pwned\x07",
        workshop_date=dt.date(2026, 11, 27),
        facilitator="*Fran*",
        participants=[
            Participant(id=1, name="Sam | \x1b[31mSales", team=Team.SALES, is_lead=True),
            Participant(id=2, name="Mia\nMarketing", team=Team.MARKETING, is_lead=True),
        ],
    )
    s.goals.append(Goal(id=1, position=1, statement=HOSTILE, measure="a|b", target="[x]"))
    s.retired_messages.append(RetiredMessage(id=1, text=HOSTILE, reason="- bullet\n# heading"))
    s.actions += [
        Action(id=1, text=HOSTILE, step=StepId.GOALS, owner_id=1, due=dt.date(2026, 12, 1)),
        Action(id=2, text="- [x] fake done\n- [ ] another", step=StepId.GOALS, owner_id=2),
        Action(id=3, text="=1+1 | `x`", step=StepId.CRM, status=ActionStatus.DROPPED),
    ]
    return Session.model_validate(s.model_dump())


def test_checklist_keeps_each_hostile_action_on_one_line(
    hostile_session: Session, clock: PinnedClock
) -> None:
    text = render(hostile_session, "checklist")
    assert "\x1b" not in text and "\x07" not in text
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == len(hostile_session.actions)
    first = items[0]
    assert first.startswith("- [ ] Fix \\| pipe \\[b\\] \\*bold\\* \\_u\\_ \\#1 \\`code\\` \\<i\\>")
    assert "second line Tab ␛\\[31mred" in first
    assert first.endswith("— owner: Sam \\| ␛\\[31mSales · due 2026-12-01 · **overdue**")
    # A typed "- [x]" must not become a second, ticked task.
    assert items[1].startswith("- [ ] \\- \\[x\\] fake done \\- \\[ \\] another")
    assert items[2] == "- ~~\\=1+1 \\| \\`x\\`~~ — no owner yet · no due date · dropped"
    title = text.splitlines()[0]
    assert title == "# Agreed actions — Title \\| with \\[link\\](x) and newline"
    assert "Org␛\\]0;pwned␇" in text


def test_report_table_rows_stay_intact(hostile_session: Session) -> None:
    text = render(hostile_session, "report")
    assert "\x1b" not in text
    lines = text.splitlines()
    tables = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith("| ") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            tables += 1
            width = len(_cells(lines[i]))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(_cells(lines[j])) == width, lines[j]
                j += 1
            assert j == len(lines) or lines[j] == "", "a table row broke onto the next line"
            i = j
        else:
            i += 1
    assert tables >= 5
    actions_row = next(line for line in lines if line.startswith("| 1 | Joint goals |"))
    assert "second line<br>" not in actions_row or "\\<br" not in actions_row
    assert "pipe \\[b\\] \\*bold\\*" in actions_row and "<br>second line" in actions_row
    # A typed heading or bullet stays literal text.
    assert "\\- bullet<br>\\# heading" in text


def test_csv_quotes_and_neutralises(hostile_session: Session) -> None:
    text = render(hostile_session, "csv")
    assert "\x1b" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "step", "text", "owner", "due", "status"]
    assert len(rows) == 1 + len(hostile_session.actions)
    assert rows[1][2] == visible_controls(HOSTILE)
    assert rows[1][3] == "Sam | ␛[31mSales"
    assert rows[3][2] == "'=1+1 | `x`"  # no spreadsheet formula
    assert rows[3][5] == "dropped"


# ---------------------------------------------------------------------------
# Checklist and CSV: dropped, overdue, the report's words, Excel
# ---------------------------------------------------------------------------


@pytest.fixture
def statuses_session() -> Session:
    """One action per status and due date that matters, owned by people with accented names."""
    s = new_session(
        "Statuses",
        workshop_date=dt.date(2026, 11, 20),
        participants=[
            Participant(id=1, name="Tomás Ruiz", team=Team.SALES, is_lead=True),
            Participant(id=2, name="Zoë Ødegård-Çelik", team=Team.MARKETING, is_lead=True),
        ],
    )
    s.actions += [
        Action(id=1, text="Late and open", step=StepId.CRM, owner_id=1, due=dt.date(2026, 12, 9)),
        Action(
            id=2,
            text="Late and under way",
            step=StepId.CRM,
            owner_id=2,
            due=dt.date(2026, 12, 1),
            status=ActionStatus.DOING,
        ),
        Action(id=3, text="Due today", step=StepId.CRM, owner_id=1, due=dt.date(2026, 12, 10)),
        Action(
            id=4,
            text="Done late",
            step=StepId.CRM,
            due=dt.date(2026, 11, 1),
            status=ActionStatus.DONE,
        ),
        Action(
            id=5,
            text="Dropped before the date",
            step=StepId.CRM,
            owner_id=2,
            due=dt.date(2026, 11, 1),
            status=ActionStatus.DROPPED,
        ),
        Action(id=6, text="Whenever", step=StepId.FUNNEL),
    ]
    return Session.model_validate(s.model_dump())


def _checklist_items(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_a_dropped_action_is_neither_ticked_nor_counted_done(
    statuses_session: Session, clock: PinnedClock
) -> None:
    clock.set(dt.date(2026, 12, 10))
    text = render(statuses_session, "checklist")
    assert "4 open (2 overdue as of 2026-12-10) · 1 done · 1 dropped" in text.splitlines()
    items = _checklist_items(text)
    assert len(items) == len(statuses_session.actions)
    # Only the done action is ticked; the dropped one has no checkbox at all, so no
    # Markdown viewer counts it, neither as done nor as still to do.
    assert [line for line in items if line.startswith("- [x]")] == [
        "- [x] Done late — no owner yet · due 2026-11-01"
    ]
    assert sum(line.startswith("- [ ]") for line in items) == 4
    dropped = "- ~~Dropped before the date~~ — owner: Zoë Ødegård-Çelik · due 2026-11-01 · dropped"
    assert dropped in items and "overdue" not in dropped
    # It comes after its step's tasks, under its own label, as a separate list.
    crm = text.split("## 2. Marketing inside the CRM\n\n")[1].split("## 4.")[0]
    assert crm.endswith(
        f"- [x] Done late — no owner yet · due 2026-11-01\n\n_Dropped:_\n\n{dropped}\n\n"
    )
    assert checklist_line(statuses_session, statuses_session.actions[4]) == dropped


def test_overdue_open_and_in_progress_actions_are_marked(
    statuses_session: Session, clock: PinnedClock
) -> None:
    clock.set(dt.date(2026, 12, 10))
    items = _checklist_items(render(statuses_session, "checklist"))
    assert items[:3] == [
        "- [ ] Late and open — owner: Tomás Ruiz · due 2026-12-09 · **overdue**",
        "- [ ] Late and under way — owner: Zoë Ødegård-Çelik · due 2026-12-01 · in progress"
        " · **overdue**",
        "- [ ] Due today — owner: Tomás Ruiz · due 2026-12-10",  # due today is not late
    ]
    assert "- [ ] Whenever — no owner yet · no due date" in items
    assert sum("overdue" in line for line in items) == 2
    # An explicit date wins over the clock; a week earlier nothing is late.
    late = statuses_session.actions[0]
    assert "overdue" not in checklist_line(statuses_session, late, today=dt.date(2026, 12, 9))
    clock.set(dt.date(2026, 12, 1))
    earlier = render(statuses_session, "checklist")
    assert "overdue" not in earlier
    assert "4 open · 1 done · 1 dropped" in earlier.splitlines()


def test_csv_uses_the_reports_step_names_and_status_words(
    statuses_session: Session, clock: PinnedClock
) -> None:
    clock.set(dt.date(2026, 12, 10))
    rows = list(csv.reader(io.StringIO(render(statuses_session, "csv"))))
    assert rows[0] == ["id", "step", "text", "owner", "due", "status"]
    assert [(r[1], r[4], r[5]) for r in rows[1:]] == [
        ("2. Marketing inside the CRM", "2026-12-09", "open, overdue"),
        ("2. Marketing inside the CRM", "2026-12-01", "in progress, overdue"),
        ("2. Marketing inside the CRM", "2026-12-10", "open"),
        ("2. Marketing inside the CRM", "2026-11-01", "done"),
        ("2. Marketing inside the CRM", "2026-11-01", "dropped"),
        ("4. One funnel, split in two", "", "open"),
    ]
    report = render(statuses_session, "report")
    assert "## 2. Marketing inside the CRM" in report and "## 4. One funnel, split in two" in report


def test_csv_for_excel_starts_with_a_bom_and_round_trips_accents(
    statuses_session: Session, clock: PinnedClock, tmp_path: Path
) -> None:
    plain = write_export(statuses_session, "csv", tmp_path / "plain.csv")
    excel = write_export(statuses_session, "csv", tmp_path / "excel.csv", bom=True)
    text = render(statuses_session, "csv")
    assert plain.read_bytes() == text.encode("utf-8")  # no mark unless asked
    assert excel.read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")
    with excel.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "id"  # the mark is not part of the first header
    assert {r[3] for r in rows[1:]} == {"Tomás Ruiz", "Zoë Ødegård-Çelik", ""}
    assert rows == list(csv.reader(io.StringIO(text)))


def test_json_keeps_text_exact(hostile_session: Session) -> None:
    text = to_json(hostile_session)
    assert "\x1b" not in text  # escaped as \u001b, still exact after parsing
    assert from_json(text) == hostile_session


def test_escaping_helpers() -> None:
    assert md_inline("a|b") == "a\\|b"
    assert md_inline("1. not a list") == "1\\. not a list"
    assert md_inline("+ not a list") == "\\+ not a list"
    assert md_inline("a\nb", table=True) == "a<br>b"
    assert md_inline("  spaced\r\n\r\nout  ") == "spaced out"
    assert md_inline("\u202eevil") == "\\u202eevil"
    assert md_inline("\x9b31m") == "\ufffd31m"  # C1 as the app shows it
    assert md_inline("x\x00y\x7f") == "x␀y␡"
    assert md_block("# one\n\n> two\nthree") == "\\# one\n\n\\> two  \nthree"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("a\r\nb") == "a\nb"
    assert visible_controls("\x1b[2J") == "␛[2J"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_any_action_text_stays_one_line_and_round_trips(text: str) -> None:
    s = new_session("T", workshop_date=dt.date(2026, 1, 1))
    s.actions.append(Action(id=1, text=text, step=StepId.CRM))
    s = Session.model_validate(s.model_dump())
    checklist = render(s, "checklist").splitlines()
    items = [line for line in checklist if line.startswith("- [")]
    assert len(items) == 1
    assert not any(line.startswith(("- ", "* ", "+ ")) for line in checklist if line not in items)
    assert from_json(to_json(s)) == s
    assert to_json(from_json(to_json(s))) == to_json(s)


# ---------------------------------------------------------------------------
# JSON import errors: one line naming the problem
# ---------------------------------------------------------------------------


def _demo_doc() -> dict:
    return json.loads(to_json(demo_session()))


def _broken(change) -> str:  # type: ignore[no-untyped-def]
    doc = _demo_doc()
    change(doc)
    return json.dumps(doc)


CASES = [
    ("", "the file is empty"),
    ("{not json", "not valid JSON (line 1, column 2"),
    ('{"a": NaN}', "not valid JSON (NaN is not allowed"),
    ("[1, 2]", "not an alignment-tui export"),
    ('{"format": "other", "schema_version": 1, "session": {}}', "not an alignment-tui export"),
    ('{"format": "alignment-tui", "schema_version": "1"}', "schema_version must be a whole number"),
    ('{"format": "alignment-tui", "schema_version": 99, "session": {}}', "newer alignment-tui"),
    ('{"format": "alignment-tui", "schema_version": 1}', "session: is required"),
    (
        '{"format": "alignment-tui", "schema_version": 1, "session": []}',
        "session: must be an object",
    ),
    (
        '{"format": "alignment-tui", "schema_version": 1, "session": {}, "x\\ny": 1}',
        '"x\\ny": is not a known field',
    ),
    (
        _broken(lambda d: d["session"]["actions"][2].update(due="2026-02-30")),
        "actions[2].due: Due date must be a real date (YYYY-MM-DD)",
    ),
    (
        _broken(lambda d: d["session"]["goals"][0].update(votes="many")),
        "goals[0].votes: Votes must be a whole number",
    ),
    (
        _broken(lambda d: d["session"]["participants"].__setitem__(0, "Dana")),
        "participants[0]: must be an object",
    ),
    (
        _broken(lambda d: d["session"]["meta"].pop("title")),
        "meta.title: Title is required",
    ),
    (
        _broken(lambda d: d["session"]["actions"][0].update(colour="red")),
        "actions[0].colour: Colour is not a known field",
    ),
    (
        _broken(lambda d: d["session"].update(extra_table=[])),
        "extra_table: Extra table is not a known field",
    ),
    (
        _broken(lambda d: d["session"]["actions"][0].update(owner_id=99)),
        "actions: owner 99 does not exist",
    ),
    (
        _broken(lambda d: d["session"]["behaviours"][0].update(goal_id=42)),
        "behaviours: goal 42 does not exist",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_import_errors_are_one_line(text: str, expected: str) -> None:
    with pytest.raises(ImportFileError) as info:
        from_json(text)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message and len(message) < 300


def test_import_of_bytes_that_are_not_utf8() -> None:
    with pytest.raises(ImportFileError, match="invalid UTF-8"):
        from_json(b"\xff\xfe\x00garbage")


# ---------------------------------------------------------------------------
# Writing files
# ---------------------------------------------------------------------------


def test_write_export_never_replaces_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("keep me")
    with pytest.raises(FileExistsError, match="already exists"):
        write_export(demo_session(), "checklist", target)
    assert target.read_text() == "keep me"
    write_export(demo_session(), "checklist", target, force=True)
    assert target.read_text(encoding="utf-8") == render(demo_session(), "checklist")
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary file left


def test_write_export_never_replaces_a_database(tmp_path: Path, session_file: Path) -> None:
    before = session_file.read_bytes()
    with pytest.raises(FileExistsError, match="never replaces"):
        write_export(demo_session(), "json", session_file, force=True)
    assert session_file.read_bytes() == before


def test_write_export_missing_folder_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        write_export(demo_session(), "csv", tmp_path / "missing" / "a.csv")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        write_export(demo_session(), "csv", tmp_path)
    assert os.listdir(tmp_path) == []


def test_report_flags_changes_since_sign_off_and_missing_proof() -> None:
    s = demo_session()
    s.story = s.story.model_copy(update={"core_message": "Something else entirely"})
    s.proof_points = [p for p in s.proof_points if p.pillar_id != 2]
    report = render(s, "report")
    story = report.split("## 1. One baseline story")[1].split("## 2.")[0]
    assert "- Sales lead: Dana Okafor, signed 2026-11-20 — ⚠ changed since sign-off" in story
    assert "**Core message** (changed since the leads signed it): Something else" in report
    assert "2. **Numbers everyone trusts**\n   - ⚠ no proof yet\n3." in story
    goals = report.split("## 0. Common ground")[1].split("## 1.")[0]
    assert "changed since sign-off" not in goals


def test_report_of_an_empty_session_has_every_section() -> None:
    s = new_session("Blank", workshop_date=dt.date(2026, 1, 5))
    report = render(s, "report")
    for heading in (
        "## Set-up and people",
        "## 0. Common ground and joint goals",
        "## 1. One baseline story",
        "## 2. Marketing inside the CRM",
        "## 3. Feedback loop, not approvals",
        "## 4. One funnel, split in two",
        "## Actions",
        "## Wrap-up and next review",
    ):
        assert heading in report
    assert "## Agenda and time" not in report
    assert "### Agenda and time" in render(s, "report", facilitator=True)
    assert "_No counts yet._" in report and "What it takes" not in report
    assert "- Sales lead: not signed yet" in report
    assert render(s, "checklist").count("_No actions agreed yet._") == 1
    assert render(s, "csv") == "id,step,text,owner,due,status\n"


def test_message_drafts_are_in_the_report_as_written() -> None:
    from alignment_tui.sessions.models import MessageDraft

    session = demo_session()
    session.message_drafts = [
        MessageDraft(id=2, position=2, title="E-mail opener", text="Dear *reader*\nsecond line"),
        MessageDraft(
            id=1,
            position=1,
            title="Elevator line",
            audience="Plant managers",
            text="We make every hour of uptime count.",
        ),
        MessageDraft(id=3, position=3, title="Empty draft", text="   "),
    ]
    report = render(session, "report")
    part = report[report.index("### Messages drafted from the story") :]
    assert part.index("**Elevator line** — for Plant managers") < part.index("**E-mail opener**")
    assert "We make every hour of uptime count." in part
    assert "Dear \\*reader\\*" in part  # typed Markdown stays text
    assert "Empty draft" not in part
    assert "### Messages drafted" not in render(demo_session(), "report")  # none: no heading

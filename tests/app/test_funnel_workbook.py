"""The funnel step with the workbook: a hand-over filled from the template, the revenue
target's period, and what it takes copied into the stage targets; all by keys, each
checked in the file reopened."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.workbook_dialog import WorkbookDialog
from alignment_tui.form.choice import Choice
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.form.records import RecordList
from alignment_tui.sessions import workbook
from alignment_tui.sessions.models import FunnelPeriod, Handover, StepId, TargetPeriod
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.funnel.chart import BARS, FunnelChart
from step_helpers import reach_every_part

FIELDS = (
    "qualifies",
    "response_hours",
    "follow_up_attempts",
    "return_reasons",
    "returned_handling",
    "escalate_to",
    "volume_commitment",
)
DEMO_COUNTS = [52_500, 1_180, 365, 248, 118, 52, 16]


def open_on_funnel(path: Path) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(StepId.FUNNEL)
    svc.close()
    return AlignmentApp(path)


def the_template() -> workbook.HandoverTemplate:
    (template,) = workbook.load().handover_templates()
    return template


def agreement(path: Path, to_stage_id: int) -> Handover:
    return next(h for h in read_session(path).handovers if h.to_stage_id == to_stage_id)


async def to_handovers(pilot: Pilot[None]) -> RecordList:  # type: ignore[type-arg]
    await reach_every_part(pilot)
    points = pilot.app.screen.query_one("#ho-list", RecordList)
    points.rows.focus()
    await pilot.pause()
    return points


def note(app: AlignmentApp) -> str:
    return str(app.screen.query_one("#wit-note", Static).render())


async def test_a_handover_filled_from_the_template_by_keys(session_file: Path) -> None:
    template = the_template()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        points = await to_handovers(pilot)
        assert points.key == 4  # Marketing → Shared, into Sales-accepted
        # one template: a question, not a chooser; nothing written yet, so "Fill" has the focus
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and not dialog.destructive
        assert dialog.title_text == "Fill this hand-over from the template?"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        h = agreement(session_file, 4)
        assert {f: getattr(h, f) for f in FIELDS} == {f: getattr(template, f) for f in FIELDS}
        # the fields show it, and the room carries on in the first of them
        assert app.screen.query_one("#ho-qualifies", TextArea).has_focus
        assert app.screen.query_one("#ho-attempts", Input).value == "4"
        assert app.screen.query_one("#ho-escalate", TextArea).text == template.escalate_to
        # a draft until the room changes or confirms it (test_handover_draft.py)
        assert str(points.rows.options[0].prompt).rstrip().endswith("◐ draft")

        # the room edits it; the template again asks first (Keep has the focus), and keeps
        app.screen.query_one("#ho-qualifies", TextArea).select_all()
        await pilot.press(*"Budget known", "tab")
        await pilot.pause(0.1)
        assert agreement(session_file, 4).qualifies == "Budget known"
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.destructive
        await pilot.press("enter")  # Keep
        await pilot.pause()
        assert agreement(session_file, 4).qualifies == "Budget known"
        await pilot.press("ctrl+l", "y")
        await pilot.pause()
        assert agreement(session_file, 4).qualifies == template.qualifies


async def test_the_new_fields_refuse_bad_values_with_a_reason(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await to_handovers(pilot)
        attempts = app.screen.query_one("#ho-attempts", Input)
        attempts.focus()
        await pilot.press(*"lots", "enter")
        await pilot.pause()
        reason = app.screen.query_one("#ho-attempts-reason", Static)
        assert "Follow-up attempts must be a whole number" in str(reason.render())
        assert attempts.has_class("-invalid")
        await pilot.press("ctrl+u", *"51", "enter")
        await pilot.pause()
        assert "50 or fewer" in str(reason.render())
        assert read_session(session_file).handovers == []  # nothing saved, nothing created
        await pilot.press("ctrl+u", "3", "tab")
        await pilot.pause()
        assert not attempts.has_class("-invalid")
        app.screen.query_one("#ho-volume", TextArea).focus()
        await pilot.press(*"120 qualified leads a quarter", "shift+tab")
        await pilot.pause(0.1)
    h = agreement(session_file, 4)
    assert (h.follow_up_attempts, h.volume_commitment) == (3, "120 qualified leads a quarter")
    assert h.qualifies == ""


async def test_several_templates_are_chosen_from(session_file: Path) -> None:
    workbook.house_folder().mkdir(parents=True)
    (workbook.house_folder() / "ours.toml").write_text(
        """[[handover]]
key = "fast"
title = "Fast hand-over"
qualifies = "Asked for a demo."
response_hours = 2
follow_up_attempts = 6
return_reasons = "Not a buyer."
returned_handling = "Back to nurture."
escalate_to = "The sales lead."
volume_commitment = "Forty demos a month."
""",
        encoding="utf-8",
    )
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        points = await to_handovers(pilot)
        await pilot.press("down")  # Shared → Sales, into Opportunity
        await pilot.pause()
        assert points.key == 5
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, WorkbookDialog)
        await pilot.press("down", "enter")  # the house template; nothing written: no question
        await pilot.pause()
        assert not isinstance(app.screen, (WorkbookDialog, ConfirmDialog))
    h = agreement(session_file, 5)
    assert (h.qualifies, h.response_hours, h.follow_up_attempts) == ("Asked for a demo.", 2, 6)
    assert h.volume_commitment == "Forty demos a month."


async def test_target_period_and_copy_into_targets_by_keys(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for sid, c in enumerate(DEMO_COUNTS, start=1):
        svc.set_count(sid, 1, count=c)
    svc.set_count(7, 1, target=5)
    svc.update(svc.session.funnel_plan, revenue_target=1_200_000, avg_deal_value=48_000)
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        text = note(app)
        assert text.startswith("25 deals × €48,000 ≥ €1,200,000, at the rates of 2026 Q4.")
        assert "period is not said" in text and "rounded up once, at the end" in text
        # the target covers a year: → three times from "not said"
        period = app.screen.query_one("#plan-period", Choice)
        period.focus()
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert period.label == "a year"
        assert read_session(session_file).funnel_plan.revenue_period is TargetPeriod.YEAR
        text = note(app)
        assert text.startswith("7 deals × €48,000 ≥ €300,000 (6.25 deals exactly)")
        assert "Target €1,200,000 a year is €300,000 a quarter (2026 Q4)." in text
        rows = app.screen.query_one("#wit-table").cells  # type: ignore[attr-defined]
        assert [r[1] for r in rows] == ["20,508", "461", "143", "97", "47", "21", "7"]

        # copy into the targets: Won has one already, so the room is asked (Keep first)
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.destructive
        assert "Won" in dialog.message
        await pilot.press("enter")  # Keep
        await pilot.pause()
        assert read_session(session_file).count_for(1, 1).target is None  # type: ignore[union-attr]
        await pilot.press("ctrl+f", "y")
        await pilot.pause()
        rows = app.screen.query_one("#wit-table").cells  # type: ignore[attr-defined]
        assert [r[1] for r in rows] == [r[4] for r in rows]  # one number per stage
    saved = read_session(session_file)
    assert [(c.count, c.target) for c in sorted(saved.funnel_counts, key=lambda c: c.stage_id)] == [
        (52_500, 20_508),
        (1_180, 461),
        (365, 143),
        (248, 97),
        (118, 47),
        (52, 21),
        (16, 7),
    ]


async def test_copy_adds_targets_to_a_new_period_and_unknown_labels_are_said(
    session_file: Path,
) -> None:
    svc = SessionService.open(session_file)
    svc.add(FunnelPeriod, label="Spring push")
    svc.set_count(6, 2, count=40)
    svc.set_count(7, 2, count=10)
    svc.update(
        svc.session.funnel_plan,
        revenue_target=100_000,
        avg_deal_value=10_000,
        revenue_period=TargetPeriod.YEAR,
    )
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        assert "“Spring push” is not a month, quarter or year" in note(app)
        app.screen.query_one("#plan-deal", Input).focus()
        await pilot.press("ctrl+f")  # no target there yet: no question
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
    saved = read_session(session_file)
    targets = {c.stage_id: c.target for c in saved.funnel_counts if c.period_id == 2}
    assert targets == {6: 40, 7: 10}


async def test_the_chart_shows_conversions_at_80_columns(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    for sid, c in enumerate(DEMO_COUNTS, start=1):
        svc.set_count(sid, 1, count=c)
    svc.close()
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(FunnelChart)
        lines = chart.plain.splitlines()
        assert lines[0] == "2026 Q4 · overall 0.0305%"
        assert lines[1] == BARS  # the bars say what they are, whole at 80 columns
        stage_lines = [line for line in lines if line[:3] in ("Mk ", "Sh ", "Sa ")]
        bars = [sum(line.count(f) for f in "█▓▒") for line in stage_lines]
        # each bar is the stage's conversion, 100% = the full 20 cells (the first is full):
        # 2.25%, 30.9%, 67.9%, 47.6%, 44.1%, 30.8%; counts would give every later stage 1
        assert bars == [20, 1, 6, 13, 9, 8, 6]
        assert any("118 · 47.6%" in line for line in lines)

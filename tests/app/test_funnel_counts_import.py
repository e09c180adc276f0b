"""Counts from a CRM report's CSV, from the Funnel step by keys (issue 13): ctrl+l in the
counts, the file and the period typed, what would change shown, Enter to import; a file that
cannot be used says why in the dialog and nothing is written; checked in the file reopened."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.counts_import import CountsImportDialog
from alignment_tui.sessions.models import Session, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.funnel.counts_grid import CountsGrid
from alignment_tui.steps.funnel.periods import CountsSection
from step_helpers import paste

Q1 = (
    "Stage;Count\n"
    "Reach;61.000\n"
    "Enquiry;1.450\n"
    "Marketing-qualified;520\n"
    "Sales-accepted;260\n"
    "Opportunity;130\n"
    "Proposal;70\n"
    "Won;21\n"
)


def open_on_funnel(path: Path) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(StepId.FUNNEL)
    svc.close()
    return AlignmentApp(path)


def counts_in(session: Session, label: str) -> list[int | None]:
    period = next(p for p in session.funnel_periods if p.label == label)
    return [
        c.count if (c := session.count_for(s.id, period.id)) else None
        for s in session.sorted_stages()
    ]


async def fill(pilot: Pilot[None], dialog: CountsImportDialog, path: Path, period: str) -> None:
    """Paste the file's path (a long tmp path: typed key by key it took seconds) and type
    the period, as the facilitator does, and Enter for the preview."""
    box = dialog.query_one("#counts-path", Input)
    box.focus()
    await pilot.press("ctrl+u")
    await paste(pilot, str(path))
    assert box.value == str(path)
    box = dialog.query_one("#counts-period", Input)
    box.focus()
    await pilot.press("ctrl+u", *period)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def preview(dialog: CountsImportDialog) -> str:
    return str(dialog.query_one("#counts-preview", Static).content)


async def test_counts_imported_into_a_new_period_by_keys(
    session_file: Path, tmp_path: Path
) -> None:
    csv_file = tmp_path / "q1.csv"
    csv_file.write_text(Q1, encoding="utf-8")
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The room is in the counts grid (the step's entry): ctrl+l opens the dialog.
        assert isinstance(app.focused, CountsGrid)
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CountsImportDialog)
        assert app.focused is dialog.query_one("#counts-path", Input)
        go = dialog.query_one("#counts-go", Button)
        assert go.disabled  # nothing to confirm before a preview
        await fill(pilot, dialog, csv_file, "2027 Q1")
        shown = preview(dialog)
        assert "2027 Q1 (new period) from q1.csv" in shown
        assert "Reach                — → 61,000" in shown
        assert "Won                  — →     21" in shown
        assert not go.disabled and str(go.label) == "Import 7 counts"
        assert app.focused is go
        # Nothing written yet.
        assert "2027 Q1" not in [p.label for p in read_session(session_file).funnel_periods]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CountsImportDialog)
        saved = read_session(session_file)
        assert counts_in(saved, "2027 Q1") == [61000, 1450, 520, 260, 130, 70, 21]
        # The step shows the period the counts went into.
        section = app.screen.query_one(CountsSection)
        shown_period = section.shown.period()
        assert shown_period is not None and shown_period.label == "2027 Q1"


async def test_replacing_counts_is_said_on_the_button(session_file: Path, tmp_path: Path) -> None:
    svc = SessionService.open(session_file)
    label = svc.session.sorted_periods()[0].label
    svc.set_count(1, svc.session.sorted_periods()[0].id, count=50000)
    svc.close()
    csv_file = tmp_path / "fix.csv"
    csv_file.write_text('Stage,Count\nReach,"52,000"\nWon,16\n', encoding="utf-8")
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CountsImportDialog)
        await fill(pilot, dialog, csv_file, label)
        assert "Reach  50,000 → 52,000  (replaced)" in preview(dialog)
        go = dialog.query_one("#counts-go", Button)
        assert str(go.label) == "Import, replacing 1 count"
        # Typing on makes the preview stale: it cannot be confirmed any more.
        dialog.query_one("#counts-period", Input).focus()
        await pilot.press("end", "x")
        await pilot.pause()
        assert go.disabled and preview(dialog) == ""
        await pilot.press("backspace", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not go.disabled
        await pilot.click("#counts-go")
        await pilot.pause()
        assert counts_in(read_session(session_file), label)[0] == 52000
        assert counts_in(read_session(session_file), label)[-1] == 16


async def test_a_file_it_cannot_use_says_why_and_writes_nothing(
    session_file: Path, tmp_path: Path
) -> None:
    before = read_session(session_file)
    bad = tmp_path / "bad.csv"
    bad.write_text("Stage,Count\nReach,5\nDemo booked,3\n", encoding="utf-8")
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CountsImportDialog)
        await fill(pilot, dialog, bad, "2027 Q1")
        assert '1 stage is not in the funnel: "Demo booked"' in preview(dialog)
        assert dialog.query_one("#counts-preview").has_class("-refused")
        assert dialog.query_one("#counts-go", Button).disabled
        # No period named: said, and the focus goes there.
        await fill(pilot, dialog, tmp_path / "missing.csv", "")
        assert "Name the period" in preview(dialog)
        await fill(pilot, dialog, tmp_path / "missing.csv", "2027 Q1")
        assert "missing.csv: no such file" in preview(dialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CountsImportDialog)
    after = read_session(session_file)
    assert after.funnel_periods == before.funnel_periods
    assert after.funnel_counts == before.funnel_counts


async def test_columns_named_in_the_dialog(session_file: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "report.csv"
    csv_file.write_text("Owner,Phase,Leads,Value\nAna,Reach,61000,0\nBo,Won,21,9\n")
    app = open_on_funnel(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CountsImportDialog)
        await fill(pilot, dialog, csv_file, "2027 Q1")
        assert "which column holds the counts?" in preview(dialog)
        assert "name it under Columns (counts)" in preview(dialog)
        dialog.query_one("#counts-count-column", Input).focus()
        await pilot.press(*"leads", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert 'stages from "Phase", counts from "Leads"' in preview(dialog)
        await pilot.press("enter")  # the focus is on the import button
        await pilot.pause()
        assert counts_in(read_session(session_file), "2027 Q1") == [61000] + [None] * 5 + [21]


async def test_a_read_only_copy_offers_no_import(session_file: Path) -> None:
    open_on_funnel(session_file)  # (the step the room is on is saved)
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        section = app.screen.query_one(CountsSection)
        section.action_import_counts()
        await pilot.pause()
        assert not isinstance(app.screen, CountsImportDialog)
        assert any("read-only" in n.message for n in app._notifications)

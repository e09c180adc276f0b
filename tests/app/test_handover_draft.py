"""A hand-over filled from the workbook's template is a draft, not an agreement: the list
says "◐ draft", the step still waits for it, and the file says so, until the room changes
an answer or agrees it as it stands (ctrl+g). Driven by keys, checked in the file."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.form.records import RecordList
from alignment_tui.sessions.export import DRAFT_HANDOVER, render
from alignment_tui.sessions.models import Handover, StepId
from alignment_tui.sessions.progress import step_status
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.funnel.handovers import DRAFT_NOTE
from step_helpers import reach_every_part

AGREED_BINDING = "funnel.handover_agreed"
INTO = 4  # Marketing → Shared: the hand-over into Sales-accepted


def open_on_funnel(path: Path) -> AlignmentApp:
    svc = SessionService.open(path)
    svc.set_step(StepId.FUNNEL)
    svc.close()
    return AlignmentApp(path)


def saved(path: Path) -> Handover:
    return next(h for h in read_session(path).handovers if h.to_stage_id == INTO)


def state(points: RecordList) -> str:  # type: ignore[type-arg]
    """The first hand-over's line in the list, as shown."""
    return str(points.rows.options[0].prompt).rstrip()


def offered(app: AlignmentApp) -> bool:
    return any(b.binding.id == AGREED_BINDING for b in app.screen.active_bindings.values())


def title(app: AlignmentApp) -> str:
    return str(app.screen.query_one("#ho-title", Static).content)


async def fill_from_template(pilot: Pilot[None]) -> RecordList:  # type: ignore[type-arg]
    await reach_every_part(pilot)
    points = pilot.app.screen.query_one("#ho-list", RecordList)
    points.rows.focus()
    await pilot.pause()
    assert state(points).endswith("to agree")
    await pilot.press("ctrl+l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("enter")  # Fill
    await pilot.pause()
    return points


async def test_the_template_fills_a_draft_the_room_then_agrees_with_ctrl_g(
    session_file: Path,
) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        assert not offered(app)  # nothing to agree yet
        points = await fill_from_template(pilot)
        assert state(points).endswith("◐ draft")
        assert DRAFT_NOTE in title(app)
        assert offered(app)
        h = saved(session_file)
        assert h.draft and h.qualifies  # the words are there, the agreement is not
        status = step_status(read_session(session_file), StepId.FUNNEL)
        assert any("draft hand-over into Sales-accepted" in m for m in status.missing)
        report = render(read_session(session_file), "report")
        assert f"→ Shared) — {DRAFT_HANDOVER}\n" in report  # in the summary
        assert "_A draft from the workbook's template, not agreed yet._" in report

        # looking through the answers (Tab, no change) agrees nothing
        await pilot.press("tab", "tab", "tab")
        await pilot.pause(0.1)
        assert saved(session_file).draft

        await pilot.press("ctrl+g")
        await pilot.pause()
        assert state(points).endswith("✔ agreed")
        assert DRAFT_NOTE not in title(app)
        assert not offered(app)
    h = saved(session_file)
    assert not h.draft and h.qualifies
    status = step_status(read_session(session_file), StepId.FUNNEL)
    assert not any("Sales-accepted" in m for m in status.missing)
    assert DRAFT_HANDOVER not in render(read_session(session_file), "report")


async def test_a_draft_the_room_changes_is_its_agreement(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        points = await fill_from_template(pilot)
        assert saved(session_file).draft
    # still a draft when the session is opened again
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        points = app.screen.query_one("#ho-list", RecordList)
        assert state(points).endswith("◐ draft")
        escalate = app.screen.query_one("#ho-escalate", TextArea)
        escalate.focus()
        await pilot.press("end", *" and the CEO", "shift+tab")
        await pilot.pause(0.1)
        assert state(points).endswith("✔ agreed")
        assert DRAFT_NOTE not in title(app)
    h = saved(session_file)
    assert not h.draft and " and the CEO" in h.escalate_to


async def test_a_read_only_copy_cannot_agree_a_draft(session_file: Path) -> None:
    app = open_on_funnel(session_file)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await fill_from_template(pilot)
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        points = app.screen.query_one("#ho-list", RecordList)
        points.rows.focus()
        await pilot.pause()
        assert state(points).endswith("◐ draft")
        assert not offered(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
    assert session_file.read_bytes() == before

"""A sign-off bar after both leads signed and the subject changed: both buttons read
"Sign again" on screen, and each lead's line stays one line at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import LeadRole, SignOffSubject, StepId, Team
from alignment_tui.sessions.service import SessionService
from screen_text import widget_text
from step_helpers import reach_every_part


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_both_rows_say_sign_again_on_one_line(
    session_file: Path, size: tuple[int, int]
) -> None:
    svc = SessionService.open(session_file)
    lead = svc.session.lead(Team.MARKETING)
    assert lead is not None
    svc.update(lead, name="Mia Marketer-Longname of the Northern Region")
    svc.set_step(StepId.STORY)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        for role in ("sales", "marketing"):
            app.screen.query_one(f"#sign-story-{role}").focus()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        core = app.screen.query_one("#story-core")
        core.focus()
        await pilot.press("end", *" now", "tab")
        await pilot.pause()
        await pilot.pause()
        bar = app.screen.query_one("#signoff-story")
        bar.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        shown = widget_text(bar)
        lead_rows = [row for row in shown if " lead: " in row]
        assert len(lead_rows) == 2, shown
        for row in lead_rows:
            assert "Sign again" in row and "Withdraw" in row, shown
        marketing = lead_rows[1]
        assert "Marketing lead: Mia Ma" in marketing
        if size == (80, 24):
            assert "…" in marketing  # cut, not wrapped onto the next line
        # the line under each lead is its state, not the rest of a name
        i = shown.index(marketing)
        assert "changed since sign-off" in shown[i + 1], shown
    svc = SessionService.open(session_file)
    try:
        for role in LeadRole:
            assert svc.signoff_state(SignOffSubject.STORY, role) == "changed"
    finally:
        svc.close()

"""Keys typed while a step is being shown reach its field, in order, and no other.

A terminal delivers what the facilitator types as fast as it comes: Ctrl+PageUp
and the next few letters arrive together, while the step they go to is still
being built. Those letters used to be dropped (nothing had the focus yet). Here
the keys are posted to the app all at once, as the terminal driver does, and
not one at a time with a pause after each, as ``pilot.press`` does.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from step_helpers import put_room_on_step


def demo_file(tmp_path: Path, step: StepId) -> Path:
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    put_room_on_step(path, step)
    return path


def burst(app: AlignmentApp, *keys: str) -> None:
    """*keys* as a terminal sends them: all at once, none waiting for the one before."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def settle(pilot: Pilot[None], app: AlignmentApp, field_id: str) -> None:
    """Let the app run until *field_id* has the focus (bounded; no clock involved)."""
    for _ in range(200):
        if app.focused is not None and app.focused.id == field_id:
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def test_letters_typed_with_the_step_change_land_in_the_new_steps_field(
    tmp_path: Path,
) -> None:
    """From Wrap-up, Ctrl+PageUp twice and "xyz" in one burst: the Feedback loop, a step
    not built yet, opens on its forum and the forum ends in "xyz"; the steps passed
    on the way (Wrap-up's review date, the Funnel's counts) are unchanged."""
    path = demo_file(tmp_path, StepId.WRAPUP)
    before = read_session(path)
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, "wrapup-next-review")
        burst(app, "ctrl+pageup", "ctrl+pageup", "x", "y", "z")
        await settle(pilot, app, "fb-forum")
        assert app.focused is not None and app.focused.id == "fb-forum"
        await pilot.press("enter")
        await pilot.pause()
    after = read_session(path)
    assert after.feedback.forum == before.feedback.forum + "xyz"
    assert after.meta.next_review == before.meta.next_review
    assert after.funnel_counts == before.funnel_counts


async def test_digits_typed_with_the_step_change_go_to_the_counts_grid_in_order(
    tmp_path: Path,
) -> None:
    """Ctrl+PageUp from Wrap-up with "4821" right behind it: the Funnel opens on its
    counts grid, and Enter saves 4,821 as the count of the cell the grid opened on."""
    path = demo_file(tmp_path, StepId.WRAPUP)
    app = AlignmentApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, "wrapup-next-review")
        burst(app, "ctrl+pageup", "4", "8", "2", "1")
        await settle(pilot, app, "funnel-grid")
        await pilot.press("enter")
        await pilot.pause()
    counts = {c.count for c in read_session(path).funnel_counts}
    assert 4821 in counts

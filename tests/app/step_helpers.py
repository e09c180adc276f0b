"""Small helpers shared by the step tests (imported as a plain module)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService


def put_room_on_step(path: Path, step: StepId) -> None:
    """Save *step* as the step the room is on, so the app opens there."""
    svc = SessionService.open(path)
    svc.set_step(step)
    svc.close()


def shown(widget: Static) -> str:
    """What a Static shows, as plain text."""
    return str(widget.content)


async def type_into(pilot: Pilot[None], widget: Input, text: str) -> None:
    """Focus *widget*, clear it, type *text* key by key and press enter."""
    widget.focus()
    await pilot.press("ctrl+u", *text, "enter")
    await pilot.pause()


async def paste(pilot: Pilot[None], text: str) -> None:
    """Paste *text* as a terminal does: one Paste event to the app, which hands it to
    the focused widget (as a bracketed paste from the terminal arrives).

    For a long path or text where the test is about what the dialog or form does
    with it, not about typing: one event instead of a key press per character.
    """
    assert pilot.app.focused is not None, "nothing has the focus to paste into"
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def reach_every_part(pilot: Pilot[None]) -> None:
    """Scroll the step on screen to its end, as the room does to reach its lower parts.

    Those parts (the funnel's hand-overs and plan, the story's retired messages,
    each step's actions...) are built only when they first come into view
    (:mod:`alignment_tui.form.later`). The scroll position is put back and the
    focus is left where it was, so a test goes on from where it stood.
    """
    from alignment_tui.form.later import Later
    from alignment_tui.steps.base import StepPane

    pane = next(p for p in pilot.app.screen.query(StepPane) if p.display)
    start = pane.scroll_y
    for _ in range(20):
        if not pane.query(Later):
            break
        pane.scroll_end(animate=False, immediate=True)
        await pilot.pause()
    assert not pane.query(Later), "a part of the step was never built"
    pane.scroll_to(y=start, animate=False, immediate=True)
    await pilot.pause()

"""The shared form layer, driven through the real app: what every step gets from it.

- steady typing reaches the file within a second, pauses or not;
- a field that takes the focus by itself keeps its text (the cursor at the end);
- a half-typed date is not saved while the room is still typing it;
- an open Add action dialog keeps a draft in the file, and the next one starts from it.
"""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.action_dialog import ActionDialog
from alignment_tui.form import saving
from alignment_tui.form.fields import DateInput, Field, SavingInput
from alignment_tui.form.row import FieldRow
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.store import read_session
from step_helpers import put_room_on_step

SIZE = (120, 40)


async def wait_until(pilot: Pilot[None], done: object, *, rounds: int = 200) -> bool:
    """Let the app run until ``done()`` holds (bounded; no wall-clock assertion)."""
    for _ in range(rounds):
        if done():  # type: ignore[operator]
            return True
        await pilot.pause(0.05)
    return bool(done())  # type: ignore[operator]


async def test_steady_typing_is_saved_before_it_pauses(
    session_file: Path, monkeypatch: object
) -> None:
    """With a pause that never comes (a debounce of a minute), typing is still saved."""
    monkeypatch.setattr(saving, "SAVE_DELAY", 60.0)  # type: ignore[attr-defined]
    put_room_on_step(session_file, StepId.SETUP)
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#setup-organisation", SavingInput)
        field.focus()
        await pilot.press("end", *" Ltd")
        saved = await wait_until(
            pilot, lambda: read_session(session_file).meta.organisation == "Acme Ltd"
        )
        assert saved, "typing that never pauses was not saved"
        assert field.has_focus  # saved while the room is still in the field


async def test_a_field_given_the_focus_keeps_its_text(session_file: Path) -> None:
    """After a step change the focus lands in the first field; a key typed adds, never replaces."""
    put_room_on_step(session_file, StepId.GOALS)
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+pageup")  # onto Set-up: the title has the focus
        await wait_until(pilot, lambda: isinstance(app.screen.focused, SavingInput))
        title = app.screen.focused
        assert isinstance(title, Input) and title.id == "setup-title"
        assert title.selection.is_empty
        await pilot.press("!", "enter")
        await pilot.pause()
    assert read_session(session_file).meta.title == "Q4 alignment!"


async def test_a_half_typed_date_is_not_saved(session_file: Path, monkeypatch: object) -> None:
    """'2026-02-3' on the way to '2026-02-30' is a real date: not saved while typing goes on."""
    # Only the one-second bound could save it: made short, and the pause long.
    monkeypatch.setattr(saving, "MAX_WAIT", 0.05)  # type: ignore[attr-defined]
    monkeypatch.setattr(saving, "SAVE_DELAY", 60.0)  # type: ignore[attr-defined]
    put_room_on_step(session_file, StepId.WRAPUP)
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        date = next(iter(app.screen.query(DateInput)))
        date.focus()
        await pilot.press("ctrl+u", *"2026-02-3")
        await pilot.pause(0.3)  # well past MAX_WAIT
        assert date.pending
        assert read_session(session_file).meta.next_review is None
        await pilot.press("0", "enter")
        await pilot.pause()
        assert date.refused  # 30 February: refused with its reason, nothing saved
    assert read_session(session_file).meta.next_review is None


def draft_in_file(path: Path) -> str | None:
    """The Add action draft as another process would read it (the app still running)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM app_meta WHERE key = 'draft:action-new'").fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


async def test_the_add_action_dialog_keeps_a_draft(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"Book the loop's first meeting")
        # Kept in the file while the dialog is open: a kill now would lose nothing.
        kept = await wait_until(
            pilot, lambda: "first meeting" in (draft_in_file(session_file) or "")
        )
        assert kept
    # The app went away with the dialog open (as a crash would leave it).
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        assert dialog.query_one("#action-text", Input).value == "Book the loop's first meeting"
        assert "Restored" in str(dialog.query_one("#action-error").content)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ActionDialog)
    session = read_session(session_file)
    assert [a.text for a in session.actions] == ["Book the loop's first meeting"]
    assert draft_in_file(session_file) is None  # saved: the draft is forgotten


async def test_a_cancelled_dialog_leaves_no_draft(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Never mind")
        await wait_until(pilot, lambda: draft_in_file(session_file) is not None)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActionDialog)
        assert dialog.query_one("#action-text", Input).value == ""
    assert draft_in_file(session_file) is None


async def test_fields_in_a_row_keep_a_column_between_them_and_none_after_the_last(
    session_file: Path,
) -> None:
    """What the room sees: every field of a row ends one column before the next begins,
    and the last one reaches the row's end."""
    put_room_on_step(session_file, StepId.SETUP)
    app = AlignmentApp(session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(FieldRow))
        assert rows
        for row in rows:
            fields = list(row.query_children(Field))
            assert len(fields) >= 2
            for left, right in pairwise(fields):
                assert right.region.x - left.region.right == 1
            assert fields[-1].region.right == row.content_region.right

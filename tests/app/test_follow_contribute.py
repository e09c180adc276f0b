"""The visitor's side of the room (``follow PATH --contribute``): a name given once, a note
on the step on screen, dot votes on the joint goals, and the facilitator closing it all.

The facilitator is the test, through SessionService (as their app saves); the visitor
is driven by keys. What counts is what the file's contributions table holds and what
the screen shows. Waits are bounded loops of ``pilot.pause``; nothing reads the clock.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Static, TextArea

from alignment_tui.follow.app import FollowApp
from alignment_tui.follow.contribute_dialogs import NameDialog, NoteDialog
from alignment_tui.follow.screen import FollowScreen
from alignment_tui.sessions import contributions
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.fileinfo import change_counter
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from screen_text import footer_text, widget_text

#: Short pauses a change may take to show, at most, before a test fails.
PATIENCE = 200
DATA = Path(__file__).parent.parent / "core" / "data"


@pytest.fixture
def room_file(tmp_path: Path) -> Path:
    """The demo session on the Joint goals step, taking contributions."""
    path = tmp_path / "demo.alignment.db"
    svc = SessionService.create(path, demo_session())
    svc.set_step(StepId.GOALS)
    svc.set_contributions_open(True)
    svc.close()
    return path


async def until(pilot: Pilot[None], done: Callable[[], bool], what: str) -> None:
    for _ in range(PATIENCE):
        if done():
            return
        await pilot.pause(0.05)
    assert done(), what


def rows(path: Path) -> list[tuple[str, str, str, str, int | None]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT step, kind, author, text, goal_id FROM contributions ORDER BY id"
        ).fetchall()


def status(screen: FollowScreen) -> str:
    return str(screen.query_one("#room-status", Static).content)


def room_text(screen: FollowScreen) -> str:
    """The visitor's corner as shown (a hidden reason line left out)."""
    return "\n".join(widget_text(screen.query_one("#follow-room")))


async def test_a_visitor_names_themself_adds_a_note_and_votes_until_closed(
    room_file: Path,
) -> None:
    facilitator = SessionService.open(room_file)
    try:
        goals = sorted(facilitator.session.goals, key=lambda g: (g.position, g.id))
        app = FollowApp(room_file, contribute=True)
        async with app.run_test(size=(80, 24)) as pilot:
            # The name comes first; a lead's name is refused with the core's reason.
            await until(pilot, lambda: isinstance(app.screen, NameDialog), "no name asked")
            await pilot.press(*"dana OKAFOR", "enter")
            await pilot.pause()
            assert isinstance(app.screen, NameDialog)
            reason = str(app.screen.query_one("#visitor-name-reason", Static).content)
            assert "Dana Okafor" in reason and "lead" in reason
            # Retyping takes the reason away; it is the name as it was that was refused.
            await pilot.press("ctrl+u")
            await pilot.pause()
            assert not app.screen.query_one("#visitor-name-reason").display
            await pilot.press(*"Sam [b]", "enter")
            await until(pilot, lambda: isinstance(app.screen, FollowScreen), "name not taken")
            screen = app.screen
            assert isinstance(screen, FollowScreen)
            await until(pilot, lambda: "open" in status(screen), "room state not shown")
            assert "you: Sam [b]" in widget_text(screen.query_one("#follow-top"))[0]

            # A note on the step on screen; Escape keeps what was typed for the next one.
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, NoteDialog), "no note dialog")
            await pilot.press(*"half", "escape")
            await until(pilot, lambda: app.screen is screen, "note dialog stayed")
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, NoteDialog), "no note dialog")
            area = app.screen.query_one("#note-text", TextArea)
            assert area.text == "half"
            # Too long is refused with the core's reason, and what was typed stays.
            area.load_text("x" * 100_000)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, NoteDialog)
            reason = str(app.screen.query_one("#note-text-reason", Static).content)
            assert "2,000" in reason and area.text == "x" * 100_000
            await pilot.press("backspace")
            await pilot.pause()
            assert not app.screen.query_one("#note-text-reason").display
            note = "[red]Customers[/red] ask\nfor \x1b[31mproof"
            area.load_text(note)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen, "note dialog stayed")
            assert rows(room_file) == [("goals", "note", "Sam [b]", note, None)]
            await until(pilot, lambda: "your notes: 1" in status(screen), "note not counted")
            # What the facilitator makes of it reaches the visitor's count line.
            facilitator.dismiss_contribution(facilitator.contributions(StepId.GOALS)[0])
            await until(pilot, lambda: "1 dismissed" in status(screen), "state not shown")

            # Dots: two on the first goal, one back; the budget (3) then refuses the third.
            # Dots pressed quickly queue on the room's thread and land in the order pressed.
            await pilot.press("v", "v", "u")
            room = screen.room
            assert room is not None
            await until(pilot, lambda: not room.sending, "dots still saving")
            assert [r[4] for r in rows(room_file) if r[1] == "vote"] == [goals[0].id]
            assert facilitator.vote_tally() == {goals[0].id: 1}
            await pilot.press("down", "v", "v", "v")
            await until(pilot, lambda: "All your 3 dots" in room_text(screen), "not refused")
            assert facilitator.vote_tally() == {goals[0].id: 1, goals[1].id: 2}
            shown = "\n".join(widget_text(screen.query_one("#follow-room")))
            assert "0 of 3 dots left" in shown
            assert "All your 3 dots are placed" in shown
            assert "●●   " + goals[1].statement[:40] in shown

            # The facilitator closes: the next polls say so and the keys do nothing.
            facilitator.set_contributions_open(False)
            await until(pilot, lambda: "Contributions are closed" in status(screen), "not closed")
            await pilot.press("n", "v")
            await pilot.pause()
            assert app.screen is screen
            assert len(rows(room_file)) == 4
            assert screen.check_action("note", ()) is None
    finally:
        facilitator.close()


async def test_without_the_flag_there_are_no_keys_and_nothing_is_written(
    room_file: Path,
) -> None:
    before, counter = room_file.read_bytes(), change_counter(room_file)
    app = FollowApp(room_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(
            pilot, lambda: isinstance(screen, FollowScreen) and screen.shown is not None, "shown"
        )
        assert isinstance(screen, FollowScreen)
        assert not screen.query("#follow-room") and not screen.query("#follow-you")
        footer = " ".join(footer_text(screen))
        assert "Note" not in footer and "Vote" not in footer
        await pilot.press("n", "v", "u")
        await pilot.pause()
        assert app.screen is screen
    assert room_file.read_bytes() == before and change_counter(room_file) == counter


async def test_an_older_file_is_followed_and_says_why_contributing_is_off_until_updated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v5.session.sqlite", path)
    before = path.read_bytes()
    app = FollowApp(path, contribute=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(
            pilot, lambda: isinstance(screen, FollowScreen) and screen.shown is not None, "shown"
        )
        assert isinstance(screen, FollowScreen)
        await until(pilot, lambda: "Contributing is off" in status(screen), "no reason said")
        assert "older" in status(screen)
        assert "Note" not in " ".join(footer_text(screen))
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert path.read_bytes() == before

        # Once the facilitator's copy has brought the file up to date, the room opens.
        SessionService.open(path).close()
        await until(pilot, lambda: "Contributions are closed" in status(screen), "not reopened")


async def join(pilot: Pilot[None], app: FollowApp, name: str = "Sam") -> FollowScreen:
    """Give *name* when asked; the follow screen once it is back."""
    await until(pilot, lambda: isinstance(app.screen, NameDialog), "no name asked")
    await pilot.press(*name, "enter")
    await until(pilot, lambda: isinstance(app.screen, FollowScreen), "name not taken")
    screen = app.screen
    assert isinstance(screen, FollowScreen)
    await until(pilot, lambda: "open" in status(screen), "room state not shown")
    return screen


async def test_writes_wait_for_a_busy_file_without_freezing_and_refusals_follow_the_room(
    room_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # However slow the machine, the visitor's write outwaits the test's hold on the file
    # (before the fix, the whole view froze for this long and the test failed).
    monkeypatch.setattr(contributions, "BUSY_TIMEOUT", 30.0)
    app = FollowApp(room_file, contribute=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await join(pilot, app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog), "no note dialog")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        area = dialog.query_one("#note-text", TextArea)
        save = dialog.query_one("#note-save", Button)
        area.load_text("Leads wait a week")
        area.move_cursor(area.document.end)
        # The facilitator's save holds the file (as a long save would).
        holder = sqlite3.connect(room_file, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: str(save.label) == "Saving…", "no saving shown")
            # The view still answers keys: the cursor moves in the words, which stay as
            # sent (nothing typed changes them), and a second Ctrl+S sends nothing more.
            assert area.cursor_location != (0, 0)
            await pilot.press("home", "x", "ctrl+s")
            await until(pilot, lambda: area.cursor_location == (0, 0), "keys not handled")
            assert app.screen is dialog and area.text == "Leads wait a week"
            assert holder.execute("SELECT COUNT(*) FROM contributions").fetchone() == (0,)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await until(pilot, lambda: app.screen is screen, "the note never landed")
        assert rows(room_file) == [("goals", "note", "Sam", "Leads wait a week", None)]

        # A dot waits the same way, said beside the dots left.
        holder = sqlite3.connect(room_file, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            await pilot.press("v")
            await until(pilot, lambda: "saving…" in room_text(screen), "no saving shown")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await until(pilot, lambda: "2 of 3 dots left" in room_text(screen), "the dot never landed")
        assert "saving…" not in room_text(screen)
        assert [r[1] for r in rows(room_file)] == ["note", "vote"]

        # A refused dot's reason stays while it holds, and goes once the facilitator
        # raises the budget; lowered below what was placed, the dots stay, said so.
        await pilot.press("v", "v", "v")
        await until(pilot, lambda: "All your 3 dots" in room_text(screen), "not refused")
        facilitator = SessionService.open(room_file)
        try:
            facilitator.set_vote_budget(5)
            await until(pilot, lambda: "2 of 5 dots left" in room_text(screen), "budget not seen")
            assert "All your 3 dots" not in room_text(screen)
            assert not screen.query_one("#room-goals-reason").display
            facilitator.set_vote_budget(2)
            await until(pilot, lambda: "3 placed · 2 each now" in room_text(screen), "not said")
            # Refused again, the reason goes with the goals when the room moves on.
            await pilot.press("v")
            await until(pilot, lambda: "All your 2 dots" in room_text(screen), "not refused")
            facilitator.set_step(StepId.STORY)
            await until(pilot, lambda: not screen.query_one("#room-goals").display, "not moved")
            assert not screen.query_one("#room-goals-reason").display
            assert "All your 2 dots" not in room_text(screen)
            # A goal removed with the dots on it: they are given back, as the core counts.
            facilitator.set_step(StepId.GOALS)
            first = min(facilitator.session.goals, key=lambda g: (g.position, g.id))
            facilitator.remove(first)
            await until(pilot, lambda: "2 of 2 dots left" in room_text(screen), "not given back")
        finally:
            facilitator.close()


async def test_keys_typed_as_a_dialog_appears_land_in_its_field(room_file: Path) -> None:
    """A terminal delivers a quick typist's keys together: the name typed the moment its
    dialog shows, and a note's words typed the moment the note dialog shows, go whole into
    the field (the name's first letter was lost before: the dialog's scrolling box had
    the focus until the field took it a moment later)."""
    from textual import events

    app = FollowApp(room_file, contribute=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, NameDialog), "no name asked")
        for key in "Sam":
            app.post_message(events.Key(key, key))
        app.post_message(events.Key("enter", None))
        await until(pilot, lambda: isinstance(app.screen, FollowScreen), "name not taken")
        screen = app.screen
        assert isinstance(screen, FollowScreen)
        await until(pilot, lambda: "open" in status(screen), "room state not shown")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog), "no note dialog")
        for key in "Quick":
            app.post_message(events.Key(key, key))
        dialog = app.screen
        area = dialog.query_one("#note-text", TextArea)
        await until(pilot, lambda: area.text == "Quick", f"words typed: {area.text!r}")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the note never landed")
    assert rows(room_file) == [("goals", "note", "Sam", "Quick", None)]

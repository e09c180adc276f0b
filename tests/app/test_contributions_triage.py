"""The facilitator goes through what the room sent in (issue 14), by keys.

Notes and dot votes are written into the session file the way a visitor's
process writes them (``ContributionBox``, its own connection); the app notices
them while it runs, counts them beside each step, and F10 lists them: ``a``
accepts a note as the step's own record, ``e`` edits it first, ``d`` dismisses
it; ``v`` copies the room's votes into the goals, ``o`` closes contributions,
``b`` sets the dots each visitor has. Every assertion that matters reads the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from alignment_tui.app import AlignmentApp
from alignment_tui.commands import workshop_commands
from alignment_tui.dialogs.workbook_dialog import WorkbookDialog
from alignment_tui.form.refusal import Reason
from alignment_tui.screens.contributions import NoteEditDialog, RoomNotesScreen
from alignment_tui.sessions.contributions import ContributionBox
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.goals.behaviours import BehaviourLine
from alignment_tui.widgets.step_list import StepList
from screen_text import record_notifications
from step_helpers import put_room_on_step, reach_every_part

#: Short pauses a change may take to show before a test fails (the room is polled each second).
PATIENCE = 400


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.alignment.db"
    svc = SessionService.create(path, demo_session())
    svc.set_contributions_open(True)
    svc.close()
    return path


def rows(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    """What the file holds, read with a connection of the test's own."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def state_of(path: Path, note_id: int) -> tuple[object, ...]:
    return rows(path, "SELECT state, accepted_as FROM contributions WHERE id = ?", note_id)[0]


def step_line(app: AlignmentApp, step: StepId) -> str:
    steps = app.screen.query_one(StepList)
    return str(steps.get_option(step.value).prompt)


def shown_notes(screen: RoomNotesScreen) -> list[str]:
    listing = screen.query_one("#room-notes", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the app run until *done* (a bounded number of short pauses, not the wall clock)."""
    for _ in range(PATIENCE):
        if done():
            return
        await pilot.pause(0.01)
    assert done(), "the screen never showed what was expected"


async def open_notes(pilot: Pilot[None]) -> RoomNotesScreen:
    await pilot.press("f10")
    await until(pilot, lambda: isinstance(pilot.app.screen, RoomNotesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, RoomNotesScreen)
    return screen


async def test_counted_per_step_accepted_as_a_behaviour_shown_in_the_pane(
    demo_file: Path,
) -> None:
    put_room_on_step(demo_file, StepId.GOALS)
    with ContributionBox.open(demo_file) as box:
        first = box.add_note("v1", "Ana", StepId.GOALS, "Sales shares lost-deal reasons weekly")
        box.add_note("v1", "Ana", StepId.GOALS, "Marketing joins two calls a month")
        box.add_note("v2", "Ben", StepId.CRM, "Watch the lost reasons")
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "✉ 2" in step_line(app, StepId.GOALS))
        assert "✉ 1" in step_line(app, StepId.CRM)
        assert "✉" not in step_line(app, StepId.STORY)
        assert "✉ 3 notes (F10)" in app.screen.sub_title

        screen = await open_notes(pilot)
        notes = shown_notes(screen)
        assert len(notes) == 2  # this step's only
        assert "“Ana”" in notes[0] and "Sales shares lost-deal reasons weekly" in notes[0]

        await pilot.press("a")  # a goal's note can become several things: which?
        await until(pilot, lambda: isinstance(app.screen, WorkbookDialog))
        await pilot.press("enter")  # the first: goal 1's Sales behaviour
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()

        goal_1 = SessionService.open(demo_file, readonly=True)
        first_goal = min(goal_1.session.goals, key=lambda g: (g.position, g.id)).id
        goal_1.close()
        kept = rows(
            demo_file,
            "SELECT id, team FROM behaviours WHERE goal_id = ? AND text = ?",
            first_goal,
            "Sales shares lost-deal reasons weekly",
        )
        assert len(kept) == 1 and kept[0][1] == "Sales"
        assert state_of(demo_file, first.id) == ("accepted", f"behaviour {kept[0][0]}")
        # the cursor stays in place: on the next note, now the first
        assert len(shown_notes(screen)) == 1
        assert screen.note() is not None and screen.note().text.startswith("Marketing joins")

        await pilot.press("escape")
        await until(pilot, lambda: "✉ 1" in step_line(app, StepId.GOALS))
        assert "✉ 2 notes" in app.screen.sub_title
        # the pane shows the behaviour (goal 1 is the one in the editor), once the room
        # comes to the editor below the list (built when it comes into view)
        await reach_every_part(pilot)
        await until(
            pilot,
            lambda: (
                "Sales shares lost-deal reasons weekly"
                in [w.value for w in app.screen.query(BehaviourLine) if w.display]
            ),
        )

        # the palette offers the same verbs as the keys
        names = [name for name, _callback, _help in workshop_commands(app.screen)]
        for verb in (
            "Room notes",
            "Room notes: every step",
            "Contributions: open or close",
            "Room's vote budget",
            "Copy the room's votes into the goals",
        ):
            assert verb in names


async def test_edit_then_accept_dismiss_and_a_note_arriving_while_open(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put_room_on_step(demo_file, StepId.FEEDBACK)
    app = AlignmentApp(demo_file)
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # nobody has contributed: nothing beside the steps, nothing in the header
        assert "✉" not in step_line(app, StepId.FEEDBACK)
        assert "✉" not in app.screen.sub_title
        with ContributionBox.open(demo_file) as box:  # a visitor, while the app runs
            story = box.add_note("v1", "Ana", StepId.FEEDBACK, "Customer story: late brief")
            noise = box.add_note("v2", "Ben", StepId.FEEDBACK, "first!!!")
        await until(pilot, lambda: "✉ 2" in step_line(app, StepId.FEEDBACK))

        screen = await open_notes(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, WorkbookDialog))
        await pilot.press("down", "enter")  # what Marketing brings
        await until(pilot, lambda: isinstance(app.screen, NoteEditDialog))
        area = app.screen.query_one("#room-edit-text", TextArea)
        assert area.text == "Customer story: late brief"
        await pilot.press("end", *" (three weeks)", "tab", "enter")  # type, then Accept
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        kept = rows(
            demo_file,
            "SELECT id, side FROM feedback_items WHERE text = ?",
            "Customer story: late brief (three weeks)",
        )
        assert len(kept) == 1 and kept[0][1] == "Marketing"
        assert state_of(demo_file, story.id)[0] == "accepted"
        assert "Accepted as what Marketing brings to the loop" in said

        await pilot.press("d")  # asks first; the focus starts on Keep
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: state_of(demo_file, noise.id)[0] == "dismissed")
        assert rows(demo_file, "SELECT COUNT(*) FROM feedback_items WHERE text = 'first!!!'") == [
            (0,)
        ]
        assert "No new notes" in shown_notes(screen)[0]

        # every step's notes (s): a story's note becomes a proof point under a chosen pillar
        with ContributionBox.open(demo_file) as box:
            proof = box.add_note("v3", "Cy", StepId.STORY, "Nordwerk quotes in a day")
        await pilot.press("s")
        await until(pilot, lambda: "Nordwerk quotes in a day" in "".join(shown_notes(screen)))
        assert "Baseline story" in shown_notes(screen)[0]
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, WorkbookDialog))
        await pilot.press("enter")  # pillar 1
        await until(pilot, lambda: state_of(demo_file, proof.id)[0] == "accepted")
        pillar = rows(demo_file, "SELECT id FROM pillars ORDER BY position, id LIMIT 1")[0][0]
        assert rows(
            demo_file, "SELECT pillar_id FROM proof_points WHERE text = 'Nordwerk quotes in a day'"
        ) == [(pillar,)]
        assert "Accepted as a proof point under pillar 1" in said


async def test_hostile_note_shown_literally_and_a_refused_record_loses_nothing(
    demo_file: Path,
) -> None:
    put_room_on_step(demo_file, StepId.CRM)
    hostile = "[b]loud[/b] \x1b[31mred\x1b[0m $var\nsecond line " + "x" * 100_000
    # longer than a visitor may send: a file written by something else still shows safely
    conn = sqlite3.connect(demo_file)
    with conn:
        conn.execute(
            "INSERT INTO contributions (step, kind, author, visitor, text, created_at) "
            "VALUES ('crm', 'note', '[i]Dana Okafor[/i]', 'v9', ?, '2026-12-05T10:00:00Z')",
            (hostile,),
        )
    conn.close()
    note_id = rows(demo_file, "SELECT MAX(id) FROM contributions")[0][0]
    actions_before = rows(demo_file, "SELECT COUNT(*) FROM actions")
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_notes(pilot)
        shown = shown_notes(screen)[0]
        assert "“[i]Dana Okafor[/i]”" in shown
        assert "[b]loud[/b] ␛[31mred␛[0m $var\nsecond line" in shown
        assert "\x1b" not in shown
        assert "more characters)" in shown and len(shown) < 1_000

        await pilot.press("a")  # CRM: an action, nothing to choose; 100,000 characters is too long
        await until(pilot, lambda: isinstance(app.screen, NoteEditDialog))
        reasons = [str(r.render()) for r in app.screen.query(Reason) if r.display]
        assert len(reasons) == 1 and "200" in reasons[0]
        assert app.screen.query_one("#room-edit-text", TextArea).text == hostile
        # nothing is marked or added while the words do not fit
        assert state_of(demo_file, note_id) == ("new", "")
        assert rows(demo_file, "SELECT COUNT(*) FROM actions") == actions_before
        await pilot.press("f7", *"Share lost reasons", "tab", "enter")  # select all, retype
        await until(pilot, lambda: app.screen is screen)
        kept = rows(demo_file, "SELECT id, step FROM actions WHERE text = 'Share lost reasons'")
        assert len(kept) == 1 and kept[0][1] == "crm"
        assert state_of(demo_file, note_id) == ("accepted", f"action {kept[0][0]}")


async def test_votes_copied_into_the_goals_contributions_closed_budget_refused(
    demo_file: Path,
) -> None:
    put_room_on_step(demo_file, StepId.GOALS)
    goals = [g[0] for g in rows(demo_file, "SELECT id FROM goals ORDER BY position, id")]
    with ContributionBox.open(demo_file) as box:
        box.vote("v1", "Ana", goals[0])
        box.vote("v1", "Ana", goals[0])
        box.vote("v2", "Ben", goals[1])
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#goals-list")))
        pane = app.screen.query_one("#pane-goals")
        await until(pilot, lambda: pane.room_tally == {goals[0]: 2, goals[1]: 1})  # type: ignore[attr-defined]

        screen = await open_notes(pilot)
        await pilot.press("v")  # the demo's goals have votes typed in: asks first
        await pilot.pause()
        await pilot.press("y")
        await until(
            pilot,
            lambda: (
                rows(demo_file, "SELECT id, votes FROM goals ORDER BY id")
                == sorted([(goals[0], 2), (goals[1], 1), *[(g, 0) for g in goals[2:]]])
            ),
        )

        await pilot.press("o")  # close contributions: the visitors' next write is refused
        await until(pilot, lambda: rows(demo_file, "SELECT contributions_open FROM room") == [(0,)])

        await pilot.press("b")
        assert screen.focused is screen.query_one("#room-budget")
        await pilot.press("ctrl+u", "2", "5", "enter")
        await pilot.pause()
        reasons = [str(r.render()) for r in screen.query(Reason) if r.display]
        assert len(reasons) == 1 and "1 to 20" in reasons[0]
        assert rows(demo_file, "SELECT vote_budget FROM room") == [(3,)]
        await pilot.press("ctrl+u", "5", "enter")
        await until(pilot, lambda: rows(demo_file, "SELECT vote_budget FROM room") == [(5,)])
        assert not [r for r in screen.query(Reason) if r.display]

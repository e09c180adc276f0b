"""Contributions from the room: what a visitor may send, what is refused, and the facilitator's side.

Every refusal is one line and leaves the session file byte for byte as it was;
what is accepted is stored exactly as typed (markup, escape sequences, line
breaks) and changes nothing but the ``contributions`` table.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alignment_tui.sessions.contributions import (
    MAX_NOTE,
    Contribution,
    ContributionBox,
    ContributionRefused,
    ContributionState,
    new_visitor,
    takes_name,
)
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.errors import ReadOnlySession, SessionFileError
from alignment_tui.sessions.models import Action, Behaviour, StepId, Team
from alignment_tui.sessions.service import ChangeRefused, SessionService
from alignment_tui.sessions.store import read_session

DATA = Path(__file__).parent / "data"
SALES_LEAD = "Dana Okafor"  # the demo's Sales lead
FACILITATOR = "Marit Olsen"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo session as a file, made once for the module."""
    path = tmp_path_factory.mktemp("room") / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path.read_bytes()


@dataclass
class Room:
    path: Path
    svc: SessionService
    box: ContributionBox
    visitor: str

    def snapshot(self) -> bytes:
        return self.path.read_bytes()


@pytest.fixture
def room(template: bytes, tmp_path: Path) -> Iterator[Room]:
    """The facilitator has the demo open with contributions open; one visitor has joined."""
    path = tmp_path / "room.alignment.db"
    path.write_bytes(template)
    svc = SessionService.open(path)
    svc.set_contributions_open(True)
    box = ContributionBox.open(path)
    try:
        yield Room(path, svc, box, new_visitor())
    finally:
        box.close()
        svc.close()


def _refused(room: Room, call: object, *args: object) -> str:
    """Run a box method that must be refused; the file must not change. The reason."""
    before = room.snapshot()
    with pytest.raises(ContributionRefused) as info:
        call(*args)  # type: ignore[operator]
    assert room.snapshot() == before
    reason = str(info.value)
    assert reason and "\n" not in reason
    return reason


def _other_tables(path: Path) -> list[str]:
    """Every statement that rebuilds the file, but the contributions table's rows."""
    conn = sqlite3.connect(path)
    try:
        return [
            line
            for line in conn.iterdump()
            if not line.startswith('INSERT INTO "contributions"')
            and not line.startswith('INSERT INTO "sqlite_sequence"')
        ]
    finally:
        conn.close()


# -- the visitor's side: refusals -----------------------------------------------------------


def test_closed_contributions_refuse_notes_and_dots(room: Room) -> None:
    room.svc.set_contributions_open(False)
    assert room.box.settings().open is False
    reason = _refused(room, room.box.add_note, room.visitor, "Sam", StepId.GOALS, "An idea")
    assert "closed" in reason
    assert "closed" in _refused(room, room.box.vote, room.visitor, "Sam", 1)
    assert "closed" in _refused(room, room.box.unvote, room.visitor, 1)
    room.svc.set_contributions_open(True)  # visitors see it on their next call
    room.box.add_note(room.visitor, "Sam", StepId.GOALS, "An idea")


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n", "\u200b\u200b", " \u00a0 "], ids=repr)
def test_a_note_with_nothing_to_read_is_refused(room: Room, text: str) -> None:
    reason = _refused(room, room.box.add_note, room.visitor, "Sam", StepId.STORY, text)
    assert reason == "The note is empty: write something first"


def test_a_note_over_the_cap_is_refused_saying_the_cap(room: Room) -> None:
    reason = _refused(room, room.box.add_note, room.visitor, "Sam", StepId.STORY, "x" * 100_000)
    assert "2,000" in reason and "100,000" in reason
    # the cap itself is allowed
    kept = room.box.add_note(room.visitor, "Sam", StepId.STORY, "y" * MAX_NOTE)
    assert len(room.svc.contributions()[0].text) == MAX_NOTE == len(kept.text)


@pytest.mark.parametrize(
    "name",
    [
        SALES_LEAD,
        "dana okafor",
        "  DANA   OKAFOR ",
        "Dana.Okafor",
        "DanaOkafor",
        "Dána Okafor",
        "\uff24\uff41\uff4e\uff41 Okafor",  # full-width letters
        "Dana Okafor (Sales lead)",
        "Lena Brandt",  # the Marketing lead
        FACILITATOR,
    ],
)
def test_a_name_that_passes_for_a_lead_or_the_facilitator_is_refused(room: Room, name: str) -> None:
    reason = _refused(room, room.box.add_note, room.visitor, name, StepId.GOALS, "Hello")
    assert "sign with a name of your own" in reason
    _refused(room, room.box.vote, room.visitor, name, 1)


def test_names_that_only_resemble_a_lead_are_fine() -> None:
    assert not takes_name("Dana", SALES_LEAD)  # a first name is not the person
    assert not takes_name("Danai Okaforth", SALES_LEAD)
    assert takes_name("okafor, dana", "Okafor Dana")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "Give your name"),
        ("   ", "Give your name"),
        ("x" * 61, "at most 60"),
        ("Sam\nDana Okafor", "one line"),
        ("Sam\x1b[31m", "one line"),
        ("!!!", "a letter or a digit"),
    ],
    ids=repr,
)
def test_bad_names_are_refused(room: Room, name: str, words: str) -> None:
    assert words in _refused(room, room.box.add_note, room.visitor, name, StepId.GOALS, "Hi")


def test_a_dot_needs_a_goal_that_exists_and_a_dot_left(room: Room) -> None:
    assert "no longer there" in _refused(room, room.box.vote, room.visitor, "Sam", 999)
    room.svc.set_vote_budget(2)
    room.box.vote(room.visitor, "Sam", 1)
    room.box.vote(room.visitor, "Sam", 1)  # two dots on one goal is fine
    assert room.box.votes_left(room.visitor) == 0
    reason = _refused(room, room.box.vote, room.visitor, "Sam", 2)
    assert reason == "All your 2 dots are placed; take one back to move it"
    # another visitor has a budget of their own
    room.box.vote(new_visitor(), "Kim", 2)
    # taking one back frees it; one cannot take back what one never placed
    assert "no dot" in _refused(room, room.box.unvote, room.visitor, 2)
    room.box.unvote(room.visitor, 1)
    assert room.box.votes_left(room.visitor) == 1
    room.box.vote(room.visitor, "Sam", 3)
    # lowering the budget keeps the dots placed; none is left
    room.svc.set_vote_budget(1)
    assert room.box.votes_left(room.visitor) == 0
    assert room.svc.vote_tally() == {1: 1, 2: 1, 3: 1}
    # a dot is not a record to accept; a dismissed dot is given back
    dot = room.svc.contributions(kind="vote")[0]
    with pytest.raises(ChangeRefused, match="dot"):
        room.svc.accept_contribution(dot, Behaviour(goal_id=1, team=Team.SALES, text="x"))
    assert dot.visitor == room.visitor
    room.svc.dismiss_contribution(dot)
    room.svc.set_vote_budget(2)
    assert room.box.votes_left(room.visitor) == 1  # two placed, one dismissed
    assert room.svc.vote_tally() == {2: 1, 3: 1}


def test_a_dot_on_a_removed_goal_is_given_back(room: Room) -> None:
    room.svc.set_vote_budget(1)
    room.box.vote(room.visitor, "Sam", 3)
    assert room.box.votes_left(room.visitor) == 0
    room.svc.remove(next(g for g in room.svc.session.goals if g.id == 3))
    assert room.box.votes_left(room.visitor) == 1
    assert room.svc.vote_tally() == {}


def test_a_visitor_over_the_note_limit_is_refused(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alignment_tui.sessions import contributions

    monkeypatch.setattr(contributions, "MAX_NOTES_PER_VISITOR", 2)
    room.box.add_note(room.visitor, "Sam", StepId.GOALS, "one")
    room.box.add_note(room.visitor, "Sam", StepId.GOALS, "two")
    assert "2 notes" in _refused(room, room.box.add_note, room.visitor, "Sam", StepId.GOALS, "3")
    room.box.add_note(new_visitor(), "Sam", StepId.GOALS, "another visitor's")


# -- the visitor's side: what is kept -----------------------------------------------------


HOSTILE_TEXTS = [
    "[b]x[/b] [link=https://example.com]click[/link] [/]",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J",
    "line one\nline two\r\nline three\n\n",
    "\u202eright to left\u202c and \x00 nul and \x7f del",
    "$variable {placeholder} %s <script>alert(1)</script>",
]


def test_hostile_notes_are_kept_as_typed_and_touch_nothing_else(room: Room) -> None:
    before = _other_tables(room.path)
    counter = room.svc.store.conn.execute("SELECT COUNT(*) FROM app_meta").fetchone()
    sent = [
        room.box.add_note(room.visitor, "[b]Sam[/b] \u202e", StepId.FEEDBACK, text)
        for text in HOSTILE_TEXTS
    ]
    assert _other_tables(room.path) == before
    assert room.svc.store.conn.execute("SELECT COUNT(*) FROM app_meta").fetchone() == counter
    got = room.svc.contributions(StepId.FEEDBACK)
    assert [c.text for c in got] == HOSTILE_TEXTS
    assert got == sent
    assert all(c.author == "[b]Sam[/b] \u202e" for c in got)
    assert room.box.my_contributions(room.visitor) == sent
    assert room.box.my_contributions(new_visitor()) == []


def test_a_visitor_takes_no_open_marker_and_never_migrates(tmp_path: Path) -> None:
    old = tmp_path / "old.alignment.db"
    shutil.copy(DATA / "schema_v5.session.sqlite", old)
    before = old.read_bytes()
    with pytest.raises(SessionFileError) as info:
        ContributionBox.open(old)
    assert "schema 5" in str(info.value) and "\n" not in str(info.value)
    assert old.read_bytes() == before


def test_a_newer_or_read_only_file_is_refused_in_one_line(template: bytes, tmp_path: Path) -> None:
    newer = tmp_path / "newer.alignment.db"
    newer.write_bytes(template)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    locked = tmp_path / "locked.alignment.db"
    locked.write_bytes(template)
    locked.chmod(0o444)
    for path, words in ((newer, "newer"), (locked, "read-only")):
        before = path.read_bytes()
        with pytest.raises(SessionFileError) as info:
            ContributionBox.open(path)
        assert words in str(info.value) and "\n" not in str(info.value)
        assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00junk"])
def test_a_file_that_is_not_a_session_is_refused_in_one_line(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.alignment.db"
    path.write_bytes(content)
    with pytest.raises(SessionFileError) as info:
        ContributionBox.open(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == content


def test_a_replaced_or_removed_file_is_not_written_to(room: Room, tmp_path: Path) -> None:
    """A note sent through the old connection would land in a file nobody opens again."""
    room.box.add_note(room.visitor, "Sam", StepId.GOALS, "Before")
    copy = tmp_path / "copy.alignment.db"
    shutil.copy(room.path, copy)
    moved = tmp_path / "moved.alignment.db"
    room.path.rename(moved)
    with pytest.raises(SessionFileError, match="replaced or moved"):
        room.box.add_note(room.visitor, "Sam", StepId.GOALS, "While gone")
    copy.replace(room.path)
    with pytest.raises(SessionFileError, match="replaced or moved"):
        room.box.vote(room.visitor, "Sam", 1)
    with ContributionBox.open(room.path) as again:  # joining again works
        again.add_note(room.visitor, "Sam", StepId.GOALS, "After")
    moved.replace(room.path)  # the facilitator's file back, for the fixture to close


def test_a_visitor_joins_beside_the_facilitator_without_their_lock(room: Room) -> None:
    conn = sqlite3.connect(room.path)
    try:
        marker = conn.execute("SELECT value FROM app_meta WHERE key = 'open_by'").fetchone()
    finally:
        conn.close()
    assert marker is not None  # the facilitator's, left as it is
    with ContributionBox.open(room.path) as second:
        assert second.settings().open


# -- the facilitator's side ----------------------------------------------------------------


def test_the_facilitator_sees_what_waits_and_decides(room: Room) -> None:
    assert room.svc.room_changed() is False  # the first call only looks
    a = room.box.add_note(room.visitor, "Sam", StepId.GOALS, "Measure the hand-over time")
    b = room.box.add_note(room.visitor, "Sam", StepId.GOALS, "Weekly pipeline call")
    c = room.box.add_note(room.visitor, "Kim", StepId.FUNNEL, "Count returned leads")
    room.box.vote(room.visitor, "Sam", 2)
    assert room.svc.room_changed() is True
    assert room.svc.room_changed() is False
    assert room.svc.waiting_counts() == {StepId.GOALS: 2, StepId.FUNNEL: 1}
    assert room.svc.contributions(StepId.GOALS) == [a, b]
    assert [x.id for x in room.svc.new_contributions_since(b.id)] == [c.id, c.id + 1]

    behaviours = len(room.svc.session.behaviours)
    made = room.svc.accept_contribution(a, Behaviour(goal_id=1, team=Team.SALES, text=a.text))
    room.svc.dismiss_contribution(c)
    assert room.svc.waiting_counts() == {StepId.GOALS: 1}
    assert len(room.svc.session.behaviours) == behaviours + 1
    done = {x.id: x for x in room.svc.contributions(state=None)}
    assert done[a.id].state is ContributionState.ACCEPTED
    assert done[a.id].accepted_as == f"behaviour {made.id}" and done[a.id].decided_at
    assert done[c.id].state is ContributionState.DISMISSED
    # deciding twice is refused, and the record is not made twice
    before = room.snapshot()
    with pytest.raises(ChangeRefused, match="already dealt with"):
        room.svc.accept_contribution(a, Behaviour(goal_id=1, team=Team.SALES, text=a.text))
    with pytest.raises(ChangeRefused, match="already dealt with"):
        room.svc.dismiss_contribution(c)
    assert room.snapshot() == before
    assert len(room.svc.session.behaviours) == behaviours + 1
    # a record that points nowhere is refused before anything is saved
    with pytest.raises(ChangeRefused, match="goal"):
        room.svc.accept_contribution(b, Behaviour(goal_id=99, team=Team.SALES, text=b.text))
    assert room.snapshot() == before
    # accepted after editing it elsewhere: marked with the facilitator's words
    action = room.svc.add_action("Set up the weekly pipeline call", StepId.GOALS)
    room.svc.mark_accepted(b, f"action {action.id}\n(edited)")
    assert room.svc.contributions(state=ContributionState.ACCEPTED)[-1].accepted_as == (
        f"action {action.id} (edited)"
    )
    # all of it is in the file
    reopened = read_session(room.path)
    assert made in reopened.behaviours and action in reopened.actions


def test_the_vote_budget_is_kept_between_1_and_20(room: Room) -> None:
    for bad in (0, 21, -3, "many", "2.5"):
        before = room.snapshot()
        with pytest.raises(ChangeRefused, match="Dots per visitor"):
            room.svc.set_vote_budget(bad)  # type: ignore[arg-type]
        assert room.snapshot() == before
    room.svc.set_vote_budget(" 20 ")
    assert room.box.settings().vote_budget == 20 == room.svc.room_settings().vote_budget


def test_the_tally_is_copied_into_the_goals(room: Room) -> None:
    with pytest.raises(ChangeRefused, match="No dots"):
        room.svc.copy_votes_to_goals()
    room.box.vote(room.visitor, "Sam", 3)
    room.box.vote(room.visitor, "Sam", 3)
    room.box.vote(new_visitor(), "Kim", 1)
    room.svc.copy_votes_to_goals()
    assert {g.id: g.votes for g in room.svc.session.goals} == {1: 1, 2: 0, 3: 2}
    assert {g.id: g.votes for g in read_session(room.path).goals} == {1: 1, 2: 0, 3: 2}


def test_a_save_after_a_visitor_wrote_keeps_both(room: Room) -> None:
    note = room.box.add_note(room.visitor, "Sam", StepId.WRAPUP, "Thanks")
    room.svc.update_meta(title="Renamed after the note")
    room.box.add_note(room.visitor, "Sam", StepId.WRAPUP, "Again")
    room.svc.add(Action, text="After two notes", step=StepId.WRAPUP)
    assert read_session(room.path).meta.title == "Renamed after the note"
    assert room.svc.contributions(StepId.WRAPUP)[0] == note


def test_a_read_only_copy_changes_nothing_of_the_room(room: Room) -> None:
    note = room.box.add_note(room.visitor, "Sam", StepId.GOALS, "Hi")
    room.svc.close()
    reader = SessionService.open(room.path, readonly=True)
    try:
        assert reader.contributions() == [note]
        before = room.snapshot()
        with pytest.raises(ReadOnlySession):
            reader.set_contributions_open(False)
        with pytest.raises(ReadOnlySession):
            reader.dismiss_contribution(note)
        with pytest.raises(ReadOnlySession):
            reader.accept_contribution(note, Behaviour(goal_id=1, team=Team.SALES, text="x"))
        assert room.snapshot() == before
    finally:
        reader.close()
        room.svc = SessionService.open(room.path)


def test_a_row_no_app_wrote_is_skipped_not_fatal(room: Room) -> None:
    conn = sqlite3.connect(room.path)
    with conn:
        conn.execute(
            "INSERT INTO contributions (step, kind, author, visitor, created_at) "
            "VALUES ('no-such-step', 'note', 'x', 'y', 'z')"
        )
        conn.execute("UPDATE room SET vote_budget = 999")
    conn.close()
    assert room.svc.contributions(state=None, kind=None) == []
    assert room.svc.waiting_counts() == {}
    assert room.box.settings().vote_budget == 3  # out of range reads as the default
    assert isinstance(room.box.add_note(room.visitor, "Sam", StepId.GOALS, "ok"), Contribution)

"""The follow view's reading of the session file (no terminal): read-only, only when it
changed, patient with a locked file; and ``alignment-tui follow`` on a file it cannot use."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from alignment_tui import cli
from alignment_tui.follow.source import FollowSource
from alignment_tui.sessions.contributions import ContributionBox, new_visitor
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.errors import SessionFileError
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path


def test_polls_read_only_when_something_was_committed(demo_file: Path) -> None:
    source = FollowSource(demo_file)
    session = source.open()
    reads = source.reads
    assert not any(source.poll() for _ in range(20))
    assert source.reads == reads  # nothing committed: nothing read
    svc = SessionService.open(demo_file)
    try:
        svc.set_step(StepId.STORY)
        assert source.poll()
        assert source.session is not None and source.session.meta.current_step is StepId.STORY
        assert source.session is not session
    finally:
        svc.close()
    source.close()


def test_never_writes(demo_file: Path) -> None:
    before = demo_file.read_bytes()
    source = FollowSource(demo_file)
    source.open()
    for _ in range(5):
        source.poll()
    assert source._store is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        source._store.conn.execute("DELETE FROM goals")
    source.close()
    assert demo_file.read_bytes() == before


def test_a_locked_file_waits_and_catches_up(demo_file: Path) -> None:
    source = FollowSource(demo_file)
    source.open()
    other = sqlite3.connect(demo_file, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        other.execute("UPDATE session SET title = 'Changed under a lock'")
        assert source.poll() is False
        assert source.waiting is not None and "busy" in source.waiting.reason
        assert source.session is not None
        assert source.session.meta.title == "Revenue team alignment 2027"
        other.execute("COMMIT")
    finally:
        other.close()
    assert source.poll() is True
    assert source.waiting is None
    assert source.session is not None and source.session.meta.title == "Changed under a lock"
    source.close()


def test_a_failed_read_is_tried_again(demo_file: Path) -> None:
    """A read that fails half-way (locked between the version check and the read) is
    retried on the next poll even though the data version no longer moves."""
    source = FollowSource(demo_file)
    source.open()
    svc = SessionService.open(demo_file)
    try:
        svc.set_step(StepId.CRM)
        other = sqlite3.connect(demo_file, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        assert source.poll() is False
        other.execute("ROLLBACK")
        other.close()
        assert source.poll() is True
        assert source.session is not None and source.session.meta.current_step is StepId.CRM
    finally:
        svc.close()
        source.close()


def test_a_file_that_is_not_a_session_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.alignment.db"
    path.write_text("hello")
    with pytest.raises(SessionFileError):
        FollowSource(path).open()


def test_follow_command_refuses_a_bad_file_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.alignment.db").write_text("not sqlite")
    result = CliRunner().invoke(cli.cli, ["follow", "x.alignment.db"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "not an alignment-tui session" in result.stderr
    missing = CliRunner().invoke(cli.cli, ["follow", "nowhere.alignment.db"])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr


def test_follow_command_runs_the_follow_app(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alignment_tui.follow.app import FollowApp

    ran: list[Any] = []

    def fake_run(self: FollowApp, *args: Any, **kwargs: Any) -> None:
        ran.append((self.source.path, self.theme))

    monkeypatch.setattr(FollowApp, "run", fake_run)
    result = CliRunner().invoke(cli.cli, ["follow", str(demo_file), "--light"])
    assert result.exit_code == 0, result.output
    assert ran == [(demo_file, "alignment-projector")]


def test_an_older_schema_is_followed_until_the_editing_copy_migrates_it(tmp_path: Path) -> None:
    """A schema 4 file is shown from a copy migrated in memory, the file left alone; once
    the editing copy opens (and so migrates) it, the follow view reads the file itself."""
    import shutil

    path = tmp_path / "old.alignment.db"
    shutil.copy(Path(__file__).parent / "data" / "schema_v4.session.sqlite", path)
    before = path.read_bytes()
    source = FollowSource(path)
    session = source.open()
    assert source.migrated_copy
    assert not any(source.poll() for _ in range(5))
    assert path.read_bytes() == before
    svc = SessionService.open(path)  # the facilitator's copy migrates the file
    try:
        svc.update_meta(title="Migrated and renamed")
    finally:
        svc.close()
    assert source.poll() is True
    assert not source.migrated_copy
    assert source.session is not None and source.session.meta.title == "Migrated and renamed"
    assert source.session.goals == session.goals
    source.close()


def test_a_visitors_note_is_read_but_changes_nothing_and_every_save_still_shows(
    demo_file: Path,
) -> None:
    """A visitor's note moves the file's data version (as any commit does): the source
    reads the session again, finds it equal to the one shown and says nothing changed,
    so no follow view draws anything. A timer's save (only the agenda changes) and two
    saves within one second (the same ``updated_at``) each still say changed."""
    svc = SessionService.open(demo_file)
    svc.set_contributions_open(True)
    source = FollowSource(demo_file)
    shown = source.open()
    box = ContributionBox.open(demo_file)
    try:
        reads = source.reads
        box.add_note(new_visitor(), "Sam", StepId.GOALS, "Leads wait a week")
        assert source.poll() is False
        assert source.reads == reads + 1 and source.session is shown

        item = svc.session.timebox(StepId.GOALS)
        assert item in svc.session.agenda
        svc.update(item, spent_seconds=item.spent_seconds + 5)
        assert source.poll() is True
        assert source.session is not None
        assert source.session.timebox(StepId.GOALS).spent_seconds == item.spent_seconds + 5

        svc.update_meta(title="First of two")
        assert source.poll() is True
        svc.update_meta(title="Second of two")
        assert source.poll() is True
        assert source.session.meta.title == "Second of two"
    finally:
        box.close()
        svc.close()
        source.close()

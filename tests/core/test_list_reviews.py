"""`list` for a facilitator with several clients: whose review is due, how many actions are late."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment_tui import cli
from alignment_tui.sessions import listing, store
from alignment_tui.sessions.fileinfo import read_summary
from alignment_tui.sessions.models import Action, Session, StepId, new_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import SessionStore
from conftest import PinnedClock

D = dt.date.fromisoformat


def _client(
    folder: Path, name: str, review: str | None, dues: list[str], *, closed: bool = True
) -> Path:
    session: Session = new_session(name.title(), organisation=name, workshop_date=D("2026-10-01"))
    session.meta = session.meta.model_copy(update={"next_review": D(review) if review else None})
    session.actions = [
        Action(id=i, text=f"Action {i}", step=StepId.FUNNEL, due=D(due))
        for i, due in enumerate(dues, 1)
    ]
    path = folder / f"{name}.alignment.db"
    created = SessionStore.create(path, session)
    created.close(session if closed else None)
    return path


@pytest.fixture
def clients(tmp_path: Path, clock: PinnedClock) -> Path:
    clock.set("2027-01-10T09:00:00")
    folder = tmp_path / "clients"
    folder.mkdir()
    _client(folder, "acme", "2027-01-20", ["2027-01-05", "2027-02-01"])  # due in 10 days
    _client(folder, "borealis", "2026-12-15", ["2026-12-01", "2026-12-20", "2027-01-09"])  # overdue
    _client(folder, "cobalt", "2027-03-01", [])  # later
    _client(folder, "delta", None, ["2027-01-01"])  # no review date
    _client(folder, "elm", "2027-01-02", [])  # overdue, less long
    (folder / "zz-broken.alignment.db").write_bytes(b"not a session")
    return folder


def test_reviews_due_first_with_workshop_date_and_overdue_actions(clients: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["list", "--dir", str(clients)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    order = [line.split()[0] for line in lines[1:]]
    assert order == [
        "borealis.alignment.db",
        "elm.alignment.db",
        "acme.alignment.db",
        "cobalt.alignment.db",
        "delta.alignment.db",
        "zz-broken.alignment.db",
    ]
    borealis = lines[1]
    assert "2026-10-01" in borealis and "2026-12-15, 26 days overdue" in borealis
    assert "3 (3 overdue)" in borealis
    assert "2027-01-20, in 10 days" in lines[3] and "2 (1 overdue)" in lines[3]
    assert "2027-03-01 " in lines[4] and " 0 " in lines[4]
    assert " — " in lines[5] and "1 (1 overdue)" in lines[5]
    assert "cannot be used" in lines[6]


def test_due_lists_only_reviews_within_14_days_or_overdue(
    clients: Path, clock: PinnedClock
) -> None:
    result = CliRunner().invoke(cli.cli, ["list", "--dir", str(clients), "--due"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()[1:]] == [
        "borealis.alignment.db",
        "elm.alignment.db",
        "acme.alignment.db",
    ]
    clock.set("2027-02-15T09:00:00")  # cobalt's review is now 14 days away: due
    later = CliRunner().invoke(cli.cli, ["list", "--dir", str(clients), "--due"])
    assert "cobalt.alignment.db" in later.output
    clock.set("2026-06-01T09:00:00")
    none = CliRunner().invoke(cli.cli, ["list", "--dir", str(clients), "--due"])
    assert none.exit_code == 0 and none.output.startswith("No review due within 14 days")


def test_the_summary_keeps_what_list_needs_and_the_overdue_count_follows_the_day(
    clients: Path, clock: PinnedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = clients / "acme.alignment.db"
    summary = read_summary(path)
    assert summary is not None
    assert summary["next_review"] == "2027-01-20"
    assert summary["open_due"] == ["2027-01-05", "2027-02-01"]

    def refuse(p: Path) -> None:
        raise AssertionError(f"{p} was read in full")

    monkeypatch.setattr(store, "read_session", refuse)
    listed = listing.summarise(path)
    assert listed.overdue_actions(D("2027-01-10")) == 1
    assert listed.overdue_actions(D("2027-02-02")) == 2  # a day later, from the same summary


def test_a_session_changed_since_its_summary_is_read_whole_and_says_the_same(
    clients: Path,
) -> None:
    path = clients / "cobalt.alignment.db"
    svc = SessionService.open(path)
    svc.update_meta(next_review=D("2027-01-12"))
    svc.add_action("Call the board", StepId.SETUP, due="2027-01-08")
    # not closed: the stored summary is stale and not used
    assert read_summary(path) is None
    whole = listing.summarise(path)
    assert whole.next_review == D("2027-01-12") and whole.open_due == (D("2027-01-08"),)
    svc.close()
    assert listing.summarise(path) == whole


def test_a_summary_from_before_is_not_trusted(clients: Path) -> None:
    """A summary without the review fields (written before they were kept) means a full read."""
    import json
    import sqlite3

    path = clients / "acme.alignment.db"
    conn = sqlite3.connect(path)
    raw = conn.execute("SELECT value FROM app_meta WHERE key = 'summary'").fetchone()[0]
    old = {k: v for k, v in json.loads(raw).items() if k not in ("next_review", "open_due")}
    assert (
        listing._from_cache(path, {**old, "next_review": None, "open_due": []}).next_review is None
    )
    with pytest.raises(KeyError):
        listing._from_cache(path, old)
    conn.close()
    assert listing.summarise(path).next_review == D("2027-01-20")


def test_list_due_stays_headless(clients: Path) -> None:
    code = (
        "import sys\nfrom alignment_tui import cli\n"
        "try:\n"
        f"    cli.main(['list', '--dir', {str(clients)!r}, '--due'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "borealis.alignment.db" in out.stdout  # the clock pinned here reaches the child
    assert out.stdout.splitlines()[-1] == "[]"

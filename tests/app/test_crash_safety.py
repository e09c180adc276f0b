"""A crash loses nothing that was reported saved, and never damages the file.

A helper process (``crash_child.py``) edits a session through the app's own
save path (``SessionService``) and logs each change after it returned; the test
kills it with SIGKILL at random moments, many times, and after every kill opens
the file the way the app does.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import Session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session

CHILD = Path(__file__).with_name("crash_child.py")
ROUND_BASE = 1_000_000
KILLS = 60
SEED = 20261127


def _seq(text: str, prefix: str) -> int | None:
    """The sequence number in a value the child wrote ("action 3000012" -> 3000012)."""
    if not text:
        return None
    assert text.startswith(prefix + " "), f"unexpected value {text!r}"
    return int(text.split()[1])


def saved_values(session: Session) -> dict[tuple[Any, ...], int]:
    """Every value the child writes, keyed by where it lives, as its sequence number."""
    values: dict[tuple[Any, ...], int] = {}
    for a in session.actions:
        seq = _seq(a.text, "action")
        assert seq is not None
        values[("action", a.id)] = seq
    for c in session.funnel_counts:
        if c.count is not None:
            values[("count", c.stage_id, c.period_id)] = c.count
    notes = _seq(session.meta.warmup_notes, "notes")
    if notes is not None:
        values[("notes",)] = notes
    core = _seq(session.story.core_message, "core")
    if core is not None:
        values[("core",)] = core
    return values


def key_of(entry: dict[str, Any]) -> tuple[Any, ...]:
    op = entry["op"]
    if op in ("add_action", "action_text"):
        return ("action", entry["id"])
    if op == "count":
        return ("count", entry["stage"], entry["period"])
    return (op,)


@dataclass
class Log:
    """Reads the child's progress log, complete lines only."""

    path: Path
    offset: int = 0
    entries: list[dict[str, Any]] = field(default_factory=list)

    def wait_for(self, marker: str, timeout: float = 30.0) -> None:
        """Wait until a line not read yet contains *marker* (or the child died)."""
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            if self.path.exists() and marker.encode() in self.path.read_bytes()[self.offset :]:
                return
            time.sleep(0.002)

    def read_new(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        data = self.path.read_bytes()[self.offset :]
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        new = [json.loads(line) for line in complete.decode().splitlines()]
        self.entries += new
        return new


def test_kill_at_random_moments_loses_nothing_reported(session_file: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    log = Log(tmp_path / "progress.log")
    errors = tmp_path / "child-stderr.txt"
    known: dict[tuple[Any, ...], int] = {}
    hot_journals = 0
    changes_reported = 0
    with errors.open("w") as err:
        server = subprocess.Popen(
            [sys.executable, str(CHILD), str(session_file), str(log.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            bufsize=1,
        )
    assert server.stdin is not None and server.stdout is not None
    try:
        for round_no in range(1, KILLS + 1):
            server.stdin.write(f"round {round_no} {rng.randrange(2**32)}\n")
            server.stdin.flush()
            answer = server.stdout.readline().split()
            assert answer[:1] == ["forked"], (answer, errors.read_text())
            pid = int(answer[1])
            # Mostly kill while it edits; one round in four counts from the fork,
            # so some kills land while it opens the file and takes the marker.
            if rng.random() >= 0.25:
                log.wait_for(f'"round": {round_no}, "op": "opened"')
            time.sleep(rng.uniform(0.02, 0.2))
            killed_at = time.time()
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # it died on its own; the status below says why
            dead = server.stdout.readline().split()
            assert dead[:2] == ["dead", str(pid)], dead
            status = int(dead[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"round {round_no}: the child failed by itself:\n{errors.read_text()}"
            )
            if session_file.with_name(session_file.name + "-journal").exists():
                hot_journals += 1

            # What the child said was saved in this round, and the one change
            # it may have been making (saved or not) when it was killed.
            reported = [e for e in log.read_new() if e["op"] != "opened"]
            assert all(e["round"] == round_no and e["t"] <= killed_at for e in reported)
            changes_reported += len(reported)
            for entry in reported:
                known[key_of(entry)] = entry["seq"]
            last_n = reported[-1]["seq"] - round_no * ROUND_BASE if reported else 0
            in_flight = round_no * ROUND_BASE + last_n + 1

            # Every other round the command line reads it first (export does).
            exported = saved_values(read_session(session_file)) if round_no % 2 else None
            # The app can open it: not refused as damaged, nor as "in use" by
            # the dead child.
            service = SessionService.open(session_file)
            saved = saved_values(service.session)
            service.close()
            assert exported is None or exported == saved
            for key, seq in known.items():
                assert key in saved, f"round {round_no}: reported change lost: {key} = {seq}"
                assert saved[key] in (seq, in_flight), (
                    f"round {round_no}: {key} holds {saved[key]}, reported {seq}"
                )
            unexpected = {k: v for k, v in saved.items() if k not in known and v != in_flight}
            assert not unexpected, f"round {round_no}: values nobody wrote: {unexpected}"
            assert sum(1 for v in saved.values() if v == in_flight) <= 1
            known = saved

            conn = sqlite3.connect(session_file)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            finally:
                conn.close()
    finally:
        if server.poll() is None:
            server.stdin.write("\n")
            server.stdin.flush()
            server.wait(timeout=10)

    # The test must have exercised something, even on a slow, busy machine.
    assert changes_reported >= KILLS, changes_reported
    # ... and some kills landed inside a write (a hot journal was left behind).
    assert hot_journals >= 1
    print(f"{changes_reported} changes reported, {hot_journals} kills inside a transaction")


def assert_closed_cleanly(path: Path) -> None:
    """Only the session file is left: no journal, no WAL, no "open by" marker."""
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT value FROM app_meta WHERE key='open_by'").fetchall() == []
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()


def test_normal_close_leaves_one_file(session_file: Path) -> None:
    service = SessionService.open(session_file)
    service.add_action("Send the deck", service.session.meta.current_step)
    service.update_meta(warmup_notes="Both teams talk to customers")
    service.close()
    assert_closed_cleanly(session_file)


async def test_app_quit_leaves_one_file(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.service is not None
        app.service.update_meta(warmup_notes="typed in the app")
        journal = session_file.with_name(session_file.name + "-journal")
        assert not journal.exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert_closed_cleanly(session_file)
    service = SessionService.open(session_file)
    try:
        assert service.session.meta.warmup_notes == "typed in the app"
    finally:
        service.close()

"""Helper process for ``test_crash_safety.py``: edits a session until it is killed.

Run as ``python crash_child.py SESSION_PATH LOG_PATH``. The process imports the
app's core once and then works as a small fork server, so that each of the many
kill rounds costs a fork instead of a fresh interpreter start (about 0.3 s):

* the test writes ``round R SEED`` on stdin;
* the server forks a *worker*, answers ``forked PID`` and waits for it; when the
  worker is gone it answers ``dead PID STATUS`` (the raw ``waitpid`` status, so
  the test can check the worker died of SIGKILL and not of its own error).

A worker opens the session through :class:`SessionService` (the app's own save
path, without ``force``), then makes one change after another: adds actions,
rewrites action texts, sets funnel counts, rewrites the warm-up notes and the
story's core message. After each change has *returned* it appends one JSON line
to LOG_PATH saying what is now saved, with a timestamp. Every value written
carries a sequence number ``R * 1_000_000 + n`` that only grows, so the test can
tell a reported change from a later one that overwrote it.

Empty line or EOF on stdin ends the server.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
from pathlib import Path

from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService

ROUND_BASE = 1_000_000
STEPS = list(StepId)


def _log(fd: int, **entry: object) -> None:
    entry["t"] = time.time()
    os.write(fd, (json.dumps(entry) + "\n").encode())


def work(path: Path, log_path: Path, round_no: int, seed: int) -> None:
    """Edit the session forever (until killed)."""
    rng = random.Random(seed)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    service = SessionService.open(path)
    _log(fd, round=round_no, op="opened")
    session = service.session
    people = [p.id for p in session.participants]
    stages = [s.id for s in session.funnel_stages]
    periods = [p.id for p in session.funnel_periods]
    n = 0
    while True:
        n += 1
        seq = round_no * ROUND_BASE + n
        roll = rng.random()
        actions = session.actions
        if roll < 0.25 or not actions:
            owner = rng.choice([*people, None])
            action = service.add_action(
                f"action {seq}", rng.choice(STEPS), owner_id=owner, due="2027-01-15"
            )
            _log(fd, round=round_no, seq=seq, op="add_action", id=action.id)
        elif roll < 0.5:
            target = rng.choice(actions)
            service.update(target, text=f"action {seq}")
            _log(fd, round=round_no, seq=seq, op="action_text", id=target.id)
        elif roll < 0.75:
            stage, period = rng.choice(stages), rng.choice(periods)
            service.set_count(stage, period, count=seq)
            _log(fd, round=round_no, seq=seq, op="count", stage=stage, period=period)
        elif roll < 0.9:
            service.update_meta(warmup_notes=f"notes {seq}")
            _log(fd, round=round_no, seq=seq, op="notes")
        else:
            service.update(session.story, core_message=f"core {seq}")
            _log(fd, round=round_no, seq=seq, op="core")


def serve(path: Path, log_path: Path) -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            break
        _cmd, round_no, seed = parts[0], int(parts[1]), int(parts[2])
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                work(path, log_path, round_no, seed)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        sys.stdout.write(f"forked {pid}\n")
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(f"dead {pid} {status}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]))

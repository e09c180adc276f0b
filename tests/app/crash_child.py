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

Typing mode, ``python crash_child.py --type LOG_PATH WARM_UP_SESSION``: the
same fork server (warmed up by one run of the app on a session of its own),
but a worker starts the real app on the session named in its command (``type R
SEED SESSION_PATH``), puts the focus in the Set-up step's Organisation field
and types into it by Pilot, a letter every 50 to 100 ms, until killed. After
each key has been handled it appends ``{"op": "key", "i": n, "t": ...}`` to
LOG_PATH, ``t`` being :func:`time.monotonic` (the same clock in every process),
so the test knows how long before the kill each letter was typed. The worker
checks that every letter reached the field; anything else ends it with a
traceback (not by SIGKILL), which the test reports.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

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


#: What the typing worker types, over and over: letters only, so the field keeps
#: every one of them as typed (nothing stripped, no key names).
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
#: The field typed into: the Set-up step's Organisation (a plain bound field).
FIELD_ID = "setup-organisation"


def typed_text(count: int) -> str:
    """The first *count* letters the typing worker types."""
    return "".join(ALPHABET[i % len(ALPHABET)] for i in range(count))


async def _focus_field(app: Any, pilot: Any) -> Any:
    """The field to type into, with the focus, once the workshop screen shows it."""
    from textual.widgets import Input

    limit = time.monotonic() + 60
    while True:  # the workshop screen opens the file in the background
        matches = app.screen.query(f"#{FIELD_ID}")
        if matches:
            field = matches.first(Input)
            break
        if app.return_code is not None or time.monotonic() > limit:
            raise RuntimeError(f"no #{FIELD_ID} on {app.screen!r} (exit {app.return_code})")
        await pilot.pause(0.02)
    # The step puts the focus in its first field once it is shown: ask until ours has it.
    while not field.has_focus:
        if time.monotonic() > limit:
            raise RuntimeError(f"#{FIELD_ID} did not take the focus ({app.focused!r} has it)")
        field.focus()
        await pilot.pause()
    return field


async def _type_forever(path: Path, fd: int, round_no: int, rng: random.Random) -> None:
    from alignment_tui.app import AlignmentApp

    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        field = await _focus_field(app, pilot)
        _log_monotonic(fd, round=round_no, op="ready")
        n = 0
        while True:
            letter = ALPHABET[n % len(ALPHABET)]
            await pilot.press(letter)
            n += 1
            assert field.value == typed_text(n), f"after {n} keys the field holds {field.value!r}"
            _log_monotonic(fd, round=round_no, op="key", i=n)
            await asyncio.sleep(rng.uniform(0.05, 0.1))


async def _warm_up(path: Path) -> None:
    """Start the app once and type a little, so the workers start from warm caches
    (lazy imports, parsed selectors): each costs less, and the kills come sooner."""
    from alignment_tui.app import AlignmentApp

    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _focus_field(app, pilot)
        await pilot.press(*ALPHABET[:3])
        await pilot.pause()
        app.exit()


def _log_monotonic(fd: int, **entry: object) -> None:
    entry["t"] = time.monotonic()
    os.write(fd, (json.dumps(entry) + "\n").encode())


def type_into_field(path: Path, log_path: Path, round_no: int, seed: int) -> None:
    """Type into the app's field forever (until killed)."""
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    asyncio.run(_type_forever(path, fd, round_no, random.Random(seed)))


def serve(path: Path | None, log_path: Path) -> None:
    """Fork one worker per command; *path* None: the typing mode (the path comes with it)."""
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            break
        _cmd, round_no, seed = parts[0], int(parts[1]), int(parts[2])
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                if path is None:
                    type_into_field(Path(parts[3]), log_path, round_no, seed)
                else:
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
    if sys.argv[1] == "--type":
        # Start the app once here, so each worker costs a fork, not a cold start.
        asyncio.run(_warm_up(Path(sys.argv[3])))
        serve(None, Path(sys.argv[2]))
    else:
        serve(Path(sys.argv[1]), Path(sys.argv[2]))

"""Nothing lost: twenty visitors' processes write notes and dots while the facilitator saves.

One helper process imports the core once and forks twenty contributor
processes (twenty Python start-ups would cost more than the test itself on a
busy machine). Each contributor sends 50 notes and dots with pauses of 0 to
5 ms and, after each commit, writes what it saved to its own report file (a
whole line per write: what a process killed with SIGKILL reported is on disk).
Meanwhile this process, the facilitator, saves without pause through
:class:`SessionService`: actions added, a goal renamed, the step moved, notes
accepted and dismissed. Four contributors are killed with SIGKILL half-way.

Then: every note and dot a contributor reported is in the file, with its text
to the character; every facilitator change is there; each visitor's dots stay
within the budget; ``PRAGMA integrity_check`` is ok; and the facilitator never
saw an exception (any would fail the test where it happened).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from alignment_tui.sessions.contributions import ContributionState
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.fileinfo import read_summary
from alignment_tui.sessions.models import Action, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session

CONTRIBUTORS = 20
OPERATIONS = 50
KILLED = (0, 5, 10, 15)
BUDGET = 4
DEADLINE = 90.0  # seconds; the test takes a few on a busy two-core machine

#: The helper: forks the contributors, prints their pids, reaps them when its stdin closes.
SPAWNER = r"""
import os, random, sys, time
from alignment_tui.sessions.contributions import ContributionBox, new_visitor
from alignment_tui.sessions.models import StepId

path, reports, n, ops = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
STEPS = list(StepId)


def note_text(child, i):
    return f"note {child}-{i} [b]bold?[/b] \x1b[31mred?\x1b[0m\nline two " + "é" * (i % 7)


def contribute(child):
    rng = random.Random(child)
    out = open(os.path.join(reports, f"{child}.txt"), "w", buffering=1)
    box = ContributionBox.open(path)
    visitor = new_visitor()
    out.write(f"visitor {visitor}\n")
    mine = []
    for i in range(ops):
        time.sleep(rng.random() * 0.005)
        try:
            if rng.random() < 0.7:
                step = STEPS[rng.randrange(len(STEPS))]
                c = box.add_note(visitor, f"Visitor {child}", step, note_text(child, i))
                out.write(f"note {c.id} {i} {step.value}\n")
            elif box.votes_left(visitor) > 0:
                goal = rng.choice([1, 2, 3])
                c = box.vote(visitor, f"Visitor {child}", goal)
                mine.append(goal)
                out.write(f"vote {c.id} {goal}\n")
            else:
                goal = mine.pop(rng.randrange(len(mine)))
                box.unvote(visitor, goal)
                out.write(f"unvote {goal}\n")
        except Exception as exc:
            out.write("error " + " ".join(repr(exc).split()) + "\n")
    box.close()
    out.write("done\n")


pids = []
for child in range(n):
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            contribute(child)
        except BaseException as exc:
            with open(os.path.join(reports, f"{child}.txt"), "a") as out:
                out.write("crash " + " ".join(repr(exc).split()) + "\n")
            code = 1
        os._exit(code)
    pids.append(pid)
print(" ".join(map(str, pids)), flush=True)
sys.stdin.read()
for pid in pids:
    os.waitpid(pid, 0)
"""


def _lines(report: Path) -> list[str]:
    """The whole lines of a report (a kill can cut none, but be safe)."""
    try:
        text = report.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return text.split("\n")[:-1]


def _note_text(child: int, i: int) -> str:
    return f"note {child}-{i} [b]bold?[/b] \x1b[31mred?\x1b[0m\nline two " + "é" * (i % 7)


def test_twenty_contributors_and_the_facilitator_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "room.alignment.db"
    reports = tmp_path / "reports"
    reports.mkdir()
    svc = SessionService.create(path, demo_session())
    svc.set_contributions_open(True)
    svc.set_vote_budget(BUDGET)
    goal = svc.session.goals[0]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    spawner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SPAWNER,
            str(path),
            str(reports),
            str(CONTRIBUTORS),
            str(OPERATIONS),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert spawner.stdout is not None and spawner.stdin is not None
    pids = [int(p) for p in spawner.stdout.readline().split()]
    assert len(pids) == CONTRIBUTORS
    # each killed contributor dies after a different number of reported operations
    kill_after = {child: 8 + 7 * n for n, child in enumerate(KILLED)}
    killed: set[int] = set()

    added: list[Action] = []
    accepted: dict[int, Action] = {}
    dismissed: set[int] = set()
    steps = list(StepId)
    saves = 0
    deadline = time.monotonic() + DEADLINE
    try:
        while True:
            reported = {child: _lines(reports / f"{child}.txt") for child in range(CONTRIBUTORS)}
            for child, after in kill_after.items():
                if child not in killed and len(reported[child]) >= after:
                    os.kill(pids[child], signal.SIGKILL)
                    killed.add(child)
            finished = [c for c in range(CONTRIBUTORS) if reported[c][-1:] == ["done"]]
            if len(finished) + len(killed) == CONTRIBUTORS and len(killed) == len(KILLED):
                break
            crashed = [r[-1] for r in reported.values() if r and r[-1].startswith("crash")]
            assert not crashed, crashed
            assert time.monotonic() < deadline, {c: r[-1:] for c, r in reported.items()}
            # the facilitator's saves, as fast as they go
            added.append(svc.add_action(f"Facilitator action {saves}", StepId.WRAPUP))
            svc.update(svc.session.goals[0], statement=f"{goal.statement} ({saves})")
            svc.set_step(steps[saves % len(steps)])
            waiting = svc.contributions()
            if waiting and saves % 3 == 0:
                first = waiting[0]
                accepted[first.id] = svc.accept_contribution(
                    first, Action(text="Follow up what the room said", step=first.step)
                )
            elif waiting and saves % 3 == 1:
                svc.dismiss_contribution(waiting[-1])
                dismissed.add(waiting[-1].id)
            svc.waiting_counts()
            svc.vote_tally()
            saves += 1
    finally:
        spawner.stdin.close()
        spawner.wait(timeout=30)
    svc.close()
    assert saves >= 3, "the facilitator saved while the contributors wrote"

    # every facilitator change is there
    session = read_session(path)
    texts = {a.text for a in session.actions}
    assert {a.text for a in added} <= texts
    assert session.goals[0].statement == f"{goal.statement} ({saves - 1})"
    assert session.meta.current_step is steps[(saves - 1) % len(steps)]
    for action in accepted.values():
        assert action in session.actions

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT id, visitor, kind, text, goal_id, step, state, accepted_as FROM contributions"
            )
        }
    finally:
        conn.close()
    for cid, action in accepted.items():
        assert rows[cid][5] == ContributionState.ACCEPTED and rows[cid][6] == f"action {action.id}"
    for cid in dismissed:
        assert rows[cid][5] == ContributionState.DISMISSED

    # every note and dot a contributor reported is in the file, as sent
    notes_reported = 0
    for child in range(CONTRIBUTORS):
        lines = _lines(reports / f"{child}.txt")
        assert lines and lines[0].startswith("visitor "), (child, lines)
        visitor = lines[0].split()[1]
        assert not [line for line in lines if line.startswith("error")], (child, lines)
        net_votes = 0
        for line in lines[1:]:
            word, *rest = line.split()
            if word == "note":
                cid, i, step = int(rest[0]), int(rest[1]), rest[2]
                assert rows[cid][:5] == (visitor, "note", _note_text(child, i), None, step)
                notes_reported += 1
            elif word == "vote":
                cid = int(rest[0])
                if cid in rows:  # else taken back since
                    assert rows[cid][:2] == (visitor, "vote")
                net_votes += 1
            elif word == "unvote":
                net_votes -= 1
        votes = sum(1 for r in rows.values() if r[0] == visitor and r[1] == "vote")
        assert votes <= BUDGET
        if child in killed:
            # the last operation may have committed without being reported
            assert abs(votes - net_votes) <= 1, (child, votes, net_votes)
        else:
            assert lines[-1] == "done" and votes == net_votes, (child, votes, net_votes)
            assert len(lines) == OPERATIONS + 2
    assert notes_reported > CONTRIBUTORS * OPERATIONS // 2
    # nothing wrote after the facilitator's close: the summary `list` shows is current
    assert read_summary(path) is not None

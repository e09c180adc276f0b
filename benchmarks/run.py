"""``make bench``: how fast alignment-tui starts, opens, exports, types and saves.

Every figure is the median of several runs, set beside a *floor* measured in
the same run on the same machine (a minimal Textual app, a bare Python start),
so the ratio means something on a slow or busy machine too. Runs of ours and
of the floor are interleaved so that load from other programs hits both.

Prints a table and writes it, with the machine and versions, to
``benchmarks/RESULTS.md``. When a ratio misses its target, the scenario is
profiled (``-X importtime`` and cProfile) and the biggest costs are written
under the table. Not part of ``make test``; nothing here asserts a time.

    .venv/bin/python benchmarks/run.py [--runs N] [--no-write] [--no-profile] [--only follow]

``--only follow`` runs the follow view's rows alone (and writes nothing).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = HERE / "scenarios.py"
RESULTS = HERE / "RESULTS.md"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
sys.path.insert(0, str(HERE))

import follow_bench  # noqa: E402
from large_session import build_large_session  # noqa: E402

from alignment_tui.sessions.models import STEP_ORDER, Action, StepId, new_session  # noqa: E402
from alignment_tui.sessions.service import SessionService  # noqa: E402
from alignment_tui.sessions.store import SessionStore  # noqa: E402

TYPED_KEYS = 30
#: A session of a usual size: what a half-day workshop ends with.
SMALL: dict[str, Any] = {
    "actions": 15,
    "goals": 4,
    "periods": 2,
    "stages": 7,
    "people": 6,
    "current_step": StepId.GOALS,
}


# ---------------------------------------------------------------------------
# Running things
# ---------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    rss_kb: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def run_child(cmd: list[str], env: dict[str, str], *, key: str | None = None) -> Sample:
    """Run *cmd*; time it (or take ``key`` from its last JSON line); peak RSS via wait4."""
    spawned = time.time()
    cmd = [part.replace("{spawned}", repr(spawned)) for part in cmd]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    # The child's CPU time, start to exit: steadier than its wall time on a machine
    # whose other load comes and goes (see open_each_step).
    extra: dict[str, Any] = {
        "stdout_bytes": len(stdout),
        "cpu": usage.ru_utime + usage.ru_stime,
    }
    if key is not None:
        lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
        extra.update(json.loads(lines[-1]))
        elapsed = float(extra[key])
    return Sample(elapsed, usage.ru_maxrss, extra)


def scenario(name: str, *args: str) -> list[str]:
    return [PYTHON, str(SCENARIOS), name, "{spawned}", *args]


@dataclass
class Figure:
    name: str
    ours: list[Sample]
    floor: list[Sample]
    unit: str  # "s", "ms" or "us"
    target: float | None
    floor_name: str
    note: str = ""
    profile: str = ""

    @property
    def ours_median(self) -> float:
        return statistics.median(s.seconds for s in self.ours)

    @property
    def floor_median(self) -> float:
        return statistics.median(s.seconds for s in self.floor)

    @property
    def ratio(self) -> float:
        return self.ours_median / self.floor_median

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target


def fmt(seconds: float, unit: str) -> str:
    if unit == "s":
        return f"{seconds:.2f} s"
    if unit == "ms":
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def spread(samples: list[Sample], unit: str) -> str:
    values = [s.seconds for s in samples]
    lo, hi = min(values), max(values)
    if unit == "s":
        return f"{lo:.2f}–{hi:.2f}"
    if unit == "ms":
        return f"{lo * 1000:.1f}–{hi * 1000:.1f}"
    return f"{lo * 1e6:.0f}–{hi * 1e6:.0f}"


def rss(samples: list[Sample]) -> str:
    values = [s.rss_kb for s in samples if s.rss_kb]
    return f"{max(values) / 1024:.0f} MB" if values else "–"


#: Stop adding runs to a figure after this many seconds (once it has MIN_RUNS).
BUDGET = 60.0
MIN_RUNS = 3


def interleaved(runs: int, *jobs: Callable[[], Sample], warmup: bool = True) -> list[list[Sample]]:
    """Run each job up to *runs* times, round-robin, after one unmeasured warm-up round.

    A slow scenario stops after MIN_RUNS once BUDGET seconds are spent, so the
    benchmark stays a few minutes long on a busy machine.
    """
    if warmup:
        for job in jobs:
            job()
    results: list[list[Sample]] = [[] for _ in jobs]
    began = time.monotonic()
    for n in range(runs):
        if n >= MIN_RUNS and time.monotonic() - began > BUDGET:
            break
        for i, job in enumerate(jobs):
            results[i].append(job())
            print(".", end="", flush=True)
    return results


# ---------------------------------------------------------------------------
# Set-up
# ---------------------------------------------------------------------------


def prepare(tmp: Path) -> tuple[dict[str, str], dict[str, Path]]:
    data = tmp / "data"
    data.mkdir()
    env = dict(os.environ)
    env["ALIGNMENT_TUI_DATA_DIR"] = str(data)
    env["ALIGNMENT_TUI_CONFIG_DIR"] = str(tmp / "config")
    env.pop("TEXTUAL", None)
    # A start screen with something to list.
    for i, title in enumerate(["Q1 kick-off", "Q2 review", "Partner workshop"], start=1):
        s = new_session(title, organisation="Acme", workshop_date=dt.date(2026, i, 10))
        SessionStore.create(data / f"s{i}.alignment.db", s).close(s)
    files = {}
    for step in STEP_ORDER:
        label = step.value
        path = tmp / f"large-{label}.alignment.db"
        SessionStore.create(path, build_large_session(current_step=step)).close()
        files[label] = path
    small = tmp / "small-goals.alignment.db"
    SessionStore.create(small, build_large_session(**SMALL)).close()
    files["small"] = small
    for label in ("save", "save-floor"):
        path = tmp / f"large-{label}.alignment.db"
        shutil.copy(files["funnel"], path)
        files[label] = path
    return env, files


def cli_has_export(env: dict[str, str]) -> bool:
    """Is the real ``export`` command there (the CLI was written alongside this)?"""
    exe = BIN / "alignment-tui"
    if not exe.exists():
        return False
    try:
        proc = subprocess.run(
            [str(exe), "export", "--help"],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0 and "--format" in proc.stdout


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def startup_and_open(runs: int, env: dict[str, str], files: dict[str, Path]) -> list[Figure]:
    floor_name = "minimal Textual app, one screen"
    floor_job = lambda: run_child(scenario("startup-floor"), env, key="ready")  # noqa: E731
    floor, start = interleaved(
        runs, floor_job, lambda: run_child(scenario("startup-app"), env, key="ready")
    )
    figures = [Figure("Start-up to the start screen", start, floor, "s", 1.3, floor_name)]
    # The start-up round warmed the caches; opening a large file is slow enough
    # that a warm-up round would only cost time.
    floor, goals, funnel = interleaved(
        runs,
        floor_job,
        lambda: run_child(scenario("open-app", str(files["goals"])), env, key="ready"),
        lambda: run_child(scenario("open-app", str(files["funnel"])), env, key="ready"),
        warmup=False,
    )
    note = "300 actions, 40 goals, 12 periods × 10 stages, 30 people"
    figures += [
        Figure(
            "Open large session → workshop (at Goals)",
            goals,
            floor,
            "s",
            1.5,
            floor_name,
            note=note + "; saved on the Goals step",
        ),
        Figure(
            "Open large session → workshop (at Funnel)",
            funnel,
            floor,
            "s",
            1.5,
            floor_name,
            note="the same session saved on the Funnel step",
        ),
    ]
    return figures


#: Widgets on the workshop screen when a large session opens at Set-up, its
#: smallest step (see the "open at each step" table): the size of the
#: "screen of N widgets" reference.
REFERENCE_WIDGETS = 60
#: Runs of each step's opening, interleaved with as many of the floor's.
EACH_STEP_RUNS = 5
#: Issue 10's bar: opening the large session may not be slower than this at any step.
EACH_STEP_TARGET = 2.3


def references(runs: int, env: dict[str, str], files: dict[str, Path]) -> list[Figure]:
    """Information rows: what the data alone and a screen of widgets alone cost.

    Not targets: they show how much of the open-session ratio is left once the
    session is read with pydantic, and what Textual charges for the number of
    widgets a workshop screen has.
    """
    floor_name = "minimal Textual app, one screen"
    floor, reading, widgets = interleaved(
        runs,
        lambda: run_child(scenario("startup-floor"), env, key="ready"),
        lambda: run_child(scenario("floor-reading", str(files["goals"])), env, key="ready"),
        lambda: run_child(scenario("floor-widgets", str(REFERENCE_WIDGETS)), env, key="ready"),
        warmup=False,
    )
    return [
        Figure(
            "Reference: the floor after reading the large session",
            reading,
            floor,
            "s",
            None,
            floor_name,
            note="our store and pydantic models read and validate it, then the floor app runs",
        ),
        Figure(
            f"Reference: the floor with {REFERENCE_WIDGETS} more Static widgets",
            widgets,
            floor,
            "s",
            None,
            floor_name,
            note="one line each, in a scrolling column",
        ),
    ]


def open_each_step(
    runs: int, env: dict[str, str], files: dict[str, Path]
) -> tuple[dict[str, float], float]:
    """Median seconds to open the large session saved on each step, and the floor's.

    The floor runs in the same rounds as the steps (interleaved), so that load
    from other programs hits both: a ratio from a floor measured minutes
    earlier moved by about 0.3 times the floor with the machine's load.
    """
    floor_job = lambda: run_child(scenario("startup-floor"), env, key="ready")  # noqa: E731
    jobs = [floor_job] + [
        lambda step=step: run_child(scenario("open-app", str(files[step.value])), env, key="ready")
        for step in STEP_ORDER
    ]
    floor, *results = interleaved(runs, *jobs, warmup=False)
    per_step = {
        step.value: statistics.median(s.seconds for s in samples)
        for step, samples in zip(STEP_ORDER, results, strict=True)
    }
    # Information beside the wall-time ratios: the same openings in CPU seconds (the
    # child's whole run, its exit included), which other programs' load moves less.
    floor_cpu = statistics.median(s.extra["cpu"] for s in floor)
    per_step_cpu = {
        step.value: round(statistics.median(s.extra["cpu"] for s in samples) / floor_cpu, 2)
        for step, samples in zip(STEP_ORDER, results, strict=True)
    }
    print(f" (CPU ratios: {json.dumps(per_step_cpu)}, floor {floor_cpu:.2f} s CPU)", end="")
    return per_step, statistics.median(s.seconds for s in floor)


def export(runs: int, env: dict[str, str], files: dict[str, Path]) -> list[Figure]:
    path = str(files["funnel"])
    floor_cmd = [PYTHON, "-c", "import pydantic, sqlite_utils"]
    floor_name = "python -c 'import pydantic, sqlite_utils'"
    if cli_has_export(env):
        exe = str(BIN / "alignment-tui")
        floor, js, checklist = interleaved(
            runs,
            lambda: run_child(floor_cmd, env),
            lambda: run_child([exe, "export", path, "--format", "json"], env),
            lambda: run_child([exe, "export", path, "--format", "checklist"], env),
        )
        return [
            Figure("`alignment-tui export --format json`", js, floor, "s", 1.5, floor_name),
            Figure(
                "`alignment-tui export --format checklist`",
                checklist,
                floor,
                "s",
                1.5,
                floor_name,
            ),
        ]
    floor, js = interleaved(
        runs,
        lambda: run_child(floor_cmd, env),
        lambda: run_child(scenario("read", path), env),
    )
    return [
        Figure(
            "Export as JSON (read_session + to_json; CLI not there yet)",
            js,
            floor,
            "s",
            1.5,
            floor_name,
            note="the `export` command was not in cli.py when this ran",
        )
    ]


#: Sessions in the folder `list` reads (issue 13: every client's next review at a glance).
LIST_SESSIONS = 200


def list_folder(runs: int, env: dict[str, str], files: dict[str, Path]) -> list[Figure]:
    """`alignment-tui list --dir` over 200 closed sessions vs their titles read with sqlite3."""
    folder = files["small"].parent / "clients"
    folder.mkdir(exist_ok=True)
    for i in range(LIST_SESSIONS):
        s = new_session(f"Client {i}", organisation=f"Org {i}", workshop_date=dt.date(2026, 10, 1))
        s.meta = s.meta.model_copy(update={"next_review": dt.date(2026, 12, 1 + i % 28)})
        s.actions = [
            Action(id=n, text=f"Action {n}", due=dt.date(2026, 11, 1 + n)) for n in range(1, 6)
        ]
        SessionStore.create(folder / f"client-{i:03}.alignment.db", s).close(s)
    exe = BIN / "alignment-tui"
    ours_cmd = (
        [str(exe), "list", "--dir", str(folder)]
        if exe.exists()
        else scenario("cli", "list", "--dir", str(folder))
    )
    floor, ours = interleaved(
        runs,
        lambda: run_child(scenario("titles-floor", str(folder)), env),
        lambda: run_child(ours_cmd, env),
    )
    return [
        Figure(
            f"`alignment-tui list --dir` ({LIST_SESSIONS} sessions)",
            ours,
            floor,
            "s",
            None,
            f"python: {LIST_SESSIONS} files' titles with plain sqlite3",
            note="each file's stored summary (title, next review, open actions' due dates) "
            "is read, not the session; both sides include the Python start",
        )
    ]


def typing(runs: int, env: dict[str, str], files: dict[str, Path]) -> list[Figure]:
    def job(name: str, *args: str) -> Callable[[], Sample]:
        return lambda: run_child(scenario(name, *args), env, key="per_key")

    keys = str(TYPED_KEYS)
    floor, small, large = interleaved(
        runs,
        job("typing-floor", keys),
        job("typing-app", str(files["small"]), keys),
        job("typing-app", str(files["goals"]), keys),
        warmup=False,
    )
    floor_name = "plain Input in a minimal app"
    return [
        Figure(
            "Typing: CPU per keystroke (usual session)",
            small,
            floor,
            "ms",
            1.2,
            floor_name,
            note=f"{TYPED_KEYS} keys into {small[0].extra.get('field', '?')}; "
            "4 goals, 15 actions, 6 people",
        ),
        Figure(
            "Typing: CPU per keystroke (large session)",
            large,
            floor,
            "ms",
            1.2,
            floor_name,
            note=f"{TYPED_KEYS} keys into {large[0].extra.get('field', '?')} of the large session",
        ),
    ]


def steps(env: dict[str, str], files: dict[str, Path]) -> tuple[Figure, dict[str, float], int]:
    sample = run_child(scenario("steps-app", str(files["funnel"])), env, key="steps")
    per_step = sample.extra.get("per_step_cpu", {})
    fig = Figure(
        "Visit all 7 steps once (large session)",
        [sample],
        [sample],
        "s",
        None,
        "–",
        note="information: first visit mounts each pane",
    )
    return fig, per_step, int(sample.extra.get("widgets", 0))


def _time_batches(fn: Callable[[int], None], batches: int, size: int) -> list[Sample]:
    for i in range(5):
        fn(i)
    out = []
    n = 0
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(size):
            n += 1
            fn(n)
        out.append(Sample((time.perf_counter() - start) / size))
    return out


def _alloc_peak(fn: Callable[[int], None], size: int) -> int:
    tracemalloc.start()
    for i in range(size):
        fn(10_000 + i)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak // 1024


def autosave(runs: int, files: dict[str, Path]) -> list[Figure]:
    service = SessionService.open(files["save"])
    conn = sqlite3.connect(files["save-floor"])
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    first = service.session.actions[0]

    def save_action(i: int) -> None:
        action = next(a for a in service.session.actions if a.id == first.id)
        service.update(action, text=f"Send the brief to sales, round {i}")

    def save_meta(i: int) -> None:
        service.update_meta(warmup_notes=f"Both teams talk to customers ({i})")

    def raw(i: int) -> None:
        with conn:
            conn.execute("UPDATE actions SET text = ? WHERE id = ?", (f"raw round {i}", first.id))

    size = 40
    try:
        floor = _time_batches(raw, runs, size)
        action = _time_batches(save_action, runs, size)
        meta = _time_batches(save_meta, runs, size)
        peaks = {
            "action": _alloc_peak(save_action, size),
            "meta": _alloc_peak(save_meta, size),
        }
    finally:
        service.close()
        conn.close()
    floor_name = "raw sqlite3 UPDATE + commit, same pragmas"
    return [
        Figure(
            "Autosave: `service.update(action, text=…)`",
            action,
            floor,
            "us",
            None,
            floor_name,
            note=f"in-process; Python allocations peak {peaks['action']} KB per {size} saves",
        ),
        Figure(
            "Autosave: `service.update_meta(…)`",
            meta,
            floor,
            "us",
            None,
            floor_name,
            note=f"in-process; Python allocations peak {peaks['meta']} KB per {size} saves",
        ),
    ]


#: Seconds of idle measured per run of the follow view (and of its floor).
FOLLOW_IDLE = 15.0
#: Changes of words and of step timed for one visitor.
FOLLOW_CHANGES = 5
#: Visitors served at once for the crowd row, and the step changes timed for them.
FOLLOW_CROWD = 10
FOLLOW_CROWD_CHANGES = 3


def follow(runs: int, folder: Path) -> list[Figure]:
    """The follow view (issue 14): its idle CPU, the time from a facilitator's save to
    the view showing it (against the polling interval), and what a served visitor costs.

    The view runs as ``serve`` runs it for each visitor (textual-serve's web driver);
    a visitor is a websocket opened as the browser's page opens it.
    """
    import asyncio

    from alignment_tui.follow.screen import POLL_SECONDS

    demo = follow_bench.demo_file(folder)
    ours_cmd = [PYTHON, "-m", "alignment_tui.follow", str(demo)]
    floor_cmd = [PYTHON, str(SCENARIOS), "idle-floor", "0"]
    runs = min(runs, MIN_RUNS)

    def idle(cmd: list[str]) -> Sample:
        per_minute, rss_kb = follow_bench.idle_view(cmd, FOLLOW_IDLE)
        return Sample(per_minute, rss_kb)

    floor, ours = interleaved(runs, lambda: idle(floor_cmd), lambda: idle(ours_cmd), warmup=False)
    figures = [
        Figure(
            "Follow view idle: CPU seconds per minute",
            ours,
            floor,
            "s",
            None,
            "a minimal Textual app showing one line, idle, same driver",
            note=f"{FOLLOW_IDLE:.0f} s of idle per run, under textual-serve's web driver at "
            "100×30; the view asks the file `PRAGMA data_version` every "
            f"{POLL_SECONDS} s and reads nothing more while it does not move",
        )
    ]
    interval = [Sample(POLL_SECONDS)]
    words, steps, view_kb = asyncio.run(follow_bench.latencies(demo, FOLLOW_CHANGES))
    for kind, values in (("a change of words", words), ("a change of step", steps)):
        figures.append(
            Figure(
                f"Follow view: facilitator's save → shown, {kind}",
                [Sample(v, view_kb) for v in values],
                interval,
                "s",
                4.0,
                f"the polling interval ({POLL_SECONDS} s)",
                note="one served visitor: from the save's commit to the websocket carrying it; "
                "target: within a second",
            )
        )
    demo = follow_bench.demo_file(folder)  # afresh: the title changed
    crowd = asyncio.run(
        follow_bench.measure(demo, FOLLOW_CROWD, FOLLOW_CROWD_CHANGES, idle=FOLLOW_IDLE)
    )
    rss_kb = int(crowd["rss_mb_per_view"] * 1024)
    last = [Sample(v, rss_kb) for v in crowd["last_visitor_step_s"]]
    figures.append(
        Figure(
            f"Served visitors: step change → the last of {FOLLOW_CROWD}",
            last,
            interval,
            "s",
            4.0,
            f"the polling interval ({POLL_SECONDS} s)",
            note=f"{FOLLOW_CROWD} browsers' websockets on one `serve`; memory per visitor "
            f"RSS {crowd['rss_mb_per_view']} MB (PSS {crowd['pss_mb_per_view']} MB, what each "
            f"adds once the interpreter's pages are shared); CPU per visitor per step change "
            f"{crowd['cpu_s_per_step_change_per_view']} s, idle "
            f"{crowd['idle_cpu_s_per_minute_per_view']} s per minute",
        )
    )
    return figures


# ---------------------------------------------------------------------------
# Profiles of missed targets
# ---------------------------------------------------------------------------


def import_costs(cmd: list[str], env: dict[str, str], top: int = 10) -> list[tuple[str, float]]:
    """Self import time by top-level package, in ms."""
    spawned = repr(time.time())
    args = [part.replace("{spawned}", spawned) for part in cmd[1:]]
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    totals: Counter[str] = Counter()
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)", line)
        if m:
            totals[m[2].split(".")[0]] += int(m[1])
    return [(name, us / 1000) for name, us in totals.most_common(top)]


def cprofile_child(cmd: list[str], env: dict[str, str], top: int = 12) -> str:
    """cProfile a child scenario: top functions by cumulative and by own time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "prof.out"
        spawned = repr(time.time())
        args = [part.replace("{spawned}", spawned) for part in cmd[1:]]
        subprocess.run(
            [cmd[0], "-m", "cProfile", "-o", str(out), *args],
            env=env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            check=True,
        )
        return _format_stats(pstats.Stats(str(out)), top)


def _short(filename: str) -> str:
    for marker in ("site-packages/", "src/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return Path(filename).name


def _format_stats(stats: pstats.Stats, top: int) -> str:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, func), (_cc, _nc, tt, ct, _callers) in raw.items():
        rows.append((ct, tt, f"{_short(filename)}:{line}({func})"))
    ours = sorted((r for r in rows if "alignment_tui" in r[2]), reverse=True)[:top]
    hot = sorted(rows, key=lambda r: r[1], reverse=True)[:top]
    buf = io.StringIO()
    buf.write("Our functions by cumulative time:\n\n")
    buf.write("| cumulative | own | function |\n|---:|---:|---|\n")
    for ct, tt, name in ours:
        buf.write(f"| {ct * 1000:.0f} ms | {tt * 1000:.0f} ms | `{name}` |\n")
    buf.write("\nHot spots anywhere, by own time:\n\n")
    buf.write("| own | cumulative | function |\n|---:|---:|---|\n")
    for ct, tt, name in hot:
        buf.write(f"| {tt * 1000:.0f} ms | {ct * 1000:.0f} ms | `{name}` |\n")
    return buf.getvalue()


def profile_keys(path: Path, env: dict[str, str], keys: int = 10) -> str:
    """cProfile only the key presses of the typing scenario."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "keys.prof"
        run_child(
            scenario("typing-app", str(path), str(keys)),
            {**env, "BENCH_PROFILE_KEYS": str(out)},
            key="per_key",
        )
        text = _format_stats(pstats.Stats(str(out)), 12)
    return f"{keys} keys, only the key presses profiled:\n\n{text}"


def profile_in_process(fn: Callable[[int], None], top: int = 12) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for i in range(40):
        fn(20_000 + i)
    prof.disable()
    return _format_stats(pstats.Stats(prof), top)


def profile_misses(figures: list[Figure], env: dict[str, str], files: dict[str, Path]) -> None:
    for fig in figures:
        if fig.met is not False:
            continue
        print(f"\nprofiling: {fig.name}", flush=True)
        if fig.name.startswith("Start-up"):
            cmd, floor_cmd = scenario("startup-app"), scenario("startup-floor")
        elif "(at Goals)" in fig.name:
            cmd, floor_cmd = scenario("open-app", str(files["goals"])), scenario("startup-floor")
        elif "(at Funnel)" in fig.name:
            cmd, floor_cmd = scenario("open-app", str(files["funnel"])), scenario("startup-floor")
        elif "export" in fig.name.lower():
            if cli_has_export(env):
                fmt_ = "checklist" if "checklist" in fig.name else "json"
                cmd = scenario("cli", "export", str(files["funnel"]), "--format", fmt_)
            else:
                cmd = scenario("read", str(files["funnel"]))
            floor_cmd = [PYTHON, "-c", "import pydantic, sqlite_utils"]
        elif fig.name.startswith("Typing"):
            which = "small" if "usual" in fig.name else "goals"
            fig.profile = profile_keys(files[which], env)
            continue
        else:
            continue
        ours_imports = dict(import_costs(cmd, env, top=40))
        floor_imports = dict(import_costs(floor_cmd, env, top=40))
        extra = sorted(
            ((ms - floor_imports.get(name, 0.0), name, ms) for name, ms in ours_imports.items()),
            reverse=True,
        )[:10]
        text = io.StringIO()
        total = sum(ours_imports.values()) - sum(floor_imports.values())
        text.write(
            f"Imports: about {sum(ours_imports.values()):.0f} ms ours vs "
            f"{sum(floor_imports.values()):.0f} ms floor (+{total:.0f} ms). "
            "Extra import time by package (self time, `-X importtime`):\n\n"
        )
        text.write("| package | ours | more than floor |\n|---|---:|---:|\n")
        for more, name, ms in extra:
            if more >= 1:
                text.write(f"| {name} | {ms:.0f} ms | +{more:.0f} ms |\n")
        text.write("\n" + cprofile_child(cmd, env))
        fig.profile = text.getvalue()


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    version = getattr(textual, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("textual")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "textual": version,
        "commit": commit + (f" + {len(dirty)} uncommitted file(s) in src/" if dirty else ""),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def table(figures: list[Figure]) -> str:
    head = (
        "| Figure | Ours (median) | Floor (median) | Ratio | Target | Met | Runs | "
        "Peak RSS ours / floor |\n|---|---:|---:|---:|---:|:---:|---:|---:|\n"
    )
    rows = []
    for f in figures:
        same = f.floor is f.ours
        ratio = "–" if same else f"{f.ratio:.2f}×"
        target = f"≤ {f.target}×" if f.target else "–"
        met = {None: "–", True: "yes", False: "**no**"}[f.met]
        ours = f"{fmt(f.ours_median, f.unit)} ({spread(f.ours, f.unit)})"
        floor = "–" if same else f"{fmt(f.floor_median, f.unit)} ({spread(f.floor, f.unit)})"
        mem = f"{rss(f.ours)} / {rss(f.floor)}" if f.ours[0].rss_kb else "in-process"
        n = len(f.ours)
        rows.append(f"| {f.name} | {ours} | {floor} | {ratio} | {target} | {met} | {n} | {mem} |")
    return head + "\n".join(rows) + "\n"


def report(
    figures: list[Figure],
    info: dict[str, str],
    runs: int,
    per_step: dict[str, float],
    widgets: int,
    per_open: dict[str, float],
    open_floor: float,
) -> str:
    out = io.StringIO()
    out.write("# Benchmark results\n\n")
    out.write("Written by `make bench` (`benchmarks/run.py`); re-run it to refresh.\n\n")
    out.write(f"- Date: {info['date']}\n- Machine: {info['machine']}\n")
    out.write(f"- Python {info['python']}, Textual {info['textual']}\n")
    out.write(f"- Commit measured: {info['commit']}\n")
    out.write(f"- Load average when it started: {info['load']}\n")
    out.write(
        f"- Runs per figure: up to {runs}, fewer (at least {MIN_RUNS}) when a figure "
        f"took over {BUDGET:.0f} s; median, range in brackets\n\n"
    )
    out.write(table(figures))
    out.write("\nFloors and notes:\n\n")
    for f in figures:
        note = f" — {f.note}" if f.note else ""
        out.write(f"- **{f.name}**: floor is {f.floor_name}{note}.\n")
    out.write(
        "\nStart-up and open are measured from just before the process is started to the\n"
        "moment the screen is mounted, idle and rendered once (headless, 120×40), so they\n"
        "include the interpreter start and every import. Typing is the CPU time per key:\n"
        "Pilot waits ~40 ms per key for the app to go idle, which would swamp wall time.\n"
        "Peak RSS is the child process's `ru_maxrss` (from `wait4`). Our sources are\n"
        "byte-compiled first, as `pip install` does (the floors' packages are).\n"
    )
    if per_open:
        worst = max(per_open, key=lambda step: per_open[step])
        ratio = per_open[worst] / open_floor
        met = "met" if ratio <= EACH_STEP_TARGET else "**not met**"
        out.write(
            f"\nOpening the large session saved on each step, seconds (median of up to "
            f"{EACH_STEP_RUNS}) and the ratio to the floor run in the same rounds "
            f"({open_floor:.2f} s). Slowest: {worst}, {ratio:.2f}× (target ≤ "
            f"{EACH_STEP_TARGET}× at every step: {met}):\n\n"
        )
        floor = open_floor
        out.write("| " + " | ".join(per_open) + " |\n")
        out.write("|" + "---:|" * len(per_open) + "\n")
        out.write(
            "| " + " | ".join(f"{v:.2f} ({v / floor:.2f}×)" for v in per_open.values()) + " |\n"
        )
    if per_step:
        out.write(
            f"\nFirst visit of each step in the large session, CPU seconds "
            f"(screen ends with {widgets} widgets):\n\n"
        )
        out.write("| " + " | ".join(per_step) + " |\n")
        out.write("|" + "---:|" * len(per_step) + "\n")
        out.write("| " + " | ".join(f"{v:.2f}" for v in per_step.values()) + " |\n")
    missed = [f for f in figures if f.profile]
    if missed:
        out.write("\n## Where the time goes (targets missed)\n")
        for f in missed:
            out.write(f"\n### {f.name} — {f.ratio:.2f}× (target ≤ {f.target}×)\n\n")
            out.write(f.profile)
    return out.getvalue()


def compile_sources() -> None:
    """Byte-compile our sources, as ``pip install`` does for an installed package.

    The editable install leaves ``src/`` as plain sources; where
    ``PYTHONDONTWRITEBYTECODE`` is set (as on the team's machines) every start
    would compile them again (~35 ms), which the floors (site-packages,
    compiled at install) never pay.
    """
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src")], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--no-profile", action="store_true", help="do not profile misses")
    parser.add_argument(
        "--only", choices=["follow"], help="run only these rows (prints them, writes nothing)"
    )
    opts = parser.parse_args()
    info = machine()
    print(f"alignment-tui benchmark, {opts.runs} runs; commit {info['commit']}", flush=True)
    compile_sources()
    if opts.only == "follow":
        with tempfile.TemporaryDirectory(prefix="alignment-bench-") as tmp:
            print("follow ", end="", flush=True)
            figures = follow(opts.runs, Path(tmp))
        print()
        print(table(figures))
        for f in figures:
            print(f"- {f.name}: floor is {f.floor_name} — {f.note}")
        return
    with tempfile.TemporaryDirectory(prefix="alignment-bench-") as tmp:
        env, files = prepare(Path(tmp))
        figures: list[Figure] = []
        for label, step_fn in (
            ("start-up and open", lambda: startup_and_open(opts.runs, env, files)),
            ("references", lambda: references(opts.runs, env, files)),
            ("export", lambda: export(opts.runs, env, files)),
            ("list", lambda: list_folder(opts.runs, env, files)),
            ("typing", lambda: typing(opts.runs, env, files)),
            ("autosave", lambda: autosave(opts.runs, files)),
            ("follow", lambda: follow(opts.runs, Path(tmp))),
        ):
            print(f"{label} ", end="", flush=True)
            figures += step_fn()
            print(flush=True)
        print("opening at each step ", end="", flush=True)
        per_open, open_floor = open_each_step(EACH_STEP_RUNS, env, files)
        print(flush=True)
        print("visiting every step", flush=True)
        visit, per_step, widgets = steps(env, files)
        figures.append(visit)
        if not opts.no_profile:
            profile_misses(figures, env, files)
    print()
    print(table(figures))
    print(
        "open the large session at each step (ratio to the floor in the same rounds):",
        json.dumps({k: round(v / open_floor, 2) for k, v in per_open.items()}),
    )
    if per_step:
        print(
            "first visit per step (CPU s):",
            json.dumps({k: round(v, 2) for k, v in per_step.items()}),
        )
    if not opts.no_write:
        RESULTS.write_text(
            report(figures, info, opts.runs, per_step, widgets, per_open, open_floor)
        )
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

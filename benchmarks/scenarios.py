"""One measured scenario, run in a fresh interpreter by ``run.py``.

``python benchmarks/scenarios.py SCENARIO SPAWNED_AT [ARGS...]`` prints one JSON
line. SPAWNED_AT is the parent's ``time.time()`` just before it started this
process, so ``ready`` counts the interpreter start and every import.

Scenarios (each has our app and a floor: a minimal Textual app doing the same):

* ``startup-app`` / ``startup-floor``: headless, 120x40, until the first screen
  (our start screen, with its list of sessions; the floor's one screen) is
  mounted, idle and rendered.
* ``open-app PATH``: our app opening PATH, until the workshop screen is ready.
* ``floor-reading PATH`` / ``floor-widgets N``: references, not floors: the floor
  app after reading PATH with our store and models, and the floor app with N
  more Static widgets (what the data and a screen of N widgets cost alone).
* ``typing-app PATH N`` / ``typing-floor N``: press N letters into the first
  ``SavingInput`` of the workshop (a plain ``Input`` for the floor); reports the
  CPU time per key (and the wall time, which is mostly Pilot's idle waits).
  With ``BENCH_PROFILE_KEYS=FILE`` the key presses alone are profiled into FILE.
* ``steps-app PATH``: visit every step once; CPU time per step (information).
* ``read PATH``: what ``export --format json`` does, without the command line.
* ``cli ARGS...``: the command line, in-process (for profiling it).
* ``idle-floor``: the floor of an idle view: a minimal Textual app showing one line
  (nothing focused, so no cursor blinks), run with the driver the environment names
  (the follow rows run it, like the follow view, with textual-serve's web driver).
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

SIZE = (120, 40)
KEYS = "thebothteamstellonestory"


def emit(**data: Any) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


async def settle(pilot: Any) -> None:
    """Wait until the screen is idle and painted.

    ``Pilot.pause`` runs the screen's pending update, and the screen renders
    every line that update changed (the whole screen after a layout) even when
    headless: only the writing to a terminal is left out.
    """
    await pilot.pause()


async def wait_for_screen(pilot: Any, name: str, timeout: float = 60.0) -> None:
    limit = time.monotonic() + timeout
    while type(pilot.app.screen).__name__ != name or not getattr(pilot.app.screen, "loaded", True):
        # (our start screen is usable once its list of sessions is shown)
        if time.monotonic() > limit:
            raise TimeoutError(f"{name} never showed (at {type(pilot.app.screen).__name__})")
        await asyncio.sleep(0.001)
    await settle(pilot)


def floor_app(statics: int = 0) -> Any:
    """The floor: a minimal Textual app (header, label, input, footer).

    With *statics*, that many one-line Statics more, in a scrolling column
    (a reference for what a screen of that many widgets costs, not a floor).
    """
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Input, Label, Static

    class FloorScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("Start")
            yield Input(id="field")
            if statics:
                with VerticalScroll():
                    for i in range(statics):
                        yield Static(f"Line {i}")
            yield Footer()

    class FloorApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(FloorScreen())

    return FloorApp()


def our_app(path: str | None) -> Any:
    """The app as ``alignment-tui [open PATH]`` builds it (``cli.main`` then ``make_app``)."""
    from alignment_tui import gcpause

    gcpause.pause()  # as cli.main does first
    from alignment_tui.cli import make_app

    return make_app(Path(path) if path else None)


def run_until_ready(app: Any, screen: str, spawned_at: float) -> None:
    result: dict[str, Any] = {}

    async def pilot_fn(pilot: Any) -> None:
        await wait_for_screen(pilot, screen)
        result["ready"] = time.time() - spawned_at
        pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot_fn)
    emit(**result, exited=time.time() - spawned_at)


async def _first_saving_input(pilot: Any) -> Any:
    """The first visible SavingInput of the workshop, visiting steps until one shows.

    Each step's parts built when the room comes to them (``form.later``: the goal
    editor under the goals list) are built first, as scrolling to them would, so
    the field typed into is the step's first, the same one whichever parts are
    built later.
    """
    from alignment_tui.form.fields import SavingInput
    from alignment_tui.sessions.models import STEP_ORDER

    screen = pilot.app.screen
    for step in [screen.step, *STEP_ORDER]:
        screen.show_step(step, save=False)
        await settle(pilot)
        await screen.pane(step).build_later()
        await settle(pilot)
        for widget in screen.query(SavingInput):
            if widget.display and widget.region.area:
                return widget
    raise LookupError("no SavingInput on any step yet")


def typing(app: Any, screen: str, n: int, ours: bool) -> None:
    result: dict[str, Any] = {}
    keys = [KEYS[i % len(KEYS)] for i in range(n)]

    async def pilot_fn(pilot: Any) -> None:
        await wait_for_screen(pilot, screen)
        if ours:
            field = await _first_saving_input(pilot)
        else:
            field = pilot.app.screen.query_one("#field")
        field.focus()
        # Textual glides a focused field that is not wholly in view into view; the
        # glide is not typing, so it ends before the keys are timed.
        await pilot.wait_for_animation()
        await settle(pilot)
        # Pilot.press sleeps about 40 ms a key waiting for the app to go idle,
        # so wall time measures the sleeps; the CPU time is the work per key.
        profile_to = os.environ.get("BENCH_PROFILE_KEYS")
        profiler = cProfile.Profile() if profile_to else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        await pilot.press(*keys)
        await settle(pilot)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile_to)
        elapsed, cpu_used = time.perf_counter() - start, time.process_time() - cpu
        assert field.value.endswith("".join(keys)), "the keys did not reach the field"
        result["per_key"] = cpu_used / n
        result["per_key_wall"] = elapsed / n
        result["field"] = f"{type(field).__name__}#{field.id}"
        if ours:
            field.value = field.value[: -len(keys)]  # leave the session as it was
            field.flush()
        pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot_fn)
    emit(**result)


def visit_steps(app: Any, spawned_at: float) -> None:
    from alignment_tui.sessions.models import STEP_ORDER

    result: dict[str, Any] = {}

    async def pilot_fn(pilot: Any) -> None:
        await wait_for_screen(pilot, "WorkshopScreen")
        screen = pilot.app.screen
        start = time.perf_counter()
        per_step = {}
        for step in STEP_ORDER:
            began = time.process_time()
            screen.show_step(step, save=False)
            await settle(pilot)
            per_step[step.value] = time.process_time() - began
        result["steps"] = time.perf_counter() - start
        result["per_step_cpu"] = per_step
        result["widgets"] = len(screen.query("*"))
        pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot_fn)
    emit(**result)


def read(path: str, spawned_at: float) -> None:
    from alignment_tui.sessions.store import read_session

    session = read_session(Path(path))
    try:
        from alignment_tui.sessions.jsonio import to_json

        text = to_json(session)
    except ImportError:
        text = session.model_dump_json()
    sys.stdout.write(text)
    emit(ready=time.time() - spawned_at)


def titles_floor(folder: str) -> None:
    """The floor of ``list``: each session file's title, read with plain sqlite3."""
    import sqlite3

    for path in sorted(Path(folder).glob("*.alignment.db")):
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            print(path.name, conn.execute("SELECT title FROM session").fetchone()[0])
        finally:
            conn.close()


def cli(args: list[str]) -> None:
    """The command line in this process (so cProfile can wrap it)."""
    from alignment_tui.cli import main as cli_main

    try:
        cli_main(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def idle_floor() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class IdleFloor(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("A minimal view: one line, nothing to do")

    IdleFloor().run()


def main(argv: list[str]) -> None:
    scenario, spawned_at, args = argv[0], float(argv[1]), argv[2:]
    if scenario == "startup-app":
        run_until_ready(our_app(None), "StartScreen", spawned_at)
    elif scenario == "startup-floor":
        run_until_ready(floor_app(), "FloorScreen", spawned_at)
    elif scenario == "floor-reading":
        # The floor app after reading and validating a session (our models and store).
        from alignment_tui.sessions.store import read_session

        read_session(Path(args[0]))
        run_until_ready(floor_app(), "FloorScreen", spawned_at)
    elif scenario == "floor-widgets":
        run_until_ready(floor_app(int(args[0])), "FloorScreen", spawned_at)
    elif scenario == "open-app":
        run_until_ready(our_app(args[0]), "WorkshopScreen", spawned_at)
    elif scenario == "typing-app":
        typing(our_app(args[0]), "WorkshopScreen", int(args[1]), ours=True)
    elif scenario == "typing-floor":
        typing(floor_app(), "FloorScreen", int(args[0]), ours=False)
    elif scenario == "steps-app":
        visit_steps(our_app(args[0]), spawned_at)
    elif scenario == "cli":
        cli(args)
    elif scenario == "read":
        read(args[0], spawned_at)
    elif scenario == "titles-floor":
        titles_floor(args[0])
    elif scenario == "idle-floor":
        idle_floor()
    else:
        raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    main(sys.argv[1:])

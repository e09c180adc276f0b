"""The follow view and ``serve`` measured: visitors, the time a save takes to reach them,
their memory and CPU. Used by ``run.py`` (its follow rows) and on its own:

    .venv/bin/python benchmarks/follow_bench.py [--visitors N] [--changes K]

Each visitor is a websocket opened the way textual-serve's page opens it (no browser),
on a server started as the command line starts it, on 127.0.0.1 only. A "save" is the
facilitator's service moving the room to another step (or renaming the session); a
visitor "shows it" when the bytes its view sent after the save contain the new step's
name. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from alignment_tui.sessions.contributions import ContributionBox, new_visitor
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import STEP_ORDER, StepId
from alignment_tui.sessions.service import SessionService

PATIENCE = 120.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: What textual-serve gives each visitor's process (app_service.py), at 100x30.
WEB_DRIVER_ENV = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
    "COLUMNS": "100",
    "ROWS": "30",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of *pid* so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of *pid* in KB: PSS shares the pages it has in common with the other
    visitors (the interpreter, Textual's modules) among them."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def views_of(path: Path) -> list[int]:
    """The follow view processes running for *path*."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"alignment_tui.follow" in cmd and str(path).encode() in cmd:
            found.append(int(pid))
    return found


@dataclass
class Visitor:
    ws: aiohttp.ClientWebSocketResponse
    seen: bytearray = field(default_factory=bytearray)
    #: (needle, event set when it arrives after the mark, monotonic time it arrived)
    waiting: tuple[bytes, asyncio.Event] | None = None
    arrived: float | None = None
    mark: int = 0

    async def read(self) -> None:
        async for message in self.ws:
            data = message.data
            if isinstance(data, str):
                data = data.encode()
            if not isinstance(data, bytes | bytearray):
                continue
            self.seen += data
            if self.waiting is not None:
                needle, event = self.waiting
                if needle in self.seen[self.mark :]:
                    self.arrived = time.monotonic()
                    self.waiting = None
                    event.set()

    def expect(self, needle: bytes) -> asyncio.Event:
        """An event set when *needle* arrives from now on."""
        self.mark = max(0, len(self.seen) - len(needle))
        self.arrived = None
        event = asyncio.Event()
        if needle in self.seen[self.mark :]:
            event.set()
            self.arrived = time.monotonic()
        else:
            self.waiting = (needle, event)
        return event


@dataclass
class Served:
    """A running ``serve`` with its visitors."""

    path: Path
    proc: subprocess.Popen[bytes]
    port: int
    client: aiohttp.ClientSession
    visitors: list[Visitor] = field(default_factory=list)
    readers: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def views(self) -> list[int]:
        return views_of(self.path)

    async def visit(self, n: int, width: int = 100, height: int = 30) -> None:
        """Open *n* more visitors; back when every view has drawn the session."""
        url = f"http://127.0.0.1:{self.port}/ws?width={width}&height={height}"
        new = []
        for _ in range(n):
            ws = await self.client.ws_connect(url, max_msg_size=0)
            visitor = Visitor(ws)
            self.readers.append(asyncio.create_task(visitor.read()))
            new.append(visitor)
        self.visitors += new
        # The organisation: the title is what the changes change.
        shown = demo_session().meta.organisation.encode()
        await asyncio.wait_for(asyncio.gather(*(v.expect(shown).wait() for v in new)), PATIENCE)

    async def change_and_wait(self, change: str, needle: bytes) -> list[float]:
        """Make the facilitator's change; seconds until each visitor showed *needle*."""
        events = [v.expect(needle) for v in self.visitors]
        service = SessionService.open(self.path)
        try:
            if change.startswith("step:"):
                service.set_step(StepId(change.split(":", 1)[1]))
            else:
                service.update_meta(title=change)
            saved = time.monotonic()
        finally:
            service.close()
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), PATIENCE)
        return [v.arrived - saved for v in self.visitors if v.arrived is not None]

    async def close(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, self.proc.wait, PATIENCE)
        for task in self.readers:
            task.cancel()
        await self.client.close()


async def start_serving(path: Path) -> Served:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from alignment_tui.cli import main; main()",
            "serve",
            str(path),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    client = aiohttp.ClientSession()
    began = time.monotonic()
    while True:
        try:
            async with client.get(f"http://127.0.0.1:{port}/"):
                break
        except aiohttp.ClientConnectionError:
            if time.monotonic() - began > PATIENCE or proc.poll() is not None:
                await client.close()
                raise RuntimeError("serve did not start") from None
            await asyncio.sleep(0.1)
    return Served(path, proc, port, client)


def idle_view(cmd: list[str], seconds: float, settle: float = 3.0) -> tuple[float, int]:
    """Run *cmd* (a Textual app) as textual-serve runs a visitor's view, with nothing
    happening: (CPU seconds it uses per minute, its RSS in KB)."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **WEB_DRIVER_ENV},
    )
    assert proc.stdout is not None and proc.stdin is not None
    drawn = threading.Event()

    def drain() -> None:
        assert proc.stdout is not None
        while chunk := os.read(proc.stdout.fileno(), 65536):
            if len(chunk) > 100:
                drawn.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not drawn.wait(PATIENCE):
            raise RuntimeError(f"{cmd} drew nothing")
        time.sleep(settle)
        before, began = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        used, wall = cpu_seconds(proc.pid) - before, time.monotonic() - began
        rss = memory_kb(proc.pid)[0]
    finally:
        quit_packet = json.dumps({"type": "quit"}).encode()
        try:
            proc.stdin.write(b"M" + len(quit_packet).to_bytes(4, "big") + quit_packet)
            proc.stdin.close()
            proc.wait(PATIENCE)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
    return used / wall * 60, rss


async def latencies(path: Path, changes: int) -> tuple[list[float], list[float], int]:
    """One visitor: seconds from a save to the view showing it, for *changes* changes of
    words (the session's title) and as many of step; and the view's RSS (KB)."""
    served = await start_serving(path)
    words: list[float] = []
    steps: list[float] = []
    order = [s for s in STEP_ORDER if s is not StepId.SETUP]
    try:
        await served.visit(1)
        await asyncio.sleep(1.0)
        rss = max(memory_kb(pid)[0] for pid in served.views)
        for i in range(changes):
            word = f"Zebracorn {i}"
            words += await served.change_and_wait(word, word.encode())
            await asyncio.sleep(0.5)
            step = order[i % len(order)]
            steps += await served.change_and_wait(f"step:{step.value}", step_label(step))
            await asyncio.sleep(0.5)
    finally:
        await served.close()
    return words, steps, rss


def demo_file(folder: Path) -> Path:
    path = folder / "follow-bench.alignment.db"
    path.unlink(missing_ok=True)
    SessionService.create(path, demo_session()).close()
    return path


def step_label(step: StepId) -> bytes:
    return step.label.encode()


async def measure(
    path: Path, visitors: int, changes: int, idle: float, notes: int = 0
) -> dict[str, Any]:
    """Serve *path* to *visitors*; make *changes* step changes and as many word changes,
    then let a visitor send *notes* notes; report the times, memory and CPU."""
    served = await start_serving(path)
    try:
        await served.visit(visitors)
        await asyncio.sleep(2.0)  # the views settle after their first draw
        views = served.views
        memory = [memory_kb(pid) for pid in views]
        cpu_before = {pid: cpu_seconds(pid) for pid in views}
        server_before = cpu_seconds(served.proc.pid)
        idle_began = time.monotonic()
        await asyncio.sleep(idle)
        idle_cpu = sum(cpu_seconds(pid) - cpu_before[pid] for pid in views)
        idle_wall = time.monotonic() - idle_began
        step_times: list[list[float]] = []
        word_times: list[list[float]] = []
        change_cpu: list[float] = []
        order = [s for s in STEP_ORDER if s is not StepId.SETUP]
        for i in range(changes):
            step = order[i % len(order)]
            before = {pid: cpu_seconds(pid) for pid in views}
            step_times.append(await served.change_and_wait(f"step:{step.value}", step_label(step)))
            await asyncio.sleep(1.0)
            change_cpu.append(sum(cpu_seconds(pid) - before[pid] for pid in views) / len(views))
            word = f"Zebracorn {i}"
            word_times.append(await served.change_and_wait(word, word.encode()))
            await asyncio.sleep(1.0)
        server_cpu = cpu_seconds(served.proc.pid) - server_before
        note_cpu = await visitor_notes(path, views, notes)
    finally:
        await served.close()

    def summary(rounds: list[list[float]]) -> dict[str, float]:
        last = [max(r) for r in rounds]
        every = [t for r in rounds for t in r]
        return {
            "median_last_visitor_s": round(statistics.median(last), 3),
            "worst_last_visitor_s": round(max(last), 3),
            "median_visitor_s": round(statistics.median(every), 3),
        }

    return {
        "visitors": visitors,
        "last_visitor_step_s": [round(max(r), 3) for r in step_times],
        "step_change": summary(step_times),
        "word_change": summary(word_times),
        "rss_mb_per_view": round(statistics.median(m[0] for m in memory) / 1024, 1),
        "pss_mb_per_view": round(statistics.median(m[1] for m in memory) / 1024, 1),
        "idle_cpu_s_per_minute_per_view": round(idle_cpu / len(views) / idle_wall * 60, 3),
        "cpu_s_per_step_change_per_view": round(statistics.median(change_cpu), 3),
        "server_cpu_s": round(server_cpu, 2),
        # a visitor's note moves the file's data version: every view reads the session
        # again, finds what it shows unchanged and draws nothing (idle CPU included)
        "cpu_s_per_note_per_view": round(statistics.median(note_cpu), 4) if note_cpu else None,
    }


async def visitor_notes(path: Path, views: list[int], notes: int) -> list[float]:
    """A visitor sends *notes* notes, a second apart (contributions opened first): the
    views' CPU in the second after each, per view."""
    if not notes or not views:
        return []
    service = SessionService.open(path)
    try:
        service.set_contributions_open(True)
    finally:
        service.close()
    await asyncio.sleep(1.0)
    box = ContributionBox.open(path)
    visitor = new_visitor()
    per_view = []
    try:
        for i in range(notes):
            before = {pid: cpu_seconds(pid) for pid in views}
            box.add_note(visitor, "Bench visitor", StepId.GOALS, f"Bench note {i}")
            await asyncio.sleep(1.0)
            per_view.append(sum(cpu_seconds(pid) - before[pid] for pid in views) / len(views))
    finally:
        box.close()
    return per_view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--changes", type=int, default=4)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measured")
    parser.add_argument("--notes", type=int, default=5, help="visitors' notes measured")
    parser.add_argument("--folder", type=Path, default=Path("/tmp"))
    opts = parser.parse_args()
    path = demo_file(opts.folder)
    result = asyncio.run(measure(path, opts.visitors, opts.changes, opts.idle, opts.notes))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

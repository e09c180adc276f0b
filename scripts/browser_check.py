"""``make browser-check``: the served follow view in a real browser (headless Chromium).

Not part of ``make test``: it needs Debian's ``chromium`` (``apt-get install chromium``).

1. A copy of the demo session is made in a temporary folder, the room on the Joint
   goals step, and ``alignment-tui serve`` started on 127.0.0.1 with ``--token``.
2. Chromium opens the printed link (token and all), driven over its DevTools
   protocol with aiohttp's websocket client; the view is drawn by textual-serve's page
   (xterm.js on a canvas, so its text is not in the page's DOM).
3. Screenshots: ``1-before.png`` once the view has drawn the session,
   ``2-still.png`` a moment later with nothing changed (the control), then the
   facilitator's copy (SessionService) moves the room to the Message house step and
   ``3-after.png`` is taken once the browser has received it.
4. The check, two ways, both must hold:
   * text: the websocket frames the browser received after the change (DevTools'
     Network.webSocketFrameReceived) hold the new step's name;
   * pixels: the top band of the page (the session's title, the step's name and its
     timer) is the same in 1 and 2, and differs between 2 and 3.
   A token-less request for the page is refused too (403).

Exits 0 when the change showed, 1 when it did not, 2 when it could not run.

    .venv/bin/python scripts/browser_check.py [OUT_DIR]   (default /tmp/alignment-browser-check)
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import aiohttp

from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService

WIDTH, HEIGHT = 1280, 800
#: The share of the page's height, from the top, compared between screenshots.
TOP_BAND = 0.12
BEFORE, AFTER = StepId.GOALS, StepId.STORY
PATIENCE = 60.0


class CheckFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- PNG (Chromium's screenshots: 8-bit RGB or RGBA, not interlaced) ----------------------


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, bytes per pixel, rows of pixels without their filter bytes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckFailed("not a PNG")
    pos, idat, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise CheckFailed(f"unexpected PNG (depth {depth}, colour {colour})")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        row = bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = row[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                row[x] = (row[x] + a) & 0xFF
            elif kind == 2:
                row[x] = (row[x] + b) & 0xFF
            elif kind == 3:
                row[x] = (row[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                row[x] = (row[x] + pred) & 0xFF
        out += row
        previous = row
    return width, height, bpp, bytes(out)


def band_difference(first: bytes, second: bytes, share: float = TOP_BAND) -> float:
    """The share of pixels that differ in the top *share* of two screenshots."""
    w1, h1, bpp1, p1 = png_pixels(first)
    w2, h2, bpp2, p2 = png_pixels(second)
    if (w1, h1, bpp1) != (w2, h2, bpp2):
        return 1.0
    rows = max(1, int(h1 * share))
    stride = w1 * bpp1
    differ = 0
    for y in range(rows):
        a = p1[y * stride : (y + 1) * stride]
        b = p2[y * stride : (y + 1) * stride]
        if a == b:
            continue
        for x in range(0, stride, bpp1):
            if a[x : x + 3] != b[x : x + 3]:
                differ += 1
    return differ / (rows * w1)


# -- DevTools ------------------------------------------------------------------------------


class DevTools:
    """A page of Chromium, driven over its DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.frames: list[str] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                payload = response.get("payloadData", "")
                if response.get("opcode") == 2:  # binary: base64
                    payload = base64.b64decode(payload).decode("utf-8", "replace")
                self.frames.append(payload)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method, "params": params}))
        answer = await asyncio.wait_for(future, PATIENCE)
        if "error" in answer:
            raise CheckFailed(f"{method}: {answer['error']}")
        return dict(answer.get("result", {}))

    async def screenshot(self, path: Path) -> bytes:
        shot = await self.call("Page.captureScreenshot", format="png")
        data = base64.b64decode(shot["data"])
        path.write_bytes(data)
        return data

    def received(self, needle: str, since: int = 0) -> bool:
        return any(needle in frame for frame in self.frames[since:])


async def until(done: Any, what: str, timeout: float = PATIENCE) -> None:
    began = time.monotonic()
    while not done():
        if time.monotonic() - began > timeout:
            raise CheckFailed(f"gave up waiting for {what}")
        await asyncio.sleep(0.1)


def start_browser(profile: Path) -> tuple[subprocess.Popen[bytes], int]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise FileNotFoundError("no chromium found (Debian: apt-get install chromium)")
    port = free_port()
    proc = subprocess.Popen(
        [
            browser,
            "--headless",
            "--no-sandbox",  # this check runs as root in containers
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    return proc, port


def start_server(path: Path) -> tuple[subprocess.Popen[str], str]:
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
            "--token",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "token=" not in line:
        raise CheckFailed(f"serve did not print its link: {line!r}")
    return proc, line.split("Serving the follow view on ", 1)[1].strip()


async def check(out: Path, work: Path) -> None:
    session = work / "browser-check.alignment.db"
    SessionService.create(session, demo_session()).close()
    service = SessionService.open(session)
    service.set_step(BEFORE)
    service.close()
    title = demo_session().meta.title

    server, url = start_server(session)
    browser, debug_port = start_browser(work / "profile")
    try:
        async with aiohttp.ClientSession() as client:
            base = url.split("?", 1)[0]
            await until(lambda: server.poll() is None, "the server")
            for _ in range(int(PATIENCE * 10)):
                try:
                    async with client.get(base) as response:
                        if response.status != 403:
                            raise CheckFailed(f"the page without its token: {response.status}")
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            pages: list[dict[str, Any]] = []
            for _ in range(int(PATIENCE * 10)):
                try:
                    async with client.get(f"http://127.0.0.1:{debug_port}/json/list") as r:
                        pages = [p for p in await r.json() if p.get("type") == "page"]
                    if pages:
                        break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
            if not pages:
                raise CheckFailed("chromium's DevTools did not answer")
            ws = await client.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
            tools = DevTools(ws)
            await tools.call("Network.enable")
            await tools.call("Page.enable")
            await tools.call(
                "Emulation.setDeviceMetricsOverride",
                width=WIDTH,
                height=HEIGHT,
                deviceScaleFactor=1,
                mobile=False,
            )
            await tools.call("Page.navigate", url=url)
            await until(lambda: tools.received(title), "the view's first drawing")
            await until(lambda: tools.received(BEFORE.label), "the first step")
            await asyncio.sleep(2.0)  # the page fades the terminal in
            before = await tools.screenshot(out / "1-before.png")
            await asyncio.sleep(1.5)
            still = await tools.screenshot(out / "2-still.png")

            mark = len(tools.frames)
            facilitator = SessionService.open(session)
            try:
                facilitator.set_step(AFTER)
            finally:
                facilitator.close()
            saved = time.monotonic()
            await until(lambda: tools.received(AFTER.label, mark), f"{AFTER.label!r} in the frames")
            arrived = time.monotonic() - saved
            await asyncio.sleep(1.0)  # drawn on the next animation frame
            after = await tools.screenshot(out / "3-after.png")
            await ws.close()
            tools.reader.cancel()

        control = band_difference(before, still)
        change = band_difference(still, after)
        print(f"screenshots in {out}: 1-before.png, 2-still.png, 3-after.png")
        print(f"the step change reached the browser {arrived:.2f} s after the save")
        print(
            f"top {TOP_BAND:.0%} of the page: {control:.2%} of pixels moved with nothing "
            f"changed, {change:.2%} after the change"
        )
        if control > 0.001:
            raise CheckFailed("the page moved with nothing changed: the comparison means nothing")
        if change < 0.002:
            raise CheckFailed("the step change did not show in the page's pixels")
    finally:
        browser.terminate()
        server.terminate()
        for proc in (browser, server):
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/alignment-browser-check")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="alignment-browser-check-") as work:
        try:
            asyncio.run(check(out, Path(work)))
        except CheckFailed as exc:
            print(f"browser check FAILED: {exc}", file=sys.stderr)
            return 1
        except (FileNotFoundError, OSError) as exc:
            print(f"browser check could not run: {exc}", file=sys.stderr)
            return 2
    print("browser check passed: the facilitator's step change showed in the browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())

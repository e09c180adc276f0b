"""``alignment-tui serve``: the follow view over textual-serve's HTTP and websocket endpoints,
connected to the way a browser does, on 127.0.0.1 only.

The server runs in its own process (as on the command line) and starts a follow view
process per websocket; every wait is bounded and fails the test when it runs out.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from alignment_tui.follow.serve import FollowServer, follow_command, is_loopback
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.service import SessionService

#: Seconds any one step may take before the test gives up (a loaded machine is slow).
PATIENCE = 60.0


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "served.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(demo_file: Path) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """``serve PATH --token`` on a free port of 127.0.0.1; yields (process, token, port)."""
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from alignment_tui.cli import main; main()",
            "serve",
            str(demo_file),
            "--port",
            str(port),
            "--token",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "Serving the follow view on http://127.0.0.1:" in line, line
        token = line.strip().rsplit("token=", 1)[1]
        yield proc, token, port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(PATIENCE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _visitors(path: Path) -> list[int]:
    """The follow view processes started for *path*."""
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


async def _until_seen(ws: aiohttp.ClientWebSocketResponse, needle: bytes) -> None:
    seen = b""

    async def read() -> None:
        nonlocal seen
        async for message in ws:
            if message.type is aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type is aiohttp.WSMsgType.TEXT:
                seen += message.data.encode()
            if needle in seen:
                return
        raise AssertionError(f"the websocket closed before {needle!r} showed")

    await asyncio.wait_for(read(), PATIENCE)


async def _until_served(url: str) -> None:
    """The server answers (its process may still be starting)."""
    async with aiohttp.ClientSession() as client:
        for _ in range(int(PATIENCE * 10)):
            try:
                async with client.get(url):
                    return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError("the server never answered")


def test_localhost_needs_no_token_and_any_other_address_does(demo_file: Path) -> None:
    assert FollowServer.for_host(demo_file, None, 8000).token is None
    assert FollowServer.for_host(demo_file, "127.0.0.1", 8000).token is None
    assert FollowServer.for_host(demo_file, "127.0.0.1", 8000, require_token=True).token
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        server = FollowServer.for_host(demo_file, host, 8000)
        assert server.token and len(server.token) >= 32
        assert f"token={server.token}" in server.url
    assert is_loopback("localhost") and is_loopback("::1") and not is_loopback("10.0.0.1")
    # A visitor never sees the file's path: the page's title is the app's name.
    assert str(demo_file) not in FollowServer.for_host(demo_file, None, 8000).title


def test_contribute_is_passed_to_each_visitors_view(demo_file: Path) -> None:
    assert not follow_command(demo_file).endswith("--contribute")
    assert follow_command(demo_file, contribute=True).endswith(" --contribute")
    plain = FollowServer.for_host(demo_file, None, 8000)
    assert "--contribute" not in plain.command
    room = FollowServer.for_host(demo_file, None, 8000, contribute=True)
    assert room.command.endswith(f"alignment_tui.follow {demo_file} --contribute")


async def test_a_browser_needs_the_token_and_then_follows_the_session(
    demo_file: Path, server: tuple[subprocess.Popen[str], str, int]
) -> None:
    proc, token, port = server
    base = f"http://127.0.0.1:{port}"
    await _until_served(base + "/static/css/xterm.css")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        # Without the token (or with a wrong one), nothing: not the page, not
        # textual-serve's own files, not even a "not found".
        for url in (
            base + "/",
            base + "/?token=nope",
            base + "/static/js/textual.js",
            base + "/static/css/xterm.css?token=nope",
            base + "/static/",
            base + "/download/x",
            base + "/nowhere",
        ):
            async with client.get(url) as response:
                assert response.status == 403, url
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(base + "/ws?width=100&height=30")
        assert refused.value.status == 403
        assert _visitors(demo_file) == []

        # With it: the page, which hands the websocket its cookie.
        async with client.get(f"{base}/?token={token}") as response:
            assert response.status == 200
            page = await response.text()
        assert "alignment-tui follow" in page
        assert str(demo_file) not in page and "googleapis" not in page.split("-->", 1)[1]
        # The cookie it set lets the page load its script and style; no folder listing.
        for asset in ("/static/js/textual.js", "/static/css/xterm.css"):
            async with client.get(base + asset) as response:
                assert response.status == 200, asset
        async with client.get(base + "/static/") as response:
            assert response.status in (403, 404)

        # Another site's page cannot open the websocket, cookie or not.
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await client.ws_connect(
                base + "/ws?width=100&height=30", headers={"Origin": "http://elsewhere.example"}
            )

        ws = await client.ws_connect(base + "/ws?width=100&height=30")
        await _until_seen(ws, b"Kestrel")
        facilitator = SessionService.open(demo_file)
        try:
            facilitator.update_meta(title="Zebracorn review")
        finally:
            facilitator.close()
        await _until_seen(ws, b"Zebracorn")
        assert len(_visitors(demo_file)) == 1

        # Closing the server (the visitor still connected, reading as a browser does)
        # closes the websocket and ends every visitor's view.
        async def hang_on() -> None:
            async for _ in ws:
                pass

        reading = asyncio.create_task(hang_on())
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(reading, PATIENCE)
        assert ws.closed
        await asyncio.get_running_loop().run_in_executor(None, proc.wait, PATIENCE)
        for _ in range(int(PATIENCE * 10)):
            if not _visitors(demo_file):
                break
            await asyncio.sleep(0.1)
        assert _visitors(demo_file) == []

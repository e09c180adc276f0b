"""``alignment-tui serve``: the follow view in browsers, with textual-serve.

Each visitor's browser gets a process of its own running the follow view
(``python -m alignment_tui.follow PATH``), which reads the session read-only like
``follow``; closing the server ends them all (textual-serve sends each one "quit").

Who may look:

* By default the server listens on 127.0.0.1 only: this computer.
* Another address needs ``--host``, and then a random token: the URL printed on
  the terminal carries it (``/?token=…``). Every request without it is refused
  (403): the page (``/``), the websocket that drives the view (``/ws``),
  downloads and textual-serve's own files (``/static``). The page given the token
  sets it as a cookie (HttpOnly, SameSite=Strict), which the browser sends with
  the page's scripts, styles and fonts and with the websocket (textual-serve's
  page opens it without a query of ours); a request from another site's page is
  refused by its Origin too.

The aiohttp application is built here (:meth:`FollowServer.make_app`), the way
textual-serve builds its own, so that one middleware guards every route; only
public parts of textual-serve are used: the ``Server`` class, its
``handle_index`` / ``handle_websocket`` / ``handle_download`` / ``on_startup`` /
``on_shutdown`` / ``initialize_logging`` / ``request_exit`` methods, its
``statics_path`` and ``templates_path`` (our copy of its page, without the web
font it would fetch from the internet).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

#: The cookie that carries the token from the page to its websocket.
COOKIE = "alignment_follow_token"
TEMPLATES = Path(__file__).with_name("serve_templates")
LOCAL_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "alignment-tui follow"
#: The longest the server waits for the visitors' views to quit when it stops.
SHUTDOWN_SECONDS = 5.0


def is_loopback(host: str) -> bool:
    """Whether *host* is this computer only (127.x, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reachable_address(host: str) -> str:
    """The address visitors use for *host*: itself, or for a wildcard (0.0.0.0, ::) this
    computer's address on its network (found without sending anything)."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # UDP: chooses a route, sends nothing
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def follow_command(path: Path, *, contribute: bool = False) -> str:
    """The shell command textual-serve runs for each visitor (with ``--contribute`` when
    visitors may add notes and votes)."""
    command = f"{shlex.quote(sys.executable)} -m alignment_tui.follow {shlex.quote(str(path))}"
    return command + (" --contribute" if contribute else "")


class FollowServer(Server):
    """textual-serve's server, showing one session's follow view, with a token when asked."""

    def __init__(
        self,
        path: Path,
        *,
        host: str = LOCAL_HOST,
        port: int = DEFAULT_PORT,
        token: str | None,
        contribute: bool = False,
    ) -> None:
        shown = reachable_address(host)
        netloc = f"[{shown}]" if ":" in shown else shown
        super().__init__(
            follow_command(path, contribute=contribute),
            host=host,
            port=port,
            title=TITLE,  # not the command: a visitor sees no file path
            public_url=f"http://{netloc}:{port}",
            templates_path=TEMPLATES,
        )
        self.token = token
        #: The tasks serving visitors' websockets, ended when the server stops.
        self.visits: set[asyncio.Task[Any]] = set()

    @classmethod
    def for_host(
        cls,
        path: Path,
        host: str | None,
        port: int,
        *,
        require_token: bool = False,
        contribute: bool = False,
    ) -> FollowServer:
        """Localhost without a token; any other address (or *require_token*) with one."""
        host = host or LOCAL_HOST
        token = secrets.token_urlsafe(24) if require_token or not is_loopback(host) else None
        return cls(path, host=host, port=port, token=token, contribute=contribute)

    @property
    def url(self) -> str:
        """The URL to give visitors (with the token when one is needed)."""
        return f"{self.public_url}/" + (f"?token={self.token}" if self.token else "")

    # -- who may look -------------------------------------------------------------------

    def allowed(self, request: web.Request) -> bool:
        if self.token is None:
            return True
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return False
        origin = request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == request.host

    @staticmethod
    def refuse() -> web.HTTPForbidden:
        return web.HTTPForbidden(text="This follow view needs the link with its token.\n")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        response: web.StreamResponse = await super().handle_index(request)
        if self.token is not None:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket (one follow view process per visitor), kept track
        of so that stopping the server ends it at once."""
        task = asyncio.current_task()
        if task is not None:
            self.visits.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self.visits.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """End every visit: textual-serve then closes its websocket and tells its
        process to quit. Without this the server waited for each browser to hang up
        (aiohttp's graceful shutdown) and Ctrl+C took many seconds."""
        visits = list(self.visits)
        for task in visits:
            task.cancel()
        if visits:
            await asyncio.wait(visits, timeout=SHUTDOWN_SECONDS)

    @web.middleware
    async def guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Every request, whatever its route (a page, the websocket, a download, a
        static file, a path that is not there), shows the token or is refused."""
        if not self.allowed(request):
            raise self.refuse()
        return await handler(request)

    def make_app(self) -> web.Application:
        """The aiohttp application: textual-serve's routes (its handlers, its static
        files without a folder listing), behind :meth:`guard`."""
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def serve(self, debug: bool = False) -> None:
        """Listen until Ctrl+C (or SIGTERM), as textual-serve's own ``serve`` does, with
        the application of :meth:`make_app`."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
        except NotImplementedError:  # Windows: Ctrl+C still ends run_app
            pass
        web.run_app(
            self.make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
        )

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"Serving the follow view on {self.url}", highlight=False, markup=False, soft_wrap=True
        )
        if self.token is not None:
            self.console.print(
                "Anyone with this link can watch the session; it works until the server stops.",
                markup=False,
            )
        self.console.print("Ctrl+C stops the server and every visitor's view.", markup=False)
        sys.stdout.flush()


def serve(
    path: Path,
    host: str | None,
    port: int,
    *,
    require_token: bool = False,
    contribute: bool = False,
) -> Any:
    """Serve the follow view of *path* until Ctrl+C; with *contribute* each visitor's view
    lets them add notes and votes (``--contribute``)."""
    FollowServer.for_host(
        path, host, port, require_token=require_token, contribute=contribute
    ).serve()

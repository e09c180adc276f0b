"""``alignment-tui serve``: the follow view in browsers, with textual-serve.

Each visitor's browser gets a process of its own running the follow view
(``python -m alignment_tui.follow PATH``), which reads the session read-only like
``follow``; closing the server ends them all (textual-serve sends each one "quit").

Who may look:

* By default the server listens on 127.0.0.1 only: this computer.
* Another address needs ``--host``, and then a random token: the URL printed on
  the terminal carries it (``/?token=…``). The page (``/``), the websocket that
  drives the view (``/ws``) and downloads are refused (403) without it. The page
  given the token sets it as a cookie (HttpOnly, SameSite=Strict) for the
  websocket, which textual-serve's page opens without a query of ours; a
  websocket opened from another site's page is refused by its Origin too.
* textual-serve's own static files (``/static``: its JavaScript, CSS and fonts)
  are served to anyone: its public API has no hook on that route. They hold
  nothing of the session.

Only public parts of textual-serve are used: the ``Server`` class, its
``handle_index`` / ``handle_websocket`` / ``handle_download`` / ``on_startup``
methods (extended, then handed back to), and its ``templates_path`` (our copy of
its page, without the web font it would fetch from the internet).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

#: The cookie that carries the token from the page to its websocket.
COOKIE = "alignment_follow_token"
TEMPLATES = Path(__file__).with_name("serve_templates")
LOCAL_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "alignment-tui follow"


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
        if not self.allowed(request):
            raise self.refuse()
        response: web.StreamResponse = await super().handle_index(request)
        if self.token is not None:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.allowed(request):
            raise self.refuse()
        return await super().handle_websocket(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if not self.allowed(request):
            raise self.refuse()
        return await super().handle_download(request)

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

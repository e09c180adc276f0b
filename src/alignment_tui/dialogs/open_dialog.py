"""Open a session file by its path.

The dialog checks the file read-only (``inspect_file``, in a thread) before it
lets go: a file that is not a session, is damaged or is newer is refused with
its one-line reason in the dialog, what was typed stays, and the file is not
touched. It dismisses with the path; the caller opens it.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static

from ..sessions import paths
from ..sessions.errors import SessionFileError
from ..sessions.store import inspect_file


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders and sessions first)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, prefix = os.path.split(expanded)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        matches = [n for n in names if n.startswith(prefix) and n != prefix]
        if not prefix:
            matches = [n for n in matches if not n.startswith(".")]
        if not matches:
            return None

        def rank(name: str) -> tuple[int, str]:
            full = os.path.join(folder or ".", name)
            if name.endswith(paths.SUFFIX):
                return (0, name)
            if os.path.isdir(full):
                return (1, name)
            return (2, name)

        best = min(matches, key=rank)
        if os.path.isdir(os.path.join(folder or ".", best)):
            best += os.sep
        # Keep exactly what the user typed; add only the rest of the name.
        return value + best[len(prefix) :]


def typed_from_its_own_start(start: str, value: str) -> str | None:
    """What was typed after *start*, when it is a path of its own (from ``/`` or ``~``)."""
    if not start or not value.startswith(start):
        return None
    typed = value[len(start) :]
    if typed.startswith(("/", "~")) or (os.sep != "/" and typed.startswith(os.sep)):
        return typed
    return None


class OpenDialog(ModalScreen[Path | None]):
    """Type a path; the session is opened only when the file is usable."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="open_cancel", tooltip="Close without opening"),
    ]

    def __init__(self, folder: Path | None = None, *, value: str | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.initial = value
        #: What the field starts with: the data folder, so a bare name is looked for there.
        self.start = ""

    def compose(self) -> ComposeResult:
        folder = self.folder or paths.data_dir()
        start = self.initial if self.initial is not None else str(folder) + os.sep
        self.start = start
        with Vertical(id="open-box"):
            yield Label("Open a session file", id="open-title")
            yield Label(
                "A session in this folder, or a whole path from / or ~ "
                "(→ completes the name; a bare name gets .alignment.db)",
                classes="field-label",
            )
            yield Input(
                start,
                id="open-path",
                suggester=PathSuggester(),
                select_on_focus=False,
                placeholder="~/workshops/acme.alignment.db",
            )
            yield Static("", id="open-error", markup=False)
            with Horizontal(id="open-buttons"):
                yield Button("Open", variant="primary", id="open-go")
                yield Button("Cancel", id="open-cancel")

    def on_mount(self) -> None:
        self.query_one("#open-error").display = False
        self.query_one("#open-path", Input).focus()

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#open-error", Static)
        error.update(Content(message or ""))
        error.display = message is not None
        self.query_one("#open-path", Input).set_class(message is not None, "-invalid")

    @on(Input.Changed, "#open-path")
    def _typed(self, event: Input.Changed) -> None:
        self.show_error(None)
        fresh = typed_from_its_own_start(self.start, event.value)
        if fresh is not None:
            # A path from / or ~ typed (or pasted) after the folder the field started
            # with: it replaces that start rather than being appended to it.
            event.input.value = fresh
            event.input.cursor_position = len(fresh)

    @on(Button.Pressed, "#open-go")
    @on(Input.Submitted, "#open-path")
    def _go(self) -> None:
        raw = self.query_one("#open-path", Input).value.strip()
        if not raw:
            self.show_error("Path: a file name is required")
            return
        self.check(paths.normalise_path(Path(raw)))

    @work(thread=True, exclusive=True, group="open-check")
    def check(self, path: Path) -> None:
        """Look at the file read-only; never writes."""
        try:
            inspect_file(path)
        except SessionFileError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, path)

    def _refused(self, reason: str) -> None:
        self.show_error(" ".join(reason.split()))
        self.query_one("#open-path", Input).focus()

    @on(Button.Pressed, "#open-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

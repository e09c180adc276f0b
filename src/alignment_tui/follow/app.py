"""The follow view's Textual app: one screen, the app's two themes, q to leave."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from ..settings import load_settings
from ..themes import DEFAULT_THEME, PROJECTOR, THEMES
from .screen import FollowScreen
from .source import FollowSource


class FollowApp(App[None]):
    """``alignment-tui follow PATH``: a live, read-only view of a session."""

    TITLE = "alignment-tui follow"
    CSS_PATH = [Path(__file__).with_name("follow.tcss")]
    #: Nothing to find: no verbs, and no file dialogs (a served view must not offer them).
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q", "quit", "Leave", id="follow_quit", tooltip="Leave the follow view"),
        Binding(
            "f8",
            "toggle_theme",
            "Theme",
            id="toggle_theme",
            tooltip="Switch between the dark theme and the light projector theme",
        ),
    ]

    def __init__(self, source: FollowSource | Path, *, theme: str | None = None) -> None:
        super().__init__()
        for known in THEMES:
            self.register_theme(known)
        settings, _notice = load_settings()
        wanted = theme or settings.theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME
        #: Opened by the command line first, so a file that cannot be used gets one line.
        self.source = source if isinstance(source, FollowSource) else FollowSource(source)

    def on_mount(self) -> None:
        if self.source.session is None:
            self.source.open()
        self.push_screen(FollowScreen(self.source))

    def on_unmount(self) -> None:
        self.source.close()

    def action_toggle_theme(self) -> None:
        """F8: dark <-> light projector theme (for this view only; not remembered)."""
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name

"""The follow view's Textual app: one screen, the app's two themes, q to leave.

With ``contribute`` the visitor may add notes and dot votes (:mod:`.contribute`): the
app opens the contributions box beside the read-only source (on the room's own
thread) and asks the visitor's name as soon as it is open (when the file takes
contributions at all).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from ..settings import load_settings
from ..themes import DEFAULT_THEME, PROJECTOR, THEMES
from .contribute import Room
from .contribute_dialogs import NameDialog
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

    def __init__(
        self,
        source: FollowSource | Path,
        *,
        theme: str | None = None,
        contribute: bool = False,
    ) -> None:
        super().__init__()
        for known in THEMES:
            self.register_theme(known)
        settings, _notice = load_settings()
        wanted = theme or settings.theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME
        #: Opened by the command line first, so a file that cannot be used gets one line.
        self.source = source if isinstance(source, FollowSource) else FollowSource(source)
        #: The visitor's notes and votes (``--contribute``); None: the view only reads.
        self.room = Room(self.source.path) if contribute else None

    def on_mount(self) -> None:
        if self.source.session is None:
            self.source.open()
        room = self.room
        self.push_screen(FollowScreen(self.source, room))
        if room is not None:
            # the box opens on the room's thread (a save may hold the file a moment); the
            # name is asked once it is open, and not at all for a file it cannot write
            joining = room.refresh()
            if joining is not None:
                joining.add_done_callback(lambda _: self._ask_name())

    def _ask_name(self) -> None:
        room = self.room
        if room is None or not room.ready or room.name:
            return
        source = self.source
        self.push_screen(
            NameDialog(lambda name: room.check_name(name, source.session)), self._named
        )

    def _named(self, name: str | None) -> None:
        if self.room is not None and name:
            self.room.name = name
        screen = self.screen
        if isinstance(screen, FollowScreen):
            screen.room_changed()

    def on_unmount(self) -> None:
        if self.room is not None:
            self.room.close()
        self.source.close()

    def action_toggle_theme(self) -> None:
        """F8: dark <-> light projector theme (for this view only; not remembered)."""
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name

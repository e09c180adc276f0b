"""The Textual application: wires screens, themes, bindings and the palette."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.command import Provider

from . import gcpause, internals
from .sessions.errors import ReadOnlySession, SessionFileError, SessionInUse
from .settings import SettingsKeeper
from .stylesheets import style_files, use_room
from .themes import DEFAULT_THEME, PROJECTOR, THEMES

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from .sessions.service import SessionService


#: The garbage collector, paused while the app starts, resumes this long after mount.
GC_SETTLE_SECONDS = 1.0


def _workshop_commands() -> type[Provider]:
    # Imported when the palette opens: the models are not needed for the first paint.
    from .commands import WorkshopCommands

    return WorkshopCommands


class AlignmentApp(App[None]):
    """alignment-tui."""

    TITLE = "alignment-tui"
    CSS_PATH = style_files()
    COMMANDS = App.COMMANDS | {_workshop_commands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="Help for the current step and every key"),
        # Replaces Textual's hidden ctrl+q so "Quit" shows in the footer; in a
        # workshop it asks first (see action_quit).
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="end_workshop",
            priority=True,
            tooltip="End the workshop (asks first; everything is already saved)",
        ),
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
        path: Path | None = None,
        *,
        readonly: bool = False,
        review: bool = False,
    ) -> None:
        super().__init__()

        internals.apply()  # only on the verified Textual and Rich (see internals)
        for theme in THEMES:
            self.register_theme(theme)
        # The remembered theme is set before any CSS is parsed (see start_theme).
        self.settings_keeper = SettingsKeeper(self)
        self.settings_keeper.start_theme(DEFAULT_THEME)
        self.start_path = path
        self.start_readonly = readonly
        self.start_review = review
        self.service: SessionService | None = None

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """Restyle *node* and its children, unless it is not in the DOM yet.

        A class set in a constructor (``compact=True`` among them) restyles a
        widget that has no parent yet; it is styled again when mounted, so that
        work is thrown away (see benchmarks/RESULTS.md for what it cost).
        """
        if node is not self and node.parent is None:
            return
        super().update_styles(node, animate)

    def refresh_css(self, animate: bool = True) -> None:
        """Restyle with the current theme; before any screen exists, only set the variables.

        The remembered theme is set in ``__init__`` (see ``SettingsKeeper.start_theme``),
        and Textual's theme watcher then queues this restyle. With no screen yet nothing
        has been styled, and the stylesheet is parsed (once, with these variables) when
        the first screen is registered: parsing it here as well would parse every rule
        twice at start-up (see benchmarks/RESULTS.md for what that cost).
        """
        if not self.screen_stack:
            self.stylesheet.set_variables(self.get_css_variables())
            return
        super().refresh_css(animate)

    @property
    def read_only(self) -> bool:
        """Whether the open session cannot be changed (the form layer disables its fields)."""
        return self.service is not None and self.service.readonly

    def on_mount(self) -> None:
        self.settings_keeper.apply()
        if self.start_path is not None:
            self.open_session(self.start_path, readonly=self.start_readonly)
        else:
            self.show_start()
        if gcpause.is_paused():  # paused by the command line while we started
            self.set_timer(GC_SETTLE_SECONDS, gcpause.resume)

    def show_start(self) -> None:
        from .screens.start import StartScreen

        use_room(self, "start")
        self.push_screen(StartScreen())

    def open_session(
        self, path: Path, *, readonly: bool = False, force: bool = False, why: str = ""
    ) -> bool:
        """Open *path* and show the workshop; on failure say why in one line.

        *why* says why a read-only copy is read-only (shown at the top of the workshop).
        """
        from .screens.workshop import WorkshopScreen
        from .sessions.service import SessionService

        try:
            service = SessionService.open(path, readonly=readonly, force=force)
        except SessionInUse as exc:
            self._offer_readonly(
                path,
                "Already open elsewhere — open read-only?",
                str(exc),
                why="another copy of alignment-tui has this session open",
            )
            return False
        except ReadOnlySession as exc:
            if readonly:
                self._open_failed(str(exc))
            else:
                self._offer_readonly(
                    path,
                    "This file cannot be changed — open read-only?",
                    str(exc),
                    why="the file or its folder cannot be written",
                )
            return False
        except SessionFileError as exc:
            self._open_failed(str(exc))
            return False
        self.close_session()
        self.service = service
        if service.readonly and not why:
            why = "it was opened with --read-only" if readonly else "the file cannot be written"
        use_room(self, "workshop")
        self.push_screen(WorkshopScreen(service, read_only_reason=why))
        if self.start_review:
            self.start_review = False
            from .screens.review import ReviewScreen

            self.push_screen(ReviewScreen(service))
        return True

    def _open_failed(self, reason: str) -> None:
        """Say why in one line; the user stays where they were (the start screen at launch)."""
        self.notify(" ".join(reason.split()), severity="error", timeout=8)
        if not self.screen_stack or len(self.screen_stack) <= 1:
            self.show_start()

    def _offer_readonly(self, path: Path, question: str, reason: str, *, why: str) -> None:
        """Ask whether to open *path* read-only; cancel leaves everything as it was."""
        from .form.confirm import ConfirmDialog

        def answered(readonly: bool | None) -> None:
            if readonly:
                self.open_session(path, readonly=True, why=why)
            elif len(self.screen_stack) <= 1:
                self.show_start()

        self.push_screen(
            ConfirmDialog(
                question,
                " ".join(reason.split()),
                confirm_label="Open read-only",
                cancel_label="Cancel",
            ),
            answered,
        )

    def close_session(self) -> None:
        if self.service is not None:
            self.service.close()
            self.service = None

    def on_unmount(self) -> None:
        self.close_session()

    # -- help, theme, quitting (time-keeping/help engineer) ----------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        use_room(self, "help")
        self.push_screen(HelpScreen.for_screen(self.screen))

    def action_toggle_theme(self) -> None:
        """F8: the branded dark theme <-> the light high-contrast projector theme."""
        self.theme = DEFAULT_THEME if self.theme == PROJECTOR.name else PROJECTOR.name
        light = self.theme == PROJECTOR.name
        self.notify("Projector theme (light)" if light else "Dark theme", timeout=2)

    async def action_quit(self) -> None:
        """Ctrl+q: while a workshop is open it asks first (and saves everything)."""
        from .screens.workshop import WorkshopScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, WorkshopScreen):
                screen.request_quit()
                return
        self.exit()

"""Start screen (placeholder until the start-screen work lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Label


class StartScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Start")
        yield Footer()

"""Add or edit an action (placeholder until the actions work lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Label

from ..sessions.models import Action, StepId
from ..sessions.service import SessionService


class ActionDialog(ModalScreen[Action | None]):
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, service: SessionService, *, step: StepId, action: Action | None = None):
        super().__init__()
        self.service = service
        self.step = step
        self.action_ = action

    def compose(self) -> ComposeResult:
        yield Label("Add action")

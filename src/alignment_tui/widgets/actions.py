"""The list of actions for one step (or all steps). Placeholder until the actions issue work lands."""

from __future__ import annotations

from textual.widgets import Static

from ..sessions.models import StepId
from ..sessions.service import SessionService


class ActionsPanel(Static):
    def __init__(self, service: SessionService, *, step: StepId | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__("", **kwargs)
        self.service = service
        self.step = step

    def refresh_from_session(self) -> None:
        pass

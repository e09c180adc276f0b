"""Step pane: goals (to be built)."""

from __future__ import annotations

from typing import ClassVar

from ...sessions.models import StepId
from .base import StepPane


class GoalsPane(StepPane):
    STEP: ClassVar[StepId] = StepId.GOALS

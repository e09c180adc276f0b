"""Step pane: feedback (to be built)."""

from __future__ import annotations

from typing import ClassVar

from ...sessions.models import StepId
from .base import StepPane


class FeedbackPane(StepPane):
    STEP: ClassVar[StepId] = StepId.FEEDBACK

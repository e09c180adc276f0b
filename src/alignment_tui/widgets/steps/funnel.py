"""Step pane: funnel (to be built)."""

from __future__ import annotations

from typing import ClassVar

from ...sessions.models import StepId
from .base import StepPane


class FunnelPane(StepPane):
    STEP: ClassVar[StepId] = StepId.FUNNEL

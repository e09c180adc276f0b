"""Step pane: wrapup (to be built)."""

from __future__ import annotations

from typing import ClassVar

from ...sessions.models import StepId
from .base import StepPane


class WrapupPane(StepPane):
    STEP: ClassVar[StepId] = StepId.WRAPUP

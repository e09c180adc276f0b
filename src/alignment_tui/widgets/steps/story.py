"""Step pane: story (to be built)."""

from __future__ import annotations

from typing import ClassVar

from ...sessions.models import StepId
from .base import StepPane


class StoryPane(StepPane):
    STEP: ClassVar[StepId] = StepId.STORY

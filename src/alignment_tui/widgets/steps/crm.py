"""Step pane: crm (to be built)."""

from __future__ import annotations

from typing import ClassVar

from ...sessions.models import StepId
from .base import StepPane


class CrmPane(StepPane):
    STEP: ClassVar[StepId] = StepId.CRM

"""One pane per workshop step."""

from __future__ import annotations

from ...sessions.models import StepId
from .base import StepPane
from .crm import CrmPane
from .feedback import FeedbackPane
from .funnel import FunnelPane
from .goals import GoalsPane
from .setup import SetupPane
from .story import StoryPane
from .wrapup import WrapupPane

PANES: dict[StepId, type[StepPane]] = {
    StepId.SETUP: SetupPane,
    StepId.GOALS: GoalsPane,
    StepId.STORY: StoryPane,
    StepId.CRM: CrmPane,
    StepId.FEEDBACK: FeedbackPane,
    StepId.FUNNEL: FunnelPane,
    StepId.WRAPUP: WrapupPane,
}

__all__ = ["PANES", "StepPane"]

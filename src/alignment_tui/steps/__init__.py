"""One pane per workshop step.

Each pane's module is imported when its pane is first built (:func:`pane_class`):
opening a session shows one step, and importing all seven modules (with the
widgets and the funnel maths they bring) cost ~25 ms of every opening.
"""

from __future__ import annotations

from importlib import import_module

from ..sessions.models import StepId
from .base import StepPane

#: The module and class of each step's pane.
PANE_CLASSES: dict[StepId, tuple[str, str]] = {
    StepId.SETUP: ("setup", "SetupPane"),
    StepId.GOALS: ("goals", "GoalsPane"),
    StepId.STORY: ("story", "StoryPane"),
    StepId.CRM: ("crm", "CrmPane"),
    StepId.FEEDBACK: ("feedback", "FeedbackPane"),
    StepId.FUNNEL: ("funnel", "FunnelPane"),
    StepId.WRAPUP: ("wrapup", "WrapupPane"),
}


def pane_class(step: StepId) -> type[StepPane]:
    """The pane class of *step*, importing its module on first use."""
    module, name = PANE_CLASSES[step]
    cls: type[StepPane] = getattr(import_module(f"{__name__}.{module}.pane"), name)
    return cls


__all__ = ["PANE_CLASSES", "StepPane", "pane_class"]

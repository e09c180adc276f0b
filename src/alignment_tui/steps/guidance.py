"""Short guidance per step, in Markdown, written by the alignment-tui team."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..sessions.models import StepId


@cache
def guidance(step: StepId) -> str:
    """The Markdown guidance of *step* (why it matters, success, prompts)."""
    try:
        return resources.files(__package__).joinpath(step.value, "guidance.md").read_text("utf-8")
    except FileNotFoundError:
        return f"# {step.label}\n"

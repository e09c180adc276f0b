"""What an action aims at, named for a reader: a goal, a funnel stage, or a removed one.

Apart from the review's figures (:mod:`.review`) because the actions table under
every step names targets too, and that table should not import the review's
machinery to do it.
"""

from __future__ import annotations

from .models import Action, Goal, Session


def goal_title(goal: Goal) -> str:
    text = " ".join(goal.statement.split())
    return text or f"Goal {goal.position or goal.id}"


def target_name(session: Session, action: Action) -> str:
    """What *action* aims at, as a reader sees it ("" for nothing); a removed target
    is named with "(removed)"."""
    if action.target_goal_id is not None:
        goal = next((g for g in session.goals if g.id == action.target_goal_id), None)
        return f"Goal: {goal_title(goal)}" if goal else ""
    if action.target_stage_id is not None:
        stage = next((s for s in session.funnel_stages if s.id == action.target_stage_id), None)
        return f"Stage: {stage.name}" if stage else ""
    if action.target_gone:
        return f"{action.target_gone} (removed)"
    return ""


def target_short(session: Session, action: Action, width: int = 32) -> str:
    """:func:`target_name` cut to *width* characters with "…" (a goal's statement can be
    long); a removed target keeps its "(removed)" in view."""
    name = target_name(session, action)
    if len(name) <= width:
        return name
    suffix = " (removed)" if name.endswith(" (removed)") else ""
    kept = name[: len(name) - len(suffix)]
    room = max(1, width - len(suffix) - 1)
    return kept[:room].rstrip() + "…" + suffix

"""The goals as the room sees them at a glance: one line a goal, and their ranking by votes."""

from __future__ import annotations

from collections import Counter

from textual.content import Content

from ...form.records import Column
from ...sessions.models import Goal, Session, Team
from ...sessions.text import one_line, snippet

#: The two teams that commit to behaviours, in the order they are shown.
TEAMS = (Team.SALES, Team.MARKETING)

#: One line a goal. Room is short beside the step list and the guidance: the
#: statement and the measure share what the fixed columns leave, and the
#: measure (shown in the editor anyway) is the first to go.
COLUMNS = (
    Column("n", "#", 3),
    Column("statement", "Goal", min_width=14),
    Column("measure", "Measure", min_width=8, drop=1),
    Column("votes", "Votes", 5, align="right"),
    Column("sales", "Sales", 5),
    Column("marketing", "Mktg", 5),
)


def sorted_goals(session: Session) -> list[Goal]:
    """The goals in the room's order."""
    return sorted(session.goals, key=lambda g: (g.position, g.id))


def goal_cells(
    goal: Goal, number: int, session: Session, room: int = 0
) -> dict[str, str | Content]:
    """The list's line for one goal; "⚠ 0" where a team has no behaviour with text yet.

    *room* is the dots the room placed on it (``serve --contribute``), shown after the
    votes typed ("3 ●5") only when there are some.
    """
    counts = Counter(b.team for b in session.behaviours if b.goal_id == goal.id and b.text.strip())
    statement = one_line(goal.statement)
    cells: dict[str, str | Content] = {
        "n": str(number),
        "statement": statement or Content.styled("(no statement yet)", "italic"),
        "measure": one_line(goal.measure),
        "votes": f"{goal.votes} ●{room}" if room else str(goal.votes),
    }
    for team in TEAMS:
        n = counts[team]
        cells[team.value.lower()] = str(n) if n else "⚠ 0"
    return cells


def ranking_text(goals: list[Goal]) -> str:
    """One line ranking the goals by the room's dot votes (empty when there is no goal)."""
    if not goals:
        return ""
    numbered = [(n, g) for n, g in enumerate(goals, start=1) if g.statement.strip()]
    if not numbered:
        return "Ranked by dot votes once a goal has a statement."
    if not any(g.votes for _n, g in numbered):
        return "Ranked by dot votes: no votes entered yet."
    ranked = sorted(numbered, key=lambda ng: (-ng[1].votes, ng[0]))
    parts = [
        f"{place}. {snippet(g.statement, 28)} ({g.votes})"
        for place, (_n, g) in enumerate(ranked, start=1)
    ]
    return "Ranked by dot votes: " + " · ".join(parts)

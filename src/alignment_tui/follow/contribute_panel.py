"""The visitor's corner of the follow view: whether the room takes contributions, what
became of their notes, and (on the Joint goals step) their dots on each goal.

One status line always; on the Joint goals step a list of the goals with this
visitor's own dots, the highlighted one being what the vote keys act on. The
goals' statements are typed text: shown through :func:`.blocks.line` (literal).
"""

from __future__ import annotations

from collections.abc import Collection

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..sessions.models import Session, StepId
from .blocks import line
from .contribute import Room

#: One dot given, one still to give.
DOT, SPARE = "●", "○"


def status_line(room: Room) -> Content:
    """Open or closed, and the visitor's notes so far; or why contributing is off."""
    if room.off is not None or room.settings is None:
        return Content(room.off or "Contributing is off").stylize("$text-muted")
    if room.settings.open:
        head = Content("Contributions are open").stylize("bold $success")
    else:
        head = Content("Contributions are closed").stylize("bold $warning")
    return Content.assemble(head, ("  ·  " + room.notes_line(), "$text-muted"))


def votes_line(room: Room, goals: Collection[int]) -> Content:
    """The dots this visitor has left for *goals* (the goals there are now)."""
    budget = room.settings.vote_budget if room.settings is not None else 0
    left = room.votes_left(goals)
    placed = sum(room.my_votes(goals).values())
    if placed > budget:
        # the facilitator lowered the budget after these were placed: they stay
        count = f"{placed} placed · {budget} each now"
    else:
        count = f"{left} of {budget} dots left"
    line = Content.assemble(
        ("Your dots on the joint goals", "bold"),
        ("  ·  ", "$text-muted"),
        (count, "bold $accent" if left else "$text-muted"),
    )
    if room.sending:
        line += Content.assemble(("  ·  ", "$text-muted"), ("saving…", "italic $text-muted"))
    return line


def goal_prompt(dots: int, statement: str) -> Content:
    marks = (DOT * dots) if dots else SPARE
    # Bold in the text's own colour: a theme colour would vanish on the highlighted row.
    return Content.assemble((f"{marks:<4} ", "bold"), line(statement or "(no words yet)"))


class ContributePanel(Vertical):
    """Status, and on the Joint goals step the goals to vote on."""

    def __init__(self, room: Room, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.room = room
        self._goals_key: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="room-status", markup=False)
        yield Static("", id="room-votes-title", markup=False)
        yield OptionList(id="room-goals")

    @property
    def goals(self) -> OptionList:
        return self.query_one("#room-goals", OptionList)

    def highlighted_goal(self) -> int | None:
        """The id of the goal the vote keys act on (None: no goal shown)."""
        goals = self.goals
        if not goals.display or goals.highlighted is None or not goals.option_count:
            return None
        option = goals.get_option_at_index(goals.highlighted)
        return int(option.id.removeprefix("goal-")) if option.id else None

    def show_room(self, session: Session | None) -> None:
        """Show the room's state; the goals when the room is on the Joint goals step."""
        room = self.room
        status = self.query_one("#room-status", Static)
        text = status_line(room)
        if status.visual != text:
            status.update(text)
        voting = (
            room.ready
            and session is not None
            and session.meta.current_step is StepId.GOALS
            and bool(session.goals)
        )
        title = self.query_one("#room-votes-title", Static)
        goals = self.goals
        title.display = goals.display = voting
        if not voting or session is None:
            return
        shown = votes_line(room, {g.id for g in session.goals})
        if title.visual != shown:
            title.update(shown)
        mine = room.my_votes()
        ordered = sorted(session.goals, key=lambda g: (g.position, g.id))
        key = tuple((g.id, g.statement, mine[g.id]) for g in ordered)
        if key == self._goals_key:
            return
        self._goals_key = key
        at = goals.highlighted
        goals.set_options(
            Option(goal_prompt(mine[g.id], g.statement), id=f"goal-{g.id}") for g in ordered
        )
        if ordered:
            goals.highlighted = min(at or 0, len(ordered) - 1)

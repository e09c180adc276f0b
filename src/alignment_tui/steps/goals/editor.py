"""The one editor beside the goals list: the highlighted goal's values and its behaviours.

The goal's values are a small form (a label and one compact field a row, so
the whole goal fits beside the list at 80x24); a refused value's one reason
line goes under its row, across both columns. Under it, each team's
behaviours (:mod:`.behaviours`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from ...form.fields import DateInput, SavingInput
from ...form.records import RecordEditor
from ...sessions.models import Goal
from ...sessions.parse import parse_count, parse_date
from ...sessions.service import SessionService
from ...widgets.room import votes_label
from .behaviours import TeamBehaviours
from .rows import TEAMS, sorted_goals

#: More dots than this is a typo, not a vote.
MAX_VOTES = 10_000


def parse_votes(text: str) -> int:
    value = parse_count(text, field="Dot votes", example=5)
    if value is not None and value > MAX_VOTES:
        raise ValueError(f"Dot votes: more than {MAX_VOTES:,} looks like a typo")
    return value or 0


def parse_due(text: str) -> dt.date | None:
    return parse_date(text, field="By when")


class GoalEditor(RecordEditor[Goal]):
    """The goal in the editor: statement, measure, target, date, votes, each team's behaviours."""

    def __init__(self, service: SessionService, key: int | None, **kwargs: Any) -> None:
        self.service = service
        super().__init__(self._lookup, service.update, key, **kwargs)

    def _lookup(self, key: int) -> Goal | None:
        return next((g for g in self.service.session.goals if g.id == key), None)

    def _field(self, name: str, **kwargs: Any) -> SavingInput:
        # Nothing above the form listens for its keys: each stops at its field.
        kwargs.setdefault("read", self.get(name))
        return SavingInput(
            save=self.setter(name), id=f"goal-{name}", compact=True, bubble_changes=False, **kwargs
        )

    def compose(self) -> ComposeResult:
        yield Static("", id="goal-head", classes="goal-head")
        with Grid(classes="goal-form"):
            yield Static(Content("Goal both teams own"), classes="goal-label")
            yield self._field(
                "statement", placeholder="e.g. Grow qualified pipeline from our key sector"
            )
            yield Static(Content("How we measure it"), classes="goal-label")
            yield self._field("measure", placeholder="e.g. sales-accepted leads per month")
            yield Static(Content("Target"), classes="goal-label")
            yield self._field("target", placeholder="e.g. 40 a month")
            yield Static(Content("By when"), classes="goal-label")
            yield DateInput(
                read=self.get("due", None),
                parse=parse_due,
                save=self.setter("due"),
                id="goal-due",
                compact=True,
                bubble_changes=False,
                placeholder="2026-12-31, today, +3d, +2w, +1m",
            )
            yield Static(Content("Dot votes"), classes="goal-label")
            yield self._field(
                "votes",
                parse=parse_votes,
                placeholder="0",
                tooltip="How many dots the room gave this goal (a whole number)",
            )
        room = Static("", id="goal-room-votes", classes="goal-room")
        room.display = False
        yield room
        for team in TEAMS:
            yield TeamBehaviours(self.service, team, lambda: self.key)

    def on_mount(self) -> None:
        self.show_derived()

    def teams(self) -> list[TeamBehaviours]:
        return list(self.query(TeamBehaviours))

    def show(self, key: int | None) -> None:
        """Show goal *key*: its values in the same fields, its behaviours in the same lines."""
        before = self.key
        super().show(key)
        if key != before:
            for team in self.teams():
                team.current = None  # the bar acts on the new goal's first behaviour
                team.sync()

    def sync(self) -> None:
        """The session changed: show its behaviours (fields are reloaded by the pane's loop)."""
        for team in self.teams():
            team.sync()

    #: Dots the room placed per goal id (``serve --contribute``); empty when none.
    tally: dict[int, int] = {}

    def show_room(self, tally: dict[int, int]) -> None:
        """The room's dots on the goal in the editor, under its votes (hidden when none)."""
        self.tally = tally
        self.show_derived()

    def _show_room_votes(self) -> None:
        n = self.tally.get(self.key, 0) if self.key is not None else 0
        line = self.query_one("#goal-room-votes", Static)
        text = f"{votes_label(n)} (F10, then v, puts them in Dot votes)" if n else ""
        if str(line.content) != text:
            line.update(Content(text))
        if line.display != bool(n):
            line.display = bool(n)

    def show_derived(self) -> None:
        """The heading: which goal of how many is in the editor; the room's dots on it."""
        if not self.children:
            return  # not built yet (it comes into view later): it shows them when mounted
        self._show_room_votes()
        ids = [g.id for g in sorted_goals(self.service.session)]
        text = f"Goal {ids.index(self.key) + 1} of {len(ids)}" if self.key in ids else ""
        head = self.query_one("#goal-head", Static)
        if str(head.content) != text:
            head.update(Content(text), layout=False)

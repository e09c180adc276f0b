"""What each team commits to for the goal in the editor: one compact line a behaviour.

A team's behaviours are a :class:`TeamBehaviours`: a heading ("⚠ none yet"
while the team has none with text), one :class:`BehaviourLine` a behaviour
and one bar (add a behaviour, remove the highlighted one). On a line, Alt+↑ /
Alt+↓ move it within the team's list and Alt+Delete removes it (asking first
when it has text), like every list of lines (:mod:`~alignment_tui.form.lines`).

Lines are bound by place, not by record: ``sales-beh-text-0`` shows the first
Sales behaviour of whichever goal is in the editor. Choosing another goal
reloads the same lines (hiding the ones it does not need), so a goal with
three behaviours and forty goals mount the same few widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import AwaitMount
from textual.widgets import Button, Static

from ...form.fields import flush_fields, read_only_session
from ...form.lines import LineInput
from ...form.refusal import attempt
from ...form.removal import confirm_removal
from ...sessions.models import Behaviour, Team
from ...sessions.service import SessionService
from ...sessions.text import snippet


class BehaviourLine(LineInput):
    """The *index*-th behaviour of a team for the goal in the editor (hidden when there is none)."""

    KIND: ClassVar[str] = "behaviour"
    PREFIX: ClassVar[str] = "beh-"

    def __init__(self, team_list: TeamBehaviours, index: int) -> None:
        self.team_list = team_list
        self.index = index
        self.team = team_list.team
        self.key = team_list.key
        behaviour = team_list.behaviour_at(index)
        super().__init__(
            save=self._save_text,
            read=self._read_text,
            rid=behaviour.id if behaviour else 0,
            id=f"{self.key}-beh-text-{index}",
            classes="behaviour",
            placeholder="What the team will do, e.g. follow up within a day",
            tooltip="Alt+↑ / Alt+↓ move this behaviour, Alt+Delete removes it",
        )
        self.display = behaviour is not None

    @property
    def bound(self) -> bool:
        """Whether the line shows a behaviour (it is hidden when not)."""
        return self.rid != 0

    def _read_text(self) -> str:
        behaviour = self.team_list.behaviour_at(self.index)
        return behaviour.text if behaviour else ""

    def _save_text(self, text: str) -> None:
        # The behaviour the line showed when the typing began, even if the
        # places shifted meanwhile (a line being typed in is not reloaded).
        record = self.team_list.find(self.rid)
        if record is not None:
            self.team_list.service.update(record, text=text)

    def load(self, *, force: bool = False) -> None:
        if force or not (self.refused or self.pending or self.has_focus):
            behaviour = self.team_list.behaviour_at(self.index)
            self.rid = behaviour.id if behaviour else 0
            if self.display != self.bound:
                self.display = self.bound
        super().load(force=force)


class TeamBehaviours(Vertical):
    """One team's behaviours for the goal in the editor, with the bar that adds and removes."""

    def __init__(
        self, service: SessionService, team: Team, goal_id: Callable[[], int | None]
    ) -> None:
        self.key = team.value.lower()
        super().__init__(id=f"goal-{self.key}", classes="team-behaviours")
        self.service = service
        self.team = team
        self.goal_id = goal_id
        #: The behaviour the bar's Remove acts on: the one last focused (at first, the first).
        self.current: int | None = None

    # -- the records ---------------------------------------------------------------------

    def behaviours(self) -> list[Behaviour]:
        gid = self.goal_id()
        return self.service.behaviours_for(gid, self.team) if gid is not None else []

    def behaviour_at(self, index: int) -> Behaviour | None:
        found = self.behaviours()
        return found[index] if index < len(found) else None

    def find(self, rid: int) -> Behaviour | None:
        return next((b for b in self.service.session.behaviours if b.id == rid), None)

    # -- showing -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._head_text(), classes="team-head", id=f"goal-{self.key}-head")
        for index in range(len(self.behaviours())):
            yield BehaviourLine(self, index)
        with Horizontal(id=f"goal-bar-{self.key}", classes="line-bar"):
            yield Button(
                f"+ {self.team.value} behaviour",
                id=f"goal-add-{self.key}",
                compact=True,
                tooltip=f"Add a behaviour {self.team.value} commits to for this goal",
            )
            yield Button(
                "✕ Remove",
                id=f"goal-remove-{self.key}",
                compact=True,
                classes="-remove",
                tooltip=(
                    f"Remove the highlighted {self.team.value} behaviour (Alt+Delete); "
                    "asks first when it has text"
                ),
            )

    def on_mount(self) -> None:
        self.sync()

    def lines(self) -> list[BehaviourLine]:
        return [c for c in self.children if isinstance(c, BehaviourLine)]

    def line(self, rid: int | None) -> BehaviourLine | None:
        return next((w for w in self.lines() if w.bound and w.rid == rid), None)

    def _head_text(self) -> Content:
        done = any(b.text.strip() for b in self.behaviours())
        return Content(f"{self.team.value} commits to" + ("" if done else "  ⚠ none yet"))

    def sync(self, *, force: bool = False) -> list[AwaitMount]:
        """Show the goal's behaviours: a line each (mounted only when the pool is short).

        *force* also reloads a line being typed in (after a move or a removal made here).
        """
        behaviours = self.behaviours()
        lines = self.lines()
        mounts = [
            self.mount(BehaviourLine(self, index), before=f"#goal-bar-{self.key}")
            for index in range(len(lines), len(behaviours))
        ]
        for line in lines:
            line.load(force=force)
        ids = [b.id for b in behaviours]
        if self.current not in ids:
            self.current = ids[0] if ids else None
        head = self.query_one(f"#goal-{self.key}-head", Static)
        text = self._head_text()
        if str(head.content) != str(text):
            head.update(text, layout=False)
        self._mark_current()
        return mounts

    def _mark_current(self) -> None:
        """Highlight the line the bar acts on; the bar's Remove needs one."""
        for line in self.lines():
            on_it = line.bound and line.rid == self.current
            if line.has_class("-current") != on_it:
                line.set_class(on_it, "-current")
        read_only = read_only_session(self)
        remove = self.query_one(f"#goal-remove-{self.key}", Button)
        if remove.disabled != (read_only or self.current is None):
            remove.disabled = read_only or self.current is None
        add = self.query_one(f"#goal-add-{self.key}", Button)
        if add.disabled != read_only:
            add.disabled = read_only

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, BehaviourLine) and widget.bound and self.current != widget.rid:
            self.current = widget.rid
            self._mark_current()

    # -- verbs ---------------------------------------------------------------------------

    @on(Button.Pressed, ".line-bar Button")
    async def _bar(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == f"goal-add-{self.key}":
            await self.add()
        elif self.current is not None:
            self.ask_remove(BehaviourLine.KIND, self.current, refocus=False)

    async def add(self) -> None:
        gid = self.goal_id()
        if gid is None:
            return
        flush_fields(self)
        behaviour = attempt(self, self.service.add, Behaviour, goal_id=gid, team=self.team)
        if behaviour is None:
            return
        self.current = behaviour.id
        for pending in self.sync():
            await pending
        line = self.line(behaviour.id)
        if line is not None:
            line.focus()

    def move_line(self, kind: Any, rid: int, delta: int) -> None:
        """Move a behaviour one place within the team's list; the focus follows its text.

        Behaviours keep the order they were added in, so a move swaps the
        texts of the two neighbours.
        """
        flush_fields(self)
        behaviours = self.behaviours()
        here = next((n for n, b in enumerate(behaviours) if b.id == rid), None)
        if here is None or not 0 <= here + delta < len(behaviours):
            return
        record, other = behaviours[here], behaviours[here + delta]
        if attempt(self, self.service.update, record, text=other.text) is None:
            return
        attempt(self, self.service.update, other, text=record.text)
        line = self.line(rid)
        had_focus = line is not None and line.has_focus
        self.current = other.id
        self.sync(force=True)
        moved = self.line(other.id)
        if had_focus and moved is not None:
            moved.focus()

    def ask_remove(self, kind: Any, rid: int, *, refocus: bool) -> None:
        """Remove a behaviour, asking first when it has text."""
        flush_fields(self)
        record = self.find(rid)
        if record is None:
            return
        ids = [b.id for b in self.behaviours()]
        i = ids.index(rid)
        # after it goes, the bar acts on the one below it (else the one above)
        neighbours = ids[i + 1 : i + 2] + ids[:i][::-1]
        line = self.line(rid)
        had_focus = line is not None and line.has_focus

        def removed() -> None:
            self.current = neighbours[0] if neighbours else None
            self.sync(force=True)
            if refocus or had_focus:
                near = self.line(self.current)
                if near is not None:
                    near.focus()
                else:
                    self.query_one(f"#goal-add-{self.key}", Button).focus()

        confirm_removal(
            self,
            what="this behaviour",
            detail=f"“{snippet(record.text)}” will be removed.",
            has_content=bool(record.text.strip()),
            remove=lambda: self.service.remove(record),
            then=removed,
        )

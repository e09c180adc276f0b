"""Step 0: common ground and joint goals.

The room first writes down what the two teams already share (warm-up notes),
then a short list of goals both teams own. Each goal has a statement, how it
is measured, a target, a date, the room's dot votes, and the behaviours Sales
and Marketing each commit to. Both leads then agree to the set.

The goals are a :class:`~alignment_tui.form.records.RecordList` (one line a
goal: statement, measure, votes, each team's behaviours, "⚠ 0" when a team has
none) beside one :class:`~.editor.GoalEditor` for the highlighted goal, so the
pane mounts the same widgets for three goals or forty.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...form.fields import SavingTextArea
from ...form.later import Later
from ...form.records import BarButton, RecordForm, RecordList, RecordSource
from ...form.section import Section
from ...sessions.models import Goal, SignOffSubject, StepId
from ...sessions.progress import RULES
from ...sessions.service import SessionService
from ...sessions.text import snippet
from ...widgets.room import RoomWatch
from ...widgets.signoff import SignOffBar
from ..base import StepPane
from .editor import GoalEditor
from .rows import COLUMNS, goal_cells, ranking_text, sorted_goals

SHARED_GROUND = (
    "Start from what the two teams already share: both tell the company's story, "
    "both talk to customers every week, each needs the other's feedback to get "
    "better, and both are judged on growth. Note what the room adds to that list."
)


class GoalsPane(RecordForm[GoalEditor], StepPane):
    """Warm-up notes, the goals beside one editor, and both leads' agreement."""

    STEP: ClassVar[StepId] = StepId.GOALS

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        self.records: RecordList[Goal] = RecordList(
            RecordSource(
                records=lambda: sorted_goals(self.session),
                key=lambda g: g.id,
                cells=lambda g, n: goal_cells(g, n, self.session, self.room_tally.get(g.id, 0)),
                add=lambda: self.service.add(Goal),
                remove=self.service.remove,
                move=self.service.move,
                describe=self._describe,
            ),
            COLUMNS,
            empty="No goals yet: “+ Add goal” below starts one.",
            id="goals-list",
        )
        self.editor = GoalEditor(service, self.records.key, id="goal-editor")
        #: Dots the room placed per goal (``serve --contribute``), from the screen's watch.
        self.room_tally: dict[int, int] = {}

    # -- building ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        goals = sorted_goals(self.session)
        with Section("Warm-up: our shared ground", id="goals-warmup-section"):
            yield Static(Content(SHARED_GROUND), classes="step-hint")
            yield SavingTextArea(
                read=lambda: self.session.meta.warmup_notes,
                save=lambda text: self.service.update_meta(warmup_notes=text),
                id="goals-warmup",
                bubble_changes=False,
            )
        with Section("Goals both teams own", id="goals-section"):
            yield Static(Content("Aim for a short list: three is plenty."), classes="step-hint")
            # Final from the start: shown or hidden after mounting, it would lay
            # the screen out once more.
            ranking = Static(Content(ranking_text(goals)), id="goals-ranking")
            ranking.display = bool(goals)
            yield ranking
            yield self.records
            yield self.record_bar(
                BarButton(
                    "add",
                    "+ Add goal",
                    "add-goal",
                    "Add a goal both teams own (Insert in the list)",
                ),
                BarButton(
                    "up",
                    "↑",
                    "goal-up",
                    "Move the highlighted goal one place up (Alt+↑ in the list)",
                ),
                BarButton(
                    "down",
                    "↓",
                    "goal-down",
                    "Move the highlighted goal one place down (Alt+↓ in the list)",
                ),
                BarButton(
                    "remove",
                    "Remove goal",
                    "goal-remove",
                    "Remove the highlighted goal and its behaviours (Delete in the list)",
                ),
            )
            # Below the list, out of view as the step opens on a long list: built when
            # the room comes to it or chooses a goal.
            yield Later(
                "The goal highlighted",
                lambda: iter([self.editor]),
                holds=self.editor,
                id="later-goal-editor",
            )
        # Below the goals, a page or more down: built when the room comes to it.
        yield Later("Both leads agree", self._compose_agreement, id="later-goals-agreement")

    def _compose_agreement(self) -> ComposeResult:
        with Section("Both leads agree", id="goals-agreement"):
            yield Static(
                Content(f"Complete when there is {RULES[StepId.GOALS]}."), classes="step-rule"
            )
            yield SignOffBar(
                self.service, SignOffSubject.GOALS, title="Both leads agree to these goals"
            )

    def _describe(self, goal: Goal) -> tuple[str, str, bool]:
        """How the removal of *goal* is asked (not at all when nothing was typed in it)."""
        n = len([b for b in self.session.behaviours if b.goal_id == goal.id])
        said = snippet(goal.statement)
        what = f"“{said}”" if said else "This goal"
        behaviours = "its behaviour" if n == 1 else f"its {n} behaviours"
        typed = any(
            (
                goal.statement.strip(),
                goal.measure.strip(),
                goal.target.strip(),
                goal.due,
                goal.votes,
            )
        )
        return "this goal", f"{what} and {behaviours} will be removed.", typed or n > 0

    # -- the room's votes ---------------------------------------------------------------

    #: The screen's watch on what the room sends in (none outside the workshop screen).
    _room: RoomWatch | None = None

    def on_mount(self) -> None:
        room = getattr(self.screen, "room", None)
        if isinstance(room, RoomWatch):
            self._room = room
            room.subscribe(self._room_changed)
            if room.tally:
                self._room_changed()

    def on_unmount(self) -> None:
        if self._room is not None:
            self._room.unsubscribe(self._room_changed)

    def _room_changed(self) -> None:
        """The room's dots changed: beside each goal in the list, and under the one edited."""
        tally = dict(self._room.tally) if self._room is not None else {}
        if tally == self.room_tally:
            return
        self.room_tally = tally
        self.editor.show_room(tally)
        self.sync_records()

    # -- keeping in step with the session ---------------------------------------------

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self.is_mounted:
            return
        self.sync_records()
        self.editor.sync()
        self._show_ranking()

    def _show_ranking(self) -> None:
        goals = sorted_goals(self.session)
        ranking = self.query_one("#goals-ranking", Static)
        if ranking.display != bool(goals):
            ranking.display = bool(goals)
        text = Content(ranking_text(goals))
        old = ranking.content
        if isinstance(old, Content) and old.plain == text.plain:
            return
        # A layout reflows the whole screen: only when the ranking needs more
        # (or fewer) lines than it has.
        rules: Any = ranking.styles
        width = ranking.content_size.width
        same_height = (
            width > 0
            and isinstance(old, Content)
            and old.get_height(rules, width) == text.get_height(rules, width)
        )
        ranking.update(text, layout=not same_height)

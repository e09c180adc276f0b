"""Step 0: common ground and joint goals.

The room first writes down what the two teams already share (warm-up notes),
then a short list of goals both teams own. Each goal has a statement, how it
is measured, a target, a date, the room's dot votes, and the behaviours Sales
and Marketing each commit to. Both leads then agree to the set.

Rows are built once from the session and only added or removed when a goal
or a behaviour is added or removed, so a field the facilitator is typing in
is never rebuilt. Every save looks the record up again by id, because the
service replaces records on update.

The small helpers at the top (:func:`find_record`, :func:`field_saver`,
:class:`DateInput`, :class:`LineRow`, :func:`sync_rows`) are shared with the
story step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input, Static

from ...sessions.errors import SessionFileError
from ...sessions.models import (
    ATTR_BY_MODEL,
    Behaviour,
    Goal,
    Record,
    SignOffSubject,
    StepId,
    Team,
)
from ...sessions.parse import parse_count, parse_date
from ...sessions.progress import RULES
from ...sessions.service import SessionService
from ..fields import Field, SavingInput, SavingTextArea
from ..signoff import SignOffBar
from .base import StepPane

R = TypeVar("R", bound=Record)

# ---------------------------------------------------------------------------
# Helpers shared with the story step
# ---------------------------------------------------------------------------


def find_record(service: SessionService, model: type[R], rid: int) -> R | None:
    """The current record of *model* with id *rid* (records are replaced on update)."""
    items: list[R] = getattr(service.session, ATTR_BY_MODEL[model])
    return next((r for r in items if r.id == rid), None)


def field_saver(
    service: SessionService,
    model: type[Record],
    rid: int,
    field: str,
    parse: Callable[[str], Any] | None = None,
) -> Callable[[str], None]:
    """A save callback that parses the text and updates *field* of the current record."""

    def save(text: str) -> None:
        value = parse(text) if parse is not None else text
        record = find_record(service, model, rid)
        if record is None:  # removed meanwhile: nothing to save into
            return
        service.update(record, **{field: value})

    return save


T = TypeVar("T")


def attempt(widget: Widget, do: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a service call; when it is refused (e.g. read-only), say why instead of crashing."""
    try:
        return do(*args, **kwargs)
    except (ValueError, SessionFileError) as exc:
        widget.app.notify(str(exc), severity="error", timeout=6)
        return None


def confirm_then(widget: Widget, title: str, message: str, do: Callable[[], None]) -> None:
    """Ask before a removal that would lose typed text; do it on yes."""
    from ...screens.confirm import ConfirmDialog

    def answered(ok: bool | None) -> None:
        if ok:
            do()

    widget.app.push_screen(
        ConfirmDialog(title, message, confirm_label="Remove", destructive=True), answered
    )


class DateInput(SavingInput):
    """A date field: accepts 2026-12-31, today, +3d, +2w, +1m; shows the real date on leaving."""

    def on_blur(self) -> None:
        super().on_blur()
        try:
            day = parse_date(self.value)
        except ValueError:
            return
        shown = day.isoformat() if day else ""
        if shown != self.value:
            with self.prevent(Input.Changed):
                self.value = shown


class LineRow(Horizontal):
    """One line of text (a behaviour, a proof point) with a remove button."""

    def __init__(
        self,
        service: SessionService,
        model: type[Record],
        record: Record,
        *,
        prefix: str,
        placeholder: str,
        what: str,
    ) -> None:
        super().__init__(id=f"{prefix}-{record.id}", classes="line-row")
        self.service = service
        self.model = model
        self.rid = record.id
        self.prefix = prefix
        self.what = what
        self._text = str(getattr(record, "text", ""))
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield SavingInput(
            self._text,
            save=field_saver(self.service, self.model, self.rid, "text"),
            id=f"{self.prefix}-text-{self.rid}",
            placeholder=self._placeholder,
            classes="line-input",
        )
        yield Button(
            "✕",
            id=f"{self.prefix}-remove-{self.rid}",
            compact=True,
            classes="small-button",
            tooltip=f"Remove this {self.what}",
        )

    @on(Button.Pressed)
    def _remove(self, event: Button.Pressed) -> None:
        if event.button.id != f"{self.prefix}-remove-{self.rid}":
            return
        event.stop()
        record = find_record(self.service, self.model, self.rid)
        if record is None:
            return
        text = str(getattr(record, "text", "")).strip()
        typed = self.query_one(SavingInput).value.strip()
        if not text and not typed:
            attempt(self, self.service.remove, record)
            return
        shown = (typed or text)[:60]
        confirm_then(
            self,
            f"Remove this {self.what}?",
            f"“{shown}” will be removed.",
            lambda: self._do_remove(),
        )

    def _do_remove(self) -> None:
        record = find_record(self.service, self.model, self.rid)
        if record is not None:
            attempt(self, self.service.remove, record)


def sync_rows(
    container: Widget,
    records: Iterable[Record],
    make: Callable[[Record], Widget],
    prefix: str,
) -> list[AwaitMount]:
    """Make *container*'s rows match *records* (in order): mount new, remove gone, reorder.

    Rows are found by id ``<prefix>-<record id>``; existing rows are kept as they
    are, so nobody's typing is disturbed. Returns the pending mounts (await them
    before focusing a new row).
    """
    wanted = list(records)
    wanted_ids = {f"{prefix}-{r.id}" for r in wanted}
    for child in list(container.children):
        if child.id and child.id.startswith(f"{prefix}-") and child.id not in wanted_ids:
            child.remove()
    existing = {child.id: child for child in container.children if child.id in wanted_ids}
    mounted: list[AwaitMount] = []
    for record in wanted:
        rid = f"{prefix}-{record.id}"
        if rid not in existing:
            row = make(record)
            mounted.append(container.mount(row))
            existing[rid] = row
    order = [existing[f"{prefix}-{r.id}"] for r in wanted]
    current = [c for c in container.children if c in order]
    if current != order:
        for i, row in enumerate(order):
            kids = [c for c in container.children if c in order]
            if kids[i] is not row:
                container.move_child(row, before=kids[i])
    return mounted


def words(text: str) -> int:
    return len(text.split())


def show_text(static: Static, text: str) -> None:
    """Show *text* literally, touching the widget only when it changes (no needless layout)."""
    if str(static.content) != text or not isinstance(static.content, Content):
        static.update(Content(text))


# ---------------------------------------------------------------------------
# The goals step
# ---------------------------------------------------------------------------

SHARED_GROUND = (
    "Start from what the two teams already share: both tell the company's story, "
    "both talk to customers every week, each needs the other's feedback to get "
    "better, and both are judged on growth. Note what the room adds to that list."
)

TEAMS = (Team.SALES, Team.MARKETING)


def sorted_goals(service: SessionService) -> list[Goal]:
    return sorted(service.session.goals, key=lambda g: (g.position, g.id))


def _votes(text: str) -> int:
    value = parse_count(text, field="Dot votes")
    if value is not None and value > 10_000:
        raise ValueError("Dot votes: more than 10,000 looks like a typo")
    return value or 0


def _due(text: str) -> Any:
    return parse_date(text, field="By when")


class GoalRow(Vertical):
    """One goal: statement, measure, target, date, votes and each team's behaviours."""

    def __init__(self, service: SessionService, goal: Goal) -> None:
        super().__init__(id=f"goal-{goal.id}", classes="goal-row")
        self.service = service
        self.gid = goal.id
        self._goal = goal

    def compose(self) -> ComposeResult:
        g, gid, svc = self._goal, self.gid, self.service
        with Horizontal(classes="row-head"):
            yield Static("Goal", id=f"goal-head-{gid}", classes="row-title")
            yield Button(
                "↑", id=f"goal-up-{gid}", compact=True, classes="small-button", tooltip="Move up"
            )
            yield Button(
                "↓",
                id=f"goal-down-{gid}",
                compact=True,
                classes="small-button",
                tooltip="Move down",
            )
            yield Button(
                "Remove",
                id=f"goal-remove-{gid}",
                compact=True,
                variant="error",
                classes="small-button",
                tooltip="Remove this goal and its behaviours (asks first)",
            )
        yield Field(
            "Goal both teams own",
            SavingInput(
                g.statement,
                save=field_saver(svc, Goal, gid, "statement"),
                id=f"goal-statement-{gid}",
                placeholder="e.g. Grow qualified pipeline from our key sector",
            ),
        )
        yield Field(
            "How we measure it",
            SavingInput(
                g.measure,
                save=field_saver(svc, Goal, gid, "measure"),
                id=f"goal-measure-{gid}",
                placeholder="e.g. sales-accepted leads per month",
            ),
        )
        with Horizontal(classes="goal-numbers"):
            yield Field(
                "Target",
                SavingInput(
                    g.target,
                    save=field_saver(svc, Goal, gid, "target"),
                    id=f"goal-target-{gid}",
                    placeholder="e.g. 40 a month",
                ),
                classes="goal-target",
            )
            yield Field(
                "By when",
                DateInput(
                    g.due.isoformat() if g.due else "",
                    save=field_saver(svc, Goal, gid, "due", _due),
                    id=f"goal-due-{gid}",
                    placeholder="2026-12-31, +6w",
                ),
                classes="goal-due",
            )
            yield Field(
                "Dot votes",
                SavingInput(
                    str(g.votes),
                    save=field_saver(svc, Goal, gid, "votes", _votes),
                    id=f"goal-votes-{gid}",
                    placeholder="0",
                ),
                classes="goal-votes",
            )
        for team in TEAMS:
            key = team.value.lower()
            yield Static(
                Content(f"{team.value} commits to"),
                classes="team-head",
                id=f"goal-{key}-head-{gid}",
            )
            with Vertical(id=f"goal-{key}-lines-{gid}", classes="behaviour-lines"):
                for b in svc.behaviours_for(gid, team):
                    yield self._line(b)
            yield Button(
                f"+ {team.value} behaviour",
                id=f"goal-add-{key}-{gid}",
                compact=True,
                classes="add-line",
                tooltip=f"Add a behaviour {team.value} commits to for this goal",
            )

    def _line(self, behaviour: Record) -> LineRow:
        return LineRow(
            self.service,
            Behaviour,
            behaviour,
            prefix="beh",
            placeholder="What the team will do, e.g. follow up within a day",
            what="behaviour",
        )

    def on_mount(self) -> None:
        self.sync()

    def sync(self) -> None:
        """Update the heading and add or remove behaviour lines to match the session."""
        ids = [g.id for g in sorted_goals(self.service)]
        if self.gid not in ids:
            return
        number = ids.index(self.gid) + 1
        show_text(self.query_one(f"#goal-head-{self.gid}", Static), f"Goal {number} of {len(ids)}")
        for team in TEAMS:
            key = team.value.lower()
            lines = self.query_one(f"#goal-{key}-lines-{self.gid}", Vertical)
            behaviours = self.service.behaviours_for(self.gid, team)
            sync_rows(lines, behaviours, self._line, "beh")
            done = any(b.text.strip() for b in behaviours)
            mark = "" if done else "  ⚠ none yet"
            show_text(
                self.query_one(f"#goal-{key}-head-{self.gid}", Static),
                f"{team.value} commits to{mark}",
            )

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        gid = self.gid
        goal = find_record(self.service, Goal, gid)
        if goal is None:
            return
        if bid == f"goal-up-{gid}":
            event.stop()
            attempt(self, self.service.move, goal, -1)
        elif bid == f"goal-down-{gid}":
            event.stop()
            attempt(self, self.service.move, goal, +1)
        elif bid == f"goal-remove-{gid}":
            event.stop()
            label = goal.statement.strip()[:60] or "this goal"
            n = len([b for b in self.service.session.behaviours if b.goal_id == gid])
            confirm_then(
                self,
                "Remove this goal?",
                f"“{label}” and its {n} behaviour(s) will be removed.",
                lambda: self._remove_goal(),
            )
        else:
            for team in TEAMS:
                if bid == f"goal-add-{team.value.lower()}-{gid}":
                    event.stop()
                    await self._add_behaviour(team)

    def _remove_goal(self) -> None:
        goal = find_record(self.service, Goal, self.gid)
        if goal is not None:
            attempt(self, self.service.remove, goal)

    async def _add_behaviour(self, team: Team) -> None:
        behaviour = attempt(self, self.service.add, Behaviour, goal_id=self.gid, team=team)
        if behaviour is None:
            return
        lines = self.query_one(f"#goal-{team.value.lower()}-lines-{self.gid}", Vertical)
        for pending in sync_rows(
            lines, self.service.behaviours_for(self.gid, team), self._line, "beh"
        ):
            await pending
        self.query_one(f"#beh-text-{behaviour.id}", SavingInput).focus()


class GoalsPane(StepPane):
    STEP: ClassVar[StepId] = StepId.GOALS

    def compose_body(self) -> ComposeResult:
        yield Static(Content(SHARED_GROUND), classes="step-hint")
        yield Field(
            "Warm-up: our shared ground",
            SavingTextArea(
                self.session.meta.warmup_notes,
                save=self._save_warmup,
                id="goals-warmup",
            ),
        )
        yield Static(
            Content("Goals both teams own (aim for a short list: three is plenty)"),
            classes="section-head",
        )
        yield Static("", id="goals-ranking")
        with Vertical(id="goals-list"):
            for goal in sorted_goals(self.service):
                yield GoalRow(self.service, goal)
        yield Button("+ Add goal", id="add-goal", tooltip="Add a goal both teams own")
        yield Static(
            Content(f"Complete when there is {RULES[StepId.GOALS]}."),
            classes="step-rule",
        )
        yield SignOffBar(
            self.service, SignOffSubject.GOALS, title="Both leads agree to these goals"
        )

    def _save_warmup(self, text: str) -> None:
        self.service.update_meta(warmup_notes=text)

    def on_mount(self) -> None:
        super().on_mount()
        self._sync()

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        self._sync()

    def _make_row(self, goal: Record) -> GoalRow:
        assert isinstance(goal, Goal)
        return GoalRow(self.service, goal)

    def _sync(self) -> None:
        goals = sorted_goals(self.service)
        sync_rows(self.query_one("#goals-list", Vertical), goals, self._make_row, "goal")
        for row in self.query(GoalRow):
            if row.is_mounted:
                row.sync()
        show_text(self.query_one("#goals-ranking", Static), self.ranking_text())

    def ranking_text(self) -> str:
        """A one-line ranking of the goals by the room's dot votes."""
        goals = sorted_goals(self.service)
        numbered = [(n, g) for n, g in enumerate(goals, start=1) if g.statement.strip()]
        if not numbered:
            return "No goals yet: add one below."
        if not any(g.votes for _n, g in numbered):
            return "Ranked by dot votes: no votes entered yet."
        ranked = sorted(numbered, key=lambda ng: (-ng[1].votes, ng[0]))
        parts = []
        for place, (_n, g) in enumerate(ranked, start=1):
            short = " ".join(g.statement.split())
            short = short if len(short) <= 28 else short[:27] + "…"
            parts.append(f"{place}. {short} ({g.votes})")
        return "Ranked by dot votes: " + " · ".join(parts)

    @on(Button.Pressed, "#add-goal")
    async def _add_goal(self, event: Button.Pressed) -> None:
        event.stop()
        goal = attempt(self, self.service.add, Goal)
        if goal is None:
            return
        container = self.query_one("#goals-list", Vertical)
        for pending in sync_rows(container, sorted_goals(self.service), self._make_row, "goal"):
            await pending
        widget = self.query_one(f"#goal-statement-{goal.id}", SavingInput)
        widget.focus()
        self.scroll_to_widget(self.query_one(f"#goal-{goal.id}"), top=True)

"""Step 0: common ground and joint goals.

The room first writes down what the two teams already share (warm-up notes),
then a short list of goals both teams own. Each goal has a statement, how it
is measured, a target, a date, the room's dot votes, and the behaviours Sales
and Marketing each commit to. Both leads then agree to the set.

The pane mounts a bounded number of widgets however many goals there are: a
compact list (one line a goal: statement, measure, votes, each team's
behaviours, "⚠" when a team has none) and one editor for the highlighted
goal. Choosing another goal saves the editor's pending typing, then puts the
other goal's values into the same fields; only the goal's few behaviour
lines are swapped. A field the facilitator is typing in is never rebuilt.

The editor is cheap to mount, like the story and feedback steps: the goal's
values are a small form (a label and one compact field a row), each behaviour
is one compact line (:class:`BehaviourInput`), and a refused value's reason
is mounted under its field only when there is one. Under each team's lines,
one bar adds a behaviour or removes the highlighted one; on a line, alt+↑ /
alt+↓ move it within its team's list and alt+delete removes it.
Every save looks the record up again by id, because the service replaces
records on update.

The small helpers at the top (:func:`find_record`, :func:`field_saver`,
:func:`sync_rows`, ...) are shared with the story step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, DataTable, Input, Static

from ...form.fields import DateInput, Field, SavingInput, SavingTextArea
from ...form.lines import LineInput, say_under, snippet
from ...form.table import FittedTable
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
from ...widgets.signoff import SignOffBar
from ..base import StepPane

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
    from ...form.confirm import ConfirmDialog

    def answered(ok: bool | None) -> None:
        if ok:
            do()

    widget.app.push_screen(
        ConfirmDialog(title, message, confirm_label="Remove", destructive=True), answered
    )


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


def show_text(static: Static, text: str, *, layout: bool = True) -> None:
    """Show *text* literally, touching the widget only when it changes (no needless layout).

    Pass ``layout=False`` for a one-line heading whose size cannot change. A
    layout reflows every widget on the screen (~40 ms on a large session), so
    it is also skipped when the new text wraps to as many lines as the old.
    """
    if str(static.content) != text or not isinstance(static.content, Content):
        content = Content(text)
        static.update(content, layout=layout and not _same_room(static, content))


def _same_room(static: Static, content: Content) -> bool:
    """Whether *content* takes as many lines as what *static* shows, at its width."""
    old = static.content
    width = static.content_size.width
    fixed_width = static.styles.width is None or not static.styles.width.is_auto
    if not (width and fixed_width and isinstance(old, Content)):
        return False
    rules: Any = static.styles  # what Textual itself passes as the rules map
    return old.get_height(rules, width) == content.get_height(rules, width)


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


def _clear_error(widget: Widget) -> None:
    """Forget a refused value's red mark and reason (the field now shows another goal)."""
    if widget.has_class("-invalid"):
        widget.remove_class("-invalid")
    say_under(widget, widget, None, leaving=False)


def _cell(text: str, width: int, *, muted: bool = False) -> Text:
    """A cell's text cut to *width* less the blank column that separates it from the next."""
    cell = Text(text, style="italic" if muted else "", no_wrap=True)
    cell.truncate(max(width - 1, 1), overflow="ellipsis")
    cell.append(" ")
    return cell


def _one_line(text: str) -> str:
    """*text* on one line, control characters (an escape code, a tab) shown as blanks."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def goal_cells(number: int, goal: Goal, behaviours: Counter[tuple[int, Team]]) -> tuple[str, ...]:
    """The list's line for one goal, as plain strings (compared to skip needless updates).

    *behaviours* counts the behaviours with text by (goal id, team).
    """
    cells = [str(number), _one_line(goal.statement), _one_line(goal.measure)]
    cells.append(str(goal.votes))
    for team in TEAMS:
        n = behaviours[(goal.id, team)]
        cells.append(str(n) if n else "⚠ 0")
    return tuple(cells)


#: (key, label, width or None for a share of what is left). The table has no
#: cell padding (room is short beside the step list and the guidance): each
#: width counts one blank column after the text.
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("n", "#", 3),
    ("statement", "Goal", None),
    ("measure", "Measure", None),
    ("votes", "Votes", 6),
    ("sales", "Sales", 6),
    ("marketing", "Mktg", 5),
)


class GoalField(LineInput):
    """One compact field of the goal form (its label is the cell beside it)."""

    KIND: ClassVar[str] = "form"
    PREFIX: ClassVar[str] = "goal-"


class DueField(GoalField, DateInput):
    """The goal's date: 2026-12-31, today, +3d, +2w, +1m; shows the real date on leaving."""


class BehaviourInput(LineInput):
    """One behaviour line of the goal in the editor: one compact field.

    Lines are kept in a small pool per team and rebound to another behaviour
    when the editor shows another goal (hidden while unused), so choosing a
    goal mounts nothing. Ids are by place: ``sales-beh-text-0`` is the first
    Sales behaviour of the goal being edited.
    """

    KIND: ClassVar[str] = "behaviour"
    PREFIX: ClassVar[str] = "beh-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move_line(-1)",
            "Line up",
            id="goals.behaviour_up",
            tooltip="Move this behaviour one place up in its team's list",
        ),
        Binding(
            "alt+down",
            "move_line(1)",
            "Line down",
            id="goals.behaviour_down",
            tooltip="Move this behaviour one place down in its team's list",
        ),
        Binding(
            "alt+delete",
            "remove_line",
            "Remove line",
            id="goals.behaviour_remove",
            tooltip="Remove this behaviour (asks first when it has text)",
        ),
    ]

    def __init__(
        self, service: SessionService, team: Team, index: int, behaviour: Behaviour | None
    ) -> None:
        self.key = team.value.lower()
        super().__init__(
            behaviour.text if behaviour else "",
            save=self._save_text,
            rid=behaviour.id if behaviour else 0,
            id=f"{self.key}-beh-text-{index}",
            classes=f"behaviour {self.key}-line",
            placeholder="What the team will do, e.g. follow up within a day",
            tooltip="alt+↑ / alt+↓ move this behaviour, alt+delete removes it",
        )
        self.service = service
        self.team = team
        self.index = index
        self.bound = behaviour is not None
        self.display = self.bound

    def _save_text(self, text: str) -> None:
        if self.bound:
            field_saver(self.service, Behaviour, self.rid, "text")(text)

    def bind(self, behaviour: Behaviour | None) -> None:
        """Show *behaviour* (None hides the line), saving what was typed for the old one."""
        rid = behaviour.id if behaviour else 0
        text = behaviour.text if behaviour else ""
        if rid != self.rid or self.bound != (behaviour is not None):
            self.flush()
            _clear_error(self)
            if self.value != text:
                with self.prevent(Input.Changed):
                    self.value = text
            self.rid = rid
            self.bound = behaviour is not None
        elif not self.has_class("-invalid"):
            self.set_value_quietly(text)
        if self.display != self.bound:
            self.display = self.bound


class GoalTable(FittedTable):
    """The compact list of goals: one line each; the highlighted one is in the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete",
            "remove_goal",
            "Remove goal",
            id="goals.remove",
            tooltip="Remove the highlighted goal and its behaviours (asks first)",
        ),
        Binding(
            "shift+up",
            "move_goal(-1)",
            "Move up",
            id="goals.move-up",
            tooltip="Move the highlighted goal one place up",
        ),
        Binding(
            "shift+down",
            "move_goal(1)",
            "Move down",
            id="goals.move-down",
            tooltip="Move the highlighted goal one place down",
        ),
        Binding(
            "home",
            "scroll_top",
            "First goal",
            id="goals.first",
            show=False,
            tooltip="Highlight the first goal in the list",
        ),
        Binding(
            "end",
            "scroll_bottom",
            "Last goal",
            id="goals.last",
            show=False,
            tooltip="Highlight the last goal in the list",
        ),
    ]

    def _pane(self) -> GoalsPane:
        return self.query_ancestor(GoalsPane)

    def action_remove_goal(self) -> None:
        self._pane().ask_remove_goal()

    def action_move_goal(self, delta: int) -> None:
        self._pane().move_goal(delta)

    def fitter(self) -> GoalsPane:
        return self._pane()


class GoalsPane(StepPane):
    """Warm-up notes, a compact list of every goal, and one editor for the highlighted goal.

    However many goals the session holds, the pane mounts the same widgets:
    choosing another goal in the list puts that goal's values into the editor
    (after saving what was pending) and swaps only its few behaviour lines.
    """

    STEP: ClassVar[StepId] = StepId.GOALS

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        goals = sorted_goals(service)
        #: The goal in the editor (None when there are no goals).
        self.gid: int | None = goals[0].id if goals else None
        self._index = 0
        self._widths: tuple[int, ...] = ()
        #: The behaviour each team's bar acts on: the one last focused (at first, the first).
        self._current: dict[Team, int | None] = {}
        goal = goals[0] if goals else None
        for team in TEAMS:
            self._pick_current(goal, team)

    # -- building ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        goal = find_record(self.service, Goal, self.gid) if self.gid is not None else None
        yield Static(Content(SHARED_GROUND), classes="step-hint")
        yield Field(
            "Warm-up: our shared ground",
            SavingTextArea(
                self.session.meta.warmup_notes,
                save=self._save_warmup,
                id="goals-warmup",
                bubble_changes=False,
            ),
        )
        yield Static(
            Content("Goals both teams own (aim for a short list: three is plenty)"),
            classes="section-head",
        )
        # The ranking, and whether the list and the editor show, are final from
        # the start: changed after mounting they would lay the screen out again.
        yield Static(Content(self.ranking_text()), id="goals-ranking")
        table = GoalTable(id="goals-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        table.display = goal is not None
        yield table
        yield Button("+ Add goal", id="add-goal", tooltip="Add a goal both teams own")
        editor = Vertical(id="goal-editor")
        editor.display = goal is not None
        with editor:
            with Horizontal(classes="row-head"):
                yield Static("Goal", id="goal-head", classes="row-title")
                yield Button(
                    "↑", id="goal-up", compact=True, classes="small-button", tooltip="Move up"
                )
                yield Button(
                    "↓", id="goal-down", compact=True, classes="small-button", tooltip="Move down"
                )
                yield Button(
                    "Remove",
                    id="goal-remove",
                    compact=True,
                    variant="error",
                    classes="small-button",
                    tooltip="Remove this goal and its behaviours (asks first)",
                )
            with Grid(id="goal-form", classes="goal-form"):
                yield Static(Content("Goal both teams own"), classes="goal-label")
                yield GoalField(
                    goal.statement if goal else "",
                    save=self._saver("statement"),
                    rid=0,
                    id="goal-statement",
                    placeholder="e.g. Grow qualified pipeline from our key sector",
                )
                yield Static(Content("How we measure it"), classes="goal-label")
                yield GoalField(
                    goal.measure if goal else "",
                    save=self._saver("measure"),
                    rid=0,
                    id="goal-measure",
                    placeholder="e.g. sales-accepted leads per month",
                )
                yield Static(Content("Target"), classes="goal-label")
                yield GoalField(
                    goal.target if goal else "",
                    save=self._saver("target"),
                    rid=0,
                    id="goal-target",
                    placeholder="e.g. 40 a month",
                )
                yield Static(Content("By when"), classes="goal-label")
                yield DueField(
                    self._due_text(goal),
                    save=self._saver("due", _due),
                    rid=0,
                    id="goal-due",
                    placeholder="2026-12-31, today, +3d, +2w, +1m",
                )
                yield Static(Content("Dot votes"), classes="goal-label")
                yield GoalField(
                    str(goal.votes) if goal else "0",
                    save=self._saver("votes", _votes),
                    rid=0,
                    id="goal-votes",
                    placeholder="0",
                    tooltip="How many dots the room gave this goal (a whole number)",
                )
            for team in TEAMS:
                key = team.value.lower()
                yield Static(
                    Content(f"{team.value} commits to"),
                    classes="team-head",
                    id=f"goal-{key}-head",
                )
                behaviours = self._behaviours(goal, team)
                for i, b in enumerate(behaviours):
                    yield BehaviourInput(self.service, team, i, b)
                none = not behaviours
                with Horizontal(id=f"goal-bar-{key}", classes="line-bar"):
                    yield Button(
                        f"+ {team.value} behaviour",
                        id=f"goal-add-{key}",
                        compact=True,
                        classes="add-line",
                        tooltip=f"Add a behaviour {team.value} commits to for this goal",
                    )
                    yield Button(
                        "✕ Remove",
                        id=f"goal-remove-{key}",
                        compact=True,
                        classes="-remove",
                        disabled=none,
                        tooltip=(
                            f"Remove the highlighted {team.value} behaviour (alt+delete); "
                            "asks first when it has text"
                        ),
                    )
        yield Static(
            Content(f"Complete when there is {RULES[StepId.GOALS]}."),
            classes="step-rule",
        )
        yield SignOffBar(
            self.service, SignOffSubject.GOALS, title="Both leads agree to these goals"
        )

    def _behaviours(self, goal: Goal | None, team: Team) -> list[Behaviour]:
        return self.service.behaviours_for(goal.id, team) if goal is not None else []

    def _pick_current(self, goal: Goal | None, team: Team) -> None:
        """Keep the team's highlighted behaviour if it is still the goal's, else the first."""
        behaviours = self._behaviours(goal, team)
        if not any(b.id == self._current.get(team) for b in behaviours):
            self._current[team] = behaviours[0].id if behaviours else None

    @staticmethod
    def _due_text(goal: Goal | None) -> str:
        return goal.due.isoformat() if goal is not None and goal.due else ""

    def _saver(
        self, field: str, parse: Callable[[str], Any] | None = None
    ) -> Callable[[str], None]:
        """Save *field* of the goal in the editor (looked up when the save happens)."""

        def save(text: str) -> None:
            if self.gid is not None:
                field_saver(self.service, Goal, self.gid, field, parse)(text)

        return save

    def _save_warmup(self, text: str) -> None:
        self.service.update_meta(warmup_notes=text)

    # -- keeping in step with the session ---------------------------------------------

    def on_mount(self) -> None:
        super().on_mount()
        self._sync()

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if self.is_mounted:
            self._sync()

    def _sync(self) -> None:
        goals = sorted_goals(self.service)
        ids = [g.id for g in goals]
        if self.gid not in ids:
            # The goal in the editor was removed: show its neighbour instead.
            after = ids[min(self._index, len(ids) - 1)] if ids else None
            self.select_goal(after)
        else:
            self._index = ids.index(self.gid)
        self._sync_table(goals)
        self._sync_editor(goals, force=False)
        show_text(self.query_one("#goals-ranking", Static), self.ranking_text())

    def fit_columns(self) -> None:
        """Share the list's width between the statement and the measure."""
        table = self.query_one(GoalTable)
        fixed = sum(w or 0 for _k, _l, w in COLUMNS) + 1  # + the scrollbar
        rest = max(table.size.width - fixed, 24)
        widths = tuple(w if w else 0 for _k, _l, w in COLUMNS)
        statement = rest * 3 // 5
        widths = (widths[0], statement, rest - statement, *widths[3:])
        if widths != self._widths:
            self._widths = widths
            self.query_one(GoalTable).forget_rows()  # rebuild with the new widths
            self._sync_table(sorted_goals(self.service))

    def _sync_table(self, goals: list[Goal]) -> None:
        table = self.query_one(GoalTable)
        table.display = bool(goals)
        if not self._widths:
            return  # filled when the table first gets its size (fit_columns)
        behaviours = Counter((b.goal_id, b.team) for b in self.session.behaviours if b.text.strip())
        rows = {g.id: goal_cells(n, g, behaviours) for n, g in enumerate(goals, start=1)}
        table.show_rows(COLUMNS, self._widths, rows, self._row_cells, cursor_on=self.gid)

    def _row_cells(self, cells: tuple[str, ...]) -> list[Text]:
        shown = list(cells)
        muted = not shown[1]
        shown[1] = shown[1] or "(no statement yet)"
        widths = self._widths or tuple(w or 20 for _k, _l, w in COLUMNS)
        return [
            _cell(c, w, muted=muted and i == 1)
            for i, (c, w) in enumerate(zip(shown, widths, strict=True))
        ]

    def _sync_editor(self, goals: list[Goal], *, force: bool) -> None:
        """Show the editor's goal; *force* also overwrites fields being edited."""
        editor = self.query_one("#goal-editor", Vertical)
        goal = next((g for g in goals if g.id == self.gid), None)
        editor.display = goal is not None
        if goal is None:
            return
        show_text(
            self.query_one("#goal-head", Static),
            f"Goal {self._index + 1} of {len(goals)}",
            layout=False,
        )
        values = {
            "#goal-statement": goal.statement,
            "#goal-measure": goal.measure,
            "#goal-target": goal.target,
            "#goal-due": self._due_text(goal),
            "#goal-votes": str(goal.votes),
        }
        for selector, value in values.items():
            field = self.query_one(selector, SavingInput)
            if force:
                _clear_error(field)
                if field.value != value:
                    with field.prevent(Input.Changed):
                        field.value = value
            elif not field.has_class("-invalid"):
                field.set_value_quietly(value)
        for team in TEAMS:
            key = team.value.lower()
            behaviours = self.service.behaviours_for(goal.id, team)
            self._pick_current(goal, team)
            self._sync_lines(team, behaviours)
            done = any(b.text.strip() for b in behaviours)
            mark = "" if done else "  ⚠ none yet"
            head = self.query_one(f"#goal-{key}-head", Static)
            show_text(head, f"{team.value} commits to{mark}", layout=False)

    def _flush_editor(self) -> None:
        for widget in self.query_one("#goal-editor").query(SavingInput):
            widget.flush()

    def _pool(self, team: Team) -> list[BehaviourInput]:
        """The team's lines in the editor, in place order."""
        editor = self.query_one("#goal-editor", Vertical)
        return [c for c in editor.children if isinstance(c, BehaviourInput) and c.team is team]

    def _sync_lines(self, team: Team, behaviours: list[Behaviour]) -> list[AwaitMount]:
        """Bind the team's pooled lines to *behaviours*; mount lines only when the pool is short."""
        editor = self.query_one("#goal-editor", Vertical)
        bar = editor.get_child_by_id(f"goal-bar-{team.value.lower()}")
        pool = self._pool(team)
        mounts = []
        for i, behaviour in enumerate(behaviours):
            if i < len(pool):
                pool[i].bind(behaviour)
            else:
                line = BehaviourInput(self.service, team, i, behaviour)
                mounts.append(editor.mount(line, before=bar))
                pool.append(line)
        for line in pool[len(behaviours) :]:
            line.bind(None)
        self._mark_current(team)
        return mounts

    def _mark_current(self, team: Team) -> None:
        """Highlight the team's current line and enable its Remove when there is one."""
        current = self._current.get(team)
        for line in self._pool(team):
            on_it = line.bound and line.rid == current
            if line.has_class("-current") != on_it:
                line.set_class(on_it, "-current")
        button = self.query_one(f"#goal-remove-{team.value.lower()}", Button)
        if button.disabled != (current is None):
            button.disabled = current is None

    def _line(self, team: Team, rid: int) -> BehaviourInput | None:
        return next((w for w in self._pool(team) if w.bound and w.rid == rid), None)

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, BehaviourInput) and widget.bound:
            if self._current.get(widget.team) != widget.rid:
                self._current[widget.team] = widget.rid
                self._mark_current(widget.team)

    def select_goal(self, gid: int | None) -> None:
        """Put goal *gid* in the editor: save what is pending, then swap the values."""
        if gid == self.gid:
            return
        self._flush_editor()
        self.gid = gid
        goals = sorted_goals(self.service)
        ids = [g.id for g in goals]
        self._index = ids.index(gid) if gid in ids else 0
        self._sync_editor(goals, force=True)
        self.query_one(GoalTable).point_at(self.gid)

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

    # -- verbs -----------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#goals-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.select_goal(int(event.row_key.value))

    @on(DataTable.RowSelected, "#goals-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a goal in the list: edit it."""
        event.stop()
        if event.row_key.value is not None:
            self.select_goal(int(event.row_key.value))
        self.query_one("#goal-statement", SavingInput).focus()

    @on(Button.Pressed, "#add-goal")
    async def _add_goal(self, event: Button.Pressed) -> None:
        event.stop()
        goal = attempt(self, self.service.add, Goal)
        if goal is None:
            return
        self.select_goal(goal.id)
        self._sync_table(sorted_goals(self.service))
        self.query_one("#goal-statement", SavingInput).focus()
        self.scroll_to_widget(self.query_one("#goal-editor"), top=True)

    @on(Button.Pressed, "#goal-up")
    def _up(self, event: Button.Pressed) -> None:
        event.stop()
        self.move_goal(-1)

    @on(Button.Pressed, "#goal-down")
    def _down(self, event: Button.Pressed) -> None:
        event.stop()
        self.move_goal(+1)

    @on(Button.Pressed, "#goal-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.ask_remove_goal()

    @on(Button.Pressed, ".line-bar Button")
    async def _bar(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        team = next(t for t in TEAMS if button_id.endswith(f"-{t.value.lower()}"))
        if button_id.startswith("goal-add-"):
            await self._add_behaviour(team)
            return
        current = self._current.get(team)
        if current is not None:
            self.ask_remove(team, current, refocus=False)

    def move_goal(self, delta: int) -> None:
        goal = find_record(self.service, Goal, self.gid) if self.gid is not None else None
        if goal is not None:
            self._flush_editor()
            attempt(self, self.service.move, goal, delta)

    def ask_remove_goal(self) -> None:
        goal = find_record(self.service, Goal, self.gid) if self.gid is not None else None
        if goal is None:
            return
        self._flush_editor()
        gid = goal.id
        label = goal.statement.strip()[:60] or "this goal"
        n = len([b for b in self.service.session.behaviours if b.goal_id == gid])
        confirm_then(
            self,
            "Remove this goal?",
            f"“{label}” and its {n} behaviour(s) will be removed.",
            lambda: self._remove_goal(gid),
        )

    def _remove_goal(self, gid: int) -> None:
        goal = find_record(self.service, Goal, gid)
        if goal is not None:
            attempt(self, self.service.remove, goal)

    async def _add_behaviour(self, team: Team) -> None:
        if self.gid is None:
            return
        behaviour = attempt(self, self.service.add, Behaviour, goal_id=self.gid, team=team)
        if behaviour is None:
            return
        self._current[team] = behaviour.id
        behaviours = self.service.behaviours_for(self.gid, team)
        for pending in self._sync_lines(team, behaviours):
            await pending
        line = self._line(team, behaviour.id)
        if line is not None:
            line.focus()
            line.scroll_visible()

    # -- a behaviour line's keys (LineOwner) ---------------------------------------------

    def move_line(self, kind: Any, rid: int, delta: int) -> None:
        """Move a behaviour one place up or down within its team's list for the goal.

        Behaviours keep the order they were added in, so a move swaps the
        texts of the two neighbours; the focus follows the text.
        """
        record = find_record(self.service, Behaviour, rid)
        if record is None:
            return
        team = record.team
        line = self._line(team, rid)
        if line is not None:
            line.flush()
            record = find_record(self.service, Behaviour, rid) or record
        behaviours = self.service.behaviours_for(record.goal_id, team)
        here = next(n for n, b in enumerate(behaviours) if b.id == rid)
        there = here + delta
        if not 0 <= there < len(behaviours):
            return
        other = behaviours[there]
        if attempt(self, self.service.update, record, text=other.text) is None:
            return
        attempt(self, self.service.update, other, text=record.text)
        self._current[team] = other.id
        behaviours = self.service.behaviours_for(record.goal_id, team)
        self._sync_lines(team, behaviours)
        for swapped in behaviours:
            if swapped.id in (rid, other.id):
                shown = self._line(team, swapped.id)
                if shown is not None and shown.value != swapped.text:
                    shown._known = swapped.text  # the session's text: no save back
                    with shown.prevent(Input.Changed):
                        shown.value = swapped.text
        moved = self._line(team, other.id)
        if moved is not None and line is not None and line.has_focus:
            moved.focus()

    def ask_remove(self, kind: Any, rid: int, *, refocus: bool) -> None:
        """Remove a behaviour, asking first when it would lose text."""
        record = find_record(self.service, Behaviour, rid)
        if record is None:
            return
        line = self._line(record.team, rid)
        typed = line.value if line is not None else ""
        shown = snippet(typed.strip() or record.text)

        def remove() -> None:
            self._remove_behaviour(rid, refocus=refocus)

        if not shown:
            remove()
            return
        confirm_then(self, "Remove this behaviour?", f"“{shown}” will be removed.", remove)

    def _remove_behaviour(self, rid: int, *, refocus: bool) -> None:
        record = find_record(self.service, Behaviour, rid)
        if record is None:
            return
        team = record.team
        ids = [b.id for b in self.service.behaviours_for(record.goal_id, team)]
        i = ids.index(rid)
        others = ids[i + 1 : i + 2] + ids[:i][::-1]
        line = self._line(team, rid)
        had_focus = line is not None and line.has_focus
        attempt(self, self.service.remove, record)
        if find_record(self.service, Behaviour, rid) is not None:
            return  # refused: the reason was shown
        self._current[team] = others[0] if others else None
        key = team.value.lower()
        if self.gid is not None:
            self._sync_lines(team, self.service.behaviours_for(self.gid, team))
        if refocus or had_focus:
            # the line is about to hide or show another: keep the focus near it
            near = self._line(team, others[0]) if others else None
            if near is not None:
                near.focus()
            else:
                self.query_one(f"#goal-add-{key}", Button).focus()

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
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, DataTable, Input, Static

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
from ..fields import DateInput, Field, SavingInput, SavingTextArea
from ..fitted_table import FittedTable
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
    widget.remove_class("-invalid")
    parent = widget.parent
    if parent is None:
        return
    for node in parent.children:
        if isinstance(node, Static) and node.has_class("field-error") and node.display:
            node.update("")
            node.display = False


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


class BehaviourLine(Horizontal):
    """One behaviour line of the goal in the editor, with a remove button.

    Lines are kept in a small pool per team and rebound to another behaviour
    when the editor shows another goal (hidden while unused), so choosing a
    goal mounts nothing. Ids are by place: ``sales-beh-text-0`` is the first
    Sales behaviour of the goal being edited.
    """

    def __init__(
        self, service: SessionService, team: Team, index: int, behaviour: Behaviour | None
    ) -> None:
        self.key = team.value.lower()
        super().__init__(id=f"{self.key}-beh-{index}", classes="line-row")
        self.service = service
        self.team = team
        self.index = index
        self.rid: int | None = behaviour.id if behaviour else None
        self._text = behaviour.text if behaviour else ""
        self.display = behaviour is not None

    def compose(self) -> ComposeResult:
        yield SavingInput(
            self._text,
            save=self._save,
            id=f"{self.key}-beh-text-{self.index}",
            bubble_changes=False,
            placeholder="What the team will do, e.g. follow up within a day",
            classes="line-input",
        )
        yield Button(
            "✕",
            id=f"{self.key}-beh-remove-{self.index}",
            compact=True,
            classes="small-button",
            tooltip="Remove this behaviour",
        )

    def _save(self, text: str) -> None:
        if self.rid is not None:
            field_saver(self.service, Behaviour, self.rid, "text")(text)

    def bind(self, behaviour: Behaviour | None) -> None:
        """Show *behaviour* (None hides the line), saving what was typed for the old one."""
        rid = behaviour.id if behaviour else None
        text = behaviour.text if behaviour else ""
        field = next(iter(self.query(SavingInput)), None)  # None until composed
        if rid != self.rid:
            if field is not None:
                field.flush()
                _clear_error(field)
                with field.prevent(Input.Changed):
                    field.value = text
            self.rid = rid
            self._text = text
        elif field is not None and not field.has_class("-invalid"):
            field.set_value_quietly(text)
        self.display = behaviour is not None

    @on(Button.Pressed)
    def _remove(self, event: Button.Pressed) -> None:
        if event.button.id != f"{self.key}-beh-remove-{self.index}":
            return
        event.stop()
        rid = self.rid
        record = find_record(self.service, Behaviour, rid) if rid is not None else None
        if record is None or rid is None:
            return
        typed = self.query_one(SavingInput).value.strip()
        shown = typed or record.text.strip()
        if not shown:
            self._do_remove(rid)
            return
        confirm_then(
            self,
            "Remove this behaviour?",
            f"“{shown[:60]}” will be removed.",
            lambda: self._do_remove(rid),
        )

    def _do_remove(self, rid: int) -> None:
        record = find_record(self.service, Behaviour, rid)
        if record is None:
            return
        attempt(self, self.service.remove, record)
        focused = self.screen.focused
        if focused is not None and focused in self.query("*"):
            # the line is about to hide: keep the focus near it
            self.screen.query_one(f"#goal-add-{self.key}", Button).focus()


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
            yield Field(
                "Goal both teams own",
                SavingInput(
                    goal.statement if goal else "",
                    save=self._saver("statement"),
                    id="goal-statement",
                    bubble_changes=False,
                    placeholder="e.g. Grow qualified pipeline from our key sector",
                ),
            )
            yield Field(
                "How we measure it",
                SavingInput(
                    goal.measure if goal else "",
                    save=self._saver("measure"),
                    id="goal-measure",
                    bubble_changes=False,
                    placeholder="e.g. sales-accepted leads per month",
                ),
            )
            with Horizontal(classes="goal-numbers"):
                yield Field(
                    "Target",
                    SavingInput(
                        goal.target if goal else "",
                        save=self._saver("target"),
                        id="goal-target",
                        bubble_changes=False,
                        placeholder="e.g. 40 a month",
                    ),
                    classes="goal-target",
                )
                yield Field(
                    "By when",
                    DateInput(
                        self._due_text(goal),
                        save=self._saver("due", _due),
                        id="goal-due",
                        bubble_changes=False,
                        placeholder="2026-12-31, +6w",
                    ),
                    classes="goal-due",
                )
                yield Field(
                    "Dot votes",
                    SavingInput(
                        str(goal.votes) if goal else "0",
                        save=self._saver("votes", _votes),
                        id="goal-votes",
                        bubble_changes=False,
                        placeholder="0",
                    ),
                    classes="goal-votes",
                )
            for team in TEAMS:
                key = team.value.lower()
                yield Static(
                    Content(f"{team.value} commits to"),
                    classes="team-head",
                    id=f"goal-{key}-head",
                )
                with Vertical(id=f"goal-{key}-lines", classes="behaviour-lines"):
                    if goal is not None:
                        for i, b in enumerate(self.service.behaviours_for(goal.id, team)):
                            yield BehaviourLine(self.service, team, i, b)
                yield Button(
                    f"+ {team.value} behaviour",
                    id=f"goal-add-{key}",
                    compact=True,
                    classes="add-line",
                    tooltip=f"Add a behaviour {team.value} commits to for this goal",
                )
        yield Static(
            Content(f"Complete when there is {RULES[StepId.GOALS]}."),
            classes="step-rule",
        )
        yield SignOffBar(
            self.service, SignOffSubject.GOALS, title="Both leads agree to these goals"
        )

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
            self._sync_lines(team, behaviours)
            done = any(b.text.strip() for b in behaviours)
            mark = "" if done else "  ⚠ none yet"
            head = self.query_one(f"#goal-{key}-head", Static)
            show_text(head, f"{team.value} commits to{mark}", layout=False)

    def _flush_editor(self) -> None:
        for widget in self.query_one("#goal-editor").query(SavingInput):
            widget.flush()

    def _sync_lines(self, team: Team, behaviours: list[Behaviour]) -> list[AwaitMount]:
        """Bind the team's pooled lines to *behaviours*; mount lines only when the pool is short."""
        lines = self.query_one(f"#goal-{team.value.lower()}-lines", Vertical)
        pool = [c for c in lines.children if isinstance(c, BehaviourLine)]
        mounts = []
        for i, behaviour in enumerate(behaviours):
            if i < len(pool):
                pool[i].bind(behaviour)
            else:
                mounts.append(lines.mount(BehaviourLine(self.service, team, i, behaviour)))
        for line in pool[len(behaviours) :]:
            line.bind(None)
        return mounts

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

    @on(Button.Pressed, "#goal-add-sales")
    async def _add_sales(self, event: Button.Pressed) -> None:
        event.stop()
        await self._add_behaviour(Team.SALES)

    @on(Button.Pressed, "#goal-add-marketing")
    async def _add_marketing(self, event: Button.Pressed) -> None:
        event.stop()
        await self._add_behaviour(Team.MARKETING)

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
        behaviours = self.service.behaviours_for(self.gid, team)
        for pending in self._sync_lines(team, behaviours):
            await pending
        key = team.value.lower()
        self.query_one(f"#{key}-beh-text-{len(behaviours) - 1}", SavingInput).focus()

"""Step pane 4: one funnel, split in two.

The room edits the stages (name, owner, order), the periods, and a grid of
counts (one row per stage, one column per period, plus targets for the latest
period). Below it the pane shows what is derived from those numbers —
conversion table, bar chart, the hand-over agreements where ownership
changes, and "what it takes" to reach a revenue target — all computed by
:mod:`alignment_tui.sessions.funnel`.

The pane mounts a bounded number of widgets however many stages, periods and
hand-overs there are: the stages are one list (:class:`StageList`) with one
editor line for the highlighted stage; the hand-overs are one list of owner
changes with one editor for the highlighted hand-over; the counts are one grid
widget. Choosing another stage or hand-over saves what is pending in the
editor, then puts the other one's values into the same fields. Values changed
elsewhere are shown in place, so a field being typed in is never replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, Static, TextArea

from ...form.choice import Choice
from ...form.fields import FieldSaved, SavingInput, SavingTextArea
from ...sessions.errors import SessionFileError
from ...sessions.funnel import (
    HandoverPoint,
    PeriodFunnel,
    fmt_change,
    fmt_count,
    fmt_money,
    fmt_pct,
    funnel_periods,
    period_funnel,
    session_handover_points,
    session_what_it_takes,
)
from ...sessions.models import FunnelPeriod, FunnelStage, Handover, Owner, StepId
from ...sessions.parse import parse_number
from ...sessions.service import SessionService
from ..base import StepPane
from .chart import OWNER_LETTER, OWNER_STYLE, FunnelChart, visible
from .counts_grid import CountsGrid
from .pick_list import PickList, Row

OWNER_OPTIONS = [(f"{OWNER_LETTER[o]} {o.value}", o) for o in Owner]

NO_HANDOVER = (
    "No hand-over yet: give the stages different owners "
    "(Marketing, Shared, Sales) to mark where leads change hands."
)


def _refuse(widget: Widget, exc: Exception) -> None:
    widget.app.notify(str(exc), severity="error", timeout=6)


def _num_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _show(widget: Static, content: Content | str) -> None:
    """Update *widget* only when its text changes: every update costs a layout pass."""
    new = content if isinstance(content, Content) else Content(content)
    current = widget.content
    if isinstance(current, Content) and current.plain == new.plain and current.spans == new.spans:
        return
    widget.update(new)


def _say(line: Static, reason: str | None) -> None:
    """Show *reason* on an error line, or hide the line."""
    if reason is not None:
        _show(line, reason)
    if line.display != (reason is not None):
        line.display = reason is not None


def _reason(anchor: Widget, line_id: str, reason: str | None) -> Static | None:
    """Show *reason* on the line *line_id* under *anchor*; None hides the line.

    The line is mounted the first time there is a reason to show: the pane
    does not carry a hidden line for every group of fields that might refuse.
    """
    parent = anchor.parent
    if not isinstance(parent, Widget):
        return None
    try:
        line: Static | None = parent.get_child_by_id(line_id, Static)
    except NoMatches:
        line = None
    if line is not None:
        _say(line, reason)
    elif reason is not None and anchor.is_attached:
        line = Static(Content(reason), id=line_id, classes="funnel-error", markup=False)
        parent.mount(line, after=anchor)
    return line


def _quiet(widget: SavingInput, value: str) -> None:
    """Show the saved *value* unless the field holds a refused entry (it stays as typed)."""
    if not widget.has_class("-invalid"):
        widget.set_value_quietly(value)


def _force(widget: SavingInput | SavingTextArea, value: str) -> None:
    """Show *value* whatever the field holds (another record is now in the editor)."""
    widget.set_class(False, "-invalid")
    if isinstance(widget, SavingInput):
        widget._known = value
        if widget.value != value:
            with widget.prevent(Input.Changed):
                widget.value = value
    elif widget.text != value:
        with widget.prevent(TextArea.Changed):
            widget.load_text(value)


# ---------------------------------------------------------------------------
# A field whose refusal reason goes to a line shared with other fields
# ---------------------------------------------------------------------------


class ReportedInput(SavingInput):
    """A compact field whose refusal reason goes to a shared message line (via *report*).

    Compact fields sit on one line beside their label, with no room under each
    for its own reason: the pane shows it on one line under the group.
    """

    def __init__(
        self,
        value: str,
        *,
        save: Callable[[str], None],
        report: Callable[[ReportedInput, str | None], None],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("bubble_changes", False)
        super().__init__(value, save=save, compact=True, **kwargs)
        self._report_to = report

    def saved_ok(self) -> bool:
        """Save what is typed now; False when it was refused."""
        self._pending = True
        self.flush()
        return not self.has_class("-invalid")

    def _do_save(self) -> None:
        self._known = self.value
        try:
            self._save(self.value)
        except (ValueError, SessionFileError) as exc:
            self.set_class(True, "-invalid")
            self._report_to(self, str(exc))
            return
        if self.has_class("-invalid"):
            self.set_class(False, "-invalid")
        self._report_to(self, None)
        self.post_message(FieldSaved(self))


def _reporter(anchor_id: str) -> Callable[[ReportedInput, str | None], None]:
    """Report refusals on a line under the group *anchor_id*; the latest reason wins."""
    line_id = f"{anchor_id}-error"

    def report(field: ReportedInput, reason: str | None) -> None:
        found = field.screen.query(f"#{anchor_id}") if field.is_attached else None
        if not found:
            if reason is not None:
                field.app.notify(reason, severity="error", timeout=6)
            return  # the pane is going away: a field flushed as it was removed
        anchor = found.first()
        parent = anchor.parent
        lines = parent.query_children(f"#{line_id}") if isinstance(parent, Widget) else None
        if reason is None and (not lines or getattr(lines.first(), "_field_id", None) != field.id):
            return  # no reason shown, or another field's reason: it stays
        line = _reason(anchor, line_id, reason)
        if line is not None:
            line._field_id = field.id if reason else None  # type: ignore[attr-defined]

    return report


def _hide_reason(anchor: Widget, line_id: str) -> None:
    parent = anchor.parent
    if isinstance(parent, Widget) and parent.query_children(f"#{line_id}"):
        _reason(anchor, line_id, None)


# ---------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------


def stage_rows(stages: Sequence[FunnelStage]) -> list[Row]:
    """One row a stage: "⇄" where a lead changes hands into it, the name, the owner."""
    rows: list[Row] = []
    previous: Owner | None = None
    for st in stages:
        mark = "⇄ " if previous is not None and previous is not st.owner else "  "
        previous = st.owner
        style = OWNER_STYLE[st.owner]
        left = Content.assemble((mark, "$warning"), visible(st.name))
        right = Content.assemble(
            (OWNER_LETTER[st.owner], f"bold {style}"), " ", (st.owner.value.ljust(9), style)
        )
        rows.append((st.id, left, right))
    return rows


class StageList(PickList):
    """The stages top to bottom, one line each: name and owner (one widget for all of them).

    ↑ / ↓ choose the stage the editor line under it shows; → / ← (also + / -,
    Space, or a click on the owner) give it the next / previous owner; Enter
    goes to its name to rename it. alt+↑ / alt+↓ move it, Delete removes it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right,plus,equals_sign,space",
            "owner(1)",
            "Next owner",
            key_display="→",
            id="funnel.owner_next",
            tooltip="Give this stage to the next owner: Marketing, Shared, Sales",
        ),
        Binding(
            "left,minus",
            "owner(-1)",
            "Previous owner",
            key_display="←",
            id="funnel.owner_previous",
            tooltip="Give this stage to the owner before",
            show=False,
        ),
        Binding(
            "enter",
            "rename",
            "Rename",
            id="funnel.stage_rename",
            tooltip="Type a new name for this stage (Enter saves, Esc comes back here)",
        ),
        Binding(
            "delete",
            "remove",
            "Remove stage",
            id="funnel.stage_delete",
            tooltip="Remove this stage and its counts (asks first)",
            show=False,
        ),
    ]

    def _editor(self) -> StageEditor:
        return self.query_ancestor(StageEditor)

    def highlighted(self, key: Hashable) -> None:
        if isinstance(key, int):
            self._editor().select(key)

    def action_owner(self, step: int) -> None:
        self._editor().cycle_owner(step)

    def action_rename(self) -> None:
        self._editor().rename()

    def action_remove(self) -> None:
        self._editor().action_remove_stage()

    def clicked(self, index: int, on_right: bool) -> None:
        if on_right:  # a click on the owner gives the stage the next owner
            self._editor().cycle_owner(1)


class StageNameInput(ReportedInput):
    """The highlighted stage's name: Enter saves it and goes back to the list, Esc undoes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back to the list",
            id="funnel.stage_name_back",
            tooltip="Show the saved name again and go back to the stage list",
        ),
    ]

    def action_back(self) -> None:
        editor = self.query_ancestor(StageEditor)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = False
        editor.show_current(force=True)
        editor.query_one(StageList).focus()


class StageEditor(Vertical):
    """The stage list, and one line editing the highlighted stage: name, owner, move, remove.

    Moving and removing are keys (alt+↑, alt+↓, alt+delete; Delete on the list)
    and three buttons on the editor line, so the pane mounts the same few
    widgets whatever the number of stages.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move(-1)",
            "Stage up",
            id="funnel.stage_up",
            tooltip="Move the highlighted stage one place up the funnel",
        ),
        Binding(
            "alt+down",
            "move(1)",
            "Stage down",
            id="funnel.stage_down",
            tooltip="Move the highlighted stage one place down the funnel",
        ),
        Binding(
            "alt+delete",
            "remove_stage",
            "Remove stage",
            id="funnel.stage_remove",
            tooltip="Remove the highlighted stage and its counts (asks first)",
        ),
    ]

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        stages = service.session.sorted_stages()
        self._current: int | None = stages[0].id if stages else None

    def _stage(self, sid: int | None) -> FunnelStage | None:
        return next((s for s in self.service.session.funnel_stages if s.id == sid), None)

    def current(self) -> FunnelStage | None:
        """The highlighted stage (the one the editor line shows and the keys act on)."""
        return self._stage(self._current)

    def select(self, sid: int) -> None:
        """Highlight stage *sid* (saving what is typed for the stage shown before)."""
        if sid == self._current:
            return
        self.query_one(StageNameInput).flush()
        self._current = sid
        self.query_one(StageList).set_rows(self._rows(), key=sid)
        self.show_current(force=True)

    def _rows(self) -> list[Row]:
        return stage_rows(self.service.session.sorted_stages())

    def compose(self) -> ComposeResult:
        stage = self.current()
        yield StageList(
            self._rows(),
            key=self._current,
            empty="No stages yet: add the first one below.",
            id="stage-list",
            tooltip="↑ ↓ choose a stage · → ← or a click on the owner change its owner · "
            "Enter renames · alt+↑ ↓ move · Delete removes",
        )
        with Horizontal(classes="stage-bar", id="stage-bar"):
            yield StageNameInput(
                stage.name if stage else "",
                save=self._rename,
                report=_reporter("stage-bar"),
                id="stage-name",
                classes="stage-name",
                placeholder="Stage name",
                disabled=stage is None,
                tooltip="The highlighted stage's name: type to rename it "
                "(Enter saves and goes back to the list, Esc undoes)",
            )
            yield Choice(
                OWNER_OPTIONS,
                value=stage.owner if stage else Owner.SHARED,
                save=self._set_owner,
                id="stage-owner",
                classes="stage-owner",
                disabled=stage is None,
                tooltip="Who owns the highlighted stage: Enter, Space or → for the next owner",
            )
            yield Button(
                "↑",
                id="stage-up",
                compact=True,
                classes="mini",
                disabled=stage is None,
                tooltip="Move the highlighted stage up (alt+↑)",
            )
            yield Button(
                "↓",
                id="stage-down",
                compact=True,
                classes="mini",
                disabled=stage is None,
                tooltip="Move the highlighted stage down (alt+↓)",
            )
            yield Button(
                "✕",
                id="stage-remove",
                compact=True,
                classes="mini -remove",
                disabled=stage is None,
                tooltip="Remove the highlighted stage, asks first (alt+delete)",
            )

    @on(Input.Submitted, "#stage-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        # the field has saved it (its own handler runs first): back to the list
        event.stop()
        if not event.input.has_class("-invalid"):
            self.query_one(StageList).focus()

    def show_current(self, *, force: bool = False) -> None:
        """Show the highlighted stage in the editor line; *force* replaces a refused name."""
        stage = self.current()
        name = self.query_one(StageNameInput)
        owner: Choice[Owner] = self.query_one("#stage-owner", Choice)
        for widget in (name, owner, *self.query("#stage-bar Button")):
            if widget.disabled != (stage is None):
                widget.disabled = stage is None
        if force:
            _force(name, stage.name if stage else "")
            _hide_reason(self.query_one("#stage-bar"), "stage-bar-error")
        elif stage is not None:
            _quiet(name, stage.name)
        if stage is not None:
            owner.show_value(stage.owner)

    def sync(self) -> None:
        stages = self.service.session.sorted_stages()
        listed = self.query_one(StageList)
        shown = self._current
        if self.current() is None:
            self._current = None
        listed.set_rows(stage_rows(stages), key=self._current)
        if self._current is None:
            key = listed.key
            self._current = key if isinstance(key, int) else None
        self.show_current(force=self._current != shown)

    def rename(self) -> None:
        name = self.query_one(StageNameInput)
        if not name.disabled:
            name.focus()
            name.action_end()

    def cycle_owner(self, step: int) -> None:
        owner: Choice[Owner] = self.query_one("#stage-owner", Choice)
        if self.current() is not None:
            owner.action_cycle(step)

    def _rename(self, text: str) -> None:
        stage = self.current()
        if stage is None:
            return
        if not text.strip():
            raise ValueError("Stage name is required")
        self.service.update(stage, name=text.strip())

    def _set_owner(self, owner: Owner) -> None:
        stage = self.current()
        if stage is not None:
            self.service.update(stage, owner=owner)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "remove_stage"):
            return True if self.current() is not None else None
        return True

    def action_move(self, step: int) -> None:
        stage = self.current()
        if stage is None:
            return
        self.query_one(StageNameInput).flush()
        try:
            self.service.move(stage, step)
        except (ValueError, SessionFileError) as exc:
            _refuse(self, exc)

    def action_remove_stage(self) -> None:
        stage = self.current()
        if stage is not None:
            self._confirm_remove(stage)

    @on(Button.Pressed, "#stage-bar Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        verb = (event.button.id or "").split("-")[1]
        if verb == "remove":
            self.action_remove_stage()
        else:
            self.action_move(-1 if verb == "up" else 1)

    def _confirm_remove(self, stage: FunnelStage) -> None:
        from ...form.confirm import ConfirmDialog

        def answered(ok: bool | None) -> None:
            current = self._stage(stage.id)
            if ok and current is not None:
                try:
                    self.service.remove(current)
                except (ValueError, SessionFileError) as exc:
                    _refuse(self, exc)
                else:
                    self.app.notify(f"Stage removed: {visible(current.name)}")

        self.app.push_screen(
            ConfirmDialog(
                f"Remove the stage “{visible(stage.name)}”?",
                "Its counts in every period and any hand-over agreement into it "
                "are removed with it.",
                confirm_label="Remove",
                destructive=True,
            ),
            answered,
        )


# ---------------------------------------------------------------------------
# Hand-overs
# ---------------------------------------------------------------------------


def _agreed(h: Handover | None) -> bool:
    """Agreed enough for the step to count it: it says what qualifies a lead to cross."""
    return h is not None and bool(h.qualifies.strip())


def _point_title(point: HandoverPoint) -> Content:
    return Content.assemble(
        (point.label, "bold"),
        f"  from {visible(point.from_name)} into {visible(point.to_name)}",
    )


class HandoverPicker(PickList):
    """The points where ownership changes, one line each, and whether each is agreed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "edit",
            "Edit agreement",
            id="funnel.handover_edit",
            tooltip="Go to this hand-over's agreement, under the list",
        ),
    ]

    def highlighted(self, key: Hashable) -> None:
        if isinstance(key, int):
            self.query_ancestor(HandoverList).select(key)

    def action_edit(self) -> None:
        if self.key is not None:
            self.query_ancestor(HandoverList).query_one("#ho-qualifies").focus()


class HandoverList(Vertical):
    """The small service-level agreement at each point where ownership changes.

    One line per hand-over (one widget for all), and one editor for the
    highlighted hand-over: what qualifies a lead to cross, how fast the
    receiving team picks it up, the reasons to send one back, and what happens
    to returned leads.
    """

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        points = self._points()
        #: The hand-over in the editor, by the stage the lead crosses into.
        self._to: int | None = points[0].to_stage_id if points else None

    def _points(self) -> list[HandoverPoint]:
        return session_handover_points(self.service.session)

    def _point(self) -> HandoverPoint | None:
        return next((p for p in self._points() if p.to_stage_id == self._to), None)

    def _existing(self, to_stage_id: int | None) -> Handover | None:
        return next(
            (h for h in self.service.session.handovers if h.to_stage_id == to_stage_id), None
        )

    def _rows(self, points: list[HandoverPoint]) -> list[Row]:
        rows: list[Row] = []
        for p in points:
            agreed = _agreed(self._existing(p.to_stage_id))
            rows.append(
                (
                    p.to_stage_id,
                    Content.assemble(("⇄ ", "$warning"), p.label, f" into {visible(p.to_name)}"),
                    Content.assemble(("✔ agreed", "$success"))
                    if agreed
                    else Content.assemble(("to agree", "$warning")),
                )
            )
        return rows

    def compose(self) -> ComposeResult:
        points = self._points()
        point = self._point()
        h = self._existing(self._to)
        yield HandoverPicker(
            self._rows(points),
            key=self._to,
            empty=NO_HANDOVER,
            id="ho-list",
            tooltip="↑ ↓ choose a hand-over · Enter goes to its agreement",
        )
        editor = Vertical(id="ho-editor", classes="handover")
        editor.display = point is not None
        with editor:
            yield Static(
                _point_title(point) if point else "", id="ho-title", classes="handover-title"
            )
            yield Label("What qualifies a lead to cross", classes="ho-label")
            yield SavingTextArea(
                h.qualifies if h else "",
                save=self._saver("qualifies"),
                id="ho-qualifies",
                classes="ho-text",
                compact=True,
                bubble_changes=False,
            )
            with Horizontal(classes="ho-hours", id="ho-hours-row"):
                yield Label("Response time to pick a lead up (hours) ", classes="ho-label")
                yield ReportedInput(
                    _num_text(h.response_hours if h else None),
                    save=self._saver("response_hours"),
                    report=_reporter("ho-hours-row"),
                    id="ho-hours",
                    placeholder="e.g. 24",
                )
            yield Label("Reasons it may be sent back", classes="ho-label -after-hours")
            yield SavingTextArea(
                h.return_reasons if h else "",
                save=self._saver("return_reasons"),
                id="ho-reasons",
                classes="ho-text",
                compact=True,
                bubble_changes=False,
            )
            yield Label("What happens to returned leads", classes="ho-label")
            yield SavingTextArea(
                h.returned_handling if h else "",
                save=self._saver("returned_handling"),
                id="ho-returned",
                classes="ho-text",
                compact=True,
                bubble_changes=False,
            )

    def _fields(self) -> list[tuple[str, SavingInput | SavingTextArea]]:
        return [
            ("qualifies", self.query_one("#ho-qualifies", SavingTextArea)),
            ("response_hours", self.query_one("#ho-hours", ReportedInput)),
            ("return_reasons", self.query_one("#ho-reasons", SavingTextArea)),
            ("returned_handling", self.query_one("#ho-returned", SavingTextArea)),
        ]

    def _saver(self, attr: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            to = self._to
            if to is None or all(s.id != to for s in self.service.session.funnel_stages):
                return  # the stage went while the text was typed
            value: Any = text
            if attr == "response_hours":
                value = parse_number(text, field="Response time")
            existing = self._existing(to)
            if existing is None and not value:
                return  # nothing typed yet: do not create an empty agreement
            self.service.update(self.service.handover_for(to), **{attr: value})

        return save

    def _flush(self) -> None:
        for _attr, field in self._fields():
            field.flush()

    def _show(self, *, force: bool) -> None:
        """Show the highlighted hand-over in the editor; *force*: another one than before."""
        point = self._point()
        editor = self.query_one("#ho-editor")
        if editor.display != (point is not None):
            editor.display = point is not None
        if point is None:
            return
        _show(self.query_one("#ho-title", Static), _point_title(point))
        h = self._existing(point.to_stage_id)
        for attr, field in self._fields():
            value: Any = getattr(h, attr) if h else None
            text: str = _num_text(value) if attr == "response_hours" else (value or "")
            if force:
                _force(field, text)
            elif isinstance(field, SavingInput):
                _quiet(field, text)
            elif not field.has_class("-invalid"):
                field.set_text_quietly(text)
        if force:
            _hide_reason(self.query_one("#ho-hours-row"), "ho-hours-row-error")

    def select(self, to: int) -> None:
        """Put the hand-over into stage *to* in the editor (saving what is typed first)."""
        if to == self._to:
            return
        self._flush()
        self._to = to
        self._show(force=True)

    def sync(self) -> None:
        points = self._points()
        picker = self.query_one(HandoverPicker)
        if self._point() is None:
            self._flush()
            self._to = None
        picker.set_rows(self._rows(points), key=self._to)
        if self._to is None:
            key = picker.key
            self._to = key if isinstance(key, int) else None
            self._show(force=True)
        else:
            self._show(force=False)


# ---------------------------------------------------------------------------
# The pane
# ---------------------------------------------------------------------------


def _set_rows(table: DataTable[Any], rows: list[tuple[str, ...]]) -> None:
    """Fill *table* with *rows* (key first, then the name, then numbers), if they changed."""
    if getattr(table, "_funnel_rows", None) == rows:
        return
    table._funnel_rows = rows  # type: ignore[attr-defined]
    table.clear()
    for key, name, *numbers in rows:
        table.add_row(
            Text(name, no_wrap=True),
            *(Text(n, justify="right", no_wrap=True) for n in numbers),
            key=key,
        )


def _add_row(input_id: str, placeholder: str, tooltip: str, what: str) -> ComposeResult:
    """An input and an "Add <what>" button (a refusal's reason goes on a line under them)."""
    with Horizontal(classes="funnel-add", id=f"add-{what}-row"):
        yield Input(placeholder=placeholder, id=input_id, compact=True, tooltip=tooltip)
        yield Button(f"Add {what}", id=f"add-{what}", compact=True)


class PeriodChoice(Choice[int]):
    """The period the grid edits and the table and chart show: ← the one before, → the next."""

    def show_options(self, options: list[tuple[str, int]], value: int) -> None:
        """Offer *options* (the periods changed) and show *value*, without saving."""
        if options != self._options:
            self._options = list(options)
            self._values = [v for _label, v in options]
            self._index = -1
            self.refresh(layout=True)
        self.show_value(value)


class FunnelPane(StepPane):
    STEP: ClassVar[StepId] = StepId.FUNNEL

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        #: Which period the table and chart show (None: the latest).
        self._view_period: int | None = None

    # -- layout ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Label("Stages", classes="funnel-section")
        yield Static(
            "Top to bottom; the owner says who works the lead at that stage "
            "(⇄: the lead changes hands).",
            classes="funnel-intro",
        )
        yield StageEditor(self.service, id="funnel-stages")
        yield from _add_row(
            "new-stage-name", "New stage name", "Name of a stage to add at the bottom", "stage"
        )

        yield Label("Periods", classes="funnel-section")
        shown = self._shown()
        with Horizontal(classes="funnel-view", id="funnel-periods"):
            choice = PeriodChoice(
                self._period_options() or [("No period", 0)],
                value=shown.id if shown else 0,
                save=self._choose_period,
                id="funnel-view-period",
                classes="period-choice",
                tooltip="The period you edit, and that the table and the chart show: "
                "← the one before, → the next",
            )
            choice.display = shown is not None
            yield choice
            yield Label("Name", classes="period-name-label")
            yield ReportedInput(
                shown.label if shown else "",
                save=self._rename_period,
                report=_reporter("funnel-periods"),
                id="period-label",
                classes="period-label",
                disabled=shown is None,
                tooltip="Rename this period, e.g. 2026 Q4",
            )
            yield Button(
                "✕",
                id="period-remove",
                compact=True,
                classes="mini -remove",
                disabled=shown is None,
                tooltip="Remove this period and its counts (asks first)",
            )
        yield from _add_row(
            "new-period-label",
            "New period, e.g. 2027 Q1",
            "Label of a period to add after the others",
            "period",
        )

        yield Label("Counts", classes="funnel-section")
        yield Static(
            "The chosen period and the one before it; choose another period above to edit it.",
            classes="funnel-intro",
        )
        # one widget draws the whole grid; refusal reasons go to the line under it
        errors = Static("", classes="grid-error", id="grid-errors", markup=False)
        yield CountsGrid(self.service, self._grid_columns, errors=errors, id="funnel-grid")
        yield errors
        yield Label("All periods", classes="funnel-section")
        yield DataTable(
            id="funnel-history", cursor_type="row", zebra_stripes=True, show_cursor=False
        )

        yield Label("Conversion", classes="funnel-section")
        yield DataTable(id="funnel-table", cursor_type="row", zebra_stripes=True, show_cursor=False)
        yield Static("", id="funnel-flags", classes="funnel-flags", markup=False)
        yield FunnelChart(self._view(), id="funnel-chart")

        yield Label("Hand-over agreements", classes="funnel-section")
        yield HandoverList(self.service, id="funnel-handovers")

        yield Label("What it takes", classes="funnel-section")
        plan = self.session.funnel_plan
        report = _reporter("plan-grid")
        with Grid(classes="plan-grid", id="plan-grid"):
            yield Label("Revenue target", classes="plan-label")
            yield ReportedInput(
                _num_text(plan.revenue_target),
                save=self._save_target,
                report=report,
                id="plan-target",
                placeholder="e.g. 500,000",
            )
            yield Label("Average deal value", classes="plan-label")
            yield ReportedInput(
                _num_text(plan.avg_deal_value),
                save=self._save_deal,
                report=report,
                id="plan-deal",
                placeholder="e.g. 10,000",
            )
            yield Label("Currency", classes="plan-label")
            yield ReportedInput(
                plan.currency,
                save=self._save_currency,
                report=report,
                id="plan-currency",
                classes="plan-currency",
            )
        yield Static("", id="wit-note", classes="funnel-note")
        yield DataTable(id="wit-table", cursor_type="row", zebra_stripes=True, show_cursor=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#funnel-table", DataTable)
        table.add_column("Stage", key="stage")
        table.add_column("Count", key="count")
        table.add_column("Conv.", key="conv")
        table.add_column("Drop-off", key="drop")
        table.add_column("Overall", key="overall")
        table.add_column("Change", key="change")
        wit = self.query_one("#wit-table", DataTable)
        wit.add_column("Stage", key="stage")
        wit.add_column("Needed", key="needed")
        wit.add_column("Today", key="today")
        wit.add_column("Gap", key="gap")
        self._label_pid = self._shown_period()
        self._update_derived()

    # -- periods shown -----------------------------------------------------------

    def _period_options(self) -> list[tuple[str, int]]:
        return [(visible(p.label), p.id) for p in self.session.sorted_periods()]

    def _default_period(self) -> int | None:
        periods = self.session.sorted_periods()
        return periods[-1].id if periods else None

    def _shown_period(self) -> int | None:
        ids = [p.id for p in self.session.funnel_periods]
        if self._view_period in ids:
            return self._view_period
        return self._default_period()

    def _shown(self) -> FunnelPeriod | None:
        pid = self._shown_period()
        return next((p for p in self.session.funnel_periods if p.id == pid), None)

    def _grid_columns(self) -> tuple[FunnelPeriod | None, FunnelPeriod | None]:
        """The editable periods: the one before the chosen period, and the chosen one."""
        periods = self.session.sorted_periods()
        pid = self._shown_period()
        idx = next((i for i, p in enumerate(periods) if p.id == pid), None)
        if idx is None:
            return None, None
        return (periods[idx - 1] if idx else None), periods[idx]

    def _rename_period(self, text: str) -> None:
        period = self._shown()
        if period is None:
            return
        label = text.strip()
        if not label:
            raise ValueError("Period label is required, e.g. 2026 Q4")
        if any(p.label == label and p.id != period.id for p in self.session.funnel_periods):
            raise ValueError(f"There is already a period called {label}")
        self.service.update(period, label=label)

    def _show_period_label(self) -> None:
        """Show the chosen period's label in the rename field (replacing a refused entry)."""
        box = self.query_one("#period-label", ReportedInput)
        shown = self._shown()
        for widget in (box, self.query_one("#period-remove", Button)):
            if widget.disabled != (shown is None):
                widget.disabled = shown is None
        _force(box, shown.label if shown else "")
        _hide_reason(self.query_one("#funnel-periods"), "funnel-periods-error")

    @on(Button.Pressed, "#period-remove")
    def _remove_period(self, event: Button.Pressed) -> None:
        event.stop()
        period = self._shown()
        if period is None:
            return
        from ...form.confirm import ConfirmDialog

        def answered(ok: bool | None) -> None:
            current = next((p for p in self.session.funnel_periods if p.id == period.id), None)
            if ok and current is not None:
                try:
                    self.service.remove(current)
                except (ValueError, SessionFileError) as exc:
                    _refuse(self, exc)
                else:
                    self.app.notify(f"Period removed: {visible(current.label)}")

        self.app.push_screen(
            ConfirmDialog(
                f"Remove the period “{visible(period.label)}”?",
                "Every count and target entered for it is removed with it.",
                confirm_label="Remove",
                destructive=True,
            ),
            answered,
        )

    def _view(self) -> PeriodFunnel | None:
        pid = self._shown_period()
        return None if pid is None else period_funnel(self.session, pid)

    def _choose_period(self, pid: int) -> None:
        """The period chooser moved: the grid, the table and the chart show *pid*."""
        if pid == self._shown_period() or pid not in [p.id for p in self.session.funnel_periods]:
            return
        self.query_one("#period-label", ReportedInput).flush()
        self._view_period = None if pid == self._default_period() else pid
        self._label_pid = pid
        self._show_period_label()
        self.query_one(CountsGrid).sync()
        self._update_derived()

    def _sync_period_select(self) -> None:
        choice = self.query_one("#funnel-view-period", PeriodChoice)
        options = self._period_options()
        shown = self._shown_period()
        if choice.display != bool(options):
            choice.display = bool(options)
        if shown is not None:
            choice.show_options(options, shown)
        label_pid = getattr(self, "_label_pid", None)
        if label_pid != shown:
            self._label_pid = shown
            self._show_period_label()
        elif shown is not None:
            _quiet(self.query_one("#period-label", ReportedInput), self._shown().label)  # type: ignore[union-attr]

    # -- derived views -----------------------------------------------------------

    def _update_derived(self) -> None:
        view = self._view()
        self._fill_history()
        self._fill_table(view)
        self.query_one("#funnel-chart", FunnelChart).show(view)
        self._fill_what_it_takes()

    def _fill_history(self) -> None:
        """Every period side by side (oldest left): the count and the change vs the one before."""
        table = self.query_one("#funnel-history", DataTable)
        views = funnel_periods(self.session)
        columns = [visible(v.label) for v in views]
        if getattr(table, "_funnel_columns", None) != columns:
            table._funnel_columns = columns  # type: ignore[attr-defined]
            table._funnel_rows = None  # type: ignore[attr-defined]
            table.clear(columns=True)
            table.add_column("Stage", key="stage")
            for v, label in zip(views, columns, strict=True):
                table.add_column(Text(label, no_wrap=True), key=f"p{v.period_id}")
        table.display = bool(views)
        rows: list[tuple[str, ...]] = []
        for i, stage in enumerate(self.session.sorted_stages()):
            cells = []
            for v in views:
                row = v.rows[i]
                cell = fmt_count(row.count)
                if row.change_rel is not None:
                    cell += f" {row.change_rel * 100:+.0f}%"
                elif row.change_abs is not None:
                    cell += f" {row.change_abs:+,}"
                cells.append(cell)
            rows.append(
                (str(stage.id), f"{OWNER_LETTER[stage.owner]} {visible(stage.name)}", *cells)
            )
        _set_rows(table, rows)

    def _fill_table(self, view: PeriodFunnel | None) -> None:
        table = self.query_one("#funnel-table", DataTable)
        change_label = (
            f"vs {visible(view.previous_label)}" if view and view.previous_label else "Change"
        )
        rows: list[tuple[str, ...]] = []
        for i, row in enumerate(view.rows if view else []):
            drop = ""
            if i:
                drop = fmt_pct(row.drop_off)
                if row.drop_off is not None and row.drop_off_abs is not None:
                    drop += f" ({row.drop_off_abs:,})"
            rows.append(
                (
                    str(row.stage_id),
                    f"{OWNER_LETTER[row.owner]} {visible(row.name)}"
                    + (" ↑" if row.larger_than_previous else ""),
                    fmt_count(row.count),
                    fmt_pct(row.conversion) if i else "",
                    drop,
                    fmt_pct(row.overall),
                    fmt_change(row.change_abs, row.change_rel) if view.previous_label else "—",  # type: ignore[union-attr]
                )
            )
        column = table.columns["change"]  # type: ignore[index]
        if str(column.label) != change_label:
            column.label = Text(change_label)
            table.refresh(layout=True)
        _set_rows(table, rows)
        flagged = [visible(r.name) for r in (view.rows if view else []) if r.larger_than_previous]
        footnote = self.query_one("#funnel-flags", Static)
        _show(
            footnote,
            "↑ larger than previous stage: "
            + ", ".join(flagged)
            + " (allowed; check the counts are from the same period)"
            if flagged
            else "",
        )
        footnote.display = bool(flagged)

    def _fill_what_it_takes(self) -> None:
        note = self.query_one("#wit-note", Static)
        table = self.query_one("#wit-table", DataTable)
        plan = self.session.funnel_plan
        if plan.revenue_target is None or plan.avg_deal_value is None:
            _show(
                note,
                "Enter a revenue target and an average deal value to see the count "
                "each stage needs at today's rates.",
            )
            table.display = False
            return
        try:
            result = session_what_it_takes(self.session)
        except ValueError as exc:
            _show(note, str(exc))
            table.display = False
            return
        cur = plan.currency
        _show(
            note,
            f"{fmt_count(result.deals_needed)} deals × {fmt_money(result.avg_deal_value, cur)}"
            f" ≥ {fmt_money(result.revenue_target, cur)}, at the rates of "
            f"{visible(result.period_label) or 'no period'}. — : rate unknown or zero.",
        )
        table.display = True
        rows: list[tuple[str, ...]] = []
        for r in result.rows:
            gap = "—" if r.gap is None else (f"{r.gap:+,}" if r.gap else "0")
            rows.append(
                (str(r.stage_id), visible(r.name), fmt_count(r.needed), fmt_count(r.today), gap)
            )
        _set_rows(table, rows)

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        self.query_one(StageEditor).sync()
        self._sync_period_select()
        self.query_one(CountsGrid).sync()
        self.query_one(HandoverList).sync()
        plan = self.session.funnel_plan
        _quiet(self.query_one("#plan-target", ReportedInput), _num_text(plan.revenue_target))
        _quiet(self.query_one("#plan-deal", ReportedInput), _num_text(plan.avg_deal_value))
        _quiet(self.query_one("#plan-currency", ReportedInput), plan.currency)
        self._update_derived()

    # -- what it takes inputs ----------------------------------------------------

    def _save_target(self, text: str) -> None:
        value = parse_number(text, field="Revenue target")
        self.service.update(self.session.funnel_plan, revenue_target=value)

    def _save_deal(self, text: str) -> None:
        value = parse_number(text, field="Average deal value", positive=True)
        self.service.update(self.session.funnel_plan, avg_deal_value=value)

    def _save_currency(self, text: str) -> None:
        self.service.update(self.session.funnel_plan, currency=text.strip())

    # -- adding stages and periods -----------------------------------------------

    @on(Button.Pressed, "#add-stage")
    @on(Input.Submitted, "#new-stage-name")
    def _add_stage(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#new-stage-name", Input)
        row = "add-stage-row"
        name = box.value.strip()
        stages = self.session.sorted_stages()
        try:
            if not name:
                raise ValueError("Stage name is required: type it, then add")
            owner = stages[-1].owner if stages else Owner.SHARED
            stage = self.service.add(FunnelStage, name=name, owner=owner)
        except (ValueError, SessionFileError) as exc:
            _reason(self.query_one(f"#{row}"), f"{row}-error", str(exc))
            return
        _hide_reason(self.query_one(f"#{row}"), f"{row}-error")
        box.value = ""
        self.query_one(StageEditor).select(stage.id)
        self.app.notify(f"Stage added: {visible(stage.name)}")

    @on(Button.Pressed, "#add-period")
    @on(Input.Submitted, "#new-period-label")
    def _add_period(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#new-period-label", Input)
        row = "add-period-row"
        label = box.value.strip()
        try:
            if not label:
                raise ValueError("Period label is required, e.g. 2027 Q1")
            if any(p.label == label for p in self.session.funnel_periods):
                raise ValueError(f"There is already a period called {label}")
            period = self.service.add(FunnelPeriod, label=label)
        except (ValueError, SessionFileError) as exc:
            _reason(self.query_one(f"#{row}"), f"{row}-error", str(exc))
            return
        _hide_reason(self.query_one(f"#{row}"), f"{row}-error")
        box.value = ""
        self._view_period = None
        self.app.notify(f"Period added: {visible(period.label)}")

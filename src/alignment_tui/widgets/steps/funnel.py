"""Step pane 4: one funnel, split in two.

The room edits the stages (name, owner, order), the periods, and a grid of
counts (one row per stage, one column per period, plus targets for the latest
period). Below it the pane shows what is derived from those numbers —
conversion table, bar chart, the hand-over agreements where ownership
changes, and "what it takes" to reach a revenue target — all computed by
:mod:`alignment_tui.sessions.funnel`.

Sections whose *shape* depends on the session (which stages, which periods,
which hand-overs) rebuild themselves only when that shape changes; otherwise
values are updated in place so a field being typed in is never replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, Select, Static

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
from ..counts_grid import CountsGrid
from ..fields import Field, FieldSaved, SavingInput, SavingTextArea
from ..funnel_chart import OWNER_LETTER, FunnelChart, visible
from .base import StepPane

OWNER_OPTIONS = [(o.value, o) for o in Owner]


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


def _reorder(container: Widget, rows: list[Widget], offset: int = 0) -> None:
    """Put *rows* (children of *container*) in this order after *offset* other children.

    Cheaper than composing the rows again, and the focused widget keeps the focus.
    """
    for i, row in enumerate(rows):
        target = container.children[offset + i]
        if target is not row:
            container.move_child(row, before=target)


def _quiet(widget: SavingInput, value: str) -> None:
    """Show the saved *value* unless the field holds a refused entry (it stays as typed)."""
    if not widget.has_class("-invalid"):
        widget.set_value_quietly(value)


# ---------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------


class OwnerButton(Button):
    """The stage's owner; pressing it (enter, space, click, +) gives the next owner, - the one before.

    Three owners do not need a drop-down, and a button is one widget where a
    Select is five: the stage list stays cheap to mount.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "plus,equals_sign",
            "cycle(1)",
            "Next owner",
            id="funnel.owner_next",
            tooltip="Give this stage to the next owner",
            show=False,
        ),
        Binding(
            "minus",
            "cycle(-1)",
            "Previous owner",
            id="funnel.owner_previous",
            tooltip="Give this stage to the previous owner",
            show=False,
        ),
    ]

    ORDER: ClassVar[list[Owner]] = list(Owner)

    def __init__(self, owner: Owner, *, save: Callable[[Owner], None], **kwargs: Any) -> None:
        super().__init__(self._label(owner), compact=True, **kwargs)
        self.owner = owner
        self._save = save

    @staticmethod
    def _label(owner: Owner) -> str:
        return f"{OWNER_LETTER[owner]} {owner.value}"

    def show_owner(self, owner: Owner) -> None:
        if owner is not self.owner:
            self.owner = owner
            self.label = self._label(owner)

    def action_cycle(self, step: int) -> None:
        order = self.ORDER
        owner = order[(order.index(self.owner) + step) % len(order)]
        try:
            self._save(owner)
        except (ValueError, SessionFileError) as exc:
            _refuse(self, exc)
            return
        self.show_owner(owner)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cycle(1)


class StageEditor(Vertical):
    """One line per stage (name, owner); one bar of move/remove for the current stage.

    The current stage is the one whose row last had the focus. Moving and removing
    are keys on the row (alt+↑, alt+↓, alt+delete) and three buttons under the list,
    so the pane mounts three buttons whatever the number of stages.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move(-1)",
            "Stage up",
            id="funnel.stage_up",
            tooltip="Move the current stage one place up the funnel",
        ),
        Binding(
            "alt+down",
            "move(1)",
            "Stage down",
            id="funnel.stage_down",
            tooltip="Move the current stage one place down the funnel",
        ),
        Binding(
            "alt+delete",
            "remove_stage",
            "Remove stage",
            id="funnel.stage_remove",
            tooltip="Remove the current stage and its counts (asks first)",
        ),
    ]

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        self._shape: tuple[int, ...] = ()
        self._current: int | None = None

    def _stage(self, sid: int | None) -> FunnelStage | None:
        return next((s for s in self.service.session.funnel_stages if s.id == sid), None)

    def current(self) -> FunnelStage | None:
        """The stage the bar acts on: the last one focused, else the first."""
        stage = self._stage(self._current)
        if stage is None:
            stages = self.service.session.sorted_stages()
            stage = stages[0] if stages else None
        return stage

    def compose(self) -> ComposeResult:
        stages = self.service.session.sorted_stages()
        self._shape = tuple(s.id for s in stages)
        for st in stages:
            with Horizontal(classes="stage-row", id=f"stage-row-{st.id}"):
                yield CountInput(
                    st.name,
                    save=self._rename(st.id),
                    report=self._name_error,
                    id=f"stage-name-{st.id}",
                    classes="stage-name",
                    tooltip="Stage name (alt+↑ / alt+↓ move it, alt+delete removes it)",
                )
                yield OwnerButton(
                    st.owner,
                    save=self._set_owner(st.id),
                    id=f"stage-owner-{st.id}",
                    classes="stage-owner",
                    tooltip="Who owns this stage: press for the next owner (+ / - step)",
                )
        # the refusal reason of a stage name (a row has no room for its own line)
        yield Static("", classes="field-error stage-error", id="stage-error", markup=False)
        with Horizontal(classes="stage-bar", id="stage-bar"):
            yield Static("", id="stage-current", classes="stage-current", markup=False)
            yield Button(
                "↑", id="stage-up", compact=True, classes="mini", tooltip="Move up (alt+↑)"
            )
            yield Button(
                "↓", id="stage-down", compact=True, classes="mini", tooltip="Move down (alt+↓)"
            )
            yield Button(
                "✕",
                id="stage-remove",
                compact=True,
                classes="mini -remove",
                tooltip="Remove this stage, asks first (alt+delete)",
            )

    def on_mount(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        stage = self.current()
        sid = stage.id if stage else None
        for row in self.query(".stage-row"):
            row.set_class(row.id == f"stage-row-{sid}", "-current")
        label = self.query_one("#stage-current", Static)
        _show(label, f"Current stage: {visible(stage.name)}" if stage else "No stages yet")
        for bid in ("#stage-up", "#stage-down", "#stage-remove"):
            self.query_one(bid, Button).disabled = stage is None

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        node: Widget | None = event.widget
        while node is not None and node is not self:
            if node.has_class("stage-row") and node.id:
                sid = int(node.id.rsplit("-", 1)[1])
                if sid != self._current:
                    self._current = sid
                    self._show_current()
                return
            node = node.parent  # type: ignore[assignment]

    def _rename(self, sid: int) -> Callable[[str], None]:
        def save(text: str) -> None:
            stage = self._stage(sid)
            if stage is None:
                return
            if not text.strip():
                raise ValueError("Stage name is required")
            self.service.update(stage, name=text.strip())

        return save

    def _set_owner(self, sid: int) -> Callable[[Owner], None]:
        def save(owner: Owner) -> None:
            stage = self._stage(sid)
            if stage is not None:
                self.service.update(stage, owner=owner)

        return save

    def sync(self) -> None:
        stages = self.service.session.sorted_stages()
        ids = tuple(s.id for s in stages)
        if ids != self._shape and sorted(ids) == sorted(self._shape):
            _reorder(self, [self.query_one(f"#stage-row-{sid}") for sid in ids])
            self._shape = ids
        if ids != self._shape:
            self.call_later(self._rebuild)
            return
        for st in stages:
            _quiet(self.query_one(f"#stage-name-{st.id}", SavingInput), st.name)
            self.query_one(f"#stage-owner-{st.id}", OwnerButton).show_owner(st.owner)
        self._show_current()

    async def _rebuild(self) -> None:
        stages = self.service.session.sorted_stages()
        if tuple(s.id for s in stages) == self._shape:
            return
        focus_bar = self.screen.focused is not None and self.screen.focused.id in (
            "stage-remove",
            "stage-up",
            "stage-down",
        )
        await self.recompose()
        self._show_current()
        if focus_bar:
            self.query_one("#stage-remove" if stages else "#stage-bar").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "remove_stage"):
            return True if self.current() is not None else None
        return True

    def action_move(self, step: int) -> None:
        stage = self.current()
        if stage is None:
            return
        self._current = stage.id
        try:
            self.service.move(stage, step)
        except (ValueError, SessionFileError) as exc:
            _refuse(self, exc)

    def action_remove_stage(self) -> None:
        stage = self.current()
        if stage is not None:
            self._confirm_remove(stage)

    def _name_error(self, field: Widget, error: str | None) -> None:
        found = self.query("#stage-error")
        if not found:
            return  # the list is being rebuilt: a name flushed as it was removed
        line = found.first(Static)
        if error is None and field.id != getattr(line, "_field_id", None):
            return
        line._field_id = field.id if error else None  # type: ignore[attr-defined]
        _show(line, error or "")
        line.display = error is not None

    @on(Button.Pressed, "#stage-bar Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        verb = (event.button.id or "").split("-")[1]
        if verb == "remove":
            self.action_remove_stage()
        else:
            self.action_move(-1 if verb == "up" else 1)

    def _confirm_remove(self, stage: FunnelStage) -> None:
        from ...screens.confirm import ConfirmDialog

        def answered(ok: bool | None) -> None:
            current = self._stage(stage.id)
            if ok and current is not None:
                try:
                    self.service.remove(current)
                except (ValueError, SessionFileError) as exc:
                    _refuse(self, exc)
                else:
                    self._current = None
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
# Stage name field
# ---------------------------------------------------------------------------


class CountInput(SavingInput):
    """A compact field whose refusal reason goes to a shared message line (via *report*)."""

    def __init__(
        self,
        value: str,
        *,
        save: Callable[[str], None],
        report: Callable[[CountInput, str | None], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(value, save=save, compact=True, **kwargs)
        self._report_to = report

    def _do_save(self) -> None:
        self._known = self.value
        try:
            self._save(self.value)
        except (ValueError, SessionFileError) as exc:
            self.set_class(True, "-invalid")
            self._report_to(self, str(exc))
            return
        self.set_class(False, "-invalid")
        self._report_to(self, None)
        self.post_message(FieldSaved(self))


# ---------------------------------------------------------------------------
# Hand-overs
# ---------------------------------------------------------------------------


def _point_title(point: HandoverPoint) -> Content:
    return Content.from_markup(
        "[b]$label[/b]  $a → $b",
        label=point.label,
        a=visible(point.from_name),
        b=visible(point.to_name),
    )


class HandoverList(Vertical):
    """The small service-level agreement at each point where ownership changes."""

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        self._shape: tuple[tuple[int, Owner, Owner], ...] = ()

    def _points(self) -> list[HandoverPoint]:
        return session_handover_points(self.service.session)

    @staticmethod
    def _key(points: list[HandoverPoint]) -> tuple[tuple[int, Owner, Owner], ...]:
        return tuple((p.to_stage_id, p.from_owner, p.to_owner) for p in points)

    def _existing(self, to_stage_id: int) -> Handover | None:
        return next(
            (h for h in self.service.session.handovers if h.to_stage_id == to_stage_id), None
        )

    def compose(self) -> ComposeResult:
        points = self._points()
        self._shape = self._key(points)
        if not points:
            yield Static(
                "No hand-over yet: give the stages different owners "
                "(Marketing, Shared, Sales) to mark where leads change hands.",
                classes="funnel-note",
            )
        for point in points:
            to = point.to_stage_id
            h = self._existing(to)
            with Vertical(classes="handover", id=f"handover-{to}"):
                yield Static(_point_title(point), classes="handover-title", id=f"ho-title-{to}")
                yield Label("What qualifies a lead to cross", classes="ho-label")
                yield SavingTextArea(
                    h.qualifies if h else "",
                    save=self._saver(to, "qualifies"),
                    id=f"ho-qualifies-{to}",
                    classes="ho-text",
                    compact=True,
                )
                yield Field(
                    "Response time (hours) to pick a lead up",
                    SavingInput(
                        _num_text(h.response_hours if h else None),
                        save=self._saver(to, "response_hours"),
                        id=f"ho-hours-{to}",
                        compact=True,
                        placeholder="e.g. 24",
                    ),
                    classes="ho-hours",
                )
                yield Label("Reasons it may be sent back", classes="ho-label")
                yield SavingTextArea(
                    h.return_reasons if h else "",
                    save=self._saver(to, "return_reasons"),
                    id=f"ho-reasons-{to}",
                    classes="ho-text",
                    compact=True,
                )
                yield Label("What happens to returned leads", classes="ho-label")
                yield SavingTextArea(
                    h.returned_handling if h else "",
                    save=self._saver(to, "returned_handling"),
                    id=f"ho-returned-{to}",
                    classes="ho-text",
                    compact=True,
                )

    def _saver(self, to: int, attr: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            value: Any = text
            if attr == "response_hours":
                value = parse_number(text, field="Response time")
            existing = self._existing(to)
            if existing is None and not value:
                return  # nothing typed yet: do not create an empty agreement
            self.service.update(self.service.handover_for(to), **{attr: value})

        return save

    def sync(self) -> None:
        points = self._points()
        if self._key(points) != self._shape:
            self.call_later(self._rebuild)
            return
        for point in points:
            to = point.to_stage_id
            _show(self.query_one(f"#ho-title-{to}", Static), _point_title(point))
            h = self._existing(to)
            if h is None:
                continue
            for attr, wid in (
                ("qualifies", "qualifies"),
                ("return_reasons", "reasons"),
                ("returned_handling", "returned"),
            ):
                area = self.query_one(f"#ho-{wid}-{to}", SavingTextArea)
                if not area.has_class("-invalid"):
                    area.set_text_quietly(getattr(h, attr))
            _quiet(self.query_one(f"#ho-hours-{to}", SavingInput), _num_text(h.response_hours))

    async def _rebuild(self) -> None:
        if self._key(self._points()) != self._shape:
            await self.recompose()


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
    """An input, an "Add <what>" button and the line for its refusal reason."""
    with Horizontal(classes="funnel-add"):
        yield Input(placeholder=placeholder, id=input_id, compact=True, tooltip=tooltip)
        yield Button(f"Add {what}", id=f"add-{what}", compact=True)
    yield Static("", classes="add-error", id=f"new-{what}-error", markup=False)


class FunnelPane(StepPane):
    STEP: ClassVar[StepId] = StepId.FUNNEL

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        #: Which period the table and chart show (None: the latest).
        self._view_period: int | None = None

    # -- layout ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        plan = self.session.funnel_plan
        yield Static(
            "Stages, top to bottom: the owner says who works the lead at that stage.",
            classes="funnel-intro",
        )
        yield Label("Stages", classes="funnel-section")
        yield StageEditor(self.service, id="funnel-stages")
        yield from _add_row(
            "new-stage-name", "New stage name", "Name of a stage to add at the bottom", "stage"
        )

        yield Label("Periods", classes="funnel-section")
        shown = self._shown()
        with Horizontal(classes="funnel-view", id="funnel-periods"):
            yield Label("Period ", classes="funnel-view-label")
            options = self._period_options()
            yield Select(
                options,
                value=shown.id if shown else Select.NULL,
                allow_blank=not options,
                compact=True,
                id="funnel-view-period",
                tooltip="The period you edit, and that the table and the chart show",
            )
            with Vertical(classes="period-label-cell"):
                yield SavingInput(
                    shown.label if shown else "",
                    save=self._rename_period,
                    compact=True,
                    id="period-label",
                    tooltip="Rename this period, e.g. 2026 Q4",
                )
                yield Static("", classes="field-error", markup=False)
            yield Button(
                "✕",
                id="period-remove",
                compact=True,
                classes="mini -remove",
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
        with Horizontal(classes="plan-row"):
            yield Field(
                "Revenue target",
                SavingInput(
                    _num_text(plan.revenue_target),
                    save=self._save_target,
                    id="plan-target",
                    placeholder="e.g. 500,000",
                ),
                classes="plan-field",
            )
            yield Field(
                "Average deal value",
                SavingInput(
                    _num_text(plan.avg_deal_value),
                    save=self._save_deal,
                    id="plan-deal",
                    placeholder="e.g. 10,000",
                ),
                classes="plan-field",
            )
            yield Field(
                "Currency",
                SavingInput(plan.currency, save=self._save_currency, id="plan-currency"),
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

    def _period_options(self) -> list[tuple[Text, int]]:
        return [(Text(visible(p.label)), p.id) for p in self.session.sorted_periods()]

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
        box = self.query_one("#period-label", SavingInput)
        shown = self._shown()
        box.disabled = shown is None
        self.query_one("#period-remove", Button).disabled = shown is None
        box.set_class(False, "-invalid")
        error = box.parent.query_one(".field-error", Static) if box.parent else None
        if error is not None:
            error.display = False
        with box.prevent(Input.Changed):
            box.value = shown.label if shown else ""

    @on(Button.Pressed, "#period-remove")
    def _remove_period(self, event: Button.Pressed) -> None:
        event.stop()
        period = self._shown()
        if period is None:
            return
        from ...screens.confirm import ConfirmDialog

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

    @on(Select.Changed, "#funnel-view-period")
    def _view_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int) and event.value != self._shown_period():
            self.query_one("#period-label", SavingInput).flush()
            self._view_period = None if event.value == self._default_period() else event.value
            self._show_period_label()
            self.query_one(CountsGrid).sync()
            self._update_derived()

    def _sync_period_select(self) -> None:
        select = self.query_one("#funnel-view-period", Select)
        options = self._period_options()
        shown = self._shown_period()
        current = [(p.plain, v) for p, v in options]
        select.display = bool(options)
        if not options:
            return
        if getattr(self, "_options_shown", None) != current:
            self._options_shown = current
            with select.prevent(Select.Changed):
                select.set_options(options)
        if shown is not None and select.value != shown:
            with select.prevent(Select.Changed):
                select.value = shown
        label_pid = getattr(self, "_label_pid", None)
        if label_pid != shown:
            self._label_pid = shown
            self._show_period_label()
        elif shown is not None:
            _quiet(self.query_one("#period-label", SavingInput), self._shown().label)  # type: ignore[union-attr]

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
        _quiet(self.query_one("#plan-target", SavingInput), _num_text(plan.revenue_target))
        _quiet(self.query_one("#plan-deal", SavingInput), _num_text(plan.avg_deal_value))
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
        error = self.query_one("#new-stage-error", Static)
        name = box.value.strip()
        stages = self.session.sorted_stages()
        try:
            if not name:
                raise ValueError("Stage name is required: type it, then add")
            owner = stages[-1].owner if stages else Owner.SHARED
            stage = self.service.add(FunnelStage, name=name, owner=owner)
        except (ValueError, SessionFileError) as exc:
            error.update(Content(str(exc)))
            error.display = True
            return
        error.display = False
        box.value = ""
        self.app.notify(f"Stage added: {visible(stage.name)}")

    @on(Button.Pressed, "#add-period")
    @on(Input.Submitted, "#new-period-label")
    def _add_period(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#new-period-label", Input)
        error = self.query_one("#new-period-error", Static)
        label = box.value.strip()
        try:
            if not label:
                raise ValueError("Period label is required, e.g. 2027 Q1")
            if any(p.label == label for p in self.session.funnel_periods):
                raise ValueError(f"There is already a period called {label}")
            period = self.service.add(FunnelPeriod, label=label)
        except (ValueError, SessionFileError) as exc:
            error.update(Content(str(exc)))
            error.display = True
            return
        error.display = False
        box.value = ""
        self._view_period = None
        self.app.notify(f"Period added: {visible(period.label)}")

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
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, Vertical
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
    period_funnel,
    session_handover_points,
    session_what_it_takes,
)
from ...sessions.models import FunnelPeriod, FunnelStage, Handover, Owner, StepId
from ...sessions.parse import parse_count, parse_number
from ...sessions.service import SessionService
from ..fields import Field, FieldSaved, SavingInput, SavingSelect, SavingTextArea
from ..funnel_chart import OWNER_LETTER, FunnelChart, visible
from .base import StepPane

OWNER_OPTIONS = [(o.value, o) for o in Owner]


def _refuse(widget: Widget, exc: Exception) -> None:
    widget.app.notify(str(exc), severity="error", timeout=6)


def _num_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _count_text(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


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


class StageEditor(Vertical):
    """One line per stage: name, owner, move up/down, remove."""

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        self._shape: tuple[int, ...] = ()
        self._focus_next: str | None = None

    def _stage(self, sid: int) -> FunnelStage | None:
        return next((s for s in self.service.session.funnel_stages if s.id == sid), None)

    def compose(self) -> ComposeResult:
        stages = self.service.session.sorted_stages()
        self._shape = tuple(s.id for s in stages)
        for st in stages:
            with Horizontal(classes="stage-row", id=f"stage-row-{st.id}"):
                with Vertical(classes="stage-name-cell"):
                    yield SavingInput(
                        st.name,
                        save=self._rename(st.id),
                        compact=True,
                        id=f"stage-name-{st.id}",
                        tooltip="Stage name",
                    )
                    yield Static("", classes="field-error", markup=False)
                yield SavingSelect(
                    OWNER_OPTIONS,
                    value=st.owner,
                    save=self._set_owner(st.id),
                    compact=True,
                    id=f"stage-owner-{st.id}",
                    classes="stage-owner",
                    tooltip="Who owns this stage",
                )
                yield Button(
                    "↑", id=f"stage-up-{st.id}", compact=True, classes="mini", tooltip="Move up"
                )
                yield Button(
                    "↓",
                    id=f"stage-down-{st.id}",
                    compact=True,
                    classes="mini",
                    tooltip="Move down",
                )
                yield Button(
                    "✕",
                    id=f"stage-remove-{st.id}",
                    compact=True,
                    classes="mini -remove",
                    tooltip="Remove this stage (asks first)",
                )

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
            owner = self.query_one(f"#stage-owner-{st.id}", SavingSelect)
            if owner.value != st.owner and not owner.expanded:
                with owner.prevent(Select.Changed):
                    owner.value = st.owner

    async def _rebuild(self) -> None:
        stages = self.service.session.sorted_stages()
        if tuple(s.id for s in stages) == self._shape:
            return
        await self.recompose()
        target = self._focus_next
        self._focus_next = None
        if target:
            found = self.query(f"#{target}")
            if found:
                found.first().focus()

    @on(Button.Pressed, ".stage-row Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        _, verb, sid_text = (event.button.id or "").split("-")
        stage = self._stage(int(sid_text))
        if stage is None:
            return
        if verb == "remove":
            self._confirm_remove(stage)
            return
        try:
            self._focus_next = event.button.id
            self.service.move(stage, -1 if verb == "up" else 1)
        except (ValueError, SessionFileError) as exc:
            _refuse(self, exc)

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
# Periods
# ---------------------------------------------------------------------------


class PeriodEditor(Vertical):
    """One line per period: its label and a remove button."""

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        self._shape: tuple[int, ...] = ()

    def _period(self, pid: int) -> FunnelPeriod | None:
        return next((p for p in self.service.session.funnel_periods if p.id == pid), None)

    def compose(self) -> ComposeResult:
        periods = self.service.session.sorted_periods()
        self._shape = tuple(p.id for p in periods)
        for p in periods:
            with Horizontal(classes="period-row", id=f"period-row-{p.id}"):
                with Vertical(classes="period-label-cell"):
                    yield SavingInput(
                        p.label,
                        save=self._rename(p.id),
                        compact=True,
                        id=f"period-label-{p.id}",
                        tooltip="Period label, e.g. 2026 Q4",
                    )
                    yield Static("", classes="field-error", markup=False)
                yield Button(
                    "✕",
                    id=f"period-remove-{p.id}",
                    compact=True,
                    classes="mini -remove",
                    tooltip="Remove this period and its counts (asks first)",
                )

    def _rename(self, pid: int) -> Callable[[str], None]:
        def save(text: str) -> None:
            period = self._period(pid)
            if period is None:
                return
            if not text.strip():
                raise ValueError("Period label is required, e.g. 2026 Q4")
            self.service.update(period, label=text.strip())

        return save

    def sync(self) -> None:
        periods = self.service.session.sorted_periods()
        if tuple(p.id for p in periods) != self._shape:
            self.call_later(self._rebuild)
            return
        for p in periods:
            _quiet(self.query_one(f"#period-label-{p.id}", SavingInput), p.label)

    async def _rebuild(self) -> None:
        if tuple(p.id for p in self.service.session.sorted_periods()) != self._shape:
            await self.recompose()

    @on(Button.Pressed, ".period-row Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        period = self._period(int((event.button.id or "").rsplit("-", 1)[1]))
        if period is None:
            return
        from ...screens.confirm import ConfirmDialog

        def answered(ok: bool | None) -> None:
            current = self._period(period.id)
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


# ---------------------------------------------------------------------------
# Counts grid
# ---------------------------------------------------------------------------


class CountInput(SavingInput):
    """A compact count cell; its refusal reason goes to the row's message line."""

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
        try:
            self._save(self.value)
        except (ValueError, SessionFileError) as exc:
            self.set_class(True, "-invalid")
            self._report_to(self, str(exc))
            return
        self.set_class(False, "-invalid")
        self._report_to(self, None)
        self.post_message(FieldSaved(self))


class CountsGrid(ScrollableContainer):
    """Rows of stages, columns of periods (oldest left), plus the latest period's targets."""

    can_focus = False

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service
        self._shape: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
        self._errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        s = self.service.session
        stages = s.sorted_stages()
        periods = s.sorted_periods()
        self._shape = (tuple(x.id for x in stages), tuple(p.id for p in periods))
        self._errors = {}
        latest = periods[-1] if periods else None
        with Horizontal(classes="grid-row grid-header"):
            yield Label("Stage", classes="grid-name")
            for p in periods:
                yield Label(Content(visible(p.label)), classes="grid-col", id=f"grid-head-{p.id}")
            if latest is not None:
                yield Label("Target", classes="grid-col", id="grid-head-target")
        for st in stages:
            with Horizontal(classes="grid-row", id=f"grid-stage-{st.id}"):
                yield Label(Content(visible(st.name)), classes="grid-name", id=f"grid-name-{st.id}")
                for p in periods:
                    c = s.count_for(st.id, p.id)
                    yield CountInput(
                        _count_text(c.count if c else None),
                        save=self._saver(st.id, p.id, "count"),
                        report=self._report,
                        id=f"count-{st.id}-{p.id}",
                        classes="grid-col count-cell",
                        placeholder="—",
                        tooltip=f"{st.name}, {p.label}: how many",
                    )
                if latest is not None:
                    c = s.count_for(st.id, latest.id)
                    yield CountInput(
                        _count_text(c.target if c else None),
                        save=self._saver(st.id, latest.id, "target"),
                        report=self._report,
                        id=f"target-{st.id}",
                        classes="grid-col count-cell target-cell",
                        placeholder="—",
                        tooltip=f"{st.name}: target for {latest.label} (optional)",
                    )
        yield Static("", classes="grid-error", id="grid-errors", markup=False)

    def _saver(self, sid: int, pid: int, what: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            field = "Count" if what == "count" else "Target"
            value = parse_count(text, field=field)
            existing = self.service.session.count_for(sid, pid)
            if existing is None and value is None:
                return
            self.service.set_count(sid, pid, **{what: value})

        return save

    def _report(self, cell: CountInput, error: str | None) -> None:
        """Show every refused cell's reason under the grid, naming stage and column."""
        key = cell.id or ""
        if error is None:
            self._errors.pop(key, None)
        else:
            self._errors[key] = error
        s = self.service.session
        lines = []
        for k, msg in self._errors.items():
            parts = k.split("-")
            stage = next((x for x in s.funnel_stages if x.id == int(parts[1])), None)
            where = "target"
            if parts[0] == "count":
                period = next((p for p in s.funnel_periods if p.id == int(parts[2])), None)
                where = period.label if period else "?"
            lines.append(f"{visible(stage.name) if stage else '?'} · {visible(where)}: {msg}")
        line = self.query_one("#grid-errors", Static)
        _show(line, "\n".join(lines))
        line.display = bool(lines)

    def sync(self) -> None:
        s = self.service.session
        stages = s.sorted_stages()
        periods = s.sorted_periods()
        ids = tuple(x.id for x in stages)
        old_ids, old_periods = self._shape
        if ids != old_ids and sorted(ids) == sorted(old_ids):
            _reorder(self, [self.query_one(f"#grid-stage-{sid}") for sid in ids], offset=1)
            self._shape = (ids, old_periods)
        if (ids, tuple(p.id for p in periods)) != self._shape:
            self.call_later(self._rebuild)
            return
        for p in periods:
            _show(self.query_one(f"#grid-head-{p.id}", Label), Content(visible(p.label)))
        latest = periods[-1] if periods else None
        for st in stages:
            _show(self.query_one(f"#grid-name-{st.id}", Label), Content(visible(st.name)))
            for p in periods:
                c = s.count_for(st.id, p.id)
                cell = self.query_one(f"#count-{st.id}-{p.id}", CountInput)
                _quiet(cell, _count_text(c.count if c else None))
            if latest is not None:
                c = s.count_for(st.id, latest.id)
                cell = self.query_one(f"#target-{st.id}", CountInput)
                _quiet(cell, _count_text(c.target if c else None))

    async def _rebuild(self) -> None:
        s = self.service.session
        shape = (tuple(x.id for x in s.sorted_stages()), tuple(p.id for p in s.sorted_periods()))
        if shape != self._shape:
            await self.recompose()


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
        with Horizontal(classes="funnel-add"):
            yield Input(
                placeholder="New stage name",
                id="new-stage-name",
                compact=True,
                tooltip="Name of a stage to add at the bottom",
            )
            yield Button("Add stage", id="add-stage", compact=True)
        yield Static("", classes="add-error", id="new-stage-error", markup=False)

        yield Label("Periods", classes="funnel-section")
        yield PeriodEditor(self.service, id="funnel-periods")
        with Horizontal(classes="funnel-add"):
            yield Input(
                placeholder="New period, e.g. 2027 Q1",
                id="new-period-label",
                compact=True,
                tooltip="Label of a period to add after the others",
            )
            yield Button("Add period", id="add-period", compact=True)
        yield Static("", classes="add-error", id="new-period-error", markup=False)

        yield Label("Counts per period", classes="funnel-section")
        yield CountsGrid(self.service, id="funnel-grid")

        yield Label("Conversion", classes="funnel-section")
        with Horizontal(classes="funnel-view"):
            yield Label("Show period ", classes="funnel-view-label")
            options = self._period_options()
            yield Select(
                options,
                value=self._default_period() or Select.NULL,
                allow_blank=not options,
                compact=True,
                id="funnel-view-period",
                tooltip="Which period the table and the chart show",
            )
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

    def _view(self) -> PeriodFunnel | None:
        pid = self._shown_period()
        return None if pid is None else period_funnel(self.session, pid)

    @on(Select.Changed, "#funnel-view-period")
    def _view_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int):
            self._view_period = None if event.value == self._default_period() else event.value
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

    # -- derived views -----------------------------------------------------------

    def _update_derived(self) -> None:
        view = self._view()
        self._fill_table(view)
        self.query_one("#funnel-chart", FunnelChart).show(view)
        self._fill_what_it_takes()

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
        self.query_one(PeriodEditor).sync()
        self.query_one(CountsGrid).sync()
        self.query_one(HandoverList).sync()
        self._sync_period_select()
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

"""The funnel's periods and counts: which period is shown, its name, adding and removing one, the grid.

The room chooses a period (← / → on the period choice); the counts grid
edits it and the period before it, and the conversion table and the chart
show it. Which period that is lives in :class:`ShownPeriod`, shared by this
section and the conversion section (it is a view, not part of the session:
the latest period unless the room chose another).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from ...form.choice import Choice
from ...form.fields import SavingInput, read_only_session
from ...form.refusal import REFUSALS, reason_of, show_reason
from ...form.removal import confirm_removal
from ...form.section import Section
from ...sessions.models import FunnelPeriod
from ...sessions.service import SessionService
from ...sessions.text import one_line, snippet
from .counts_grid import CountsGrid


class ShownPeriod:
    """The period the grid edits and the table and chart show (the latest, unless chosen)."""

    def __init__(self, service: SessionService) -> None:
        self.service = service
        #: The period the room chose (None: the latest, whichever that is now).
        self.chosen: int | None = None

    def period(self) -> FunnelPeriod | None:
        periods = self.service.session.sorted_periods()
        return next((p for p in periods if p.id == self.chosen), periods[-1] if periods else None)

    def id(self) -> int | None:
        period = self.period()
        return period.id if period else None

    def choose(self, pid: int) -> None:
        periods = self.service.session.sorted_periods()
        self.chosen = None if periods and periods[-1].id == pid else pid

    def grid_columns(self) -> tuple[FunnelPeriod | None, FunnelPeriod | None]:
        """The editable periods: the one before the shown period, and the shown one."""
        periods = self.service.session.sorted_periods()
        pid = self.id()
        idx = next((i for i, p in enumerate(periods) if p.id == pid), None)
        if idx is None:
            return None, None
        return (periods[idx - 1] if idx else None), periods[idx]

    def options(self) -> list[tuple[str, int]]:
        return [(one_line(p.label), p.id) for p in self.service.session.sorted_periods()]


class PeriodChoice(Choice[int]):
    """The period shown: ← the one before, → the next. A view, so it stays live when read-only."""

    VIEW_ONLY = True  # choosing a period changes what is shown, not the session

    def show_options(self, options: list[tuple[str, int]], value: int | None) -> None:
        """Offer *options* (the periods changed) and show *value*, without saving."""
        self.set_options(options, value)
        if self.display != bool(options):
            self.display = bool(options)


class CountsSection(Section):
    """Periods (choose, rename, add, remove) and the grid of counts for the period shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+l",
            "import_counts",
            "Counts from CSV…",
            id="funnel.import_counts",
            tooltip="A period's counts from a CRM report saved as CSV (shows what changes first)",
        ),
    ]

    class PeriodShown(Message):
        """Another period is shown: the conversion table and the chart follow."""

    def __init__(self, service: SessionService, shown: ShownPeriod, **kwargs: Any) -> None:
        super().__init__("Counts", **kwargs)
        self.service = service
        self.shown = shown

    def compose(self) -> ComposeResult:
        period = self.shown.period()
        read_only = read_only_session(self)
        yield Static(
            "The period chosen here and the one before it; targets are for the chosen period.",
            classes="funnel-intro",
        )
        with Horizontal(classes="funnel-periods", id="funnel-periods") as bar:
            choice = PeriodChoice(
                self.shown.options() or [("No period", 0)],
                value=period.id if period else 0,
                save=self._choose,
                id="funnel-view-period",
                classes="period-choice",
                tooltip="The period you edit, and that the table and the chart show: "
                "← the one before, → the next",
            )
            choice.display = period is not None
            yield choice
            yield Label("Name", classes="period-name-label")
            self.label_field = SavingInput(
                read=self._label,
                save=self._rename,
                id="period-label",
                classes="period-label",
                compact=True,
                disabled=period is None,
                tooltip="Rename this period, e.g. 2026 Q4",
            )
            self.label_field.reason_anchor = bar
            yield self.label_field
            yield Button(
                "✕",
                id="period-remove",
                compact=True,
                classes="mini -remove",
                disabled=period is None or read_only,
                tooltip="Remove this period and its counts (asks first)",
            )
        with Horizontal(classes="funnel-add", id="add-period-row"):
            yield Input(
                placeholder="New period, e.g. 2027 Q1",
                id="new-period-label",
                compact=True,
                disabled=read_only,
                tooltip="Label of a period to add after the others (Enter adds it)",
            )
            yield Button("Add period", id="add-period", compact=True, disabled=read_only)
        yield CountsGrid(self.service, self.shown.grid_columns, id="funnel-grid")

    @property
    def grid(self) -> CountsGrid:
        return self.query_one(CountsGrid)

    # -- the period shown --------------------------------------------------------------

    def _choose(self, pid: int) -> None:
        """The period choice moved: the grid, the table and the chart show *pid*."""
        if pid == self.shown.id() or pid not in [p.id for p in self.service.session.funnel_periods]:
            return
        self.label_field.flush()
        self.shown.choose(pid)
        self.label_field.load(force=True)
        self.grid.sync()
        self.post_message(self.PeriodShown())

    def _label(self) -> str:
        period = self.shown.period()
        return period.label if period else ""

    def _rename(self, text: str) -> None:
        period = self.shown.period()
        if period is None:
            return
        label = text.strip()
        if not label:
            raise ValueError("Period label is required, e.g. 2026 Q4")
        if any(p.label == label and p.id != period.id for p in self.service.session.funnel_periods):
            raise ValueError(f"There is already a period called {label}")
        self.service.update(period, label=label)

    def sync(self) -> None:
        """The session changed: the periods offered, the one shown, the grid."""
        period = self.shown.period()
        choice = self.query_one(PeriodChoice)
        shown_before = choice.value if choice.display else None
        choice.show_options(self.shown.options(), period.id if period else None)
        if (period.id if period else None) != shown_before:
            self.label_field.load(force=True)
        read_only = read_only_session(self)
        for widget, off in (
            (self.label_field, period is None or read_only),
            (self.query_one("#period-remove", Button), period is None or read_only),
        ):
            if widget.disabled != off:
                widget.disabled = off
        self.grid.sync()

    def action_import_counts(self) -> None:
        """Counts from a CRM report's CSV; the period they went into is shown."""
        from ...dialogs.counts_import import ask_import_counts

        def show(period_id: int) -> None:
            self.shown.choose(period_id)
            self.sync()
            self.post_message(self.PeriodShown())

        ask_import_counts(self, self.service, then=show)

    # -- adding and removing periods ----------------------------------------------------

    @on(Button.Pressed, "#add-period")
    @on(Input.Submitted, "#new-period-label")
    def _add(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#new-period-label", Input)
        row = self.query_one("#add-period-row")
        label = box.value.strip()
        try:
            if not label:
                raise ValueError("Period label is required, e.g. 2027 Q1")
            if any(p.label == label for p in self.service.session.funnel_periods):
                raise ValueError(f"There is already a period called {label}")
            self.service.add(FunnelPeriod, label=label)
        except REFUSALS as exc:
            show_reason(box, str(exc), anchor=row)
            return
        show_reason(box, None, anchor=row)
        box.value = ""
        self.shown.chosen = None  # the new period is the latest: it is shown
        self.post_message(self.PeriodShown())

    @on(Input.Changed, "#new-period-label")
    def _new_label_typed(self, event: Input.Changed) -> None:
        # The room corrects the label: the reason for the last refusal is past.
        self._clear_add_reason()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # The room moves on from adding a period (the focus has already gone on):
        # the reason goes with it. From the box to its button it stays.
        row = self.query_one("#add-period-row")
        focused = self.screen.focused
        if row in event.widget.ancestors and (focused is None or row not in focused.ancestors):
            self._clear_add_reason()

    def _clear_add_reason(self) -> None:
        # (asked of the reason line: an Input drops "-invalid" itself as it is typed in)
        box = self.query_one("#new-period-label", Input)
        line = reason_of(box)
        if line is not None and line.display:
            show_reason(box, None, anchor=self.query_one("#add-period-row"))

    @on(Button.Pressed, "#period-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        period = self.shown.period()
        if period is None:
            return

        def remove() -> None:
            current = next(
                (p for p in self.service.session.funnel_periods if p.id == period.id), None
            )
            if current is not None:
                self.service.remove(current)

        confirm_removal(
            self,
            what=f"the period “{snippet(period.label)}”",
            detail="Every count and target entered for it is removed with it.",
            has_content=True,  # a period is a column of the room's numbers: always asked
            remove=remove,
            then=lambda: self.post_message(self.PeriodShown()),
        )


__all__ = ["CountsSection", "PeriodChoice", "ShownPeriod"]

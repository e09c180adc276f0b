"""Counts from a CRM report: the Funnel step's side of ``alignment-tui import-counts``.

The dialog asks for the CSV file and the period, and shows what the import
would do, stage by stage (old → new), before anything is written: Enter in a
field (or "Preview") reads the file, and the import button is offered only
under a preview of the file and period as they are typed now. It says what it
will do ("Import 7 counts", "Import, replacing 2 counts"), so replacing counts
the period already has is a choice made with the changes in view. A file that
cannot be used gets its one-line reason in place of the preview.

The dialog only reads; it dismisses with a :class:`CountsImportRequest` and
:func:`ask_import_counts` (the caller's side) writes it through the service in
one transaction (``sessions.counts_csv.apply_import``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ..form.refusal import REFUSALS, say_refused
from ..form.saving import flush_fields
from ..sessions.counts_csv import (
    CountsFileError,
    CountsPlan,
    CountsTable,
    apply_import,
    find_period,
    plan_import,
    read_counts_csv,
)
from ..sessions.models import Session
from ..sessions.service import SessionService
from ..sessions.text import escape_bidi, one_line, snippet


@dataclass(frozen=True)
class CountsImportRequest:
    """What the room confirmed: this file's counts into this period (replacing, if so shown)."""

    table: CountsTable
    period: str
    replace: bool


@dataclass(frozen=True)
class Typed:
    """What the dialog's fields hold (stripped); a preview is of one of these."""

    path: str
    period: str
    stage_column: str
    count_column: str


class CountsImportDialog(ModalScreen[CountsImportRequest | None]):
    """Ask for a CSV file and a period, show what would change, import on confirmation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="counts_import.cancel",
            tooltip="Close without importing anything",
        ),
    ]

    DEFAULT_CSS = """
    CountsImportDialog { align: center middle; }
    CountsImportDialog #counts-box {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2;
        /* On a short terminal the body scrolls; the buttons, docked below, stay in view. */
        overflow-y: auto;
    }
    CountsImportDialog #counts-title { text-style: bold; color: $primary; }
    CountsImportDialog #counts-note { color: $text-muted; height: auto; margin-bottom: 1; }
    CountsImportDialog Input { margin-bottom: 1; }
    CountsImportDialog #counts-columns { height: auto; margin-bottom: 1; }
    CountsImportDialog #counts-columns Label { width: 9; }
    CountsImportDialog #counts-columns Input { width: 1fr; margin: 0 1 0 0; }
    CountsImportDialog #counts-preview { height: auto; }
    CountsImportDialog #counts-preview.-refused { color: $text-error; }
    CountsImportDialog #counts-buttons { dock: bottom; height: auto; margin-top: 1; }
    CountsImportDialog #counts-buttons Button { margin-right: 1; }
    """

    def __init__(self, session: Session, *, path: str = "", period: str = "") -> None:
        super().__init__()
        self.session = session
        self._path = path
        self._period = period
        #: The preview shown, and the file and period it was made from (None: none shown).
        self.plan: CountsPlan | None = None
        self._previewed: Typed | None = None

    def compose(self) -> ComposeResult:
        periods = ", ".join(one_line(p.label) for p in self.session.sorted_periods())
        with Vertical(id="counts-box"):
            yield Label("Counts from a CRM report (CSV)", id="counts-title")
            yield Static(
                Content(
                    "Stage names in one column, counts in another (such as Stage and Count); "
                    "nothing is saved before you see what changes."
                    + (f" Periods: {periods}; a new name adds one." if periods else "")
                ),
                id="counts-note",
            )
            yield Label("CSV file", classes="field-label")
            yield Input(
                self._path,
                placeholder="~/Downloads/funnel-report.csv",
                id="counts-path",
                compact=True,
                tooltip="The report saved as CSV (comma, semicolon or tab; UTF-8)",
            )
            yield Label("Period", classes="field-label")
            yield Input(
                self._period,
                placeholder="e.g. 2027 Q1",
                id="counts-period",
                compact=True,
                tooltip="The period the counts are for: an existing one, or a new name",
            )
            with Horizontal(id="counts-columns"):
                yield Label("Columns", classes="field-label")
                yield Input(
                    placeholder="stages: found by header",
                    id="counts-stage-column",
                    compact=True,
                    tooltip="The column of stage names, by header or number (empty: guessed)",
                )
                yield Input(
                    placeholder="counts: found by header",
                    id="counts-count-column",
                    compact=True,
                    tooltip="The column of counts, by header or number (empty: guessed)",
                )
            yield Static("", id="counts-preview", markup=False)
            # Docked at the foot of the box: in view whatever scrolls above.
            with Horizontal(id="counts-buttons"):
                yield Button("Preview", id="counts-show")
                yield Button("Import", variant="primary", id="counts-go", disabled=True)
                yield Button("Cancel", id="counts-cancel")

    def on_mount(self) -> None:
        self.query_one("#counts-preview").display = False
        self.query_one("#counts-path", Input).focus()

    # -- the preview ---------------------------------------------------------------------

    def _typed(self) -> Typed:
        def value(name: str) -> str:
            return self.query_one(f"#counts-{name}", Input).value.strip()

        return Typed(value("path"), value("period"), value("stage-column"), value("count-column"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#counts-show")
    def _preview(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        typed = self._typed()
        if not typed.path:
            self._refused("Name the CSV file the CRM report was saved as")
            self.query_one("#counts-path", Input).focus()
            return
        if not typed.period:
            self._refused("Name the period the counts are for, e.g. 2027 Q1")
            self.query_one("#counts-period", Input).focus()
            return
        self._read(typed)

    @work(thread=True, exclusive=True, group="counts-preview")
    def _read(self, typed: Typed) -> None:
        """Read the file away from the screen (a network folder can be slow)."""
        try:
            table: CountsTable | str = read_counts_csv(
                Path(typed.path).expanduser(),
                stage_column=typed.stage_column or None,
                count_column=typed.count_column or None,
            )
        except CountsFileError as exc:
            table = str(exc)
        self.app.call_from_thread(self._show, typed, table)

    def _show(self, typed: Typed, table: CountsTable | str) -> None:
        if typed != self._typed():
            return  # typed on since: that is previewed next
        if isinstance(table, str):
            self._refused(table)
            return
        try:
            plan = plan_import(self.session, table, typed.period)
        except REFUSALS as exc:
            self._refused(str(exc))
            return
        self.plan = plan
        self._previewed = typed
        lines = [escape_bidi(one_line(line)) for line in plan.summary_lines()]
        go = self.query_one("#counts-go", Button)
        if plan.nothing_to_do:
            lines.append(f"Nothing would change: {one_line(plan.period_label)} has these counts.")
            go.label = "Import"
            go.disabled = True
        else:
            writes = len(plan.writes)
            replaced = len(plan.replaced)
            go.label = (
                f"Import, replacing {replaced} count{'s' if replaced != 1 else ''}"
                if replaced
                else f"Import {writes} count{'s' if writes != 1 else ''}"
            )
            go.disabled = False
        self._say("\n".join(lines), refused=False)
        if not go.disabled:
            go.focus()

    def _refused(self, reason: str) -> None:
        self.plan = None
        self._previewed = None
        go = self.query_one("#counts-go", Button)
        go.label = "Import"
        go.disabled = True
        for flag, field in (("--stage-column", "stages"), ("--count-column", "counts")):
            reason = reason.replace(f"with {flag}", f"under Columns ({field})")
        self._say(snippet(escape_bidi(reason), None), refused=True)

    def _say(self, text: str, *, refused: bool) -> None:
        preview = self.query_one("#counts-preview", Static)
        preview.update(Content(text))
        preview.set_class(refused, "-refused")
        preview.display = bool(text)
        if text:
            # the first lines of the preview in view, below the fields when there is room
            self.call_after_refresh(preview.scroll_visible, top=True, animate=False)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        # What is shown was for the file and period as they were: not to be confirmed now.
        if self._previewed is not None and self._typed() != self._previewed:
            self.plan = None
            self._previewed = None
            self.query_one("#counts-go", Button).disabled = True
            self._say("", refused=False)

    # -- confirming ------------------------------------------------------------------------

    @on(Button.Pressed, "#counts-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        plan = self.plan
        if plan is None or self._previewed != self._typed() or plan.nothing_to_do:
            return
        self.dismiss(
            CountsImportRequest(
                table=plan.table, period=self._previewed.period, replace=bool(plan.replaced)
            )
        )

    @on(Button.Pressed, "#counts-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_import_counts(
    widget: Widget, service: SessionService, *, then: Callable[[int], None] | None = None
) -> None:
    """Open the dialog from *widget*; import what the room confirms, in one save.

    *then* is called with the id of the period the counts went into (the step shows it).
    """
    if service.readonly:
        say_refused(widget, "This session is open read-only: counts cannot be imported")
        return
    flush_fields(widget.screen)  # a count being typed is saved first, not lost under the import

    def done(request: CountsImportRequest | None) -> None:
        if request is None:
            return
        try:
            plan = apply_import(service, request.table, request.period, replace=request.replace)
        except REFUSALS as exc:
            say_refused(widget, str(exc))
            return
        widget.app.notify(snippet(escape_bidi(plan.result_line()), None), timeout=6)
        period = find_period(service.session, plan.period_label)
        if then is not None and period is not None:
            then(period.id)

    widget.app.push_screen(CountsImportDialog(service.session), done)


__all__ = ["CountsImportDialog", "CountsImportRequest", "ask_import_counts"]

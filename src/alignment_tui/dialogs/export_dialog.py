"""The export dialog: choose a format and a path; never overwrite silently.

The dialog only collects the request (``ExportRequest``); the workshop screen
does the writing, in a thread, and says where the file went.

"Save to" starts with a path beside the session. Like the Open dialog's, a
path typed from ``/`` or ``~`` after that start (Tab or a click into the field,
then type or paste) replaces it instead of being appended to it; away from the
focus the field reads from its start, ending in "…" when it is cut
(:class:`~..form.oneline.OneLineInput`). The buttons are docked at the foot
of the box, so a reason that wraps scrolls the body instead of pushing them out
of view on a small terminal.

The seven formats stand in two columns, each with a short name; the line under
them says what the chosen one holds. "Since the last review" is the review pack
(``sessions.review_pack``), as a web page when the name ends ``.html``.

"For the facilitator (status, timings)" is offered with the two report formats
only: it adds the facilitator's material to the report (see
``sessions.export.render_report``); unticked, the report is the directors' one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from ..form.oneline import OneLineInput
from ..form.tick import TickBox
from .open_dialog import typed_from_its_own_start


class ReasonLine(Static):
    """Why the path cannot be used; kept in view when it grows (a longer reason wraps to
    more lines once laid out, after the scroll asked for when it was set)."""

    def on_resize(self) -> None:
        if self.display:
            self.scroll_visible(animate=False)


#: Short enough for two columns at 80x24; the line under the formats says more.
FORMAT_LABELS: dict[str, str] = {
    "checklist": "Checklist of actions",
    "report": "Full report",
    "html": "Report as a web page",
    "ics": "Calendar file",
    "csv": "Actions as CSV",
    "json": "Whole session (JSON)",
    "review": "Since the last review",
}
#: What the chosen format holds, one line under the formats.
FORMAT_NOTES: dict[str, str] = {
    "checklist": "The agreed actions as a Markdown task list, by framework point",
    "report": "Everything agreed, in Markdown",
    "html": "The report as one web page: opens in a browser, prints well",
    "ics": "The loop's meetings, the next review and the actions' due dates",
    "csv": "The actions as a table for a spreadsheet",
    "json": "The whole session; 'import' turns it back into a session file",
    "review": "For the directors, in Markdown (a web page if the name ends .html)",
}
#: The formats that have a facilitator's version.
FACILITATOR_FORMATS = frozenset({"report", "html"})
FORMAT_SUFFIX: dict[str, str] = {
    "checklist": ".checklist.md",
    "report": ".report.md",
    "html": ".report.html",
    "ics": ".ics",
    "csv": ".actions.csv",
    "json": ".json",
    "review": ".review.md",
}


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: Path | None
    overwrite: bool = False
    clipboard: bool = False
    #: The report with the facilitator's material (report and html only).
    facilitator: bool = False


def default_export_path(session_path: Path, fmt: str) -> Path:
    """``acme.alignment.db`` → ``acme.checklist.md`` beside it."""
    name = session_path.name
    for suffix in (".alignment.db", ".db"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return session_path.with_name(name + FORMAT_SUFFIX[fmt])


class PathInput(OneLineInput):
    """The "Save to" path: a path refused with a reason is selected when the focus comes
    back, so the next path typed replaces it (the form layer's rule for refused values)."""

    @property
    def holds_refused(self) -> bool:
        return self.screen.query_one("#export-error", Static).display

    def on_resize(self) -> None:
        # A paste whose reason overflows the box brings the box's scroll bar, and the field
        # narrows after it scrolled to the cursor for the old width: the end just typed hid
        # under the right edge. Scrolled again for the width it now has.
        if self.has_focus and self.selection.is_empty:
            cursor = cell_len(self.value[: self.cursor_position])
            self.scroll_to_region(Region(cursor, 0, 1, 1), force=True, animate=False)


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Pick what to export and where."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="export_cancel", tooltip="Close without exporting"
        ),
    ]

    def __init__(self, session_path: Path, *, fmt: str = "checklist") -> None:
        super().__init__()
        self.session_path = session_path
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label("Export", id="export-title")
            with RadioSet(id="export-format"):
                for key, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=key == self.fmt, id=f"fmt-{key}")
            yield Static(FORMAT_NOTES[self.fmt], id="export-note", markup=False)
            yield Label("Save to", classes="field-label")
            yield PathInput(self._default(), id="export-path")
            # Unticked each time the dialog opens: replacing a file is chosen per export.
            # Its mark is drawn only when ticked: grey on grey, an unticked X read as ticked.
            yield TickBox("Replace the file if it exists", value=False, id="export-overwrite")
            facilitator = TickBox(
                "For the facilitator (status, timings)", value=False, id="export-facilitator"
            )
            yield facilitator
            yield ReasonLine("", id="export-error", markup=False)
            # Docked at the foot of the box (dialogs.tcss): in view whatever scrolls above.
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Copy to clipboard", id="export-copy")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()
        self._show_facilitator()
        self._check_path()

    def _default(self) -> str:
        """The path the field starts with for the chosen format."""
        return str(default_export_path(self.session_path, self.fmt))

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        old_default = self._default()
        pressed = event.pressed.id or "fmt-checklist"
        self.fmt = pressed.removeprefix("fmt-")
        path_input = self.query_one("#export-path", Input)
        if path_input.value.strip() in ("", old_default):
            path_input.value = self._default()
        self.query_one("#export-note", Static).update(Content(FORMAT_NOTES[self.fmt]))
        self._show_facilitator()
        self._check_path()

    def _show_facilitator(self) -> None:
        """The facilitator's tick box, with the report formats only. Shown, it takes the
        blank lines under the title and above the buttons, so at 80x24
        the dialog still fits without scrolling (a style set here, over the stylesheet)."""
        shown = self.fmt in FACILITATOR_FORMATS
        self.query_one("#export-facilitator", Checkbox).display = shown
        for widget, margin in (
            (self.query_one("#export-title"), (0, 0, 0, 0)),
            (self.query_one("#export-buttons"), (0, 0, 0, 0)),
        ):
            if shown:
                widget.styles.margin = margin
            else:
                widget.styles.clear_rule("margin")

    def _fmt(self) -> str:
        """The format to render: the review pack as a web page when the name asks for one
        (as ``export --format review -o pack.html`` does)."""
        target = self._target()
        if self.fmt == "review" and target is not None:
            if target.name.lower().endswith((".html", ".htm")):
                from ..sessions.export import REVIEW_HTML

                return REVIEW_HTML
        return self.fmt

    def _facilitator(self) -> bool:
        """The facilitator's version: ticked, and a format that has one."""
        box = self.query_one("#export-facilitator", Checkbox)
        return self.fmt in FACILITATOR_FORMATS and box.value

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        fresh = typed_from_its_own_start(self._default(), event.value)
        if fresh is not None:
            # A path from / or ~ typed (or pasted) after the default path: it
            # replaces the default rather than being appended to it.
            event.input.value = fresh
            event.input.cursor_position = len(fresh)
        self._check_path()

    @on(Checkbox.Changed, "#export-overwrite")
    def _overwrite_changed(self) -> None:
        self._check_path()

    def _target(self) -> Path | None:
        raw = self.query_one("#export-path", Input).value.strip()
        return Path(raw).expanduser() if raw else None

    def _problem(self) -> str | None:
        target = self._target()
        if target is None:
            return "Save to: a file name is required"
        # Each reason names no more than it must (the whole path is in the field
        # above): one line that fits above the buttons at 80 columns.
        if target.is_dir():
            return "Save to: that is a folder; add a file name"
        if not target.parent.is_dir():
            # The first part of the path that is not a folder: missing, or a file.
            missing = target.parent
            while not missing.parent.exists() and missing.parent != missing:
                missing = missing.parent
            for part in (missing, missing.parent):
                if part.exists() and not part.is_dir():
                    return f"Save to: {part.name} is a file, not a folder"
            return f"Save to: the folder {missing.name} does not exist"
        if target.exists() and not self.query_one("#export-overwrite", Checkbox).value:
            return "That file already exists: tick 'Replace' or choose another name"
        return None

    def _check_path(self) -> bool:
        problem = self._problem()
        error = self.query_one("#export-error", Static)
        error.update(Content(problem or ""))
        error.display = problem is not None
        # The reason takes the blank line above the buttons; one that still does not
        # fit (a very long folder name on a small terminal) is scrolled into view.
        self.query_one("#export-box").set_class(problem is not None, "-error")
        if problem is not None:
            self.call_after_refresh(error.scroll_visible, animate=False)
        return problem is None

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-path")
    def _go(self) -> None:
        if not self._check_path():
            self.query_one("#export-path", Input).focus()
            return
        self.dismiss(
            ExportRequest(
                fmt=self._fmt(),
                path=self._target(),
                overwrite=self.query_one("#export-overwrite", Checkbox).value,
                facilitator=self._facilitator(),
            )
        )

    @on(Button.Pressed, "#export-copy")
    def _copy(self) -> None:
        self.dismiss(
            ExportRequest(fmt=self.fmt, path=None, clipboard=True, facilitator=self._facilitator())
        )

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

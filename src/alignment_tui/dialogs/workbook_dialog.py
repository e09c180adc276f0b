"""Choose one entry of the workbook: a funnel preset, a loop example, a template.

The list on the left names them; the highlighted one is shown whole on the
right (what it is for and what it fills in), so the room reads before it
chooses. Enter or "Use this" returns its key; Escape or Cancel returns None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Choice:
    """One entry as the dialog shows it: its key, title and what it holds."""

    key: str
    title: str
    preview: Content


class WorkbookDialog(ModalScreen[str | None]):
    """Pick one of *choices*; dismisses with its key, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="workbook.cancel"),
    ]

    DEFAULT_CSS = """
    WorkbookDialog { align: center middle; }
    WorkbookDialog #workbook-box {
        width: 96; max-width: 100%; height: 80%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    WorkbookDialog #workbook-title { text-style: bold; color: $primary; margin-bottom: 1; }
    WorkbookDialog #workbook-note { color: $text-muted; height: auto; margin-bottom: 1; }
    WorkbookDialog #workbook-body { height: 1fr; }
    WorkbookDialog #workbook-list { width: 34; height: 1fr; }
    WorkbookDialog #workbook-preview { width: 1fr; height: 1fr; padding: 0 0 0 2; }
    WorkbookDialog #workbook-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    WorkbookDialog #workbook-buttons Button { margin-left: 1; }
    """

    def __init__(
        self, title: str, choices: Sequence[Choice], *, note: str = "", current: str | None = None
    ) -> None:
        super().__init__()
        self._title = title
        self._note = note
        self.choices = list(choices)
        #: The key highlighted first (what the record holds now), else the first entry.
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="workbook-box"):
            yield Static(Content(self._title), id="workbook-title")
            if self._note:
                yield Static(Content(self._note), id="workbook-note")
            with Horizontal(id="workbook-body"):
                yield OptionList(
                    *(Option(Content(c.title), id=c.key) for c in self.choices),
                    id="workbook-list",
                )
                with VerticalScroll(id="workbook-preview"):
                    yield Static(id="workbook-detail")
            with Horizontal(id="workbook-buttons"):
                yield Button("Use this", variant="primary", id="workbook-use")
                yield Button("Cancel", id="workbook-cancel")

    def on_mount(self) -> None:
        options = self.query_one("#workbook-list", OptionList)
        options.focus()
        if self.choices:
            keys = [c.key for c in self.choices]
            start = keys.index(self._current) if self._current in keys else 0
            options.highlighted = start
            self._show(start)

    def _show(self, index: int | None) -> None:
        detail = self.query_one("#workbook-detail", Static)
        if index is None or not 0 <= index < len(self.choices):
            detail.update("")
            return
        detail.update(self.choices[index].preview)

    @on(OptionList.OptionHighlighted, "#workbook-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show(event.option_index)

    @on(OptionList.OptionSelected, "#workbook-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index].key)

    @on(Button.Pressed, "#workbook-use")
    def _use(self, event: Button.Pressed) -> None:
        event.stop()
        index = self.query_one("#workbook-list", OptionList).highlighted
        if index is not None:
            self.dismiss(self.choices[index].key)

    @on(Button.Pressed, "#workbook-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

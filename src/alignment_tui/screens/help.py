"""Help (F1): the current step's guidance and every key of the focused field, the screen and the app.

The key table is generated from the bindings themselves (with the user's
keymap applied), so it never goes stale; each row shows the binding id that
``config.toml``'s ``[keymap]`` uses to remap it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Markdown, Static

from ..sessions.models import StepId
from ..steps.guidance import guidance

PALETTE_LINE = (
    "Ctrl+P opens the command palette: type part of a step's name (e.g. “funnel”) "
    "or of a verb (“timer”, “agenda”, “action”, “theme”, “export”) and press Enter."
)

GENERAL_HELP = """\
# alignment-tui

Open or create a session to walk the room through the workshop. Every change
is saved as you type; quitting and reopening brings you back where you were.
"""


@dataclass(frozen=True)
class KeyRow:
    keys: str
    name: str
    explanation: str
    binding_id: str


def _own_bindings(node: DOMNode) -> BindingsMap | None:
    """The bindings *node*'s classes in this app declare (not those Textual's give it)."""
    declared: list[BindingType] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("alignment_tui.") and "BINDINGS" in cls.__dict__:
            declared.extend(cls.__dict__["BINDINGS"])
    return BindingsMap(declared) if declared else None


def _focused_bindings(screen: Screen[Any]) -> list[tuple[DOMNode, BindingsMap]]:
    """The keys our widgets add (a grid's Delete, a line's Alt+arrows, a choice's
    arrows) for the focused widget and its containers, inner first. Textual's own
    keys of an input or a table (cursor moves, scrolling) are not listed."""
    found: list[tuple[DOMNode, BindingsMap]] = []
    node: DOMNode | None = screen.focused
    while node is not None and node is not screen:
        own = _own_bindings(node)
        if own is not None:
            found.append((node, own))
        node = node.parent
    return found


def key_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """Every described binding of the focused widget and its containers (ours), of
    *screen*, then of *app*; keymap applied, keys grouped.

    A binding whose keys an inner one already lists (e.g. ctrl+q) is left out.
    """
    keymap = app._keymap
    rows: list[KeyRow] = []
    listed: set[str] = set()
    namespaces = [*_focused_bindings(screen), (screen, screen._bindings), (app, app._bindings)]
    for node, bindings in namespaces:
        bindings_map = bindings.copy()
        if keymap:
            bindings_map.apply_keymap(keymap)
        grouped: dict[tuple[str, str], list[Binding]] = {}
        for _key, key_bindings in bindings_map.key_to_bindings.items():
            for binding in key_bindings:
                if binding.system or not binding.description:
                    continue
                group = (binding.id or binding.action, binding.description)
                grouped.setdefault(group, []).append(binding)
        for (ident, description), same in grouped.items():
            keys: list[str] = []
            for binding in same:
                shown = app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
            joined = " / ".join(keys)
            if node is not screen and joined in listed:
                continue
            listed.add(joined)
            explanation = same[0].tooltip or description
            rows.append(KeyRow(joined, description, explanation, ident))
    return rows


class HelpScreen(ModalScreen[None]):
    """Guidance for the current step and the key table; Escape or F1 closes."""

    BINDINGS = [
        Binding(
            "escape,f1",
            "close",
            "Close help",
            id="help_close",
            tooltip="Close the help and go back",
        ),
    ]

    def __init__(self, step: StepId | None, rows: list[KeyRow]) -> None:
        super().__init__()
        self.step = step
        self.rows = rows

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpScreen:
        """Help about *screen*: its step (if it has one) and its keys."""
        step = getattr(screen, "step", None)
        return cls(step if isinstance(step, StepId) else None, key_rows(screen.app, screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            title = f"Help · {self.step.label}" if self.step else "Help"
            yield Static(Content(title), id="help-title")
            with VerticalScroll(id="help-body"):
                text = guidance(self.step) if self.step else GENERAL_HELP
                yield Markdown(text, id="help-guidance")
                yield Static("Keys", classes="help-heading")
                table: DataTable[Text] = DataTable(
                    id="help-keys", cursor_type="row", zebra_stripes=True
                )
                yield table
                yield Static(Content(PALETTE_LINE), id="help-palette")
                yield Static(
                    Content(
                        'Remap a key in config.toml under [keymap], e.g. toggle_timer = "f11".'
                    ),
                    id="help-keymap",
                )
            yield Static(Content("Escape or F1 closes the help."), id="help-close-hint")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("Key", "Name", "What it does", "Binding id")
        for row in self.rows:
            table.add_row(
                Text(row.keys, style="bold"),
                Text(row.name),
                Text(row.explanation),
                Text(row.binding_id),
            )
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

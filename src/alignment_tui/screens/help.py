"""Help (F1): the current step's guidance and every key of the focused field, the screen and the app.

The key table is generated from the bindings themselves (with the user's
keymap applied), so it never goes stale; each row shows the binding id that
``config.toml``'s ``[keymap]`` uses to remap it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Markdown, Static

from ..sessions.models import StepId
from ..steps.guidance import guidance
from ..widgets.footer import key_label

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


#: Keys Textual gives every screen and app, named as a facilitator would say them.
TEXTUAL_KEYS: dict[str, tuple[str, str]] = {
    "app.focus_next": ("Next field", "Move to the next field or button"),
    "app.focus_previous": ("Previous field", "Move back to the previous field or button"),
    "screen.copy_text": ("Copy", "Copy the selected text"),
    "command_palette": (
        "Commands",
        "Open the command palette: go to a step or run a workshop verb by typing its name",
    ),
}


def _own_actions(node: DOMNode) -> set[str]:
    """The actions the bindings of *node*'s classes in this app declare (not those
    Textual's classes give it: an input's cursor keys, a table's scrolling)."""
    actions: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("alignment_tui.") and "BINDINGS" in cls.__dict__:
            for binding in cls.__dict__["BINDINGS"]:
                actions.add(binding.action if isinstance(binding, Binding) else binding[1])
    return actions


def _name_and_explanation(binding: Binding) -> tuple[str, str] | None:
    """What the help says a key is and does; ``None`` for a key it does not list."""
    if binding.id is None and binding.action in TEXTUAL_KEYS:
        return TEXTUAL_KEYS[binding.action]
    if binding.system or not binding.description:
        return None
    tooltip = binding.tooltip if binding.tooltip != binding.description else ""
    return binding.description, tooltip


def key_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """Every described key active on *screen*: the focused widget's and its containers'
    (those our classes declare), then the screen's, then the app's.

    They come from ``Screen.active_bindings``, so the user's keymap is applied and each
    key is listed for what it does now. The keys of one binding are grouped (``F2 / ^n``).
    """
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, app]
    rank = {id(node): index for index, node in enumerate(chain)}
    groups: dict[tuple[int, str, str], tuple[tuple[str, str], list[str]]] = {}
    for node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if node is not screen and node is not app and binding.action not in _own_actions(node):
            continue
        said = _name_and_explanation(binding)
        if said is None:
            continue
        group = (rank.get(id(node), len(chain)), binding.id or "", binding.action)
        _said, keys = groups.setdefault(group, (said, []))
        shown = key_label(app, binding)
        if shown not in keys:
            keys.append(shown)
    return [
        KeyRow(" / ".join(keys), name, explanation, ident)
        for (_rank, ident, _action), ((name, explanation), keys) in sorted(
            groups.items(), key=lambda item: item[0][0]
        )
    ]


KEY_COLUMNS = ("Key", "Name", "What it does", "Binding id")
#: Columns of the help box taken by its border, padding, scroll bar and the table's
#: cell padding (help.tcss): what is left is shared among the key table's columns.
HELP_BOX_WIDTH = 100
HELP_BOX_FRAME = 2 + 2 + 2
CELL_PADDING = 2
#: The fewest columns an explanation gets before the names give way.
EXPLANATION_MIN = 24


def key_column_widths(rows: list[KeyRow], width: int) -> tuple[int, int, int, int]:
    """Widths of the key table's columns in a terminal *width* columns wide."""
    room = min(width, HELP_BOX_WIDTH) - HELP_BOX_FRAME - CELL_PADDING * len(KEY_COLUMNS)

    def widest(cells: list[str], label: str) -> int:
        return max([len(label), *(Text(cell).cell_len for cell in cells)])

    keys = widest([row.keys for row in rows], "Key")
    names = widest([row.name for row in rows], "Name")
    ids = widest([row.binding_id for row in rows], "Binding id")
    explanations = widest([row.explanation for row in rows], "What it does")
    spare = room - keys - names - ids
    if spare < EXPLANATION_MIN:
        # Narrow: the names wrap too (at their spaces; an id has none to wrap at).
        names -= min(EXPLANATION_MIN - spare, names // 2)
        spare = room - keys - names - ids
    return keys, names, max(1, min(explanations, spare)), ids


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
        self.widths: tuple[int, ...] = ()

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
        self.fill_keys(self.app.size.width)
        self.query_one("#help-body").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.fill_keys(event.size.width)

    def fill_keys(self, width: int) -> None:
        """The key table for a terminal *width* columns wide: the explanations get the
        room the other columns leave and wrap in it, so none is cut."""
        table = self.query_one("#help-keys", DataTable)
        widths = key_column_widths(self.rows, width)
        if widths == self.widths:
            return
        self.widths = widths
        table.clear(columns=True)
        for label, column_width in zip(KEY_COLUMNS, widths, strict=True):
            table.add_column(label, width=column_width)
        for row in self.rows:
            table.add_row(
                Text(row.keys, style="bold"),
                Text(row.name),
                Text(row.explanation),
                Text(row.binding_id),
                height=None,
            )

    def action_close(self) -> None:
        self.dismiss(None)

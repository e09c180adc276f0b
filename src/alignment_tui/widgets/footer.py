"""The footer: every key of the app and the screen, always, in one order; then the focused
widget's own keys, where there is room.

Textual's :class:`~textual.widgets.Footer` lists the keys in the order of the focus chain
(the focused widget's first), so they move whenever the focus does, and it cuts whatever
passes the right edge (at 80 columns F1 and Ctrl+Q were gone). This one is built through
the footer's public hooks (``compose``, ``recompose``, ``bindings_changed`` and
``Screen.active_bindings``) and lays the keys out itself:

* the app's and the screen's keys come first, function keys in number order, then the
  others as declared (the screen's, then the app's), the command palette last. They are
  all shown, wrapping onto a second row on a narrow terminal;
* the keys of the focused widget and its containers follow on the last row, each one whole
  or not at all (F1 help lists every key);
* with ``own_row`` (the workshop) a row is kept for the widget's keys whatever has the
  focus, so the forms above never move by a line when the focus does.

At 80 columns the workshop's footer is therefore two rows: the app's and the screen's
keys do not fit in one with their names, and every one of them stays in view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

#: Blank columns between two keys when they all fit in a row that way, else one.
GAPS = (2, 1)
#: Blank columns before the first key of a row.
INDENT = 1
#: Columns of the bar before the focused widget's keys when they share a row with others.
DIVIDER = 2


def key_label(app: App[Any], binding: Binding) -> str:
    """How *binding*'s key is written for people: F-keys in capitals, as the app's texts say."""
    return re.sub(r"(^|\+|\^)f(\d{1,2})$", r"\1F\2", app.get_key_display(binding))


def key_for(screen: Screen[Any], binding_id: str) -> str | None:
    """How the key bound to *binding_id* on *screen* is written (the user's keymap applied),
    or ``None`` when nothing there has it."""
    for _node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if binding.id == binding_id:
            return key_label(screen.app, binding)
    return None


@dataclass(frozen=True)
class Key:
    """One key as the footer shows it."""

    key: str
    label: str
    description: str
    enabled: bool
    tooltip: str
    own: bool
    """The focused widget's (or its containers') key, not the app's or the screen's."""

    @property
    def width(self) -> int:
        return Text(f"{self.label} {self.description}").cell_len


def _function_number(binding: Binding) -> int | None:
    match = re.fullmatch(r"f(\d{1,2})", binding.key)
    return int(match.group(1)) if match else None


def footer_keys(screen: Screen[Any], *, palette: bool = True) -> tuple[list[Key], list[Key]]:
    """The keys to show on *screen*: the app's and the screen's, and the focused widget's."""
    app = screen.app
    chrome: list[tuple[tuple[int, int, int], Key]] = []
    own: list[Key] = []
    seen: set[tuple[int, str]] = set()
    for index, (node, binding, enabled, tooltip) in enumerate(screen.active_bindings.values()):
        if not binding.show or not binding.description:
            continue
        # A binding on several keys (f2 and ctrl+n) shows its first.
        if (id(node), binding.action) in seen:
            continue
        seen.add((id(node), binding.action))
        is_chrome = node is screen or node is app
        key = Key(
            binding.key,
            key_label(app, binding),
            binding.description,
            enabled,
            tooltip or binding.tooltip or binding.description,
            own=not is_chrome,
        )
        if not is_chrome:
            own.append(key)
            continue
        number = _function_number(binding)
        # F-keys by number, then the rest: the screen's before the app's, as declared.
        order = (0, number, 0) if number is not None else (1, 0 if node is screen else 1, index)
        chrome.append((order, key))
    keys = [key for _order, key in sorted(chrome, key=lambda pair: pair[0])]
    if palette and app.ENABLE_COMMAND_PALETTE:
        found = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if found is not None:
            _node, binding, enabled, _tooltip = found
            keys.append(
                Key(
                    binding.key,
                    key_label(app, binding),
                    "Commands",
                    enabled,
                    "Open the command palette: go to a step or run a workshop verb by name",
                    own=False,
                )
            )
    return keys, own


def lay_out(
    chrome: list[Key], own: list[Key], width: int, *, own_row: bool
) -> tuple[tuple[tuple[Key, ...], ...], int]:
    """The keys row by row, and the gap between keys.

    Every key of *chrome* is placed (wrapping as needed); the keys of *own* follow on the
    last row while they fit whole. *own_row* keeps a row for them when the chrome fills
    only one.
    """
    room = max(1, width - INDENT)
    for gap in GAPS:
        rows = _flow(chrome, room, gap)
        if len(rows) == 1:
            break
    else:
        gap = GAPS[0]
        rows = _flow(chrome, room, gap)
    if own_row and len(rows) < 2:
        rows.append([])
    last = rows[-1]
    used = sum(key.width for key in last) + gap * max(0, len(last) - 1)
    # A bar sets the widget's keys apart from the app's and the screen's on a shared row.
    bar = DIVIDER if last else 0
    for key in own:
        need = key.width + (gap if last else 0) + bar
        bar = 0
        if used + need > room:
            break
        last.append(key)
        used += need
    return tuple(tuple(row) for row in rows), gap


def _flow(keys: list[Key], room: int, gap: int) -> list[list[Key]]:
    rows: list[list[Key]] = [[]]
    used = 0
    for key in keys:
        need = key.width + (gap if rows[-1] else 0)
        if rows[-1] and used + need > room:
            rows.append([])
            need = key.width
            used = 0
        rows[-1].append(key)
        used += need
    return rows


class KeyHint(Widget):
    """One key and what it does; a click presses it."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    KeyHint {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        &:hover {
            background: $block-hover-background;
        }
        &.-disabled {
            text-style: dim;
        }
        &.-after-chrome {
            border-left: vkey $foreground 30%;
            padding-left: 1;
        }
    }
    """

    def __init__(self, key: Key, *, gap: int, after_chrome: bool = False) -> None:
        classes = "-disabled" if not key.enabled else ""
        if key.own:
            classes += " -own"
        if after_chrome:
            classes += " -after-chrome"
        super().__init__(classes=classes)
        self.shows = key
        if gap:
            self.styles.margin = (0, 0, 0, gap)
        self.tooltip = key.tooltip

    @property
    def key(self) -> str:
        """The key pressed (``f1``, ``ctrl+q``)."""
        return self.shows.key

    @property
    def description(self) -> str:
        return self.shows.description

    def render(self) -> Text:
        return Text.assemble(
            (self.shows.label, self.get_component_rich_style("footer-key--key")),
            " ",
            (self.shows.description, self.get_component_rich_style("footer-key--description")),
        )

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if self.shows.enabled:
            self.app.simulate_key(self.shows.key)
        else:
            self.app.bell()


class KeyFooter(Footer):
    """The footer of the app's full screens (see the module's docstring).

    ``own_row``: keep a row for the focused widget's keys (the workshop, where most
    widgets have some) even when the app's and the screen's keys fill only one.
    """

    DEFAULT_CSS = """
    KeyFooter {
        layout: vertical;
        height: auto;
        padding: 0 0 0 1;
        .footer-row {
            height: 1;
            width: 1fr;
        }
    }
    """

    def __init__(self, *, own_row: bool = False, show_command_palette: bool = True) -> None:
        super().__init__(show_command_palette=show_command_palette)
        self.own_row = own_row
        self.shown_rows: tuple[tuple[Key, ...], ...] | None = None

    def layout_keys(self) -> tuple[tuple[tuple[Key, ...], ...], int]:
        """The rows of keys for the screen's bindings now, at the terminal's width."""
        chrome, own = footer_keys(self.screen, palette=self.show_command_palette)
        return lay_out(chrome, own, self.app.size.width, own_row=self.own_row)

    def compose(self) -> ComposeResult:
        rows, gap = self.layout_keys()
        self.shown_rows = rows
        for row in rows:
            with HorizontalGroup(classes="footer-row"):
                for index, key in enumerate(row):
                    after_chrome = key.own and index > 0 and not row[index - 1].own
                    yield KeyHint(key, gap=gap if index else 0, after_chrome=after_chrome)

    async def recompose(self) -> None:
        # Focus moves publish the bindings again and again with nothing new to show:
        # rebuild only when the keys would change.
        if self.is_attached and self.layout_keys()[0] == self.shown_rows:
            return
        await super().recompose()

    async def on_resize(self, event: events.Resize) -> None:
        await self.recompose()

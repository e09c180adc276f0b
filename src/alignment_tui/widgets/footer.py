"""The footer: every key of the app and the screen, always, in one order; then the focused
widget's own keys, where there is room.

Textual's :class:`~textual.widgets.Footer` lists the keys in the order of the focus chain
(the focused widget's first), so they move whenever the focus does, and it cuts whatever
passes the right edge (at 80 columns F1 and Ctrl+Q were gone). This one is one widget that
draws the keys itself from ``Screen.active_bindings``, redrawn when the screen publishes
new bindings (``Screen.bindings_updated_signal``, as Textual's footer listens):

* the app's and the screen's keys come first, function keys in number order, then the
  others as declared (the screen's, then the app's), the command palette last. They are
  all shown, wrapping onto a second row on a narrow terminal;
* the keys of the focused widget and its containers follow on the last row, each one whole
  or not at all (F1 help lists every key);
* with ``own_row`` (the workshop) a row is kept for the widget's keys whatever has the
  focus, so the forms above never move by a line when the focus does.

At 80 columns the workshop's footer is therefore two rows: the app's and the screen's
keys do not fit in one with their names, and every one of them stays in view.

Drawn rather than built from a widget per key: a focus move that changes the keys then
repaints one line instead of mounting a dozen widgets and laying out the whole screen,
which on a large session was a noticeable pause at every Tab onto a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

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
        return cell_len(f"{self.label} {self.description}")


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


#: The bar drawn between the app's and the screen's keys and the focused widget's, on a
#: shared row (it and a blank take :data:`DIVIDER` columns).
BAR = "▏"


@dataclass(frozen=True)
class Placed:
    """Where a key is drawn: its row and its first and last-but-one column in the content."""

    key: Key
    row: int
    start: int
    end: int


class KeyFooter(Widget):
    """The footer of the app's full screens (see the module's docstring).

    ``own_row``: keep a row for the focused widget's keys (the workshop, where most
    widgets have some) even when the app's and the screen's keys fill only one.
    A click on a key presses it; hovering one says what it does.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--divider",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: auto;
        padding: 0 0 0 1;
        background: $footer-background;
        color: $footer-foreground;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer-key--divider {
            color: $foreground 30%;
        }
    }
    """

    def __init__(self, *, own_row: bool = False, show_command_palette: bool = True) -> None:
        super().__init__()
        self.own_row = own_row
        self.show_command_palette = show_command_palette
        self.shown_rows: tuple[tuple[Key, ...], ...] | None = None
        self._gap = GAPS[0]
        self._placed: list[Placed] = []
        self._hover: Placed | None = None

    def layout_keys(self) -> tuple[tuple[tuple[Key, ...], ...], int]:
        """The rows of keys for the screen's bindings now, at the terminal's width."""
        chrome, own = footer_keys(self.screen, palette=self.show_command_palette)
        return lay_out(chrome, own, self.app.size.width, own_row=self.own_row)

    @property
    def keys(self) -> list[Key]:
        """The keys shown, row by row."""
        return [key for row in self.shown_rows or () for key in row]

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.update_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen and self.is_attached:
            # After the refresh: the focus move that published them has settled.
            self.call_after_refresh(self.update_keys)

    def on_resize(self, event: events.Resize) -> None:
        self.update_keys()

    def update_keys(self) -> None:
        """Show the keys of the screen's bindings now; redraw only if they changed."""
        if not self.is_attached:
            return
        rows, gap = self.layout_keys()
        if rows == self.shown_rows and gap == self._gap:
            return
        taller = self.shown_rows is None or len(rows) != len(self.shown_rows)
        self.shown_rows, self._gap = rows, gap
        self._placed = self._place(rows, gap)
        self._hover = None
        self.refresh(layout=taller)

    @staticmethod
    def _place(rows: tuple[tuple[Key, ...], ...], gap: int) -> list[Placed]:
        placed: list[Placed] = []
        for y, row in enumerate(rows):
            x = 0
            for index, key in enumerate(row):
                if index:
                    x += gap
                if key.own and index and not row[index - 1].own:
                    x += DIVIDER
                placed.append(Placed(key, y, x, x + key.width))
                x += key.width
        return placed

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.shown_rows or ()))

    def render(self) -> Content:
        key_style = self.get_visual_style("footer-key--key")
        description_style = self.get_visual_style("footer-key--description")
        hover_style = self.get_visual_style("footer-key--hover")
        divider_style = self.get_visual_style("footer-key--divider")
        lines: list[Content] = []
        rows = self.shown_rows or ()
        for y in range(len(rows)):
            parts: list[Content | tuple[str, Any] | str] = []
            x = 0
            for place in (p for p in self._placed if p.row == y):
                key = place.key
                blank = place.start - x
                if key.own and blank > self._gap:  # the first of the widget's keys
                    parts += [" " * (blank - DIVIDER), (BAR, divider_style), " "]
                else:
                    parts.append(" " * blank)
                text = Content.assemble(
                    (key.label, key_style), " ", (key.description, description_style)
                )
                if place == self._hover:
                    text = text.stylize(hover_style)
                if not key.enabled:
                    text = text.stylize("dim")
                parts.append(text)
                x = place.end
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

    def _key_at(self, event: events.MouseEvent) -> Placed | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return next(
            (p for p in self._placed if p.row == offset.y and p.start <= offset.x < p.end),
            None,
        )

    def on_mouse_move(self, event: events.MouseMove) -> None:
        place = self._key_at(event)
        if place != self._hover:
            self._hover = place
            self.tooltip = place.key.tooltip if place else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        place = self._key_at(event)
        if place is None:
            return
        event.stop()
        if place.key.enabled:
            self.app.simulate_key(place.key.key)
        else:
            self.app.bell()

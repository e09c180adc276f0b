"""What the user sees in a part of the screen, as plain text lines.

Each cell is read from the widget that is on top at that place
(``Screen.get_widget_at``), so a key drawn under another one, or past the
edge of its container, shows as it is seen: cut.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


def region_text(screen: Screen[Any], region: Region) -> list[str]:
    """The characters shown in *region* of *screen*, one string per row."""
    rows: list[str] = []
    for y in range(region.y, region.bottom):
        cells: list[str] = []
        # The row of each widget met on this screen row, drawn once: a wide widget
        # covers many cells, and drawing its row again for each of them is what made
        # reading a whole pane take seconds.
        drawn: dict[int, tuple[Widget, Strip]] = {}
        x = region.x
        while x < region.right:
            try:
                widget, where = screen.get_widget_at(x, y)
            except NoWidget:
                cells.append(" ")
                x += 1
                continue
            key = id(widget)
            if key not in drawn or drawn[key][0] is not widget:
                # render_lines, unlike render_line, draws the border and padding too
                strip = widget.render_lines(Region(0, y - where.y, where.width, 1))[0]
                drawn[key] = (widget, strip)
            strip = drawn[key][1]
            cell = strip.crop(x - where.x, x - where.x + 1).text
            cells.append(cell or " ")
            x += 1
        rows.append("".join(cells))
    return rows


def widget_text(widget: Widget) -> list[str]:
    """What is shown where *widget* is on its screen."""
    return region_text(widget.screen, widget.region)


def footer_text(screen: Screen[Any]) -> list[str]:
    """The footer's rows as shown (the bottom widget docked as the screen's footer)."""
    from alignment_tui.widgets.footer import KeyFooter

    try:
        footer = screen.query_one(KeyFooter)
    except NoMatches:
        return []
    return widget_text(footer)


def record_notifications(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message *app* shows as a toast from now on (``App.notify`` still shows it)."""
    messages: list[str] = []
    show = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        messages.append(str(message))
        show(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return messages

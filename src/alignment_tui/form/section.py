"""Sections of a step: a titled part of the form the facilitator can jump to by key.

A step with long lists (the feedback loop's three lists, the funnel's stages,
counts and hand-overs) would take twenty Tabs to cross. Each part is a
:class:`Section` with a title; the pane's Ctrl+↓ / Ctrl+↑ move the focus to
the first field of the next or previous section (see ``StepPane``), and the
title is the landmark the eye finds. In a read-only copy, where the fields
cannot take the focus, the same keys scroll the title to the top of the pane.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static


class Section(Vertical):
    """A titled part of a step's form."""

    DEFAULT_CSS = """
    Section { height: auto; }
    Section > .section-title { text-style: bold; color: $secondary; margin-top: 1; }
    """

    def __init__(self, title: str, *children: Widget, **kwargs: Any) -> None:
        # The title is the first child whether the section is filled by
        # arguments or in a ``with Section(...):`` block.
        super().__init__(Static(Content(title), classes="section-title"), *children, **kwargs)
        self.title = title

    def title_y(self, scroller: Widget) -> int:
        """Where this section's title line is in *scroller*'s scrollable content: the
        value of *scroller*'s ``scroll_y`` that makes the title its top line."""
        return content_y(self.children[0], scroller)

    def first_focusable(self) -> Widget | None:
        """The first widget of this section that can take the focus, in focus order."""
        for widget in self.screen.focus_chain:
            if self in widget.ancestors:
                return widget
        return None


def content_y(widget: Widget, scroller: Widget) -> int:
    """Where *widget* (inside *scroller*) starts in *scroller*'s scrollable content.

    Summed from the laid-out positions relative to each container
    (``virtual_region``), which do not move when *scroller* scrolls.
    """
    y = 0
    node: Widget = widget
    while node is not scroller:
        y += node.virtual_region.y
        parent = node.parent
        if not isinstance(parent, Widget):
            break
        node = parent
    return y

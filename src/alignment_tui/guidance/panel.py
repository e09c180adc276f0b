"""The guidance beside the workshop's forms, drawn without a Markdown engine.

The guidance files use three kinds of block: ``#``/``##`` headings,
paragraphs and ``-`` bullet lists (continuation lines indented), and one kind
of inline markup, ``*emphasis*`` (drawn in italics). Textual's ``Markdown`` widget drew them as ~30 widgets (one per
block, bullet, list item and paragraph) and brought markdown-it and Pygments
with it: ~0.28 s of opening a session. Here a heading and a paragraph are a
``Static`` each and a whole bullet list is one widget, styled like Textual's
Markdown (same margins, colours and hanging indent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static


@dataclass(frozen=True)
class Block:
    """One block of guidance: ``h1``/``h2`` (text), ``p`` (text) or ``ul`` (items)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


_EMPHASIS = re.compile(r"\*([^*\s](?:[^*]*[^*\s])?)\*")


def inline(text: str) -> Content:
    """*text* with ``*emphasis*`` in italics (the asterisks dropped), everything else literal."""
    parts: list[str | tuple[str, str]] = []
    last = 0
    for match in _EMPHASIS.finditer(text):
        parts.append(text[last : match.start()])
        parts.append((match.group(1), "italic"))
        last = match.end()
    parts.append(text[last:])
    return Content.assemble(*parts)


def parse_guidance(markdown: str) -> list[Block]:
    """The blocks of *markdown* (the subset the guidance files use)."""
    blocks: list[Block] = []
    for chunk in markdown.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0].lstrip()
        if first.startswith("#"):
            level = len(first) - len(first.lstrip("#"))
            blocks.append(Block("h1" if level == 1 else "h2", first[level:].strip()))
            rest = lines[1:]
            if rest:
                blocks.append(Block("p", " ".join(line.strip() for line in rest)))
        elif first.startswith(("- ", "* ")):
            items: list[str] = []
            for line in lines:
                stripped = line.strip()
                if stripped.startswith(("- ", "* ")):
                    items.append(stripped[2:].strip())
                elif items:
                    items[-1] = f"{items[-1]} {stripped}"
                else:
                    items.append(stripped)
            blocks.append(Block("ul", items=tuple(items)))
        else:
            blocks.append(Block("p", " ".join(line.strip() for line in lines)))
    return blocks


class GuidanceList(Widget):
    """A bullet list as one widget: each item wraps under its own text, not the bullet."""

    DEFAULT_CSS = """
    GuidanceList {
        height: auto;
        width: 1fr;
        margin: 0 0 1 0;
    }
    """

    BULLET = "• "

    def __init__(self, items: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items = items
        self._wrapped: tuple[int, list[tuple[bool, Content]]] | None = None

    def _lines(self, width: int) -> list[tuple[bool, Content]]:
        """(first line of an item?, text) for every line at *width* cells."""
        if self._wrapped is None or self._wrapped[0] != width:
            text_width = max(1, width - len(self.BULLET))
            lines: list[tuple[bool, Content]] = []
            for item in self.items:
                for i, line in enumerate(inline(item).wrap(text_width)):
                    lines.append((i == 0, line))
            self._wrapped = (width, lines)
        return self._wrapped[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        # Textual's Markdown bullets: $text-primary, $text-secondary in a light theme.
        bullet = "$text-primary" if self.app.current_theme.dark else "$text-secondary"
        indent = " " * len(self.BULLET)
        return Content("\n").join(
            Content.assemble((self.BULLET, bullet), line) if first else Content(indent) + line
            for first, line in self._lines(self.content_size.width)
        )


class GuidanceText(Vertical):
    """The guidance of one step; :meth:`show` replaces it."""

    DEFAULT_CSS = """
    GuidanceText {
        height: auto;
        padding: 0 2 0 2;
        color: $foreground;
        overflow-y: hidden;

        & > .guidance-h1, & > .guidance-h2 {
            width: 1fr;
            margin: 2 0 1 0;
        }
        & > .guidance-h1 {
            content-align: center middle;
            color: $markdown-h1-color;
            background: $markdown-h1-background;
            text-style: $markdown-h1-text-style;
        }
        & > .guidance-h2 {
            color: $markdown-h2-color;
            background: $markdown-h2-background;
            text-style: $markdown-h2-text-style;
        }
        & > .guidance-p {
            width: 1fr;
            margin: 0 0 1 0;
        }
    }
    """

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.source = markdown

    @staticmethod
    def _widgets(markdown: str) -> list[Widget]:
        widgets: list[Widget] = []
        for block in parse_guidance(markdown):
            if block.kind == "ul":
                widgets.append(GuidanceList(block.items))
            else:
                widgets.append(
                    Static(inline(block.text), classes=f"guidance-{block.kind}", markup=False)
                )
        return widgets

    def compose(self) -> ComposeResult:
        yield from self._widgets(self.source)

    def show(self, markdown: str) -> None:
        """Show *markdown* instead (nothing happens if it is already shown)."""
        if markdown == self.source:
            return
        self.source = markdown
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(self._widgets(markdown))

"""The guidance beside the workshop's forms, drawn without a Markdown engine.

The guidance files use three kinds of block: ``#``/``##`` headings,
paragraphs and ``-`` bullet lists (continuation lines indented), and one kind
of inline markup, ``*emphasis*`` (drawn in italics). Textual's ``Markdown``
widget drew them as ~30 widgets (one per block, bullet, list item and
paragraph) and brought markdown-it and Pygments with it: ~0.28 s of opening a
session. Here one widget draws every block, line by line, styled like
Textual's Markdown (same margins, colours and hanging indent), so opening a
session or changing step builds no widget for the guidance at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.css.styles import RulesMap


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


class GuidanceText(Widget):
    """The guidance of one step, every block drawn by this one widget; :meth:`show` replaces it.

    Drawn as Textual's Markdown (and, before, one ``Static`` per block) drew
    it: headings with two blank lines above and one below, paragraphs and
    lists with one below; ``h1`` centred on its background; each bullet item
    wrapping under its own text. Lines are worked out once per width and theme.
    """

    COMPONENT_CLASSES = {"guidance-text--h1", "guidance-text--h2"}

    DEFAULT_CSS = """
    GuidanceText {
        width: 1fr;
        height: auto;
        padding: 0 2 0 2;
        color: $foreground;

        & > .guidance-text--h1 {
            color: $markdown-h1-color;
            background: $markdown-h1-background;
            text-style: $markdown-h1-text-style;
        }
        & > .guidance-text--h2 {
            color: $markdown-h2-color;
            background: $markdown-h2-background;
            text-style: $markdown-h2-text-style;
        }
    }
    """

    BULLET = "• "

    #: Blank lines (above, below) each kind of block; between two blocks the larger of the two.
    MARGINS = {"h1": (2, 1), "h2": (2, 1), "p": (0, 1), "ul": (0, 1)}

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.source = markdown
        self.blocks = parse_guidance(markdown)
        self._drawn: tuple[tuple[int, str], list[Strip | None]] | None = None

    def show(self, markdown: str) -> None:
        """Show *markdown* instead (nothing happens if it is already shown)."""
        if markdown == self.source:
            return
        self.source = markdown
        self.blocks = parse_guidance(markdown)
        self._drawn = None
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()

    def list_lines(self, items: tuple[str, ...], width: int) -> list[tuple[bool, Content]]:
        """(first line of an item?, text) for every line of a bullet list at *width* cells."""
        text_width = max(1, width - len(self.BULLET))
        return [
            (i == 0, line) for item in items for i, line in enumerate(inline(item).wrap(text_width))
        ]

    def _block_strips(self, block: Block, width: int) -> list[Strip]:
        """The lines of *block* at *width*, styled as a widget of its own would draw them."""
        options = RenderOptions(self._get_style, cast("RulesMap", self.styles))
        if block.kind == "ul":
            # Textual's Markdown bullets: $text-primary, $text-secondary in a light theme.
            bullet = "$text-primary" if self.app.current_theme.dark else "$text-secondary"
            indent = " " * len(self.BULLET)
            content = Content("\n").join(
                Content.assemble((self.BULLET, bullet), line) if first else Content(indent) + line
                for first, line in self.list_lines(block.items, width)
            )
            return content.render_strips(width, None, self.visual_style, options)
        if block.kind == "p":
            return inline(block.text).render_strips(width, None, self.visual_style, options)
        style = self.get_visual_style(f"guidance-text--{block.kind}")
        strips = inline(block.text).render_strips(width, None, style, options)
        if block.kind == "h1" and strips:
            pad = (style + Style(reverse=False)).rich_style
            strips = list(Strip.align(strips, pad, width, len(strips), "center", "middle"))
        return strips

    def _lines(self, width: int) -> list[Strip | None]:
        """Every line at *width* cells (``None`` for a blank line between blocks)."""
        key = (width, self.app.current_theme.name)
        if self._drawn is None or self._drawn[0] != key:
            lines: list[Strip | None] = []
            below = 0
            for block in self.blocks:
                top, bottom = self.MARGINS[block.kind]
                lines.extend([None] * max(top, below))
                lines.extend(self._block_strips(block, width))
                below = bottom
            lines.extend([None] * below)
            lines = [None if line is None else _selectable(line, y) for y, line in enumerate(lines)]
            self._drawn = (key, lines)
        return self._drawn[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self._lines(width)
        line = lines[y] if 0 <= y < len(lines) else None
        if line is None:
            # as a container's background between its children
            return Strip.blank(
                width, RichStyle.from_color(bgcolor=self.background_colors[1].rich_color)
            )
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            text = line.text.rstrip()
            start, end = span
            left, right = cell_len(text[:start]), cell_len(text[: len(text) if end == -1 else end])
            if left < right:
                style = Style.from_styles(self.screen.get_component_styles("screen--selection"))
                chosen = line.crop(left, right)
                chosen = Strip(Segment.apply_style(list(chosen), post_style=style.rich_style))
                line = Strip.join([line.crop(0, left), chosen, line.crop(right, line.cell_length)])
        return line

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, as the lines show it (without the blank lines around it)."""
        lines = self._lines(self.content_size.width)
        text = "\n".join("" if line is None else line.text.rstrip() for line in lines)
        return selection.extract(text).strip("\n"), "\n"


def _selectable(strip: Strip, y: int) -> Strip:
    """*strip* with each piece of text at (character, line) *y* of the panel for selecting.

    Each block is drawn as text of its own (its pieces numbered from its own
    first line), so a selection across blocks is counted in lines of the panel.
    """
    segments: list[Segment] = []
    x = 0
    for text, style, control in strip:
        if style is not None and "offset" in style.meta:
            style += RichStyle.from_meta({"offset": (x, y)})
        segments.append(Segment(text, style, control))
        x += len(text)
    return Strip(segments, strip.cell_length)

# ruff: noqa: RUF002  (the docstring draws the house with the characters it is drawn with)
"""The message house, drawn as a house: the core message under the roof, the pillars as
its columns with their proof points, for a projector.

::

        ╱▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔╲
      ╱  For: B2B SaaS leaders   ╲
    ╱  One view of every customer  ╲
   ├──────────┬──────────┬──────────┤
   │ Pillar   │ Pillar   │ Pillar   │
   │ • proof  │ • proof  │ ⚠ no     │
   └──────────┴──────────┴──────────┘

Too narrow for the pillars side by side (under :data:`MIN_COLUMN` cells each), the
pillars stand one above the other. Built as :class:`Content` from data: typed text is
shown literally, control characters as visible symbols (``sessions.text``).
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from ..form.columns import cell
from ..sessions.models import Pillar, ProofPoint, Story
from ..sessions.text import one_line

#: The fewest cells a pillar's column may have before the pillars are stacked.
MIN_COLUMN = 14
FRAME = "$primary"
NO_PROOF = "⚠ no proof yet"


def _wrap(text: str, width: int) -> list[Content]:
    """*text* (its own line breaks kept, controls shown) wrapped to *width* cells."""
    lines: list[Content] = []
    for part in text.split("\n"):
        shown = one_line(part)
        lines.extend(Content(shown).wrap(max(1, width)) if shown.strip() else [])
    return lines


def _step(width: int, rows: int, slope: int) -> float:
    """How far each roof row steps in: *slope* cells, less when the roof is tall, so
    the roof never takes more than a quarter of the width on either side."""
    return min(float(slope), (width // 4) / max(1, rows))


def _roof(texts: list[Content], width: int, slope: int) -> list[Content]:
    """The roof: a top edge, then one row per text line, widening to *width*."""
    n = max(1, len(texts))
    step = _step(width, n, slope)
    rows: list[Content] = []
    top_indent = int(step * n)
    rows.append(
        Content.assemble(
            " " * top_indent, ("╱" + "▔" * max(0, width - 2 - 2 * top_indent) + "╲", FRAME)
        )
    )
    for j in range(1, n + 1):
        indent = int(step * (n - j))
        inner = max(0, width - 2 - 2 * indent)
        text = texts[j - 1]
        left = max(0, (inner - text.cell_length) // 2)
        right = max(0, inner - text.cell_length - left)
        rows.append(
            Content.assemble(
                " " * indent, ("╱", FRAME), " " * left, text, " " * right, ("╲", FRAME)
            )
        )
    return rows


def roof_texts(story: Story, width: int, slope: int) -> list[Content]:
    """The audience and the core message, wrapped to fit under the roof's narrowest row."""
    for n in range(1, 200):
        avail = max(8, width - 4 - 2 * int(_step(width, n, slope) * (n - 1)))
        texts: list[Content] = []
        if story.audience.strip():
            texts += [
                line.stylize("$text-muted") for line in _wrap(f"For: {story.audience}", avail)
            ]
        message = _wrap(story.core_message, avail)
        if message:
            texts += [line.stylize("bold") for line in message]
        else:
            texts.append(Content("The core message is not agreed yet").stylize("$text-muted"))
        if len(texts) <= n:
            return texts
    return texts


def _pillar_lines(pillar: Pillar, proofs: list[ProofPoint], width: int) -> list[Content]:
    title = pillar.title.strip() or "(pillar without a title)"
    lines = [line.stylize("bold $secondary") for line in _wrap(title, width)]
    lines.append(Content("─" * width).stylize("$text-muted"))
    written = [p for p in proofs if p.text.strip()]
    if not written:
        return [*lines, *(c.stylize("$warning") for c in Content(NO_PROOF).wrap(width))]
    for proof in written:
        wrapped = _wrap(proof.text, max(1, width - 2))
        for i, line in enumerate(wrapped):
            lines.append(Content.assemble("• " if i == 0 else "  ", line))
    return lines


def _band(cells: list[list[Content]], widths: list[int]) -> list[Content]:
    """Columns side by side between walls, each padded to the tallest."""
    height = max(len(c) for c in cells)
    rows: list[Content] = []
    for y in range(height):
        parts: list[Content | tuple[str, str] | str] = [("│", FRAME)]
        for lines, w in zip(cells, widths, strict=True):
            text = lines[y] if y < len(lines) else Content("")
            parts += [" ", cell(text, w), " ", ("│", FRAME)]
        rows.append(Content.assemble(*parts))
    return rows


def _rule(widths: list[int], left: str, mid: str, right: str) -> Content:
    return Content(left + mid.join("─" * (w + 2) for w in widths) + right).stylize(FRAME)


def house_content(
    story: Story, pillars: list[Pillar], proofs: list[ProofPoint], width: int
) -> Content:
    """The message house in *width* cells."""
    width = max(width, 24)
    slope = 2 if width >= 50 else 1
    lines = _roof(roof_texts(story, width, slope), width, slope)
    ordered = sorted(pillars, key=lambda p: (p.position, p.id))
    by_pillar = {
        p.id: sorted(
            (pp for pp in proofs if pp.pillar_id == p.id), key=lambda x: (x.position, x.id)
        )
        for p in ordered
    }
    if not ordered:
        inner = [width - 4]
        lines.append(_rule(inner, "├", "┬", "┤"))
        lines += _band([[Content("No pillars yet").stylize("$text-muted")]], inner)
        lines.append(_rule(inner, "└", "┴", "┘"))
        return Content("\n").join(lines)
    k = len(ordered)
    column = (width - 1) // k - 3
    if column >= MIN_COLUMN:
        widths = [column] * k
        widths[-1] += width - (sum(widths) + 3 * k + 1)
        lines.append(_rule(widths, "├", "┬", "┤"))
        cells = [_pillar_lines(p, by_pillar[p.id], w) for p, w in zip(ordered, widths, strict=True)]
        lines += _band(cells, widths)
        lines.append(_rule(widths, "└", "┴", "┘"))
    else:
        inner = [width - 4]
        for i, pillar in enumerate(ordered):
            lines.append(_rule(inner, "├", "┼" if i else "┬", "┤"))
            lines += _band([_pillar_lines(pillar, by_pillar[pillar.id], inner[0])], inner)
        lines.append(_rule(inner, "└", "┴", "┘"))
    return Content("\n").join(lines)


class MessageHouse(Widget):
    """The message house at the widget's width."""

    DEFAULT_CSS = """
    MessageHouse {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(
        self, story: Story, pillars: list[Pillar], proofs: list[ProofPoint], **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.story = story
        self.pillars = pillars
        self.proofs = proofs
        self._drawn: tuple[int, Content] | None = None

    def show(self, story: Story, pillars: list[Pillar], proofs: list[ProofPoint]) -> None:
        """Draw another version of the house."""
        if (story, pillars, proofs) != (self.story, self.pillars, self.proofs):
            self.story, self.pillars, self.proofs = story, pillars, proofs
            self._drawn = None
            self.refresh(layout=True)

    def _house(self, width: int) -> Content:
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, house_content(self.story, self.pillars, self.proofs, width))
        return self._drawn[1]

    def render(self) -> Content:
        return self._house(self.content_size.width or 60)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._house(width).plain.splitlines())

    @property
    def plain(self) -> str:
        return self.render().plain

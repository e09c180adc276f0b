"""Typed text as literal Markdown: the one escaping rule of every Markdown export.

A line break, a ``|`` or a ``[`` in typed text can never break a checklist
line or a table row; escape sequences and other control characters are shown
visibly. Moved here from :mod:`.export` (which re-exports every name) so the
review pack shares the rule without importing the exporter that dispatches to it.

Imports neither textual nor rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .text import BIDI_ESCAPES, VISIBLE

#: Characters that start Markdown (or GitHub Markdown) syntax inside a line.
_MD_SPECIALS = frozenset("\\`*_[]<>|#~&$")
#: Line breaks of every kind.
_NEWLINES = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
#: A line that would start a list, a heading underline or a numbered list.
_LEADING_MARK = re.compile(r"^(\d{1,9})([.)])")

#: ``str.translate`` tables (one C-level pass per text instead of a Python loop per
#: character): the app's one rule for control characters (:mod:`.text`), and bidi
#: controls written out, since a Markdown viewer or a spreadsheet would obey them.
_VISIBLE = {**VISIBLE, **BIDI_ESCAPES}
_ESCAPED_AND_VISIBLE = {**{ord(ch): "\\" + ch for ch in _MD_SPECIALS}, **_VISIBLE}


def visible_controls(text: str) -> str:
    """Show control characters instead of obeying them.

    The rule of :mod:`.text` (ESC → ``␛``, NUL → ``␀``, DEL → ``␡``, C1 → ``�``),
    and bidi overrides written as ``\\u202e``. Tabs and line breaks are left
    to the caller.
    """
    return text.translate(_VISIBLE)


def _escape_line(line: str) -> str:
    escaped = line.replace("\t", " ").strip().translate(_ESCAPED_AND_VISIBLE)
    if escaped[:1] in ("-", "+", "="):
        return "\\" + escaped
    return _LEADING_MARK.sub(r"\1\\\2", escaped, count=1)


def md_inline(text: str, *, table: bool = False) -> str:
    """Typed text as literal Markdown on ONE line.

    Markdown characters are backslash-escaped, line breaks become a space (or
    ``<br>`` inside a table cell), tabs a space, control characters visible.
    """
    lines = [_escape_line(part) for part in _NEWLINES.split(text)]
    if table:
        return "<br>".join(part for part in lines if part)
    return " ".join(part for part in lines if part)


def md_block(text: str) -> str:
    """Typed multi-line text as literal Markdown paragraphs (line breaks kept)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for part in _NEWLINES.split(text):
        line = _escape_line(part)
        if line:
            current.append(line)
        elif current:
            paragraphs.append("  \n".join(current))
            current = []
    if current:
        paragraphs.append("  \n".join(current))
    return "\n\n".join(paragraphs)


def csv_cell(text: str) -> str:
    """A CSV cell: line breaks normalised, controls visible, no spreadsheet formulas."""
    value = visible_controls(_NEWLINES.sub("\n", text))
    if value[:1] in ("=", "+", "-", "@", "\t"):
        value = "'" + value
    return value


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A Markdown table; cells must already be escaped. *align*: 'l'/'r' per column."""
    marks = []
    for i in range(len(headers)):
        a = align[i] if i < len(align) else "l"
        marks.append("---:" if a == "r" else "---")
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks) + " |"]
    for row in rows:
        out.append("| " + " | ".join(cell if cell else " " for cell in row) + " |")
    return out

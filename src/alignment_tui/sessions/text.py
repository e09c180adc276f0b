"""One rule for control characters in user text: shown, never obeyed.

Text typed in a workshop, imported from JSON or pasted can hold control
characters: an escape sequence (``ESC [31m``) would recolour the terminal, a
NUL or a DEL would vanish, a line break would split a list line. Wherever user
text is shown — the app, ``alignment-tui list``, a message, an export — each
such character is replaced by one visible character:

* C0 controls as their Unicode "control pictures": ESC → ``␛``, NUL → ``␀``,
  CR → ``␍``, BEL → ``␇`` (U+2400 + code);
* DEL → ``␡``;
* C1 controls (U+0080 to U+009F, which some terminals obey as escapes) → ``�``.

Tab and line feed are left to the context (:data:`VISIBLE`): a text area and
a report keep their lines. Where the text must stay on one line — a list
line, a name in a choice, a table cell — :func:`one_line` shows them too (``␉``
and ``␊``, and the Unicode line and paragraph separators as ``␤``).

Every replacement is one character for one character, so a cursor position in
an input stays right and the widgets' own tables can be extended with
:data:`VISIBLE`. The text stored in the session is never changed: this is for
display only.

Bidi controls (U+202E "right-to-left override" and its kin) are not control
characters for a terminal, but a browser or an editor reorders a line around
them; the files the app writes and the command line's output show them as
``\\u202e`` (:func:`escape_bidi`).

Imports neither textual nor rich.
"""

from __future__ import annotations

#: Shown instead of obeyed, wherever user text is displayed: C0 controls except
#: tab and line feed, DEL and the C1 controls, one visible character each.
VISIBLE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
}

#: :data:`VISIBLE` for text that must stay on one line: tab, line feed and the
#: Unicode line and paragraph separators shown too.
ONE_LINE: dict[int, str] = {
    **VISIBLE,
    0x09: "\u2409",
    0x0A: "\u240a",
    0x2028: "\u2424",
    0x2029: "\u2424",
}

#: Invisible characters that reorder the text around them (bidi controls).
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: ... as they are written in files and command output (``\\u202e``).
BIDI_ESCAPES: dict[int, str] = {ord(ch): f"\\u{ord(ch):04x}" for ch in BIDI}

#: Where :func:`snippet` cuts by default (a question or a message names the text).
SNIPPET_WIDTH = 60
ELLIPSIS = "…"


def visible(text: str) -> str:
    """*text* with its control characters shown (tabs and line breaks kept)."""
    return text.translate(VISIBLE)


def one_line(text: str) -> str:
    """*text* on one line: control characters, tabs and line breaks all shown (``␛``, ``␉``, ``␊``)."""
    return text.translate(ONE_LINE)


def snippet(text: str, width: int | None = SNIPPET_WIDTH) -> str:
    """Typed text named in a question or a message: one line, controls shown, cut with "…".

    Runs of white space (line breaks too) become one space, as in running
    prose; what is left that a terminal would obey is shown (``␛``). Longer
    than *width* characters, it is cut and ends in "…" (``None``: never cut).
    """
    shown = one_line(" ".join(text.split()))
    if width is None or len(shown) <= width:
        return shown
    return shown[: max(width - 1, 0)] + ELLIPSIS


def escape_bidi(text: str) -> str:
    """*text* with its bidi controls written as ``\\u202e`` (for files and command output)."""
    return text.translate(BIDI_ESCAPES)

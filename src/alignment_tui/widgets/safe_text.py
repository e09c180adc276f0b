"""Show control characters in user text instead of sending them to the terminal.

Text typed in a workshop, imported from JSON or pasted may hold escape
sequences (``ESC [31m``, ``ESC ] 0 ; title BEL``). Rich's ``Text`` and Textual's
``Content`` strip only a handful of control codes (BEL, BS, VT, FF, CR) and
pass ESC through, so a title could recolour the screen or retitle the
terminal window. Every widget that shows user text (Input, TextArea, Static,
DataTable, Header, Select, notifications) builds a ``Text`` or a ``Content``,
and both sanitise through one translate table each. :func:`install` extends
those two tables, once, so ESC and the other C0/C1 controls are shown as
visible symbols (ESC → ␛, NUL → ␀, DEL → ␡, C1 → �). The mapping is one
character to one character, so cursor positions in inputs stay right and the
text saved to the session is never changed: this is display only.

This is done at the mechanism rather than in each of the ~90 places that
display user text, so a new widget cannot forget it.
"""

from __future__ import annotations

#: codepoint → visible replacement (one character each)
VISIBLE: dict[int, str] = {
    code: chr(0x2400 + code) for code in range(0x20) if code not in (7, 8, 9, 10, 11, 12, 13)
}
VISIBLE[0x7F] = "\u2421"
VISIBLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})

_installed = False


def install() -> None:
    """Extend Rich's and Textual's control-code tables (idempotent)."""
    global _installed
    if _installed:
        return
    import rich.control
    import textual.content

    for table in (
        rich.control._CONTROL_STRIP_TRANSLATE,
        textual.content._CONTROL_STRIP_TRANSLATE,
    ):
        table.update(VISIBLE)  # type: ignore[arg-type]
    _installed = True


def shown(text: str) -> str:
    """*text* as it will be displayed (for tests and for plain strings)."""
    return text.translate(VISIBLE)

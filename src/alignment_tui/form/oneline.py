"""How a one-line field shows its text, on focus and away from it.

:class:`OneLineInput` is a Textual ``Input`` with the form layer's rule for
what the focus does to its text, and for how a text wider than the field reads
when the field does not have the focus. Every bound one-line field
(:class:`~.fields.SavingInput`) is one; a plain input elsewhere (a dialog, the
new-session form) can be one too.

* **Focus.** A field's text is never selected when it takes the focus, so a
  stray key cannot throw a text away: typing goes on at the end of it. The one
  exception is a *stand-in* (:func:`is_stand_in`): an empty field or a zero,
  what a number field shows before anything is entered. It holds nothing
  anyone typed, so it is selected and the first key typed replaces it: Tab
  into a "Dot votes" showing ``0`` and type ``-5`` reads ``-5``, not ``0-5``.
  A refused value being corrected (:attr:`OneLineInput.holds_refused`) is
  selected too: the room comes back to it to type it again, and "31/02/2027"
  followed by "+4w" would only be refused again.
  A text already selected (a new record's stand-in name) stays selected.
* **Away from it.** A field without the focus shows its text from the start,
  and a text that does not fit ends with "…" at the field's edge, so what
  the room reads is never a cut word that looks like another value (a
  placeholder too). The text itself is not changed; with the focus the whole
  text scrolls as usual. The "…" is drawn over the strip Input renders
  (``render_line``, public), in the style of the cell it replaces.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input

#: A zero as a number field shows it: 0, 00, 0.0, 0,00 (with an optional sign).
_ZERO = re.compile(r"[+-]?0+(?:[.,]0*)?")

ELLIPSIS = "…"


def is_stand_in(text: str) -> bool:
    """Whether *text* is only a stand-in for a value: empty, or a zero.

    A stand-in is what a field shows before anyone entered a value, so typing
    into it replaces it instead of adding to it.
    """
    text = text.strip()
    return not text or _ZERO.fullmatch(text) is not None


class OneLineInput(Input):
    """A one-line input: a stand-in is selected on focus; away from it, the text reads from its start.

    ``select_on_focus`` is off (a text is never selected by a focus that came
    by itself: a step change, Ctrl+↓), whatever the caller passes.
    """

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs["select_on_focus"] = False
        super().__init__(value, **kwargs)

    @property
    def holds_refused(self) -> bool:
        """Whether the text is a value that was refused (a bound field says; see saving.py)."""
        return False

    def on_focus(self) -> None:
        if not self.selection.is_empty:
            return
        if is_stand_in(self.value) or self.holds_refused:
            self.select_all()
        else:
            # Left, the field showed its text from the start; coming back,
            # typing goes on at the end (a click then puts the cursor where it lands).
            self.cursor_position = len(self.value)

    def on_blur(self) -> None:
        # Left with the cursor at the end, a text longer than the field would
        # show only its tail; the room reads a field it is not typing in from the start.
        if self.cursor_position or not self.selection.is_empty:
            self.cursor_position = 0

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        text = self.value or self.placeholder
        if y or self.has_focus or not text or self.password or self.scroll_offset.x:
            return strip
        shown = self.scrollable_content_region.width
        if shown < 2 or cell_len(text) <= shown:
            return strip
        # Unfocused, the text is drawn from its start (scrolled back on blur):
        # the last cell that shows becomes "…", in the style of the cell it replaces.
        kept = strip.crop(0, shown - 1)
        last = list(strip.crop(shown - 1, shown))
        style = last[0].style if last else None
        marked = Strip([*kept, Segment(ELLIPSIS, style)])
        return Strip.join([marked, strip.crop(shown, strip.cell_length)])

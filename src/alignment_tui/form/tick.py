"""A tick box whose mark is drawn only when it is ticked.

Textual's ``Checkbox`` draws its ``X`` whether ticked or not and tells the two
apart by colour alone: on the light projector theme the unticked box is a
faint grey X on grey, on a washed-out projector or a terminal with few colours
it reads as ticked. Every tick box of the app is a :class:`TickBox` (the bound
:class:`~.fields.SavingCheckbox` too): ticked shows ``X``, unticked shows an
empty box, in any theme.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A check box that draws its mark only when ticked."""

    def render(self) -> Content:
        # BUTTON_INNER is the public class variable the toggle button draws
        # inside its box; set per box, from the value being drawn.
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()

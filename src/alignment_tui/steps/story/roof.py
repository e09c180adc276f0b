"""The roof's field: the core message, in a text area that wraps it to its width."""

from __future__ import annotations

from ...form.fields import SavingTextArea


class RoofArea(SavingTextArea):
    """The core message's field, its text wrapped to the field's width once laid out.

    A pane mounted into the step switcher can be laid out without the Resize
    event a TextArea wraps its text on (Textual rebuilds its map of widgets
    while the mount completes, so the new area never counts as newly shown):
    the roof would then run past the field's edge on one line. Turning soft
    wrap off and on again wraps it at the width it has.
    """

    def on_mount(self) -> None:
        self.call_after_refresh(self._wrap_to_width)

    def _wrap_to_width(self, tries: int = 3) -> None:
        if not self.size.width:
            if tries:  # not laid out yet (the step is hidden): a later refresh
                self.call_after_refresh(self._wrap_to_width, tries - 1)
            return
        self.soft_wrap = False
        self.soft_wrap = True

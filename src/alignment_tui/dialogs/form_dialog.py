"""A modal form: Enter in a field or Save saves, Escape or Cancel closes without saving."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, Input

T = TypeVar("T")


class FormDialog(ModalScreen[T | None]):
    """Base of the add/edit dialogs; dismisses with the saved record, or None.

    Subclasses give their Save and Cancel buttons the classes ``form-save`` and
    ``form-cancel``, bind Escape to ``cancel`` (with their own binding id, so it can
    be remapped per dialog) and implement :meth:`action_save`, which checks every
    field, names what is wrong next to it and dismisses only when all is well.
    """

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, ".form-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, ".form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError

"""A small yes/no question, reusable by every screen.

``ConfirmDialog(title, message)`` is a typed modal: it dismisses with ``True``
when the user confirms and ``False`` when they cancel (button, escape or
``n``). The caller does the side effect::

    def answered(ok: bool | None) -> None:
        if ok:
            ...

    self.app.push_screen(ConfirmDialog("End the workshop?", "…"), answered)

With ``destructive=True`` the confirm button is red and the focus starts on
*cancel*, so a stray enter never throws work away.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmDialog(ModalScreen[bool]):
    """Ask one question; dismiss with ``True`` (confirm) or ``False`` (cancel)."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > #confirm-box {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog.-destructive > #confirm-box {
        border: thick $error;
    }
    ConfirmDialog #confirm-title {
        text-style: bold;
        color: $primary;
        width: 100%;
        margin-bottom: 1;
    }
    ConfirmDialog.-destructive #confirm-title {
        color: $error;
    }
    ConfirmDialog #confirm-message {
        width: 100%;
        height: auto;
    }
    ConfirmDialog #confirm-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ConfirmDialog #confirm-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="confirm_cancel", tooltip="Answer no and close"),
        Binding("y", "confirm", "Yes", id="confirm_yes", tooltip="Answer yes", show=False),
        Binding("n", "cancel", "No", id="confirm_no", tooltip="Answer no", show=False),
        Binding(
            "left,right",
            "switch_button",
            "Switch",
            id="confirm_switch",
            tooltip="Move between the buttons",
            show=False,
        ),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        *,
        confirm_label: str = "Yes",
        cancel_label: str = "Cancel",
        destructive: bool = False,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes="-destructive" if destructive else None)
        self.title_text = title
        self.message = message
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(Content(self.title_text), id="confirm-title")
            yield Static(Content(self.message), id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    Content(self.confirm_label),
                    variant="error" if self.destructive else "primary",
                    id="confirm-yes",
                )
                yield Button(Content(self.cancel_label), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no" if self.destructive else "#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_switch_button(self) -> None:
        yes = self.query_one("#confirm-yes", Button)
        no = self.query_one("#confirm-no", Button)
        (no if yes.has_focus else yes).focus()

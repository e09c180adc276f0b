"""The visitor's two dialogs: the name given once, and a note for the step on screen.

Both take a function that does the work and raises
:class:`~alignment_tui.sessions.contributions.ContributionRefused` with the core's
reason; the dialog shows that reason as the form layer's one line under the field
and keeps everything typed, so the visitor corrects it and tries again.

A note is saved on the room's own thread (the file may be held by the
facilitator's save for a few seconds): the dialog stays, says "Saving…", keeps
the words (unchangeable until the file answers) and refuses a second send; it
closes only once the note is in the file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ..form.fields import Field
from ..form.oneline import OneLineInput
from ..form.refusal import show_reason
from ..sessions.contributions import Contribution, ContributionRefused
from ..sessions.models import StepId
from .contribute import with_kind


class NameDialog(ModalScreen[str | None]):
    """ "Your name": asked once, before anything else; ``None`` means "just watch"."""

    BINDINGS = [
        Binding(
            "escape",
            "watch",
            "Just watch",
            id="visitor_name_watch",
            tooltip="Follow the session without adding notes or votes",
        ),
    ]

    def __init__(self, check: Callable[[str], None]) -> None:
        super().__init__()
        #: Raises ContributionRefused when the core will not take the name.
        self.check = check

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="name-box", classes="contribute-box"):
            yield Label(Content("Join the room"), classes="contribute-title")
            yield Static(
                Content(
                    "Your notes and dot votes go to the facilitator under this name. "
                    "It is asked once."
                ),
                classes="contribute-help",
            )
            yield Field(
                "Your name",
                OneLineInput(placeholder="e.g. Sam from inside sales", id="visitor-name"),
                id="field-visitor-name",
            )
            with Horizontal(classes="contribute-buttons"):
                yield Button("Join", variant="primary", id="name-join")
                yield Button("Just watch", id="name-watch")

    # The name field takes the focus as the dialog is shown, not the scrolling box
    # around it: a name typed the moment the dialog appears lands in the field whole.
    AUTO_FOCUS = "#visitor-name"

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#visitor-name", Input))

    @on(Input.Submitted, "#visitor-name")
    @on(Button.Pressed, "#name-join")
    def action_join(self) -> None:
        field = self.query_one("#visitor-name", Input)
        name = field.value.strip()
        try:
            self.check(name)
        except ContributionRefused as exc:
            show_reason(field, str(exc), anchor=field)
            field.focus()
            return
        self.dismiss(name)

    @on(Input.Changed, "#visitor-name")
    def _typed(self) -> None:
        # the reason was about the name as it was; a name being retyped is not refused yet
        # (Input keeps its own "-invalid" class, so the reason line is cleared as it stands)
        show_reason(self.query_one("#visitor-name", Input), None)

    @on(Button.Pressed, "#name-watch")
    def action_watch(self) -> None:
        self.dismiss(None)


class NoteDialog(ModalScreen[Contribution | None]):
    """A note for *step*: an optional kind, the text; saved by *save* (Ctrl+S or Save).

    Cancelled, what was typed goes to *keep* (the caller offers it again as *draft* the
    next time), so an Escape pressed by mistake loses nothing.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note_save", tooltip="Give the note to the room"),
        Binding("escape", "cancel", "Cancel", id="note_cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        step: StepId,
        kinds: tuple[str, ...],
        save: Callable[[str], Awaitable[Contribution]],
        *,
        draft: str = "",
        keep: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.step = step
        self.kinds = kinds
        #: Saves the note's full text; raises ContributionRefused with the core's reason.
        self.save = save
        self.draft = draft
        self.keep = keep
        #: A save on its way: a second one is refused, and the words cannot change.
        self.saving = False

    def compose(self) -> ComposeResult:
        number = f"{self.step.number}. " if self.step.number else ""
        with VerticalScroll(id="note-box", classes="contribute-box"):
            yield Label(
                Content.assemble("A note for ", (f"{number}{self.step.label}", "bold")),
                classes="contribute-title",
            )
            yield Field(
                "Kind",
                Select(
                    [(Content(k), k) for k in self.kinds],
                    prompt="Just a note",
                    allow_blank=True,
                    id="note-kind",
                ),
                id="field-note-kind",
            )
            yield Field(
                "Your note",
                TextArea(
                    self.draft,
                    soft_wrap=True,
                    show_line_numbers=False,
                    tab_behavior="focus",
                    id="note-text",
                ),
                hint="Ctrl+S saves",
                id="field-note-text",
            )
            with Horizontal(classes="contribute-buttons"):
                yield Button("Save", variant="primary", id="note-save")
                yield Button("Cancel", id="note-cancel")

    # As the name dialog: the words typed right after `n` go into the note.
    AUTO_FOCUS = "#note-text"

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        self.set_focus(area)
        area.move_cursor(area.document.end)

    @property
    def kind(self) -> str | None:
        value = self.query_one("#note-kind", Select).value
        return value if isinstance(value, str) else None

    @on(TextArea.Changed, "#note-text")
    def _typed(self) -> None:
        # as in the name dialog: the reason goes once the note is being changed
        show_reason(self.query_one("#note-text", TextArea), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "cancel") and self.saving:
            return None  # greyed: the note is on its way to the file
        return True

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        if self.saving:
            return
        area = self.query_one("#note-text", TextArea)
        text = area.text
        self._set_saving(True)
        self.run_worker(
            self._save(with_kind(self.kind, text) if text.strip() else text),
            group="note-save",
            exclusive=True,
        )

    async def _save(self, text: str) -> None:
        try:
            saved = await self.save(text)
        except ContributionRefused as exc:
            self._set_saving(False)
            area = self.query_one("#note-text", TextArea)
            show_reason(area, str(exc), anchor=area)
            area.focus()
            return
        self.dismiss(saved)

    def _set_saving(self, saving: bool) -> None:
        """While the note waits for the file: the words stay as sent, the buttons wait."""
        self.saving = saving
        area = self.query_one("#note-text", TextArea)
        area.read_only = saving
        self.query_one("#note-kind", Select).disabled = saving
        button = self.query_one("#note-save", Button)
        button.label = "Saving…" if saving else "Save"
        button.disabled = saving
        self.query_one("#note-cancel", Button).disabled = saving
        if saving:
            show_reason(area, None)
        self.refresh_bindings()

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        if self.saving:
            return
        if self.keep is not None:
            self.keep(self.query_one("#note-text", TextArea).text)
        self.dismiss(None)

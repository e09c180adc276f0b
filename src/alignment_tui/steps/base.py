"""The base of every step pane in the workshop screen.

A step pane is the form area of one step. It is built from the session once
when mounted (``compose``) and told to refresh its derived views when the
session changes (``refresh_from_session``). It never runs SQL: it calls the
:class:`SessionService` it is given. Each pane ends with the actions tagged
with its step.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..sessions.models import StepId
from ..sessions.progress import RULES, step_status
from ..sessions.service import SessionService


class StepPane(VerticalScroll):
    """One step's forms. Subclasses set ``STEP`` and implement ``compose_body``."""

    STEP: ClassVar[StepId]
    can_focus = False

    def __init__(self, service: SessionService, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # The "-complete" class is set here, before the pane's children are
        # styled: toggling a class on a mounted pane restyles its whole subtree
        # (hundreds of widgets on a large session).
        classes = "step-pane"
        if step_status(service.session, self.STEP).complete:
            classes += " -complete"
        super().__init__(id=f"pane-{self.STEP.value}", classes=classes, **kwargs)
        self.service = service

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.service.session

    def compose(self) -> ComposeResult:
        number = self.STEP.number
        heading = f"{number}. {self.STEP.label}" if number else self.STEP.label
        yield Static(Content(heading), classes="step-heading")
        # The status is drawn from the start: filled in after mounting, it
        # would change the line's size and lay the screen out once more.
        shown, text = self._status()
        self._shown_status = shown
        yield Static(text, classes="step-status", id=f"status-{self.STEP.value}")
        yield from self.compose_body()
        from ..widgets.actions import ActionsPanel

        yield ActionsPanel(self.service, step=self.STEP, id=f"actions-{self.STEP.value}")

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.update_status()

    _shown_status: tuple[bool, tuple[str, ...], str] | None = None

    def _status(self) -> tuple[tuple[bool, tuple[str, ...], str], Content]:
        """What the status line shows now, and its text."""
        st = step_status(self.session, self.STEP)
        shown = (st.complete, tuple(st.missing), st.symbol)
        if st.complete:
            return shown, Content.from_markup("[b]✔ Complete[/b]")
        missing = "; ".join(st.missing) if st.missing else RULES[self.STEP]
        return shown, Content.from_markup(
            "[b]$mark Still needed:[/b] $missing", mark=st.symbol, missing=missing
        )

    def update_status(self) -> None:
        shown, text = self._status()
        if shown == self._shown_status:
            return  # updating the Static would cost a layout of the pane
        self._shown_status = shown
        complete = shown[0]
        status = self.query_one(f"#status-{self.STEP.value}", Static)
        # A shorter status must not pull the form up under the pointer: a save
        # made as the mouse goes down on a button (the field it leaves) would
        # move the button before the mouse comes up, and the click would land a
        # line off. The line keeps the height it had; it may grow.
        height = status.size.height
        if height > (status.styles.min_height.value if status.styles.min_height else 0):
            status.styles.min_height = height
        status.update(text)
        if self.has_class("-complete") != complete:
            self.set_class(complete, "-complete")

    def refresh_from_session(self) -> None:
        """The session changed (here or elsewhere): update what is derived from it."""
        if not self.is_mounted:
            # Mounted lazily and not built yet: compose reads the session anyway.
            return
        self.update_status()

"""The agenda (F4): a timebox per step, the time spent, and the plan against the workshop length.

Minutes are typed into self-saving fields; a value that is not a whole number
(or too large) is refused beside the field with the reason, and nothing saved
is touched. The total planned is compared with ``meta.workshop_minutes`` and a
warning in words says by how much the plan runs over.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Static

from ..form.fields import FieldSaved, SavingInput
from ..sessions.clock import mmss
from ..sessions.models import DEFAULT_TIMEBOX, STEP_ORDER, AgendaItem, Session, StepId
from ..sessions.parse import parse_count
from ..sessions.service import ChangeRefused, SessionService


def planned_minutes(session: Session) -> int:
    return sum(session.timebox(step).minutes for step in STEP_ORDER)


def spent_seconds(session: Session) -> float:
    return sum(item.spent_seconds for item in session.agenda)


def plan_summary(session: Session) -> tuple[str, bool]:
    """The totals line and whether the plan is over the workshop length."""
    planned = planned_minutes(session)
    length = session.meta.workshop_minutes
    spent = mmss(spent_seconds(session))
    if planned > length:
        text = (
            f"⚠ Planned {planned} min — {planned - length} min over the "
            f"{length}-minute workshop. Trim a timebox or lengthen the workshop. "
            f"Spent so far: {spent}."
        )
        return text, True
    spare = length - planned
    rest = f", {spare} min to spare" if spare else ""
    return f"✔ Planned {planned} of {length} min{rest}. Spent so far: {spent}.", False


def _step_title(step: StepId) -> str:
    return f"{step.number}. {step.label}" if step.number else step.label


class AgendaScreen(ModalScreen[None]):
    """Timeboxes per step; Escape or F4 closes."""

    BINDINGS = [
        Binding(
            "escape,f4",
            "close",
            "Close agenda",
            id="agenda_close",
            tooltip="Close the agenda and go back to the step",
        ),
    ]

    def __init__(self, service: SessionService) -> None:
        super().__init__()
        self.service = service

    @property
    def session(self) -> Session:
        return self.service.session

    def compose(self) -> ComposeResult:
        readonly = self.service.readonly
        with Vertical(id="agenda-box"):
            yield Static("Agenda and timeboxes", id="agenda-title")
            with VerticalScroll(id="agenda-rows"):
                with Horizontal(classes="agenda-row agenda-head"):
                    yield Static("Step", classes="agenda-step")
                    yield Static("Minutes", classes="agenda-minutes")
                    yield Static("Spent", classes="agenda-spent")
                for step in STEP_ORDER:
                    with Horizontal(classes="agenda-row", id=f"agenda-row-{step.value}"):
                        yield Static(Content(_step_title(step)), classes="agenda-step")
                        yield SavingInput(
                            str(self.session.timebox(step).minutes),
                            save=partial(self._save_minutes, step),
                            id=f"agenda-{step.value}",
                            classes="agenda-minutes",
                            compact=True,
                            disabled=readonly,
                            tooltip=f"Minutes planned for {step.short}",
                        )
                        yield Static("", classes="agenda-spent", id=f"agenda-spent-{step.value}")
                with Horizontal(classes="agenda-row", id="agenda-row-length"):
                    yield Static("Workshop length", classes="agenda-step")
                    yield SavingInput(
                        str(self.session.meta.workshop_minutes),
                        save=self._save_length,
                        id="agenda-length",
                        classes="agenda-minutes",
                        compact=True,
                        disabled=readonly,
                        tooltip="How long the whole workshop is, in minutes",
                    )
                    yield Static("", classes="agenda-spent")
            yield Static("", id="agenda-total")
            with Horizontal(id="agenda-buttons"):
                yield Button("Close", id="agenda-close-button", variant="primary")

    def on_mount(self) -> None:
        # A refused number's reason goes under its whole row, not squeezed into it.
        for field in self.query(SavingInput):
            field.reason_anchor = field.parent if isinstance(field.parent, Widget) else None
        self.service.subscribe(self._on_session_changed)
        self.refresh_numbers()
        if not self.service.readonly:
            self.query_one(f"#agenda-{self.session.meta.current_step.value}").focus()

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._on_session_changed)

    # -- saving ------------------------------------------------------------------

    def _save_minutes(self, step: StepId, text: str) -> None:
        minutes = parse_count(
            text,
            field=f"Minutes for {step.short}",
            allow_blank=False,
            example=DEFAULT_TIMEBOX[step],
        )
        assert minutes is not None
        if minutes > 24 * 60:
            raise ChangeRefused(f"Minutes for {step.short} must be at most {24 * 60}")
        item = next((a for a in self.session.agenda if a.step is step), None)
        if item is None:
            if minutes != DEFAULT_TIMEBOX[step]:  # the default needs no record
                self.service.add(AgendaItem, step=step, minutes=minutes)
        else:
            self.service.update(item, minutes=minutes)

    def _save_length(self, text: str) -> None:
        minutes = parse_count(text, field="Workshop length", allow_blank=False, example=180)
        assert minutes is not None
        if minutes > 24 * 60:
            raise ChangeRefused(f"Workshop length must be at most {24 * 60} minutes")
        self.service.update_meta(workshop_minutes=minutes)

    # -- showing -----------------------------------------------------------------

    def _on_session_changed(self, what: str) -> None:
        if what in ("agenda", "meta"):
            self.refresh_numbers()

    @on(FieldSaved)
    def _saved(self, _event: FieldSaved) -> None:
        self.refresh_numbers()

    def refresh_numbers(self) -> None:
        session = self.session
        for step in STEP_ORDER:
            item = next((a for a in session.agenda if a.step is step), None)
            spent = item.spent_seconds if item is not None else 0.0
            minutes = item.minutes if item is not None else DEFAULT_TIMEBOX[step]
            over = spent > minutes * 60 > 0
            text = mmss(spent) + (" ⚠ over" if over else "")
            self.query_one(f"#agenda-spent-{step.value}", Static).update(Content(text))
        summary, over = plan_summary(session)
        total = self.query_one("#agenda-total", Static)
        total.update(Content(summary))
        total.set_class(over, "-over")

    @on(Button.Pressed, "#agenda-close-button")
    def action_close(self, *_args: Any) -> None:
        for field in self.query(SavingInput):
            field.flush()
        self.dismiss(None)

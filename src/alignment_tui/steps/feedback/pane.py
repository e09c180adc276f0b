"""Step 3, "Feedback loop, not approvals": a regular exchange where nothing is a sign-off gate.

The pane captures when and where the loop meets, what each side brings, the
ground rules, and the explicit agreement that nothing in the loop is a gate.
It is built from the shared form layer, in five sections the facilitator
jumps between with Ctrl+↓ / Ctrl+↑ (the meeting, the three lists, the
agreement):

* the meeting: bound fields (the cadence and the weekday in-place
  choices, the start time, time zone and first meeting from
  :mod:`.schedule`), a label and one compact field a row, a refused value's
  reason under its field;
* each list: a :class:`~.side.SideSection` of compact lines, a bar and
  suggestions (see :mod:`.side`); an item worded as an approval gate is
  flagged under its line as it is typed (:mod:`.lines`);
* the agreement: a bound checkbox, what it means in words, and the two
  leads' sign-off.

Above them, ctrl+l (or the button) fills the meeting and the lists from one of
the workbook's example agreements (:mod:`.examples`), asking first when the
loop already has words in it. A read-only copy offers no example.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from ...form.choice import Choice
from ...form.fields import (
    BoundField,
    Field,
    Reader,
    Saver,
    SavingCheckbox,
    SavingInput,
    SavingTextArea,
    flush_fields,
    read_only_session,
)
from ...form.later import Later
from ...form.section import Section
from ...sessions.models import Cadence, FeedbackSide, SignOffSubject, StepId
from ...sessions.service import SessionService
from ...widgets.signoff import SignOffBar
from ..base import StepPane
from .examples import offer_examples
from .schedule import schedule_fields
from .side import SideSection
from .words import (
    AGREED,
    AGREEMENT_LABEL,
    LISTS_HINT,
    NOT_AGREED,
    brief_text,
    parse_brief_weeks,
    parse_duration,
)


def row(label: str, widget: Widget) -> Field:
    """A label and its field on one line (the reason, when there is one, under both)."""
    return Field(label, widget, classes="fb-row")


class CadenceChoice(Choice[Cadence]):
    """How often the loop meets, cycled in place."""


class AgreementBox(SavingCheckbox):
    """The "nothing here is a sign-off gate" tick, saved as soon as it changes."""

    def __init__(self, *, read: Reader, save: Saver, **kwargs: Any) -> None:
        super().__init__(Content(AGREEMENT_LABEL), read=read, save=save, **kwargs)


class FeedbackPane(StepPane):
    """Cadence, forum, what each side brings, ground rules, and the not-a-gate agreement."""

    STEP: ClassVar[StepId] = StepId.FEEDBACK
    # The forum is the first field that takes words: the duration before it holds a
    # number (45 by default), and keys typed on arrival would be added to it (4530).
    ENTRY: ClassVar[str | None] = "#fb-forum"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+l",
            "example",
            "Example…",
            id="feedback.example",
            tooltip="Fill the loop from one of the workbook's example agreements "
            "(asks first when it has words in it)",
        ),
    ]

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        self.sides = {side: SideSection(service, side) for side in FeedbackSide}

    # -- saving the loop ----------------------------------------------------------------

    def _save_loop(self, **changes: Any) -> None:
        self.service.update(self.session.feedback, **changes)

    def _save_brief_weeks(self, weeks: int) -> None:
        old = self.session.feedback.brief_weeks
        self._save_loop(brief_weeks=weeks)
        if weeks != old:
            # keep the suggested brief item in step with the number of weeks
            for item in list(self.session.feedback_items):
                if item.side is FeedbackSide.MARKETING and item.text == brief_text(old):
                    self.service.update(item, text=brief_text(weeks))

    # -- building -----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        example = Button(
            "Start from an example (ctrl+l)",
            id="fb-example",
            compact=True,
            tooltip="Fill the meeting and the lists from one of the workbook's example "
            "agreements (ctrl+l); asks first when the loop has words in it",
        )
        example.display = not self.service.readonly
        yield example
        with Section("The meeting", id="fb-meeting"):
            yield row(
                "Cadence",
                CadenceChoice(
                    [(c.value.capitalize(), c) for c in Cadence],
                    read=lambda: self.session.feedback.cadence,
                    save=lambda v: self._save_loop(cadence=v),
                    id="fb-cadence",
                    tooltip="How often the loop meets: Space or → for the next, ← back",
                ),
            )
            yield row(
                "Duration (minutes)",
                SavingInput(
                    read=lambda: self.session.feedback.duration_minutes,
                    parse=parse_duration,
                    save=lambda v: self._save_loop(duration_minutes=v),
                    bubble_changes=False,
                    compact=True,
                    id="fb-duration",
                    placeholder="minutes",
                ),
            )
            yield from schedule_fields(lambda: self.session.feedback, self._save_loop, row)
            yield row(
                "Forum",
                SavingInput(
                    read=lambda: self.session.feedback.forum,
                    save=lambda v: self._save_loop(forum=v),
                    bubble_changes=False,
                    compact=True,
                    id="fb-forum",
                    placeholder="where and how it meets, e.g. the Tuesday pipeline call",
                ),
            )
            yield row(
                "Attendees",
                SavingTextArea(
                    read=lambda: self.session.feedback.attendees,
                    save=lambda v: self._save_loop(attendees=v),
                    bubble_changes=False,
                    compact=True,
                    id="fb-attendees",
                    classes="attendees",
                    placeholder="who comes: names or roles from both teams",
                ),
            )
        yield Static(Content(LISTS_HINT), classes="step-hint")
        yield self.sides[FeedbackSide.SALES]
        # Below the sales list, a page or more down: built when the room comes to them.
        marketing = self.sides[FeedbackSide.MARKETING]
        yield Later(marketing.title, self._compose_marketing, id="later-fb-marketing")
        rule = self.sides[FeedbackSide.RULE]
        yield Later(rule.title, lambda: iter([rule]), id="later-fb-rule")
        yield Later("Feedback, not approval", self._compose_agreement, id="later-fb-agreement")

    def _compose_marketing(self) -> ComposeResult:
        with self.sides[FeedbackSide.MARKETING]:
            yield row(
                "Briefs, weeks ahead",
                SavingInput(
                    read=lambda: self.session.feedback.brief_weeks,
                    parse=parse_brief_weeks,
                    save=self._save_brief_weeks,
                    bubble_changes=False,
                    compact=True,
                    id="fb-brief-weeks",
                    tooltip="How many weeks before launch campaign briefs reach Sales (0-52)",
                ),
            )

    def _compose_agreement(self) -> ComposeResult:
        agreed = self.session.feedback.not_approval_agreed
        with Section("Feedback, not approval", id="fb-agreement-section"):
            yield AgreementBox(
                read=lambda: self.session.feedback.not_approval_agreed,
                save=lambda v: self._save_loop(not_approval_agreed=v),
                id="fb-agreement",
            )
            yield Static(
                Content(AGREED if agreed else NOT_AGREED),
                id="fb-agreement-state",
                classes="fb-agreement-state" + (" -agreed" if agreed else ""),
            )
            yield SignOffBar(
                self.service, SignOffSubject.FEEDBACK, title="Both leads sign the loop off"
            )

    # -- an example agreement -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "example":  # a read-only copy offers none
            return not read_only_session(self)
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#fb-example")
    def _example_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_example()

    def action_example(self) -> None:
        """Choose one of the workbook's example agreements; it fills the meeting and the lists."""
        if read_only_session(self):
            return
        flush_fields(self)  # typing not saved yet counts as written (and is not lost under it)
        offer_examples(self, self.service, then=self._example_applied)

    def _example_applied(self) -> None:
        # The fields the example filled show it, even the one the room was in.
        for wid in (
            "fb-cadence",
            "fb-duration",
            "fb-weekday",
            "fb-start-time",
            "fb-forum",
            "fb-attendees",
            "fb-brief-weeks",
        ):
            for field in self.query(f"#{wid}"):  # (a part not built yet reads it when built)
                if isinstance(field, BoundField):
                    field.load(force=True)
        self.refresh_from_session()
        # Back on the button, the pane at its top: every field reads from its start, and
        # Tab goes on into the meeting.
        self.query_one("#fb-example", Button).focus(scroll_visible=False)
        self.scroll_home(animate=False)

    # -- refreshing -----------------------------------------------------------------------

    def refresh_from_session(self) -> None:
        if not self.is_mounted:
            return
        # lines come and go first, so the one loop over the fields loads the lines that stay
        for side in self.sides.values():
            if side.is_mounted:  # else built from the session when the room comes to it
                side.sync()
        super().refresh_from_session()
        self._show_agreement()

    def _show_agreement(self) -> None:
        agreed = self.session.feedback.not_approval_agreed
        state = next(iter(self.query("#fb-agreement-state").results(Static)), None)
        if state is None:
            return  # not built yet: built from the session when the room comes to it
        text = AGREED if agreed else NOT_AGREED
        if str(state.content) != text:
            state.update(Content(text))
            state.set_class(agreed, "-agreed")

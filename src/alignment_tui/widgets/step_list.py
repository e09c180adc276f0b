"""The step list: where the room is, what is complete, and a jump to any step.

When the room sends notes (``serve --contribute``), a step with new notes waiting
shows how many ("✉ 3"); a step without, or a session nobody contributes to, shows
nothing more.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..sessions.models import STEP_ORDER, Session, StepId
from ..sessions.progress import all_statuses


class StepList(OptionList):
    """Steps with a completion mark that does not rely on colour (✔ ◐ ○)."""

    class StepChosen(Message):
        def __init__(self, step: StepId) -> None:
            super().__init__()
            self.step = step

    def __init__(self, session: Session, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self._session = session
        self.current: StepId = session.meta.current_step
        self._signature: tuple[object, ...] | None = None
        #: New notes from the room per step (none listed: none waiting).
        self.waiting: dict[StepId, int] = {}

    def on_mount(self) -> None:
        self.refresh_steps()

    def refresh_steps(self, session: Session | None = None) -> None:
        if session is not None:
            self._session = session
        statuses = all_statuses(self._session)
        # Rebuilding the options costs a layout: only when a mark or the current step changed.
        # the room's count takes its place at the end of the line; the name gives way
        room = self.scrollable_content_region.width
        signature = (
            room if self.waiting else 0,  # (the width matters only to a line with a count)
            self.current,
            tuple(statuses[step].symbol for step in STEP_ORDER),
            tuple(self.waiting.get(step, 0) for step in STEP_ORDER),
        )
        if signature == self._signature:
            return
        self._signature = signature
        highlighted = self.highlighted
        self.clear_options()
        for step in STEP_ORDER:
            st = statuses[step]
            here = "▶" if step is self.current else " "
            num = f"{step.number}." if step.number else "  "
            name = step.short
            waiting = self.waiting.get(step, 0)
            badge = f" ✉ {waiting}" if waiting else ""
            spare = room - (4 + len(num) + 1 + len(name) + len(badge))
            if badge and room and spare < 0:
                name = name[: max(len(name) + spare - 1, 1)] + "…"
            prompt = Content.assemble(
                (here, "bold"), " ", (st.symbol, "bold"), f" {num} ", name, (badge, "bold")
            )
            self.add_option(Option(prompt, id=step.value))
        self.highlighted = (
            highlighted if highlighted is not None else STEP_ORDER.index(self.current)
        )

    def on_resize(self) -> None:
        if self.waiting:
            self.refresh_steps()

    def set_waiting(self, counts: dict[StepId, int]) -> None:
        """Show how many new notes from the room wait beside each step."""
        if counts != self.waiting:
            self.waiting = dict(counts)
            self.refresh_steps()

    def set_current(self, step: StepId) -> None:
        self.current = step
        self.refresh_steps()
        self.highlighted = STEP_ORDER.index(step)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.StepChosen(StepId(event.option.id)))

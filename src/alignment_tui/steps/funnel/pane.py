"""Step pane 4: one funnel, split in two.

The room edits the stages (name, owner, order), the periods and a grid of
counts; the pane shows what is derived from those numbers — conversion,
the bar chart, every period side by side — the hand-over agreements where
ownership changes, and "what it takes" to reach a revenue target, all
computed by :mod:`alignment_tui.sessions.funnel`.

Each part is a section of its own module (Ctrl+↓ / Ctrl+↑ jump between
them): :mod:`.stages`, :mod:`.periods` (periods and the counts grid),
:mod:`.conversion`, :mod:`.handovers` and :mod:`.plan`. The pane mounts a
bounded number of widgets however many stages, periods and hand-overs there
are: the stages and the hand-overs are one list each beside one editor, the
counts one grid, the figures a few tables drawn as text.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult

from ...form.later import Later
from ...sessions.models import StepId
from ...sessions.service import SessionService
from ..base import StepPane
from .conversion import ConversionSection
from .handovers import HandoversSection
from .periods import CountsSection, ShownPeriod
from .plan import PlanSection
from .stages import StagesSection


class FunnelPane(StepPane):
    STEP: ClassVar[StepId] = StepId.FUNNEL
    # The counts are what the room types here; the first text field above them
    # renames the chosen stage, which a stray key should not do.
    ENTRY: ClassVar[str | None] = "CountsGrid"

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        #: The period the grid edits and the table and chart show (shared by two sections).
        self.shown = ShownPeriod(service)
        self.stages = StagesSection(service, id="funnel-stages")
        self.counts = CountsSection(service, self.shown, id="funnel-counts")
        self.conversion = ConversionSection(service, self.shown, id="funnel-conversion")
        self.handovers = HandoversSection(service, id="funnel-handovers")
        self.plan = PlanSection(service, id="funnel-plan")

    def compose_body(self) -> ComposeResult:
        yield self.stages
        yield self.counts
        yield self.conversion
        # Below the figures, a page or more down: built when the room comes to them.
        yield Later(self.handovers.title, lambda: iter([self.handovers]), id="later-handovers")
        yield Later(self.plan.title, lambda: iter([self.plan]), id="later-plan")

    def on_mount(self) -> None:
        # (StepPane.on_mount is dispatched on its own, as every class's handler is.)
        self.conversion.sync()

    def refresh_from_session(self) -> None:
        if not self.is_mounted:
            return
        super().refresh_from_session()
        self.stages.sync()
        self.counts.sync()
        self.conversion.sync()
        for later in (self.handovers, self.plan):
            if later.is_mounted:  # else built from the session when the room comes to it
                later.sync()

    @on(CountsSection.PeriodShown)
    def _period_shown(self, event: CountsSection.PeriodShown) -> None:
        event.stop()
        self.conversion.sync()

"""Wrap-up: every action agreed today, the next review date, and where each step stands.

Unlike the other steps, the wrap-up shows ONE table with the actions of all
steps (with a Step column) instead of the table of its own step's actions.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Static

from ...form.fields import Field, SavingInput
from ...sessions.models import StepId
from ...sessions.parse import parse_date
from ...sessions.progress import all_statuses
from ...widgets.actions import ActionsPanel, action_counts
from ..base import StepPane


class WrapupPane(StepPane):
    STEP: ClassVar[StepId] = StepId.WRAPUP

    _ready = False

    def compose(self) -> ComposeResult:
        # The base adds this step's own actions table last; the wrap-up shows all
        # actions in its body instead, so leave that one out.
        for widget in super().compose():
            if isinstance(widget, ActionsPanel) and widget.step is not None:
                continue
            yield widget

    def _save_next_review(self, text: str) -> None:
        self.service.update_meta(next_review=parse_date(text, field="Next review"))

    def compose_body(self) -> ComposeResult:
        meta = self.session.meta
        yield Static("", id="wrapup-counts", classes="wrapup-counts")
        yield ActionsPanel(self.service, step=None, id="actions-all")
        yield Field(
            "Next review (funnel and open actions)",
            SavingInput(
                meta.next_review.isoformat() if meta.next_review else "",
                save=self._save_next_review,
                placeholder="YYYY-MM-DD or +4w",
                id="wrapup-next-review",
            ),
            classes="wrapup-review",
        )
        yield Static("Where each step stands", classes="wrapup-section")
        yield Static("", id="wrapup-steps", classes="wrapup-steps")
        yield Button("Export the checklist…", id="wrapup-export", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._ready = True
        self._update_summary()

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self._ready:
            return
        review = self.query_one("#wrapup-next-review", SavingInput)
        if not review.has_class("-invalid"):
            nr = self.session.meta.next_review
            review.set_value_quietly(nr.isoformat() if nr else "")
        self._update_summary()

    def _update_summary(self) -> None:
        s = self.session
        open_, done, overdue = action_counts(s)
        total = len(s.actions)
        counts = Content.from_markup(
            "[b]$total[/b] actions: [b]$open[/b] open · [b]$done[/b] done · "
            "[b]$overdue[/b] overdue",
            total=str(total),
            open=str(open_),
            done=str(done),
            overdue=str(overdue),
        )
        counts_widget = self.query_one("#wrapup-counts", Static)
        counts_widget.update(counts)
        counts_widget.set_class(overdue > 0, "-overdue")

        lines: list[Content] = []
        for step, st in all_statuses(s).items():
            number = f"{step.number}. " if step.number else ""
            if st.complete:
                state = "complete"
            elif st.missing:
                state = "still needed: " + "; ".join(st.missing)
            else:
                state = "not started"
            lines.append(
                Content.from_markup(
                    "$mark [b]$name[/b] — $state",
                    mark=st.symbol,
                    name=f"{number}{step.short}",
                    state=state,
                )
            )
        self.query_one("#wrapup-steps", Static).update(Content("\n").join(lines))

    @on(Button.Pressed, "#wrapup-export")
    def _export(self, event: Button.Pressed) -> None:
        event.stop()
        export = getattr(self.screen, "action_export", None)
        if callable(export):
            export("checklist")
        else:
            self.notify("Export is not available here", severity="warning")

"""Wrap-up: every action agreed today, the next review date, and where each step stands.

Unlike the other steps, the wrap-up shows ONE table with the actions of all
steps (with a Step column) instead of the table of its own step's actions.
Its one field is the next review's date: shown the step, the room lands
there (or wherever it was when it last left the step).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Static

from ...form.fields import DateInput, TitledField
from ...form.section import Section
from ...sessions.models import Session, StepId
from ...sessions.parse import parse_date
from ...sessions.progress import all_statuses
from ...widgets.actions import ActionsPanel, action_counts
from ..base import StepPane


def counts_text(session: Session) -> tuple[Content, bool]:
    """The actions' counts, and whether any is overdue."""
    open_, done, overdue = action_counts(session)
    total = len(session.actions)
    text = Content.from_markup(
        "[b]$total[/b] $noun: [b]$open[/b] open · [b]$done[/b] done · [b]$overdue[/b] overdue",
        total=str(total),
        noun="action" if total == 1 else "actions",
        open=str(open_),
        done=str(done),
        overdue=str(overdue),
    )
    return text, overdue > 0


def steps_text(session: Session) -> Content:
    """One line a step: its mark, its name and what it still needs."""
    lines: list[Content] = []
    for step, st in all_statuses(session).items():
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
    return Content("\n").join(lines)


def parse_next_review(text: str) -> dt.date | None:
    return parse_date(text, field="Next review")


class WrapupPane(StepPane):
    STEP: ClassVar[StepId] = StepId.WRAPUP

    # The wrap-up shows all actions in its body instead of this step's own.
    STEP_ACTIONS: ClassVar[bool] = False

    def _save_next_review(self, day: dt.date | None) -> None:
        self.service.update_meta(next_review=day)

    def compose_body(self) -> ComposeResult:
        counts, overdue = counts_text(self.session)
        self.counts = Static(counts, id="wrapup-counts", classes="wrapup-counts")
        self.counts.set_class(overdue, "-overdue")
        yield self.counts
        yield ActionsPanel(self.service, step=None, id="actions-all")
        with Section("Next review", id="wrapup-review-section"):
            self.review = DateInput(
                read=lambda: self.session.meta.next_review,
                parse=parse_next_review,
                save=self._save_next_review,
                placeholder="YYYY-MM-DD or +4w",
                id="wrapup-next-review",
            )
            yield TitledField(
                "Date", self.review, hint="the funnel and the open actions", classes="wrapup-review"
            )
        with Section("Where each step stands", id="wrapup-steps-section"):
            self.steps = Static(steps_text(self.session), id="wrapup-steps", classes="wrapup-steps")
            yield self.steps
            yield Button("Export the checklist…", id="wrapup-export", compact=True)

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self.is_mounted:
            return
        counts, overdue = counts_text(self.session)
        self.counts.update(counts)
        self.counts.set_class(overdue, "-overdue")
        self.steps.update(steps_text(self.session))

    def focus_entry(self) -> None:
        """The last place used in the step, else the next review's date (its one field).

        The actions table comes first on the screen, but the room reads it
        rather than types in it: keys typed on arriving belong to the date.
        """
        if self._last_focus is None and self.review.focusable:
            self.review.focus()
            # Focused before the actions table above it has its height, the
            # field would be scrolled to where it was, not where it ends up.
            self.call_after_refresh(self.review.scroll_visible, animate=False)
            return
        super().focus_entry()

    @on(Button.Pressed, "#wrapup-export")
    def _export(self, event: Button.Pressed) -> None:
        event.stop()
        export = getattr(self.screen, "action_export", None)
        if callable(export):
            export("checklist")
        else:
            self.notify("Export is not available here", severity="warning")

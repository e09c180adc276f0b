"""What it takes: from a revenue target and an average deal value, the count each stage needs.

The three inputs are bound fields; the sentence and the table under them are
worked out by :func:`~alignment_tui.sessions.funnel.session_what_it_takes` at
the rates of the latest period, each time the session changes.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from ...form.fields import Field, SavingInput
from ...form.records import Column
from ...form.section import Section
from ...sessions.funnel import fmt_count, fmt_money, session_what_it_takes
from ...sessions.parse import parse_number
from ...sessions.service import SessionService
from ...sessions.text import one_line
from .tables import Cells, FigureTable, num_text, sized

ASK = (
    "Enter a revenue target and an average deal value to see the count "
    "each stage needs at today's rates."
)


class PlanSection(Section):
    """The inputs of "what it takes", and the count each stage needs."""

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__("What it takes", **kwargs)
        self.service = service

    def compose(self) -> ComposeResult:
        plan = self.service.session.funnel_plan
        with Horizontal(classes="plan-fields", id="plan-fields"):
            yield Field(
                "Revenue target",
                SavingInput(
                    read=lambda: num_text(self.service.session.funnel_plan.revenue_target),
                    parse=lambda text: parse_number(text, field="Revenue target"),
                    save=lambda v: self._save(revenue_target=v),
                    id="plan-target",
                    compact=True,
                    placeholder="e.g. 500,000",
                ),
                classes="plan-field",
            )
            yield Field(
                "Average deal value",
                SavingInput(
                    read=lambda: num_text(self.service.session.funnel_plan.avg_deal_value),
                    parse=lambda text: parse_number(
                        text, field="Average deal value", positive=True
                    ),
                    save=lambda v: self._save(avg_deal_value=v),
                    id="plan-deal",
                    compact=True,
                    placeholder="e.g. 10,000",
                ),
                classes="plan-field",
            )
            yield Field(
                "Currency",
                SavingInput(
                    plan.currency,
                    read=lambda: self.service.session.funnel_plan.currency,
                    save=lambda v: self._save(currency=v.strip()),
                    id="plan-currency",
                    compact=True,
                ),
                classes="plan-field -currency",
            )
        yield Static("", id="wit-note", classes="funnel-note")
        yield FigureTable(id="wit-table")

    def _save(self, **changes: Any) -> None:
        self.service.update(self.service.session.funnel_plan, **changes)

    def sync(self) -> None:
        """Work out what it takes again from the session."""
        note = self.query_one("#wit-note", Static)
        table = self.query_one("#wit-table", FigureTable)
        session = self.service.session
        plan = session.funnel_plan
        text, rows = ASK, list[Cells]()
        if plan.revenue_target is not None and plan.avg_deal_value is not None:
            try:
                result = session_what_it_takes(session)
            except ValueError as exc:
                text = str(exc)
            else:
                cur = plan.currency
                text = (
                    f"{fmt_count(result.deals_needed)} "
                    f"{'deal' if result.deals_needed == 1 else 'deals'} × "
                    f"{fmt_money(result.avg_deal_value, cur)} ≥ "
                    f"{fmt_money(result.revenue_target, cur)}, at the rates of "
                    f"{one_line(result.period_label) or 'no period'}. — : rate unknown or zero."
                )
                rows = [
                    {
                        "stage": one_line(r.name),
                        "needed": fmt_count(r.needed),
                        "today": fmt_count(r.today),
                        "gap": "—" if r.gap is None else (f"{r.gap:+,}" if r.gap else "0"),
                    }
                    for r in result.rows
                ]
        if note.content != text:
            note.update(Content(text))
        table.display = bool(rows)
        table.show(_columns(rows), rows)


def _columns(rows: list[Cells]) -> list[Column]:
    return [
        Column("stage", "Stage"),
        sized("needed", "Needed", rows),
        sized("today", "Today", rows),
        sized("gap", "Gap", rows),
    ]


__all__ = ["PlanSection"]

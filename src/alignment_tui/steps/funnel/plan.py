"""What it takes: from a revenue target and an average deal value, the count each stage needs.

The inputs are bound fields (the target, the period it covers, the deal value,
the currency); the lines and the table under them are worked out by
:func:`~alignment_tui.sessions.funnel.session_what_it_takes` at the rates of
the latest period, each time the session changes. The target is converted to
that period's length when both are known, and every figure is rounded up once,
at the end (the lines say so, as the report does).

Ctrl+F (or the button) copies each stage's figure into its target for that
period, in one save: the counts stay, the targets are replaced (asked first
when there are targets already).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Label, Static

from ...form.choice import Choice
from ...form.confirm import ConfirmDialog
from ...form.fields import SavingInput, TitledField, read_only_session
from ...form.records import Column
from ...form.refusal import REFUSALS, say_refused
from ...form.section import Section
from ...sessions.funnel import (
    WhatItTakes,
    fmt_count,
    plan_period_id,
    session_what_it_takes,
    target_counts,
    what_it_takes_basis,
)
from ...sessions.models import TargetPeriod
from ...sessions.parse import parse_number
from ...sessions.service import SessionService
from ...sessions.text import one_line
from .tables import Cells, FigureTable, num_text, sized

ASK = (
    "Enter a revenue target and an average deal value to see the count "
    "each stage needs at today's rates."
)

#: What the revenue target covers: not said, or a month, a quarter, a year.
PERIOD_OPTIONS: list[tuple[str, TargetPeriod | None]] = [
    ("not said", None),
    ("a month", TargetPeriod.MONTH),
    ("a quarter", TargetPeriod.QUARTER),
    ("a year", TargetPeriod.YEAR),
]


class PlanSection(Section):
    """The inputs of "what it takes", and the count each stage needs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+f",
            "copy_targets",
            "Copy to targets",
            id="funnel.copy_targets",
            tooltip="Write each stage's figure as its target for the period the figures are "
            "worked out at (asks first when there are targets)",
        ),
    ]

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__("What it takes", **kwargs)
        self.service = service

    def compose(self) -> ComposeResult:
        plan = self.service.session.funnel_plan
        with Horizontal(classes="plan-fields", id="plan-fields"):
            yield TitledField(
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
            yield TitledField(
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
            yield TitledField(
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
        with Horizontal(classes="plan-period-row", id="plan-period-row"):
            yield Label("The target covers", classes="plan-period-label")
            yield Choice(
                PERIOD_OPTIONS,
                read=lambda: self.service.session.funnel_plan.revenue_period,
                save=lambda v: self._save(revenue_period=v),
                id="plan-period",
                classes="plan-period",
                tooltip="The time the revenue target covers: Space or → for the next, "
                "← for the one before",
            )
        yield Static("", id="wit-note", classes="funnel-note")
        yield FigureTable(id="wit-table")
        # (the copy button under it is mounted by sync when there is something to copy)

    def on_mount(self) -> None:
        self.sync()

    def _save(self, **changes: Any) -> None:
        self.service.update(self.service.session.funnel_plan, **changes)

    def _result(self) -> WhatItTakes | None:
        plan = self.service.session.funnel_plan
        if plan.revenue_target is None or plan.avg_deal_value is None:
            return None
        try:
            return session_what_it_takes(self.service.session)
        except ValueError:
            return None

    def sync(self) -> None:
        """Work out what it takes again from the session."""
        note = self.query_one("#wit-note", Static)
        table = self.query_one("#wit-table", FigureTable)
        session = self.service.session
        plan = session.funnel_plan
        text, rows = ASK, list[Cells]()
        copyable = False
        if plan.revenue_target is not None and plan.avg_deal_value is not None:
            try:
                result = session_what_it_takes(session)
            except ValueError as exc:
                text = str(exc)
            else:
                period = one_line(result.period_label) or "no period"
                deals, *rest = [
                    one_line(line) for line in what_it_takes_basis(result, plan.currency)
                ]
                text = "\n".join(
                    [
                        f"{deals[:-1]}, at the rates of {period}.",
                        *rest,
                        "— : rate unknown or zero.",
                    ]
                )
                pid = plan_period_id(session)
                targets = {
                    c.stage_id: c.target for c in session.funnel_counts if c.period_id == pid
                }
                rows = [
                    {
                        "stage": one_line(r.name),
                        "needed": fmt_count(r.needed),
                        "today": fmt_count(r.today),
                        "target": fmt_count(targets.get(r.stage_id)),
                        "gap": "—" if r.gap is None else (f"{r.gap:+,}" if r.gap else "0"),
                    }
                    for r in result.rows
                ]
                copyable = result.period_label != "" and any(
                    r.needed is not None for r in result.rows
                )
        if note.content != text:
            note.update(Content(text))
        table.display = bool(rows)
        table.show(_columns(rows), rows)
        shown = copyable and not read_only_session(self)
        for copy in self.query("#wit-copy"):
            if copy.display != shown:
                copy.display = shown
            break
        else:
            if shown:
                self.mount(
                    Button(
                        "Copy into the stage targets (ctrl+f)",
                        id="wit-copy",
                        compact=True,
                        tooltip="Write each stage's figure as its target for the period the "
                        "figures are worked out at; the counts stay (asks first when there "
                        "are targets)",
                    ),
                    after=table,
                )
        self.refresh_bindings()

    # -- copy into the stage targets ------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_targets":
            result = self._result()
            ok = (
                result is not None
                and plan_period_id(self.service.session) is not None
                and any(r.needed is not None for r in result.rows)
                and not read_only_session(self)
            )
            return ok or None
        return True

    @on(Button.Pressed, "#wit-copy")
    def _copy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_copy_targets()

    def action_copy_targets(self) -> None:
        """Each stage's figure becomes its target for the period the figures are worked out at."""
        if read_only_session(self):
            return
        session = self.service.session
        result = self._result()
        pid = plan_period_id(session)
        if result is None or pid is None:
            say_refused(self, "Nothing to copy: enter a revenue target, a deal value and counts")
            return
        records, replaced = target_counts(session, result, pid)
        label = one_line(result.period_label)

        def save() -> None:
            if not records:
                return
            try:
                self.service.save_together(list(records))
            except REFUSALS as exc:
                say_refused(self, str(exc))

        if not replaced:
            save()
            return
        names = {s.id: one_line(s.name) for s in session.funnel_stages}
        which = ", ".join(names.get(sid, "?") for sid in replaced)

        def answered(ok: bool | None) -> None:
            if ok:
                save()

        self.app.push_screen(
            ConfirmDialog(
                "Replace the stage targets?",
                f"{label} already has targets that differ ({which}). Each stage's figure "
                "replaces its target; the counts stay.",
                confirm_label="Replace",
                cancel_label="Keep",
                destructive=True,
            ),
            answered,
        )


def _columns(rows: list[Cells]) -> list[Column]:
    return [
        Column("stage", "Stage"),
        sized("needed", "Needed", rows),
        sized("today", "Today", rows),
        sized("gap", "Gap", rows),
        sized("target", "Target", rows, drop=1),
    ]


__all__ = ["PERIOD_OPTIONS", "PlanSection"]

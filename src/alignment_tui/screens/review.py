"""The review meeting: where a follow-up starts.

Opened from the workshop (ctrl+r) or with ``alignment-tui open PATH --review``.
It shows, in the order a review runs: the open actions (overdue first), the
funnel's latest period beside the one before with the change, the state of
every sign-off, and the review's own notes and the next review date. Opening
it records a review for today (once per day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Static

from ..form.fields import Field, SavingInput, SavingTextArea
from ..sessions import clock
from ..sessions.models import (
    Action,
    ActionStatus,
    FunnelPeriod,
    LeadRole,
    Review,
    SignOffSubject,
)
from ..sessions.parse import parse_date
from ..sessions.service import SessionService
from ..widgets.footer import KeyFooter

#: The narrowest the action text gets before the table scrolls sideways instead.
MIN_ACTION_WIDTH = 20
ACTION_COLUMNS = ("", "Action", "Step", "Owner", "Due")

SUBJECT_LABELS = {
    SignOffSubject.GOALS: "Joint goals",
    SignOffSubject.STORY: "Baseline story",
    SignOffSubject.FEEDBACK: "Feedback loop",
}


def review_order(actions: list[Action], today: dt.date) -> list[Action]:
    """Open actions, overdue first (oldest due first), then by due date, undated last."""
    open_ = [a for a in actions if a.status in (ActionStatus.OPEN, ActionStatus.DOING)]

    def key(a: Action) -> tuple[int, dt.date, int]:
        overdue = a.due is not None and a.due < today
        return (0 if overdue else 1 if a.due else 2, a.due or dt.date.max, a.id)

    return sorted(open_, key=key)


def next_period_label(periods: list[FunnelPeriod], today: dt.date) -> str:
    """A label for a new period: this quarter, or 'Review YYYY-MM-DD' if taken."""
    labels = {p.label for p in periods}
    quarter = f"{today.year} Q{(today.month - 1) // 3 + 1}"
    if quarter not in labels:
        return quarter
    label = f"Review {today.isoformat()}"
    n = 2
    while label in labels:
        label = f"Review {today.isoformat()} ({n})"
        n += 1
    return label


class ReviewScreen(Screen[None]):
    """The regular review of what was agreed."""

    BINDINGS = [
        Binding("escape,ctrl+r", "close", "Back to workshop", id="review_close",
                tooltip="Leave the review and return to the workshop steps"),
        Binding("space", "toggle_done", "Tick done", id="review_toggle", show=False,
                tooltip="Tick the highlighted action done (or open again)"),
    ]  # fmt: skip

    def __init__(self, service: SessionService, *, today: dt.date | None = None) -> None:
        super().__init__()
        self.service = service
        self.today = today or clock.today()
        self.review: Review | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-intro")
            yield Static("Open actions", classes="review-heading")
            yield DataTable(id="review-actions", cursor_type="row", zebra_stripes=True)
            yield Static("", id="review-actions-note", classes="review-note")
            yield Static("Funnel: latest period beside the one before", classes="review-heading")
            yield DataTable(id="review-funnel", cursor_type="none", zebra_stripes=True)
            with Horizontal(classes="review-buttons"):
                yield Button("Add a period for this review", id="review-add-period")
            yield Static("Sign-offs", classes="review-heading")
            yield Static("", id="review-signoffs")
            yield Static("This review", classes="review-heading")
            yield Field(
                "Notes of this review",
                SavingTextArea(save=self._save_notes, id="review-notes"),
            )
            yield Field(
                "Next review",
                SavingInput(
                    self._next_review_text(),
                    save=self._save_next_review,
                    id="review-next",
                    placeholder="YYYY-MM-DD, or +4w",
                ),
                hint="the date the room meets again",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        meta = self.service.session.meta
        self.title = f"Review: {meta.title}"
        self.sub_title = self.today.isoformat()
        self.review = self._record_review()
        if self.review is not None:
            self.query_one("#review-notes", SavingTextArea).set_text_quietly(self.review.notes)
        self.service.subscribe(self._changed)
        self.refresh_views()
        self.query_one("#review-actions", DataTable).focus()

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._changed)

    # -- records ---------------------------------------------------------------

    def _record_review(self) -> Review | None:
        for review in self.service.session.reviews:
            if review.held_on == self.today:
                return review
        if self.service.readonly:
            return None
        return self.service.add(Review, held_on=self.today)

    def _save_notes(self, text: str) -> None:
        if self.review is None:
            raise ValueError("This session is open read-only; notes are not saved")
        current = next(r for r in self.service.session.reviews if r.id == self.review.id)
        self.review = self.service.update(current, notes=text)

    def _next_review_text(self) -> str:
        nxt = self.service.session.meta.next_review
        return nxt.isoformat() if nxt else ""

    def _save_next_review(self, text: str) -> None:
        self.service.update_meta(next_review=parse_date(text, field="Next review"))

    # -- views -------------------------------------------------------------------

    def _changed(self, what: str) -> None:
        self.call_after_refresh(self.refresh_views)

    def refresh_views(self) -> None:
        self._intro()
        self._actions()
        self._funnel()
        self._signoffs()

    def _intro(self) -> None:
        s = self.service.session
        earlier = sorted((r for r in s.reviews if r.held_on < self.today), key=lambda r: r.held_on)
        last = earlier[-1].held_on.isoformat() if earlier else "none yet"
        due = s.meta.next_review
        if due is None:
            due_text = "no review date was set"
        elif due < self.today:
            due_text = f"was due {due.isoformat()} ({(self.today - due).days} days ago)"
        else:
            due_text = f"planned for {due.isoformat()}"
        self.query_one("#review-intro", Static).update(
            Content.from_markup(
                "Workshop held $held · previous review: $last · this review $due",
                held=s.meta.workshop_date.isoformat(),
                last=last,
                due=due_text,
            )
        )

    def _actions(self) -> None:
        table = self.query_one("#review-actions", DataTable)
        s = self.service.session
        keep = table.cursor_row
        table.clear(columns=True)
        ordered = review_order(s.actions, self.today)
        overdue = sum(1 for a in ordered if a.due is not None and a.due < self.today)
        # The action text takes what the other columns leave and wraps, so the
        # owner and the due date (with OVERDUE) stay in view at 80 columns; when
        # room is short, OVERDUE goes on its own line above the date.
        rows = self._action_rows(ordered, stacked=False)
        action_width = self._action_width(table, rows)
        if action_width is not None and action_width <= MIN_ACTION_WIDTH and overdue:
            rows = self._action_rows(ordered, stacked=True)
            action_width = self._action_width(table, rows)
        for label in ACTION_COLUMNS:
            table.add_column(label, width=action_width if label == "Action" else None)
        for a, row in zip(ordered, rows, strict=True):
            table.add_row(*row, key=str(a.id), height=None if action_width else 1)
        done = sum(1 for a in s.actions if a.status is ActionStatus.DONE)
        note = f"{len(ordered)} open, {overdue} overdue, {done} done. Space ticks the highlighted action done."
        if not ordered:
            note = f"No open actions: {done} done."
        self.query_one("#review-actions-note", Static).update(Content(note))
        if ordered:
            table.move_cursor(row=min(keep, len(ordered) - 1))

    def _action_rows(self, ordered: list[Action], *, stacked: bool) -> list[list[Text]]:
        s = self.service.session
        error_style = f"bold {self.app.get_css_variables().get('error', '')}".strip()
        rows: list[list[Text]] = []
        for a in ordered:
            due = Text(a.due.isoformat() if a.due else "—")
            if a.due is not None and a.due < self.today:
                gap = "\n" if stacked else " "
                due = Text.assemble(("OVERDUE", error_style), gap, a.due.isoformat())
            rows.append(
                [
                    Text("[ ]" if a.status is ActionStatus.OPEN else "[~]"),
                    Text(a.text),
                    Text(a.step.short),
                    Text(s.owner_name(a) or "—"),
                    due,
                ]
            )
        return rows

    def _action_width(self, table: DataTable[Any], rows: list[list[Text]]) -> int | None:
        """The action column's width when every text does not fit on one line, else None."""
        width = (table.size.width or self.size.width) - table.styles.scrollbar_size_vertical
        if not rows or width <= 0:
            return None
        widths = [
            max(cell_len(label), *(_width(row[i]) for row in rows))
            for i, label in enumerate(ACTION_COLUMNS)
        ]
        spare = width - sum(w for i, w in enumerate(widths) if i != 1) - 5 * 2 * table.cell_padding
        return None if spare >= widths[1] else max(MIN_ACTION_WIDTH, spare)

    def on_resize(self) -> None:
        self.call_after_refresh(self._actions)

    def _funnel(self) -> None:
        s = self.service.session
        table = self.query_one("#review-funnel", DataTable)
        table.clear(columns=True)
        periods = s.sorted_periods()
        if not periods:
            table.add_columns("Funnel")
            table.add_row(Text("No periods yet: add one for this review."))
            return
        cur = periods[-1]
        prev = periods[-2] if len(periods) > 1 else None
        cols = ["Stage", "Owner"]
        if prev:
            cols.append(prev.label)
        cols += [cur.label, "Change"]
        table.add_columns(*(Text(c) for c in cols))
        for stage in s.sorted_stages():
            now_c = s.count_for(stage.id, cur.id)
            now_v = now_c.count if now_c else None
            row: list[Text | str] = [Text(stage.name), stage.owner.value]
            if prev:
                prev_c = s.count_for(stage.id, prev.id)
                prev_v = prev_c.count if prev_c else None
                row.append(_num(prev_v))
            else:
                prev_v = None
            row.append(_num(now_v))
            row.append(_change(prev_v, now_v))
            table.add_row(*row)

    def _signoffs(self) -> None:
        lines: list[Content] = []
        for subject, label in SUBJECT_LABELS.items():
            parts = []
            for role in (LeadRole.SALES, LeadRole.MARKETING):
                state = self.service.signoff_state(subject, role)
                who = "Sales" if role is LeadRole.SALES else "Marketing"
                mark = {"signed": "✔ signed", "changed": "⚠ changed since", "missing": "○ not yet"}
                parts.append(f"{who} lead {mark[state]}")
            lines.append(Content(f"{label}: " + " · ".join(parts)))
        self.query_one("#review-signoffs", Static).update(Content("\n").join(lines))

    # -- verbs -------------------------------------------------------------------

    @on(Button.Pressed, "#review-add-period")
    def add_period(self) -> None:
        s = self.service.session
        label = next_period_label(s.funnel_periods, self.today)
        try:
            self.service.add(FunnelPeriod, label=label, starts=self.today)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Period '{label}' added: enter its counts in the funnel step (4)")

    def action_toggle_done(self) -> None:
        table = self.query_one("#review-actions", DataTable)
        if table.row_count == 0 or not table.has_focus:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        action = next((a for a in self.service.session.actions if str(a.id) == key), None)
        if action is None:
            return
        try:
            self.service.toggle_action(action)
        except ValueError as exc:
            self.notify(str(exc), severity="error")

    def action_close(self) -> None:
        for field in self.query(SavingInput):
            field.flush()
        for area in self.query(SavingTextArea):
            area.flush()
        self.dismiss(None)


def _width(text: Text) -> int:
    """The widest line of *text*."""
    return max(cell_len(line) for line in text.plain.split("\n"))


def _num(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _change(prev: int | None, now: int | None) -> Text:
    if prev is None or now is None:
        return Text("—")
    diff = now - prev
    if prev == 0:
        rel = ""
    else:
        rel = f" ({diff / prev:+.0%})"
    arrow = "▲" if diff > 0 else "▼" if diff < 0 else "="
    return Text(f"{arrow} {diff:+,}{rel}")

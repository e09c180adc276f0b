"""The review meeting: look at what changed, then start the review on purpose.

Opened from the workshop (ctrl+r) or with ``alignment-tui open PATH --review``.
Opening it records nothing: it shows :func:`~..sessions.review.review_figures`
for today (since the last review): the joint goals against their targets with
their trend, the funnel's change per stage in percentage points, the hand-overs
against the agreement (flagged when missed), whether the feedback loop met as
agreed, and the actions done, slipped and new; then the open actions (overdue
first, space ticks one done) and the sign-offs.

"Start this review" (the button, or F5) asks once, then records the review
with :meth:`~..sessions.service.SessionService.start_review` for the day the
screen was opened. When the latest funnel period was already an earlier
review's, the question says so and the review is started with a new period for
its counts (``period_for_new_review``); otherwise it looks at the latest one. A review already recorded that day is the one shown, and
continued. Once there is one, the screen shows the fields it holds: each joint
goal's value, each hand-over's achieved response time and share returned, its
notes and the next review date, saved as typed through the shared form layer
(a refused value keeps what was typed, with the reason under it).

Under the feedback loop's line ("met 3 of 4 times agreed since the last
review", and the meetings held) a meeting held is recorded by its date and an
optional note, started review or not: the loop meets between reviews.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Input, Static

from ..form.confirm import ConfirmDialog
from ..form.fields import DateInput, Field, SavingInput, SavingTextArea, flush_fields, load_fields
from ..form.oneline import OneLineInput
from ..form.refusal import REFUSALS, attempt, say_refused, show_reason
from ..sessions import clock
from ..sessions.models import (
    Action,
    ActionStatus,
    FunnelPeriod,
    Goal,
    Handover,
    LeadRole,
    Review,
    Session,
    SignOffSubject,
)
from ..sessions.parse import parse_date
from ..sessions.review import (
    ReviewFigures,
    fmt_value,
    handover_performance,
    meeting_day,
    period_for_new_review,
    review_figures,
    review_window,
)
from ..sessions.service import SessionService
from ..sessions.targets import goal_title, target_short
from ..stylesheets import use_room
from ..widgets.footer import KeyFooter
from . import review_tables as tables

#: The narrowest the action text gets before the table scrolls sideways instead.
MIN_ACTION_WIDTH = 20
#: The narrowest a wrapped column of the figures' tables gets (a goal, a hand-over).
MIN_WRAP_WIDTH = 12
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
    """The regular review of what was agreed: a look first, a record on purpose."""

    BINDINGS = [
        Binding("escape,ctrl+r", "close", "Back to workshop", id="review_close",
                tooltip="Leave the review and return to the workshop steps"),
        Binding("f5", "start_review", "Start this review", id="review_start",
                tooltip="Record this review with today's date (asks first); then its "
                        "goal values, hand-over figures and notes can be written"),
        # not in the footer (it keeps to one line at 80 columns): the screen's note says F7
        Binding("f7", "export_pack", "Export the pack", id="review_export", show=False,
                tooltip="Write the 'since the last review' pack for the two directors "
                        "(Markdown) beside the session file"),
        Binding("space", "toggle_done", "Tick done", id="review_toggle", show=False,
                tooltip="Tick the highlighted action done (or open again)"),
    ]  # fmt: skip

    def __init__(self, service: SessionService, *, today: dt.date | None = None) -> None:
        super().__init__()
        self.service = service
        self.today = today or clock.today()
        #: The review shown: the one recorded on the day the screen opened, if any.
        self.review: Review | None = service.review_on(self.today)
        self.figures: ReviewFigures | None = None

    # -- building ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        use_room(self.app, "review")
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-intro")
            with Horizontal(classes="review-buttons"):
                yield Button("Start this review (F5)", id="review-start", variant="primary")
            yield Static("Joint goals against their targets", classes="review-heading")
            yield DataTable(id="review-goals", cursor_type="none", zebra_stripes=True)
            with Vertical(id="review-goal-fields", classes="review-record"):
                for goal in self._goals():
                    yield self._goal_field(goal)
            yield Static("", id="review-funnel-heading", classes="review-heading")
            yield DataTable(id="review-funnel", cursor_type="none", zebra_stripes=True)
            with Horizontal(classes="review-buttons"):
                yield Button("Add a period for this review", id="review-add-period")
            yield Static("", id="review-handovers-heading", classes="review-heading")
            yield DataTable(id="review-handovers", cursor_type="none", zebra_stripes=True)
            with Vertical(id="review-handover-fields", classes="review-record"):
                for result in handover_performance(
                    self.service.session, review_window(self.service.session, today=self.today)
                ):
                    yield self._handover_fields(result.handover, result.label)
            yield Static("Feedback loop", classes="review-heading")
            yield Static("", id="review-loop")
            # A meeting held is recorded whether or not this review is started: the loop
            # meets between reviews, and a meeting belongs to none of them.
            with Horizontal(id="review-meeting", classes="review-meeting-row"):
                yield Field(
                    "Loop meeting held on",
                    OneLineInput(placeholder="YYYY-MM-DD, or today", id="review-meeting-date"),
                    id="field-review-meeting-date",
                )
                yield Field(
                    "Note (optional)",
                    OneLineInput(placeholder="e.g. moved from the 29th", id="review-meeting-note"),
                    id="field-review-meeting-note",
                )
                yield Button("Record meeting", id="review-meeting-add")
            yield Static("Actions", classes="review-heading")
            yield Static("", id="review-since", classes="review-lines")
            yield Static("Open actions", classes="review-subheading")
            yield DataTable(id="review-actions", cursor_type="row", zebra_stripes=True)
            yield Static("", id="review-actions-note", classes="review-note")
            yield Static("Sign-offs", classes="review-heading")
            yield Static("", id="review-signoffs")
            yield Static("This review", classes="review-heading")
            yield Static("", id="review-record-note", classes="review-note")
            with Vertical(id="review-own-fields", classes="review-record"):
                yield Field(
                    "Notes of this review",
                    SavingTextArea(
                        read=lambda: self._current().notes if self.review else "",
                        save=self._save_notes,
                        id="review-notes",
                    ),
                )
                yield Field(
                    "Next review",
                    DateInput(
                        read=lambda: self._current().next_review if self.review else None,
                        parse=lambda text: parse_date(text, field="Next review"),
                        save=self._save_next_review,
                        id="review-next",
                        placeholder="YYYY-MM-DD, or +4w",
                    ),
                    hint="the date the room meets again",
                )
        yield KeyFooter()

    def _goals(self) -> list[Goal]:
        return sorted(self.service.session.goals, key=lambda g: (g.position, g.id))

    def _goal_field(self, goal: Goal) -> Field:
        measure = " ".join(goal.measure.split()) or goal_title(goal)
        target = f" · target {' '.join(goal.target.split())}" if goal.target.strip() else ""
        return Field(
            tables.cut(f"{goal.position or goal.id}. {measure}{target}", 72),
            SavingInput(
                read=lambda: self._goal_text(goal.id),
                save=lambda text: self._save_goal(goal.id, text),
                id=f"review-goal-{goal.id}",
                placeholder="a number, or a few words",
                tooltip=goal_title(goal),
            ),
        )

    def _handover_fields(self, handover: Handover, label: str) -> Horizontal:
        """The figures achieved at one hand-over (what was agreed is in the table above)."""
        hid = handover.id
        return Horizontal(
            Static(Content(label), classes="review-handover-label"),
            Field(
                "Response (hours)",
                SavingInput(
                    read=lambda: self._figure(hid, "response_hours"),
                    save=lambda text: self._save_figure(hid, response_hours=text),
                    id=f"review-handover-{hid}-hours",
                    tooltip=f"{label}: the response time achieved, in hours",
                ),
            ),
            Field(
                "Returned (%)",
                SavingInput(
                    read=lambda: self._figure(hid, "returned_pct"),
                    save=lambda text: self._save_figure(hid, returned_pct=text),
                    id=f"review-handover-{hid}-returned",
                    tooltip=f"{label}: the share of handed-over leads sent back",
                ),
            ),
            classes="review-handover-row",
        )

    def on_mount(self) -> None:
        # The figures' tables are read, not worked in: Tab goes from one field to the next.
        for table_id in ("#review-goals", "#review-funnel", "#review-handovers"):
            self.query_one(table_id, DataTable).can_focus = False
        meta = self.service.session.meta
        self.title = f"Review: {meta.title}"
        self.sub_title = self.today.isoformat()
        self.service.subscribe(self._changed)
        self._show_record()
        self.refresh_views()
        # The focus starts at the top, where the review starts: the button that starts
        # it, or the first goal's value once it is recorded (the actions table when
        # nothing can be recorded); the screen shows its top, not the focused widget.
        start = self.query_one("#review-start", Button)
        goals = list(self.query("#review-goal-fields SavingInput"))
        if start.display and not start.disabled:
            start.focus(scroll_visible=False)
        elif self.review is not None and goals and not self.service.readonly:
            goals[0].focus(scroll_visible=False)
        else:
            self.query_one("#review-actions", DataTable).focus(scroll_visible=False)

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._changed)

    # -- the record ----------------------------------------------------------------

    def _current(self) -> Review:
        """The review shown, as the session holds it now."""
        if self.review is None:
            raise ValueError("Start this review first (F5): nothing is recorded yet")
        current = next((r for r in self.service.session.reviews if r.id == self.review.id), None)
        if current is None:
            raise ValueError("This review is no longer recorded")
        self.review = current
        return current

    def _goal_text(self, goal_id: int) -> str:
        if self.review is None:
            return ""
        value = self.service.goal_value(self.review, goal_id)
        if value is None:
            return ""
        return fmt_value(value.value) if value.value is not None else value.text

    def _save_goal(self, goal_id: int, text: str) -> None:
        self.service.set_goal_value(self._current(), goal_id, text)

    def _figure(self, handover_id: int, name: str) -> str:
        if self.review is None:
            return ""
        figure = self.service.handover_figure(self.review, handover_id)
        number = getattr(figure, name) if figure is not None else None
        return "" if number is None else fmt_value(number)

    def _save_figure(self, handover_id: int, **figures: str) -> None:
        cleared = {k: (v if v.strip() else None) for k, v in figures.items()}
        self.service.set_handover_figures(self._current(), handover_id, **cleared)

    def _save_notes(self, text: str) -> None:
        self.service.set_review_notes(self._current(), text)

    def _save_next_review(self, day: dt.date | None) -> None:
        # the session's next review follows when this is the latest review (one save)
        self.service.set_next_review(self._current(), day)

    def _show_record(self) -> None:
        """The record's fields shown once there is a review; the start button until then."""
        started = self.review is not None
        for part in self.query(".review-record"):
            part.display = started
        self.query_one("#review-start", Button).display = not started
        if self.service.readonly:
            self.query_one("#review-start", Button).disabled = True
            self.query_one("#review-meeting").display = False
        if started:
            note = (
                "Recorded; everything below is saved with it as you type. F7 writes the "
                "pack for the two directors beside the session file."
            )
        elif self.service.readonly:
            note = "Nothing is recorded: this session is open read-only."
        else:
            note = (
                "Nothing is recorded yet: start this review (F5) to write each goal's value, "
                "the hand-overs' figures, its notes and the next review date. F7 writes the "
                "pack for the two directors beside the session file."
            )
        self.query_one("#review-record-note", Static).update(Content(note))

    # -- views -------------------------------------------------------------------

    def _changed(self, what: str) -> None:
        self.call_after_refresh(self.refresh_views)

    def refresh_views(self) -> None:
        if self.review is not None and self.review not in self.service.session.reviews:
            self.review = next(
                (r for r in self.service.session.reviews if r.id == self.review.id), None
            )
        self.figures = review_figures(self.service.session, self.review, today=self.today)
        self._intro()
        self._goals_table()
        self._funnel_table()
        self._handovers_table()
        self._loop_and_actions()
        self._actions()
        self._signoffs()

    def _styles(self) -> tuple[str, str]:
        variables = self.app.get_css_variables()
        return (
            f"bold {variables.get('error', '')}".strip(),
            variables.get("success", ""),
        )

    def _intro(self) -> None:
        assert self.figures is not None
        s = self.service.session
        window = self.figures.window
        if self.review is None:
            what = "Looking, nothing recorded: what changed $since, to today"
        else:
            what = "The review of $held (recorded): what changed $since"
        due = s.meta.next_review
        if due is None:
            due_text = "no review date was set"
        elif due < self.today:
            due_text = f"was due {due.isoformat()} ({(self.today - due).days} days ago)"
        else:
            due_text = f"planned for {due.isoformat()}"
        self.query_one("#review-intro", Static).update(
            Content.from_markup(
                what + " · workshop held $workshop · next review $due",
                since=window.since_label,
                held=window.end.isoformat(),
                workshop=s.meta.workshop_date.isoformat(),
                due=due_text,
            )
        )

    def _fill(
        self,
        table: DataTable[Any],
        columns: list[str],
        rows: list[list[Text]],
        *,
        wrap: int | None = None,
    ) -> bool:
        """Fill *table*; when the rows are wider than the table, column *wrap* takes what
        the others leave and wraps (at least :data:`MIN_WRAP_WIDTH`). True when it all fits."""
        table.clear(columns=True)
        room = self._room(table)
        widths = [
            max(cell_len(label), *(_width(row[i]) for row in rows))
            for i, label in enumerate(columns)
        ]
        padding = 2 * table.cell_padding * len(columns)
        fits = sum(widths) + padding <= room
        width = None
        if not fits and wrap is not None:
            width = max(MIN_WRAP_WIDTH, room - padding - sum(widths) + widths[wrap])
            fits = width + padding + sum(widths) - widths[wrap] <= room
        for i, label in enumerate(columns):
            table.add_column(Text(label), width=width if i == wrap else None)
        for row in rows:
            table.add_row(*row, height=None if width else 1)
        return fits

    def _room(self, table: DataTable[Any]) -> int:
        """The cells a table has across, without its vertical scrollbar."""
        body = self.query_one("#review-body")
        width = table.size.width or (body.size.width - body.styles.gutter.width)
        return width - table.styles.scrollbar_size_vertical

    def _goals_table(self) -> None:
        assert self.figures is not None
        error, ok = self._styles()
        table = self.query_one("#review-goals", DataTable)
        if not self.figures.goals:
            self._fill(table, ["Goals"], [[Text("No joint goals were written.")]])
            return
        # The goal's words and target take what the other columns leave (cut with "…"),
        # so the values, the trend and the verdict stay in view at 80 columns.
        columns = list(tables.GOAL_COLUMNS)
        rows = tables.goal_rows(self.figures.goals, width=200, error=error, ok=ok)
        others = sum(
            max(cell_len(label), *(_width(row[i]) for row in rows))
            for i, label in enumerate(columns)
            if i
        )
        spare = self._room(table) - others - 2 * table.cell_padding * len(columns)
        width = max(MIN_WRAP_WIDTH, min(spare, max(_width(row[0]) for row in rows)))
        muted = self.app.get_css_variables().get("text-muted", "dim")
        rows = tables.goal_rows(self.figures.goals, width=width, error=error, ok=ok, muted=muted)
        table.clear(columns=True)
        table.add_columns(*(Text(c) for c in columns))
        for row in rows:
            table.add_row(*row, height=2)

    def _funnel_table(self) -> None:
        assert self.figures is not None
        funnel = self.figures.funnel
        heading = self.query_one("#review-funnel-heading", Static)
        table = self.query_one("#review-funnel", DataTable)
        if funnel.period is None:
            heading.update(Content("Funnel"))
            self._fill(table, ["Funnel"], [[Text("No periods yet: add one for this review.")]])
            return
        base = funnel.base_period.label if funnel.base_period else "no earlier period"
        heading.update(
            Content.from_markup(
                "Funnel: $now against $base (conversion change in points)",
                now=funnel.period.label,
                base=base,
            )
        )
        columns = tables.funnel_columns(funnel)
        rows = tables.funnel_rows(funnel, self.figures.trends)
        if not self._fill(table, columns, rows):
            # narrow: the change in counts without its per cent, so the trend stays in view
            rows = tables.funnel_rows(funnel, self.figures.trends, compact=True)
            self._fill(table, columns, rows, wrap=0)

    def _handovers_table(self) -> None:
        assert self.figures is not None
        error, ok = self._styles()
        table = self.query_one("#review-handovers", DataTable)
        if not self.figures.handovers:
            self._fill(table, ["Hand-overs"], [[Text("No hand-over agreed yet.")]])
            return
        results = self.figures.handovers
        heading = "Hand-overs against the agreement"
        previous = self.figures.window.previous
        if self.review is None and previous is not None:
            # looking: what the last review measured (nothing is measured today until started)
            results = [replace(h, figure=h.before, before=None) for h in results]
            heading += f", as measured at the review of {previous.held_on.isoformat()}"
        self.query_one("#review-handovers-heading", Static).update(Content(heading))
        rows = tables.handover_rows(results, error=error, ok=ok)
        self._fill(table, list(tables.HANDOVER_COLUMNS), rows, wrap=0)

    def _loop_and_actions(self) -> None:
        assert self.figures is not None
        since = self.figures.window.since_label
        self.query_one("#review-loop", Static).update(tables.loop_line(self.figures.loop, since))
        self.query_one("#review-since", Static).update(
            tables.actions_lines(self.service.session, self.figures.actions, since)
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
        error_style = self._styles()[0]
        rows: list[list[Text]] = []
        for a in ordered:
            due = Text(a.due.isoformat() if a.due else "—")
            if a.due is not None and a.due < self.today:
                gap = "\n" if stacked else " "
                due = Text.assemble(("OVERDUE", error_style), gap, a.due.isoformat())
            # what it aims at, dimmed after its text, as in the workshop's actions table
            aim = target_short(s, a)
            text = Text.assemble(a.text, (f" → {aim}", "dim")) if aim else Text(a.text)
            rows.append(
                [
                    Text("[ ]" if a.status is ActionStatus.OPEN else "[~]"),
                    text,
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
        self.call_after_refresh(self._goals_table)
        self.call_after_refresh(self._funnel_table)
        self.call_after_refresh(self._handovers_table)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_review" and (self.review is not None or self.service.readonly):
            return None  # greyed out: started already, or nothing can be recorded
        return True

    @on(Button.Pressed, "#review-start")
    def action_start_review(self) -> None:
        if self.review is not None or self.service.readonly:
            return
        s = self.service.session
        period = period_for_new_review(s)
        new_period: str | None = None
        if period is not None:
            looks_at = f", looking at funnel period {period.label}"
        else:
            # The latest period was an earlier review's (or there is none): this review's
            # counts get a period of their own, added with it.
            new_period = next_period_label(s.funnel_periods, self.today)
            looks_at = (
                f", with a new funnel period {new_period} for its counts"
                " (enter them in the funnel step)"
            )
        question = (
            f"Records a review held on {self.today.isoformat()}{looks_at}; its goal values, "
            "hand-over figures, notes and next date are then saved with it."
        )
        self.app.push_screen(
            ConfirmDialog("Start this review?", question, confirm_label="Start"),
            partial(self._start_answered, new_period),
        )

    def _start_answered(self, new_period: str | None, ok: bool | None) -> None:
        if not ok:
            return
        review = attempt(self, self.service.start_review, self.today, new_period=new_period)
        if review is None:
            return
        self.review = review
        self._show_record()
        load_fields(self, force=True)
        self.refresh_views()
        self.refresh_bindings()
        goals = list(self.query("#review-goal-fields SavingInput"))
        (goals[0] if goals else self.query_one("#review-notes")).focus()
        added = f", with funnel period {new_period}" if new_period else ""
        self.notify(f"Review of {self.today.isoformat()} recorded{added}")

    @on(Button.Pressed, "#review-meeting-add")
    @on(Input.Submitted, "#review-meeting-date")
    @on(Input.Submitted, "#review-meeting-note")
    def record_meeting(self) -> None:
        """Record a loop meeting held on the day typed; a refused day keeps what was typed,
        with its reason under the row."""
        day_input = self.query_one("#review-meeting-date", Input)
        note_input = self.query_one("#review-meeting-note", Input)
        row = self.query_one("#review-meeting")
        try:
            day = meeting_day(day_input.value, self.today)
            self.service.add_loop_meeting(day, note_input.value)
        except REFUSALS as exc:
            show_reason(day_input, str(exc), anchor=row)
            day_input.focus()
            return
        show_reason(day_input, None)
        day_input.value = ""
        note_input.value = ""
        day_input.focus()
        self.notify(f"Loop meeting of {day.isoformat()} recorded")

    @on(Input.Changed, "#review-meeting-date")
    def _meeting_date_changed(self) -> None:
        show_reason(self.query_one("#review-meeting-date", Input), None)

    @on(Button.Pressed, "#review-add-period")
    def add_period(self) -> None:
        s = self.service.session
        label = next_period_label(s.funnel_periods, self.today)
        if attempt(self, self.service.add, FunnelPeriod, label=label, starts=self.today) is None:
            return
        if self.review is not None:
            # the review looks at the period added for it
            added = max(s.funnel_periods, key=lambda p: (p.position, p.id))
            attempt(self, self.service.set_review_period, self.review, added.id)
        self.notify(f"Period '{label}' added: enter its counts in the funnel step (4)")

    def action_toggle_done(self) -> None:
        table = self.query_one("#review-actions", DataTable)
        if table.row_count == 0 or not table.has_focus:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        action = next((a for a in self.service.session.actions if str(a.id) == key), None)
        if action is None:
            return
        attempt(self, self.service.toggle_action, action)

    def pack_path(self) -> Path:
        """``acme.alignment.db`` → ``acme.review-2027-04-08.md`` beside it."""
        name = self.service.path.name
        for suffix in (".alignment.db", ".db"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        return self.service.path.with_name(f"{name}.review-{self.today.isoformat()}.md")

    def action_export_pack(self) -> None:
        flush_fields(self)
        self._write_pack(self.service.session.model_copy(deep=True), self.pack_path())

    @work(thread=True, exclusive=True, group="review-pack")
    def _write_pack(self, session: Session, path: Path) -> None:
        """Render and write the pack in a thread; never over an existing file."""
        from ..sessions.export import write_export

        try:
            write_export(session, "review", path)
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(say_refused, self, f"Export failed: {exc}")
            return
        self.app.call_from_thread(self.notify, f"Review pack written to {path}", timeout=8)

    def action_close(self) -> None:
        flush_fields(self)
        self.dismiss(None)


def _width(text: Text) -> int:
    """The widest line of *text*."""
    return max(cell_len(line) for line in text.plain.split("\n"))

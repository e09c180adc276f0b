"""The actions agreed in the room, as a compact table: one step's, or all of them.

Every step pane ends with an :class:`ActionsPanel` for its own step; the wrap-up
shows one panel with every action (``step=None``, with a Step column). Keys on
the focused table: enter edits, space ticks done (or back to open), delete
removes after a confirmation, ``a`` adds. The panel rebuilds itself whenever the
session changes and keeps the cursor on the same action.

An action that names the goal or funnel stage it is meant to improve says so after its
text, dimmed ("→ Stage: Meeting"; "→ Stage: Enquiry (removed)" once that stage is gone).

The done mark is text (``[x]``, ``[ ]``, ``[~]`` doing, ``[-]`` dropped) and an
overdue action says "overdue" in words, so nothing relies on colour alone.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from functools import lru_cache
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from ..sessions import clock
from ..sessions.errors import SessionFileError
from ..sessions.models import STEP_ORDER, Action, ActionStatus, Session, StepId
from ..sessions.service import SessionService
from ..sessions.targets import target_short

#: The text mark of each status (never colour alone).
MARKS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "[ ]",
    ActionStatus.DOING: "[~]",
    ActionStatus.DONE: "[x]",
    ActionStatus.DROPPED: "[-]",
}

#: Short step tags for the Step column (fits a narrow pane).
STEP_TAGS: dict[StepId, str] = {
    StepId.SETUP: "Set-up",
    StepId.GOALS: "0 Goals",
    StepId.STORY: "1 Story",
    StepId.CRM: "2 CRM",
    StepId.FEEDBACK: "3 Feedback",
    StepId.FUNNEL: "4 Funnel",
    StepId.WRAPUP: "Wrap-up",
}

EMPTY_NOTE = "No actions yet — F2 adds one"
#: What an empty panel says in a read-only copy (F2 does nothing there).
EMPTY_NOTE_READ_ONLY = "No actions yet"
MIN_TEXT_WIDTH = 14
MAX_OWNER_WIDTH = 14
MAX_TEXT_LINES = 3
#: Keep equal to the table's max-height in styles/actions.tcss.
MAX_TABLE_LINES = 14


def is_overdue(action: Action, today: dt.date | None = None) -> bool:
    """An open (or in progress) action whose due date has passed."""
    today = today or clock.today()
    return (
        action.due is not None
        and action.due < today
        and action.status in (ActionStatus.OPEN, ActionStatus.DOING)
    )


def action_counts(session: Session, today: dt.date | None = None) -> tuple[int, int, int]:
    """(open, done, overdue); "open" counts open and in-progress actions."""
    open_ = len(session.open_actions())
    done = sum(1 for a in session.actions if a.done)
    overdue = sum(1 for a in session.actions if is_overdue(a, today))
    return open_, done, overdue


def ordered_actions(session: Session, step: StepId | None) -> list[Action]:
    """One step's actions in the order they were added; all of them grouped by step."""
    if step is not None:
        return sorted((a for a in session.actions if a.step is step), key=lambda a: a.id)
    return sorted(session.actions, key=lambda a: (STEP_ORDER.index(a.step), a.id))


def iso_date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def short_date(day: dt.date | None, today: dt.date) -> str:
    """``15 Dec`` within the current year, ``15 Dec 27`` otherwise."""
    if day is None:
        return "—"
    if day.year == today.year:
        return f"{day.day} {day.strftime('%b')}"
    return f"{day.day} {day.strftime('%b')} {day.strftime('%y')}"


@lru_cache(maxsize=4096)
def fit_lines(text: str, width: int, max_lines: int = MAX_TEXT_LINES) -> tuple[str, int]:
    """*text* cut to at most *max_lines* lines of *width* (with "…"), and its line count.

    Filling the wrap-up's table measures every action two or three times (once per
    layout tried, once to show it): cached, and a text that fits one line (no tab
    to expand) skips the wrapping, which was ~40 ms of opening a 300-action session.
    """
    if len(text) <= width and "\t" not in text:
        return text, 1
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) <= max_lines:
        return text, len(lines)
    kept = lines[:max_lines]
    kept[-1] = kept[-1][: max(0, width - 1)].rstrip() + "…"
    return " ".join(kept), max_lines


class ActionsTable(DataTable[Any]):
    """The table itself; its keys act on the highlighted action through the panel."""

    BINDINGS = [
        Binding(
            "enter",
            "edit_action",
            "Edit",
            id="actions_edit",
            tooltip="Edit the highlighted action",
        ),
        Binding(
            "space",
            "toggle_action",
            "Done/undo",
            id="actions_toggle",
            tooltip="Tick the highlighted action done, or back to open",
        ),
        Binding(
            "delete",
            "remove_action",
            "Remove",
            id="actions_remove",
            tooltip="Remove the highlighted action (asks first)",
        ),
        Binding(
            "a",
            "add_action_here",
            "Add",
            id="actions_add",
            tooltip="Add an action",
        ),
    ]

    @property
    def panel(self) -> ActionsPanel:
        return self.query_ancestor(ActionsPanel)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_action", "toggle_action", "remove_action", "add_action_here"):
            if self.panel.service.readonly:
                return False  # a read-only copy does not offer them at all
            if action != "add_action_here" and self.row_count == 0:
                return None
        return True

    def action_edit_action(self) -> None:
        self.panel.edit_current()

    def action_toggle_action(self) -> None:
        self.panel.toggle_current()

    def action_remove_action(self) -> None:
        self.panel.remove_current()

    def action_add_action_here(self) -> None:
        self.panel.add_action()


class ActionsPanel(Vertical):
    """The actions of *step* (or of every step when ``step is None``)."""

    def __init__(self, service: SessionService, *, step: StepId | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        classes = kwargs.pop("classes", "")
        super().__init__(classes=f"actions-panel {classes}".strip(), **kwargs)
        self.service = service
        self.step = step
        self._signature: tuple[Any, ...] | None = None
        self._refresh_pending = False

    # -- building ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The title, and which of the note and the table shows, are final from
        # the start: set after mounting they would lay the screen out again.
        actions = self.actions()
        self._title = self._title_text(actions)
        with Horizontal(classes="actions-head"):
            yield Static(Content(self._title), classes="actions-title")
            add = Button(
                "Add action",
                compact=True,
                classes="actions-add",
                disabled=self.service.readonly,
            )
            # A read-only copy offers no change: no button, rather than a greyed one
            # (decided here, so that nothing is laid out again once it is shown).
            add.display = not self.service.readonly
            yield add
        note = EMPTY_NOTE_READ_ONLY if self.service.readonly else EMPTY_NOTE
        empty = Static(Content(note), classes="actions-empty")
        empty.display = not actions
        yield empty
        table = ActionsTable(cursor_type="row", zebra_stripes=True, classes="actions-table")
        table.display = bool(actions)
        self._size_table(table, len(actions))
        yield table

    def on_mount(self) -> None:
        self.service.subscribe(self._on_session_changed)
        self.watch(self.app, "theme", self._theme_changed, init=False)
        if self._width():
            self._refresh()
        # else the rows are filled on the first resize, for the width laid out.
        # That Resize can be lost (Textual sends one only when the size differs
        # from the screen's last map of widgets, which is also rebuilt between
        # layouts), so a layout that changes the panel's size fills it too.
        self.watch(self, "virtual_size", self._laid_out, init=False)

    def _laid_out(self) -> None:
        if self._signature is None and self._width():
            self.refresh_from_session()

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._on_session_changed)

    def _on_session_changed(self, what: str) -> None:
        if what in ("goals", "funnel_stages"):
            # a goal or stage renamed: only the actions aimed at one show its name
            actions = self.service.session.actions
            if all(a.target_goal_id is None and a.target_stage_id is None for a in actions):
                return
        elif what not in ("actions", "participants"):
            return
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_after_refresh(self._deferred_refresh)

    def _deferred_refresh(self) -> None:
        self._refresh_pending = False
        self.refresh_from_session()

    def _theme_changed(self) -> None:
        self._signature = None
        self.refresh_from_session()

    def on_resize(self, event: Resize) -> None:
        if self._signature is None and event.size.width:
            # The first width laid out (the pane keeps its scrollbar's gutter,
            # so this is its width): fill now, so the rows are laid out with
            # the rest of the pane rather than in a layout of their own.
            self.refresh_from_session()
            return
        # Later widths may settle in a few resizes (a terminal being resized):
        # fill the table once, for the width it ends with, not once per resize.
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_after_refresh(self._deferred_refresh)

    def _width(self) -> int:
        """The width the rows are fitted to: the panel's own once it is laid out.

        Before that, in a step pane that is (the panel spans it), the pane's: the
        rows are then filled, and the table measures them, before the first
        layout of the pane's fields, instead of in two more layouts after it.
        A wrong guess only costs that: the next resize fills the table again.
        """
        width = self.content_region.width
        pane = self.parent
        if width or not isinstance(pane, ScrollableContainer):
            return width
        if pane.scrollable_content_region.width:
            return pane.scrollable_content_region.width
        holder = pane.parent
        if not isinstance(holder, Widget) or not holder.content_region.width:
            return 0
        styles = pane.styles
        scrolls = styles.overflow_y == "scroll" or styles.scrollbar_gutter == "stable"
        gutter = styles.scrollbar_size_vertical if scrolls else 0
        return max(0, holder.content_region.width - styles.gutter.width - gutter)

    @property
    def table(self) -> ActionsTable:
        return self.query_one(ActionsTable)

    def actions(self) -> list[Action]:
        return ordered_actions(self.service.session, self.step)

    def refresh_from_session(self) -> None:
        """Rebuild the rows from the session, keeping the cursor on the same action."""
        if self.is_mounted:
            self._refresh()

    def _refresh(self) -> None:
        session = self.service.session
        actions = self.actions()
        today = clock.today()
        width = self._width() or 60
        signature = (
            width,
            today,
            tuple(
                (
                    a.id,
                    a.text,
                    a.step,
                    a.owner_id,
                    a.due,
                    a.status,
                    session.owner_name(a),
                    target_short(session, a),
                )
                for a in actions
            ),
        )
        self._update_title(actions)
        empty = not actions
        self.query_one(".actions-empty", Static).display = empty
        table = self.table
        table.display = not empty
        self._size_table(table, len(actions))
        if signature == self._signature:
            return
        self._signature = signature
        self._fill(table, session, actions, width, today)

    @staticmethod
    def _size_table(table: ActionsTable, count: int) -> None:
        """Fix the table's height and scrollbar when its rows surely fill it.

        The rows are filled once the panel has a width (they wrap to it), after
        the first layout; a table sized by its rows would then grow, and get its
        scrollbar, in two more layouts of the whole screen. With more actions
        than the table has lines (each takes one at least, plus the heading),
        both are known from the count alone.
        """
        full = count + 1 > MAX_TABLE_LINES
        table.styles.height = MAX_TABLE_LINES if full else "auto"
        table.styles.overflow_y = "scroll" if full else "auto"

    _title = ""

    def _title_text(self, actions: list[Action]) -> str:
        if self.step is None:
            # The wrap-up says the counts in words above the table.
            return "All actions, by step"
        title = "Actions from this step"
        if actions:
            done = sum(1 for a in actions if a.done)
            overdue = sum(1 for a in actions if is_overdue(a))
            extra = f", {overdue} overdue" if overdue else ""
            title = f"{title} ({len(actions)}, {done} done{extra})"
        return title

    def _update_title(self, actions: list[Action]) -> None:
        title = self._title_text(actions)
        if title != self._title:  # an update lays the screen out, even with the same text
            self._title = title
            self.query_one(".actions-title", Static).update(Content(title))

    def _fill(
        self,
        table: ActionsTable,
        session: Session,
        actions: list[Action],
        width: int,
        today: dt.date,
    ) -> None:
        """Rebuild columns and rows for *width*.

        When the full layout (a Step column, ISO dates, full owner names) leaves
        the action text too little room, a compact one is used: the step tag goes
        in front of the text, dates are short and owners are first names.
        """
        keep_key = self.current_key()
        keep_row = table.cursor_row
        gap = 2 * table.cell_padding
        names = [session.owner_name(a) for a in actions]
        aims = {a.id: aim for a in actions if (aim := target_short(session, a))}
        statuses = ["overdue" if is_overdue(a, today) else a.status.value for a in actions]
        status_w = max([6, *(len(x) for x in statuses)])
        all_steps = self.step is None

        def layout(compact: bool, reserve: int) -> tuple[list[str], int, int]:
            owners = [
                (n.split()[0] if compact and n.split() else n) or ("—" if compact else "nobody yet")
                for n in names
            ]
            owner_w = min(MAX_OWNER_WIDTH, max([5, *(len(o) for o in owners)]))
            dues = [short_date(a.due, today) if compact else iso_date(a.due) for a in actions]
            due_w = max([3, *(len(d) for d in dues)])
            fixed = [4, owner_w, due_w, status_w]
            if all_steps and not compact:
                fixed.append(max(len(t) for t in STEP_TAGS.values()))
            spare = width - sum(fixed) - gap * (len(fixed) + 1) - reserve
            return owners, owner_w, spare

        def tag_of(action: Action, compact: bool) -> str:
            return STEP_TAGS[action.step] + " · " if all_steps and compact else ""

        def aim_of(action: Action) -> str:
            aim = aims.get(action.id)
            return f" → {aim}" if aim else ""

        reserve = 0
        while True:
            compact = False
            owners, owner_w, text_w = layout(False, reserve)
            if text_w < 24:
                compact = True
                owners, owner_w, text_w = layout(True, reserve)
            text_w = max(MIN_TEXT_WIDTH, text_w)
            lines_needed = 1 + sum(
                fit_lines(tag_of(a, compact) + a.text + aim_of(a), text_w)[1] for a in actions
            )
            if reserve or lines_needed <= MAX_TABLE_LINES:
                break
            # Taller than the table may grow: leave room for its scrollbar.
            reserve = table.styles.scrollbar_size_vertical

        error_style = self._error_style()
        tag_style = "dim"  # an attribute, not a colour: works in every theme
        table.clear(columns=True)
        table.add_column(Text("Done"), key="done")
        if all_steps and not compact:
            table.add_column(Text("Step"), key="step")
        table.add_column(Text("Action"), width=text_w, key="text")
        table.add_column(Text("Owner"), width=owner_w, key="owner")
        table.add_column(Text("Due"), key="due")
        table.add_column(Text("Status"), key="status")
        for action, owner, status_text in zip(actions, owners, statuses, strict=True):
            tag = tag_of(action, compact)
            aim = aim_of(action)
            shown, lines = fit_lines(tag + " ".join(action.text.split()) + aim, text_w)
            cell = Text(shown, overflow="ellipsis")
            if tag:
                cell.stylize(tag_style, 0, len(tag))
            if aim and shown.endswith(aim):
                cell.stylize(tag_style, len(shown) - len(aim))
            style = error_style if status_text == "overdue" else ""
            row: list[Any] = [Text(MARKS[action.status])]
            if all_steps and not compact:
                row.append(Text(STEP_TAGS[action.step]))
            row += [
                cell,
                Text(owner, no_wrap=True, overflow="ellipsis"),
                Text(short_date(action.due, today) if compact else iso_date(action.due)),
                Text(status_text, style=style),
            ]
            table.add_row(*row, key=str(action.id), height=lines)
        if not actions:
            return
        if keep_key is not None and keep_key in table.rows:
            table.move_cursor(row=table.get_row_index(keep_key), animate=False)
        else:
            table.move_cursor(row=min(keep_row, len(actions) - 1), animate=False)

    def _error_style(self) -> str:
        """The theme's error colour as a Rich style (DataTable cells are Rich text)."""
        colour = self.app.get_css_variables().get("error", "")
        return f"bold {colour}".strip()

    # -- the highlighted action --------------------------------------------------

    def current_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        except Exception:  # an out-of-range cursor just means "none"
            return None
        return key.value

    def current_action(self) -> Action | None:
        key = self.current_key()
        if key is None:
            return None
        return next((a for a in self.service.session.actions if str(a.id) == key), None)

    # -- verbs --------------------------------------------------------------------

    @on(Button.Pressed, ".actions-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_action()

    @on(DataTable.RowSelected)
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        # Enter is bound to edit; this comes from a click on the highlighted row.
        event.stop()
        self.edit_current()

    def add_action(self) -> None:
        from ..dialogs.action_dialog import ActionDialog

        step = self.step or self.service.session.meta.current_step

        def done(result: Action | None) -> None:
            if result is not None:
                self.notify("Action added")
                self.call_after_refresh(self._focus_action, result.id)

        self.app.push_screen(ActionDialog(self.service, step=step), done)

    def _focus_action(self, action_id: int) -> None:
        self.refresh_from_session()
        table = self.table
        key = str(action_id)
        if key in table.rows:
            table.move_cursor(row=table.get_row_index(key), animate=False)

    def edit_current(self) -> None:
        from ..dialogs.action_dialog import ActionDialog

        action = self.current_action()
        if action is None:
            return

        def done(result: Action | None) -> None:
            if result is not None:
                self.notify("Action saved")

        self.app.push_screen(ActionDialog(self.service, step=action.step, action=action), done)

    def toggle_current(self) -> None:
        action = self.current_action()
        if action is None:
            return
        try:
            self.service.toggle_action(action)
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)

    def remove_current(self) -> None:
        from ..form.confirm import ConfirmDialog

        action = self.current_action()
        if action is None:
            return

        def answered(ok: bool | None) -> None:
            if not ok:
                return
            current = next((a for a in self.service.session.actions if a.id == action.id), None)
            if current is None:
                return
            try:
                self.service.remove(current)
            except (ValueError, SessionFileError) as exc:
                self.notify(str(exc), severity="error", timeout=6)
                return
            self.notify("Action removed")

        self.app.push_screen(
            ConfirmDialog(
                "Remove this action?",
                f"“{action.text}” will be removed from the session.",
                confirm_label="Remove",
                destructive=True,
            ),
            answered,
        )

"""The start screen: recent sessions of the data folder, and new / open / demo.

The folder is read in a thread worker, so the first paint never waits on the
disk. Files that cannot be used are listed greyed, with their one-line reason.

Sessions are listed as ``alignment-tui list`` lists them: reviews due first
(overdue ones on top, longest overdue first), then the coming ones by date,
then sessions with no review date, most recently edited first. Each row says
when the next review is (and how late or how soon when it is near) and how
many open actions are overdue. At 80 columns the workshop date, the steps
and the last edit give way to the title (the workshop date is on the line
under the table); from ``WIDE_FROM`` columns every column shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Static

from ..sessions import paths
from ..sessions.clock import now as clock_now
from ..sessions.clock import today as clock_today
from ..sessions.errors import SessionFileError
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from ..app import AlignmentApp
    from ..sessions.listing import SessionSummary
    from ..sessions.models import Session

MUTED = Style(dim=True, italic=True)
#: Up to this many sessions are listed before the first paint (see list_quickly).
QUICK_LIST_LIMIT = 12

#: Fixed widths of the narrow columns; title and organisation share the rest.
EDITED_WIDTH = 16
PROGRESS_WIDTH = 5
ACTIONS_WIDTH = 13
WORKSHOP_WIDTH = 10
REVIEW_WIDTH = 22
#: From this terminal width the workshop date, the steps and the last edit are columns too.
WIDE_FROM = 110


def review_text(next_review: dt.date | None, today: dt.date) -> str:
    """The next review as the list shows it: its date, and how late or how soon when it is
    due within the ``list --due`` window ("2026-11-28 5d overdue", "… today", "… in 6d")."""
    from ..sessions.listing import DUE_WITHIN_DAYS

    if next_review is None:
        return "—"
    days = (next_review - today).days
    text = next_review.isoformat()
    if days < 0:
        return f"{text} {-days}d overdue"
    if days == 0:
        return f"{text} today"
    if days <= DUE_WITHIN_DAYS:
        return f"{text} in {days}d"
    return text


def actions_text(open_actions: int, overdue: int) -> str:
    """Open actions, with how many are overdue: "5 (2 overdue)"."""
    return f"{open_actions} ({overdue} overdue)" if overdue else str(open_actions)


def friendly_time(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """*when* in local time, said the way people say it ("5 min ago", "yesterday 09:12")."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone()
    now = (now or clock_now()).astimezone()
    delta = now - local
    clock = f"{local:%H:%M}"
    if delta < dt.timedelta(seconds=-60):
        return f"{local:%Y-%m-%d} {clock}"
    if delta < dt.timedelta(minutes=1):
        return "just now"
    if delta < dt.timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min ago"
    if local.date() == now.date():
        return f"today {clock}"
    if local.date() == now.date() - dt.timedelta(days=1):
        return f"yesterday {clock}"
    if delta < dt.timedelta(days=6):
        return f"{local:%a} {clock}"
    if local.year == now.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b} {local.year}"


def one_line(text: str) -> str:
    """User text for a single table cell: no line breaks."""
    return " ".join(text.split())


def load_demo() -> Session | None:
    """The filled-in demo session, or ``None`` while ``sessions/demo.py`` is missing."""
    try:
        from ..sessions.demo import demo_session  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    session: Session = demo_session()
    return session


EMPTY_TEXT = (
    "Welcome! There are no sessions in this folder yet.\n\n"
    "Press [b]d[/b] to open a demo workshop that is already filled in, and look around: "
    "it is your own copy, so change anything you like.\n\n"
    "Press [b]n[/b] to set up a session for a real workshop, "
    "or [b]o[/b] to open a session file from somewhere else."
)


class StartScreen(Screen[None]):
    """Recent sessions, and the ways to start one."""

    BINDINGS = [
        Binding("n", "new", "New", id="start_new", tooltip="Set up a new workshop session"),
        Binding(
            "f",
            "follow_up",
            "Next workshop",
            id="start_follow_up",
            tooltip="Set up the next workshop from the highlighted session: people, "
            "agreements, stages and open actions carried over",
        ),
        Binding("o", "open_file", "Open file", id="start_open", tooltip="Open a session by path"),
        Binding("d", "demo", "Demo", id="start_demo", tooltip="Open a filled-in demo workshop"),
        Binding("r", "refresh", "Refresh", id="start_refresh", tooltip="Read the folder again"),
    ]

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.summaries: list[SessionSummary] = []
        self.loaded = False
        self._resumed_before = False

    @property
    def alignment_app(self) -> AlignmentApp:
        return cast("AlignmentApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start-body"):
            yield Static("", id="start-folder", markup=False)
            table: DataTable[Text] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(EMPTY_TEXT, id="start-empty")
            yield Static("Looking for sessions…", id="start-detail", markup=False)
            with Horizontal(id="start-buttons"):
                yield Button("Open", variant="primary", id="start-open-selected")
                yield Button("New  n", id="start-new-button")
                yield Button("Next workshop  f", id="start-follow-up-button")
                yield Button("Open file  o", id="start-open-button")
                yield Button("Demo  d", id="start-demo-button")
                yield Button("Refresh  r", id="start-refresh-button")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "alignment-tui"
        self.sub_title = "Sessions"
        self.query_one("#start-empty").display = False
        self.query_one("#start-open-selected").display = False
        self.query_one(DataTable).focus()
        self.action_refresh()
        # the overdue marks are in the theme's error colour, read when the rows are filled
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        if self.loaded and self.summaries:
            self.on_resize()

    def list_quickly(self) -> bool:
        """List a handful of sessions from their stored summaries before the first paint.

        Each takes about a millisecond, and the screen is then laid out and drawn
        once instead of twice. A bigger folder, or a session that must be read in
        full (left open by a crash, made by an older version), goes to the worker.
        """
        from ..sessions.listing import list_stored_summaries

        folder = self.folder or paths.data_dir()
        summaries = list_stored_summaries(folder, QUICK_LIST_LIMIT)
        if summaries is None:
            return False
        self.show_sessions(folder, summaries)
        return True

    def on_screen_resume(self) -> None:
        # Back from a workshop or a dialog: edits may have changed the list.
        # (The first resume comes right after on_mount, which has just read it.)
        if self.loaded and self._resumed_before:
            self.action_refresh()
        self._resumed_before = True

    # -- reading the folder ------------------------------------------------------

    def action_refresh(self) -> None:
        if not self.list_quickly():
            self.load_sessions()

    @work(thread=True, exclusive=True, group="start-list")
    def load_sessions(self) -> None:
        # Sessions read in full need the models (pydantic), imported here off the first paint.
        from ..sessions.listing import list_sessions

        folder = self.folder or paths.data_dir()
        summaries = list_sessions(folder)
        self.app.call_from_thread(self.show_sessions, folder, summaries)

    def show_sessions(self, folder: Path, summaries: list[SessionSummary]) -> None:
        from ..sessions.listing import by_review

        self.summaries = by_review(summaries, clock_today())
        summaries = self.summaries
        self.loaded = True
        self.query_one("#start-folder", Static).update(Content(f"Sessions in {folder}"))
        table = self.query_one(DataTable)
        old_key = self._highlighted_key()
        self._fill_table()
        empty = not summaries
        table.display = not empty
        self.query_one("#start-empty").display = empty
        self.query_one("#start-open-selected").display = not empty
        if empty:
            self.query_one("#start-detail", Static).update("")
            if table.has_focus or self.focused is None:
                self.query_one("#start-demo-button", Button).focus()
            return
        keys = [str(s.path) for s in summaries]
        if old_key in keys:
            table.move_cursor(row=keys.index(old_key), animate=False)
        if self.focused is None or not self.focused.display:
            table.focus()
        self._show_detail()

    def _fill_table(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        wide = self.size.width >= WIDE_FROM
        fixed = [REVIEW_WIDTH, ACTIONS_WIDTH]
        if wide:
            fixed += [WORKSHOP_WIDTH, PROGRESS_WIDTH, EDITED_WIDTH]
        # Each column has a cell of padding either side; 4 more for the body's padding
        # and the table's scroll bar.
        spare = max(20, self.size.width - sum(fixed) - 2 * (len(fixed) + 2) - 4)
        title_width = max(12, spare * 3 // 5)
        org_width = max(8, spare - title_width)
        table.add_column(Text("Title"), width=title_width, key="title")
        table.add_column(Text("Organisation"), width=org_width, key="organisation")
        if wide:
            table.add_column(Text("Workshop"), width=WORKSHOP_WIDTH, key="workshop")
        table.add_column(Text("Next review"), width=REVIEW_WIDTH, key="review")
        table.add_column(Text("Open actions"), width=ACTIONS_WIDTH, key="actions")
        if wide:
            table.add_column(Text("Steps"), width=PROGRESS_WIDTH, key="progress")
            table.add_column(Text("Last edited"), width=EDITED_WIDTH, key="edited")
        today = clock_today()
        late_style = self._late_style()
        for summary in self.summaries:
            cells: dict[str, Text]
            if summary.error is not None:
                reason = summary.error.removeprefix(f"{summary.path.name}: ")
                cells = {
                    "title": Text(summary.path.name, style=MUTED),
                    "organisation": Text(f"cannot open: {reason}", style=MUTED),
                }
            else:
                overdue = summary.overdue_actions(today)
                review_late = summary.review_overdue(today)
                cells = {
                    "title": Text(one_line(summary.title)),
                    "organisation": Text(one_line(summary.organisation)),
                    "workshop": Text(
                        summary.workshop_date.isoformat() if summary.workshop_date else ""
                    ),
                    "review": Text(
                        review_text(summary.next_review, today),
                        style=late_style if review_late else "",
                    ),
                    "actions": Text(
                        actions_text(summary.open_actions, overdue),
                        style=late_style if overdue else "",
                    ),
                    "progress": Text(summary.progress_text),
                    "edited": Text(friendly_time(summary.updated_at)),
                }
            row = []
            for column in table.columns.values():
                cell = cells.get(str(column.key.value), Text(""))
                cell.overflow = "ellipsis"
                cell.no_wrap = True
                row.append(cell)
            table.add_row(*row, key=str(summary.path))

    def _late_style(self) -> str:
        """The theme's error colour as a Rich style (DataTable cells are Rich text); the
        word "overdue" says it without the colour too."""
        colour = self.app.get_css_variables().get("error", "")
        return f"bold {colour}".strip()

    def on_resize(self) -> None:
        if self.loaded and self.summaries:
            old_key = self._highlighted_key()
            self._fill_table()
            keys = [str(s.path) for s in self.summaries]
            if old_key in keys:
                self.query_one(DataTable).move_cursor(row=keys.index(old_key), animate=False)

    # -- the highlighted session ---------------------------------------------------

    def _highlighted_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row = table.cursor_row
        if 0 <= row < len(self.summaries):
            return str(self.summaries[row].path)
        return None

    def highlighted(self) -> SessionSummary | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if table.row_count and 0 <= row < len(self.summaries):
            return self.summaries[row]
        return None

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        summary = self.highlighted()
        detail = self.query_one("#start-detail", Static)
        if summary is None:
            detail.update("")
        elif summary.error is not None:
            detail.update(Content(summary.error))
        else:
            date = f"workshop {summary.workshop_date:%Y-%m-%d} · " if summary.workshop_date else ""
            detail.update(Content(f"{date}{summary.path}"))
        detail.set_class(summary is not None and summary.error is not None, "-error")

    @on(DataTable.RowSelected)
    @on(Button.Pressed, "#start-open-selected")
    def open_highlighted(self) -> None:
        summary = self.highlighted()
        if summary is None:
            return
        if summary.error is not None:
            self.notify(summary.error, severity="error", timeout=8)
            return
        self.alignment_app.open_session(summary.path)

    # -- new, open, demo -----------------------------------------------------------

    @on(Button.Pressed, "#start-new-button")
    def action_new(self) -> None:
        from .new_session import NewSessionScreen

        def created(path: Path | None) -> None:
            if path is not None:
                self.alignment_app.open_session(path)

        self.app.push_screen(NewSessionScreen(folder=self.folder), created)

    @on(Button.Pressed, "#start-follow-up-button")
    def action_follow_up(self) -> None:
        """The next workshop, from the highlighted session (only read, never changed)."""
        from ..form.refusal import say_refused
        from ..sessions.store import read_session
        from .new_session import NewSessionScreen

        summary = self.highlighted()
        if summary is None or summary.error is not None:
            say_refused(self, "Highlight a session that opens first: the next one starts from it")
            return
        try:
            previous = read_session(summary.path)
        except (SessionFileError, OSError, ValueError) as exc:
            say_refused(self, f"Cannot start from it: {exc}")
            return

        def created(path: Path | None) -> None:
            if path is not None:
                self.alignment_app.open_session(path)

        self.app.push_screen(NewSessionScreen(folder=self.folder, previous=previous), created)

    @on(Button.Pressed, "#start-open-button")
    def action_open_file(self) -> None:
        from ..dialogs.open_dialog import OpenDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.alignment_app.open_session(path)

        self.app.push_screen(OpenDialog(folder=self.folder), chosen)

    @on(Button.Pressed, "#start-demo-button")
    def action_demo(self) -> None:
        self.create_demo()

    @on(Button.Pressed, "#start-refresh-button")
    def _refresh_pressed(self) -> None:
        self.action_refresh()

    @work(thread=True, exclusive=True, group="start-demo")
    def create_demo(self) -> None:
        from ..sessions.service import SessionService

        session = load_demo()
        if session is None:
            self.app.call_from_thread(
                self.notify,
                "The demo workshop is not available in this build yet; press n to start a session.",
                severity="warning",
                timeout=8,
            )
            return
        title = session.meta.title
        name = title if title.lower().startswith("demo") else f"Demo {title}"
        try:
            path = paths.session_path_for(name, self.folder)
            SessionService.create(path, session).close()
        except (SessionFileError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, f"Could not create the demo: {exc}", severity="error", timeout=8
            )
            return
        self.app.call_from_thread(self.alignment_app.open_session, path)

"""The start screen, the new-session form, the open dialog and how sessions are opened."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.open_dialog import OpenDialog
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.screens.new_session import NewSessionScreen, PersonDraft, people_problems
from alignment_tui.screens.start import StartScreen, friendly_time
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions import paths
from alignment_tui.sessions.models import ActionStatus, StepId, Team, new_session
from alignment_tui.sessions.service import SessionService
from conftest import PinnedClock, four_people
from screen_text import record_notifications, widget_text
from step_helpers import paste

# -- helpers -----------------------------------------------------------------------


def make_session(title: str, organisation: str, open_actions: int, done: int = 0) -> Path:
    path = paths.session_path_for(title)
    svc = SessionService.create(
        path, new_session(title, organisation=organisation, participants=four_people())
    )
    for i in range(open_actions):
        svc.add_action(f"Open task {i}", StepId.GOALS, owner_id=1)
    for i in range(done):
        svc.add_action(f"Done task {i}", StepId.CRM, status=ActionStatus.DONE)
    svc.close()
    return path


def hold_elsewhere(path: Path) -> None:
    """Mark *path* as open in another running copy (on another machine)."""
    holder = {"pid": 4242, "host": "facilitator-laptop", "since": "2026-01-05 09:00:00"}
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO app_meta(key, value) VALUES ('open_by', ?)",
            (json.dumps(holder),),
        )
    conn.close()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cell_text(table: DataTable[object], row: int, column: int | str) -> str:
    """The text of a cell, by column index or by column key ("review", "actions", …)."""
    if isinstance(column, str):
        return str(table.get_cell_at(Coordinate(row, table.get_column_index(column))))
    return str(table.get_row_at(row)[column])


def static_text(widget: Static) -> str:
    return str(widget.content)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


# -- pure helpers --------------------------------------------------------------------


def test_friendly_time() -> None:
    now = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)
    assert friendly_time(None, now) == ""
    assert friendly_time(now - dt.timedelta(seconds=20), now) == "just now"
    assert friendly_time(now - dt.timedelta(minutes=7), now) == "7 min ago"
    week_ago = friendly_time(now - dt.timedelta(days=40), now)
    assert week_ago.endswith("Jan") or week_ago.endswith("Feb")
    assert friendly_time(now - dt.timedelta(days=400), now).endswith("2025")


def test_people_problems() -> None:
    ok = [
        PersonDraft("Sam", Team.SALES, lead=True),
        PersonDraft("Mia", Team.MARKETING, lead=True),
        PersonDraft(""),
    ]
    assert people_problems(ok) == {}
    twice = [PersonDraft("Sam", Team.SALES, lead=True), PersonDraft("Ravi", Team.SALES, lead=True)]
    assert "only one Sales lead" in people_problems(twice)[1]
    assert "Sales or the Marketing" in people_problems([PersonDraft("Olu", lead=True)])[0]
    assert people_problems([PersonDraft("", role="CMO")]) == {
        0: "Name is required (or remove this row)"
    }


# -- start screen ----------------------------------------------------------------------


async def test_start_lists_sessions_and_damaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    first = make_session("Spring alignment", "Acme", open_actions=2, done=1)
    second = make_session("Autumn [b]review[/b]", "Globex", open_actions=0)
    damaged = paths.data_dir() / "broken.alignment.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)
    app = AlignmentApp()
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        rows = {cell_text(table, i, 0): i for i in range(3)}
        assert set(rows) == {"Spring alignment", "Autumn [b]review[/b]", "broken.alignment.db"}
        spring = rows["Spring alignment"]
        autumn = rows["Autumn [b]review[/b]"]
        broken = rows["broken.alignment.db"]
        assert cell_text(table, spring, "organisation") == "Acme"
        assert cell_text(table, spring, "actions") == "2"
        assert cell_text(table, autumn, "actions") == "0"
        assert cell_text(table, spring, "progress").endswith("/7")
        assert cell_text(table, spring, "edited") == "just now"
        assert cell_text(table, spring, "review") == "—"
        assert "cannot open" in cell_text(table, broken, 1)
        assert broken == 2  # unusable files come last
        # The highlighted damaged file shows its whole one-line reason.
        await pilot.press("down", "down")
        detail = static_text(screen.query_one("#start-detail", Static))
        assert detail.startswith("broken.alignment.db:") and "damaged" in detail
        assert "\n" not in detail
        # Enter on it says why and stays on the start screen.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert any("broken.alignment.db" in message for message in said)
        # Enter on a good one opens the workshop.
        await pilot.press("up", "up")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert app.service is not None
        assert app.service.path == (first if spring == 0 else second)


async def test_empty_folder_points_at_the_demo() -> None:
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        empty = screen.query_one("#start-empty", Static)
        assert empty.display
        assert "no sessions" in static_text(empty)
        assert "d" in static_text(empty) and "demo" in static_text(empty)
        assert not screen.query_one(DataTable).display


async def test_demo_key_creates_and_opens_a_demo_copy() -> None:
    pytest.importorskip("alignment_tui.sessions.demo")
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
    files = list(paths.data_dir().glob("*.alignment.db"))
    assert len(files) == 1 and files[0].name.startswith("demo")
    svc = SessionService.open(files[0])
    try:
        assert len(svc.session.participants) >= 2
    finally:
        svc.close()


# -- new-session form ----------------------------------------------------------------


async def new_session_form(pilot: Pilot[None]) -> NewSessionScreen:
    """From the start screen, N: the new-session form, its title field focused."""
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NewSessionScreen)
    return screen


async def fill_person(pilot: Pilot[None], name: str, team: str, role: str, lead: bool) -> None:
    """Focus is on the row's name; leaves focus on the next row (or the add button)."""
    await type_text(pilot, name)
    await pilot.press("tab")  # team
    await pilot.press("enter", team[0].lower(), "enter")
    await pilot.press("tab")  # role
    await type_text(pilot, role)
    await pilot.press("tab")  # lead
    if lead:
        await pilot.press("space")
    await pilot.press("tab", "tab")  # past the remove button


async def test_new_session_by_keys_saves_people() -> None:
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        await type_text(pilot, "Q1 go")
        await pilot.press("tab")
        await type_text(pilot, "Ini")
        await pilot.press("tab")
        await type_text(pilot, "2027-01-15")
        await pilot.press("tab")
        await type_text(pilot, "Fran")
        await pilot.press("tab")
        await fill_person(pilot, "Sam", "Sales", "VP", lead=True)
        await fill_person(pilot, "Mia", "Marketing", "CMO", lead=True)
        # Focus is on "Add person": enter adds a row and moves into it.
        await pilot.press("enter")
        await pilot.pause()
        await fill_person(pilot, "Ravi", "Sales", "AE", lead=False)
        await pilot.press("f2")
        await pilot.pause()
        await fill_person(pilot, "Olu", "Other", "CFO", lead=False)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert app.service is not None
        path = app.service.path
    assert path.parent == paths.data_dir()
    assert path.name == "q1-go.alignment.db"
    svc = SessionService.open(path)
    try:
        meta = svc.session.meta
        assert (meta.title, meta.organisation, meta.facilitator) == ("Q1 go", "Ini", "Fran")
        assert meta.workshop_date == dt.date(2027, 1, 15)
        people = [(p.name, p.team, p.role, p.is_lead) for p in svc.session.participants]
        assert people == [
            ("Sam", Team.SALES, "VP", True),
            ("Mia", Team.MARKETING, "CMO", True),
            ("Ravi", Team.SALES, "AE", False),
            ("Olu", Team.OTHER, "CFO", False),
        ]
    finally:
        svc.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_new_session_people_rows_fit_their_choices_and_buttons(
    size: tuple[int, int],
) -> None:
    """ "Marketing" on one line in its choice, and each row's ✕ a whole button in view."""
    app = AlignmentApp()
    async with app.run_test(size=size) as pilot:
        screen = await new_session_form(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # the first person's name
        await fill_person(pilot, "Mia", "Marketing", "CMO", lead=True)
        await pilot.pause()
        row = screen.rows()[0]
        assert row.value().team is Team.MARKETING
        team = row.query_one(".person-team", Select)
        team.scroll_visible(animate=False)
        await pilot.pause()
        assert any("Marketing" in line for line in widget_text(team)), widget_text(team)
        assert team.region.height == 3  # not wrapped onto a fourth line
        form = screen.query_one("#new-form")
        for person in screen.rows():
            remove = person.query_one(".person-remove", Button)
            remove.scroll_visible(animate=False)
            await pilot.pause()
            assert form.scrollable_content_region.contains_region(remove.region)
            drawn = widget_text(remove)
            middle = drawn[len(drawn) // 2]
            assert "✕" in middle
            # framed like the fields beside it, not an open strip against the edge
            assert middle[0].strip() and middle[-1].strip(), drawn


async def test_bad_date_and_missing_title_are_refused_and_kept() -> None:
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_session_form(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Acme")
        await pilot.press("tab")
        await type_text(pilot, "2026-02-30")
        await pilot.press("tab")
        await type_text(pilot, "Fran")
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen is screen
        errors = [static_text(s) for s in screen.query(".reason").results(Static) if s.display]
        assert "Title is required" in errors
        assert "Date: 2026-02-30 is not a real date" in errors
        assert screen.query_one("#new-organisation", Input).value == "Acme"
        assert screen.query_one("#new-date", Input).value == "2026-02-30"
        assert screen.query_one("#new-facilitator", Input).value == "Fran"
        assert screen.focused is screen.query_one("#new-title", Input)
        assert list(paths.data_dir().glob("*.alignment.db")) == []
        # Fix both: the errors go and the session is created.
        await type_text(pilot, "Fixed")
        screen.query_one("#new-date", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-02-28")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
    assert [p.name for p in paths.data_dir().glob("*.alignment.db")] == ["fixed.alignment.db"]


async def test_second_lead_for_a_team_is_refused() -> None:
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await new_session_form(pilot)
        await type_text(pilot, "Two leads")
        await pilot.press("tab", "tab", "tab", "tab")
        await fill_person(pilot, "Sam", "Sales", "", lead=True)
        await fill_person(pilot, "Ravi", "Sales", "", lead=True)
        rows = screen.rows()
        error = rows[1].query_one(".field-error", Static)
        assert error.display
        assert "only one Sales lead" in static_text(error)
        assert "Sam" in static_text(error)
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen is screen
        assert list(paths.data_dir().glob("*.alignment.db")) == []
        assert rows[1].value() == PersonDraft("Ravi", Team.SALES, "", True)


async def test_escape_with_typed_text_asks_first() -> None:
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Draft")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # focus starts on "Keep editing"
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#new-title", Input).value == "Draft"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


# -- opening ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["damaged", "foreign"])
async def test_open_dialog_refuses_unusable_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"{kind}.alignment.db"
    if kind == "damaged":
        target.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    else:
        conn = sqlite3.connect(target)
        conn.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes(body) VALUES ('not ours')")
        conn.commit()
        conn.close()
    before = target.read_bytes()
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = app.screen
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenDialog)
        # The dialog starts in the data folder; a bare name gets the suffix.
        await type_text(pilot, f"../{kind}")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        error = static_text(dialog.query_one("#open-error", Static))
        assert error.startswith(target.name + ":")
        assert "\n" not in error
        assert ("damaged" in error) if kind == "damaged" else ("not an alignment-tui" in error)
        assert dialog.query_one("#open-path", Input).value == f"{paths.data_dir()}/../{kind}"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is start
        assert app.service is None
    assert target.read_bytes() == before


@pytest.mark.parametrize("how", ["absolute", "home"])
async def test_open_dialog_takes_a_typed_path_from_its_start(
    session_file: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The field starts in the data folder; a path typed from / or ~ replaces that
    start instead of being appended to it.

    The short path from ~ is typed key by key; of the long absolute one (a tmp path) the
    first key, the "/" that replaces the start, is typed and the rest pasted."""
    monkeypatch.setenv("HOME", str(session_file.parent))
    typed = str(session_file) if how == "absolute" else f"~/{session_file.name}"
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenDialog)
        field = dialog.query_one("#open-path", Input)
        assert field.value == f"{paths.data_dir()}/"
        if how == "absolute":
            await type_text(pilot, typed[0])
            assert field.value == typed[0]
            await paste(pilot, typed[1:])
        else:
            await type_text(pilot, typed)
        await pilot.pause()
        assert field.value == typed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        assert app.service is not None and app.service.path == session_file


async def test_session_held_by_another_copy_offers_read_only(session_file: Path) -> None:
    hold_elsewhere(session_file)
    before = session_file.read_bytes()
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await type_text(pilot, "../q4")
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.title_text == "Already open elsewhere — open read-only?"
        assert "facilitator-laptop" in dialog.message
        # Cancel: back on the start screen, nothing opened, nothing written.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.service is None
        assert session_file.read_bytes() == before
        # Again, and accept read-only.
        await pilot.press("o")
        await type_text(pilot, "../q4")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert app.service is not None and app.service.readonly
    assert session_file.read_bytes() == before


async def test_opening_a_held_session_from_the_command_line(session_file: Path) -> None:
    hold_elsewhere(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_damaged_file_from_the_command_line_lands_on_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "junk.alignment.db"
    target.write_text("hello")
    app = AlignmentApp(target)
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert messages == ["junk.alignment.db: not an alignment-tui session (not a SQLite file)"]
    assert target.read_text() == "hello"


async def test_a_few_closed_sessions_are_listed_before_the_first_paint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From their stored summaries, without the worker (the screen is drawn once)."""
    make_session("Spring kick-off", "Acme", open_actions=2)
    make_session("Autumn review", "Acme", open_actions=0)
    workers: list[str] = []
    monkeypatch.setattr(StartScreen, "load_sessions", lambda self: workers.append("started"))
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen) and screen.loaded
        assert workers == []
        assert screen.query_one(DataTable).row_count == 2


async def test_a_session_left_open_by_a_crash_is_read_in_full_by_the_worker() -> None:
    make_session("Spring kick-off", "Acme", open_actions=2)
    crashed = paths.session_path_for("Left open")
    svc = SessionService.create(crashed, new_session("Left open", organisation="Beta"))
    svc.update_meta(title="Renamed before the crash")  # never closed: no current summary
    app = AlignmentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if getattr(app.screen, "loaded", False):
                break
        screen = app.screen
        assert isinstance(screen, StartScreen) and screen.loaded
        titles = sorted(s.title for s in screen.summaries)
        assert titles == ["Renamed before the crash", "Spring kick-off"]
    svc.store.conn.close()


async def test_new_session_fields_read_from_their_start_away_from_the_focus() -> None:
    """A role longer than its field reads "Head of…" once left, not "Sales" (the end)."""
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_session_form(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # the first person's name
        await fill_person(pilot, "Sam", "Sales", "Head of Sales EMEA and the Americas", lead=False)
        await pilot.pause()
        role = screen.rows()[0].query_one(".person-role", Input)
        assert app.focused is not role
        shown = "".join(widget_text(role))
        assert "Head o" in shown and "Americas" not in shown, shown
        assert "…" in shown, shown
        assert role.value == "Head of Sales EMEA and the Americas"


@pytest.mark.parametrize("field", ["title", "organisation", "facilitator"])
async def test_new_session_details_read_from_their_start_away_from_the_focus(field: str) -> None:
    """A long title (organisation, facilitator) reads "Quarterly…" once left, not its end;
    tabbed back into, the whole text is selected as before, so typing replaces it.

    The long text is pasted (this is about how it is shown); the replacing text is typed."""
    text = "Quarterly planning workshop for the whole revenue team"
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_session_form(pilot)
        tabs = {"title": 0, "organisation": 1, "facilitator": 3}[field]
        for _ in range(tabs):
            await pilot.press("tab")
        box = screen.query_one(f"#new-{field}", Input)
        assert app.focused is box
        await paste(pilot, text)
        assert box.value == text
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not box
        rows = widget_text(box)
        shown = rows[len(rows) // 2].strip(" ▊▎▌▐")
        assert shown.endswith("…"), rows
        assert text.startswith(shown.removesuffix("…")), rows
        assert "revenue team" not in shown, rows
        assert box.value == text
        # Back into it: selected whole, as these fields always were.
        await pilot.press("shift+tab")
        assert app.focused is box
        assert box.selected_text == text
        await type_text(pilot, "Q1")
        assert box.value == "Q1"


async def test_sessions_with_reviews_due_come_first_with_their_dates_and_overdue_actions(
    clock: PinnedClock,
) -> None:
    """As ``list`` sorts them: the overdue review on top, then the coming one, then the far
    one, then no review date. Each row says when the review is and how many open actions are
    overdue; at 80 columns the workshop date, steps and last edit give way, at 120 they show."""
    today = clock.today()
    specs = [
        ("No review yet", None, 0),
        ("Far review", 40, 0),
        ("Review overdue", -12, 3),
        ("Review soon", 5, 1),
    ]
    for title, days, late in specs:
        path = paths.session_path_for(title)
        svc = SessionService.create(path, new_session(title, organisation="Acme"))
        if days is not None:
            svc.update_meta(next_review=today + dt.timedelta(days=days))
        svc.update_meta(workshop_date=dt.date(2026, 11, 20))
        for i in range(late):
            svc.add_action(f"late {i}", StepId.GOALS, due=today - dt.timedelta(days=2))
        svc.add_action("later", StepId.GOALS, due=today + dt.timedelta(days=30))
        svc.close()
    app = AlignmentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        table = screen.query_one(DataTable)
        titles = [cell_text(table, row, "title") for row in range(4)]
        assert titles == ["Review overdue", "Review soon", "Far review", "No review yet"]
        keys = [str(column.key.value) for column in table.columns.values()]
        assert keys == ["title", "organisation", "review", "actions"]
        due = today - dt.timedelta(days=12)
        assert cell_text(table, 0, "review") == f"{due.isoformat()} 12d overdue"
        assert cell_text(table, 0, "actions") == "4 (3 overdue)"
        soon = today + dt.timedelta(days=5)
        assert cell_text(table, 1, "review") == f"{soon.isoformat()} in 5d"
        assert cell_text(table, 1, "actions") == "2 (1 overdue)"
        far = today + dt.timedelta(days=40)
        assert cell_text(table, 2, "review") == far.isoformat()
        assert cell_text(table, 2, "actions") == "1"
        assert cell_text(table, 3, "review") == "—"
        # What the room reads: the overdue row whole within 80 columns, and the workshop
        # date of the highlighted session on the line under the table.
        row = next(line for line in widget_text(table) if "12d overdue" in line)
        assert "Review overdue" in row and "4 (3 overdue)" in row
        detail = static_text(screen.query_one("#start-detail", Static))
        assert detail.startswith("workshop 2026-11-20")

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        keys = [str(column.key.value) for column in table.columns.values()]
        assert keys == [
            "title",
            "organisation",
            "workshop",
            "review",
            "actions",
            "progress",
            "edited",
        ]
        assert cell_text(table, 0, "workshop") == "2026-11-20"
        assert cell_text(table, 0, "title") == "Review overdue"

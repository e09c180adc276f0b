"""The form layer by keys, as a facilitator in front of a room uses it (issue 11's tmux run).

- a number field showing only its zero is replaced by what is typed, not added to;
- a one-line field without the focus reads from its start and ends in "…" when cut;
- an unticked box draws no mark (ticked and unticked differ by more than colour);
- Enter on an in-place choice moves on and leaves the value alone;
- a text area already wrapped at its width is not wrapped again when its step opens;
- a save while typing on a long list fits only the line that changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form import record_list
from alignment_tui.form.choice import Choice
from alignment_tui.form.fields import SavingCheckbox, SavingInput, SavingTextArea
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import Cadence, Goal, StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from screen_text import widget_text
from step_helpers import put_room_on_step, reach_every_part

LONG = "Grow qualified pipeline together with the partner channel in every region we sell in"


async def wait_until(pilot: Pilot[None], done: Any, *, rounds: int = 200) -> bool:
    """Let the app run until ``done()`` holds (bounded; no wall-clock assertion)."""
    for _ in range(rounds):
        if done():
            return True
        await pilot.pause(0.05)
    return bool(done())


def add_goals(path: Path, *statements: str, votes: int = 0) -> None:
    svc = SessionService.open(path)
    for statement in statements:
        svc.add(Goal, statement=statement, measure="SALs per month", votes=votes)
    svc.set_step(StepId.GOALS)
    svc.close()


def shown(widget: Any) -> str:
    return "\n".join(widget_text(widget))


async def test_a_zero_is_replaced_by_what_is_typed(session_file: Path) -> None:
    """Tab into "Dot votes" showing 0 and type -5: "-5" is refused as negative, not "0-5"."""
    add_goals(session_file, "Shorter sales cycle")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        votes = screen.query_one("#goal-votes", SavingInput)
        assert votes.value == "0"
        screen.query_one("#goal-due", Input).focus()
        await pilot.press("tab")
        assert screen.focused is votes
        await pilot.press("minus", "5", "enter")
        await pilot.pause()
        assert votes.value == "-5"
        reason = screen.query_one("#goal-votes-reason", Static)
        assert "Dot votes cannot be negative" in str(reason.render())
        # corrected by typing over it: the refused text is a text, so it is kept…
        await pilot.press("ctrl+u", "3", "enter")
        await pilot.pause()
        # …and a real value is added to, never thrown away by a focus that came by itself
        screen.query_one("#goal-due", Input).focus()
        await pilot.press("tab", "0", "enter")
        await pilot.pause()
        assert votes.value == "30"
    assert read_session(session_file).goals[0].votes == 30


async def test_a_refused_value_is_typed_over_when_the_room_comes_back_to_it(
    session_file: Path,
) -> None:
    """Shift+Tab back into a refused "By when" and type "+4w": the bad date goes, "+4w" is saved."""
    add_goals(session_file, "Shorter sales cycle")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        screen = app.screen
        due = screen.query_one("#goal-due", SavingInput)
        due.focus()
        await pilot.press("ctrl+u", *"31/02/2027", "tab")
        await pilot.pause()
        assert due.refused and due.value == "31/02/2027"
        await pilot.press("shift+tab")
        assert screen.focused is due
        await pilot.press(*"+4w", "tab")
        await pilot.pause()
        assert not due.refused
    assert read_session(session_file).goals[0].due is not None


async def test_a_field_away_from_the_focus_reads_from_its_start(session_file: Path) -> None:
    """A long goal reads "Grow qualified …", never its tail, and never cut silently."""
    add_goals(session_file, LONG, "Short")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        statement = app.screen.query_one("#goal-statement", SavingInput)
        await wait_until(pilot, lambda: bool(statement.region.width))
        text = shown(statement).strip()
        assert text.startswith("Grow qualified") and text.endswith("…"), text
        # typed at its end, then left: back to the start, the cut marked
        statement.focus()
        await pilot.press("end", *" too", "tab")
        await pilot.pause()
        text = shown(statement).strip()
        assert text.startswith("Grow qualified") and text.endswith("…"), text
        # with the focus the text is all there to type into: no "…" drawn over it
        statement.focus()
        await pilot.pause()
        assert "…" not in shown(statement)
        assert statement.value == LONG + " too"
        # a text that fits is shown as it is
        measure = app.screen.query_one("#goal-measure", SavingInput)
        assert shown(measure).strip() == "SALs per month"
    assert read_session(session_file).goals[0].statement == LONG + " too"


async def test_an_unticked_box_draws_no_mark(session_file: Path) -> None:
    """The feedback step's "not a gate" box: an X only when ticked."""
    put_room_on_step(session_file, StepId.FEEDBACK)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        box = app.screen.query_one("#fb-agreement", SavingCheckbox)
        box.focus()
        await pilot.pause()
        assert not box.value
        assert "X" not in shown(box)
        await pilot.press("space")
        await pilot.pause()
        assert box.value and "X" in shown(box)
        await pilot.press("space")
        await pilot.pause()
        assert not box.value and "X" not in shown(box)
    assert not read_session(session_file).feedback.not_approval_agreed


async def test_enter_on_a_choice_moves_on_and_keeps_the_value(session_file: Path) -> None:
    """Enter on the Cadence, meaning "move on": the cadence stays, the focus goes to the next field."""
    put_room_on_step(session_file, StepId.FEEDBACK)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        cadence = app.screen.query_one("#fb-cadence", Choice)
        cadence.focus()
        await pilot.pause()
        before = cadence.value
        await pilot.press("enter")
        await pilot.pause()
        assert cadence.value == before
        assert app.screen.focused is app.screen.query_one("#fb-duration", Input)
        # the keys that change it still do
        cadence.focus()
        await pilot.press("space")
        await pilot.pause()
        assert cadence.value != before
        changed = cadence.value
    assert read_session(session_file).feedback.cadence == changed
    assert isinstance(changed, Cadence)


async def test_a_text_area_wrapped_at_its_width_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-wrapping lays the whole screen out once more: only when the text is wrapped wrongly."""
    toggles: list[bool] = []
    monkeypatch.setattr(
        SavingTextArea, "watch_soft_wrap", lambda self, on: toggles.append(on), raising=False
    )
    path = tmp_path / "demo.alignment.db"
    session = demo_session()
    session.meta = session.meta.model_copy(update={"current_step": StepId.GOALS})
    SessionService.create(path, session).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        warmup = app.screen.query_one("#goals-warmup", SavingTextArea)
        await wait_until(pilot, lambda: bool(warmup.wrap_width))
        # settled: the step's focus has landed (here) and the field was wrapped for the
        # width it ended with (a busy machine can leave a resize still to come)
        await wait_until(pilot, lambda: warmup.has_focus and warmup.wrapped_to_width())
        await pilot.pause()
        await wait_until(pilot, warmup.wrapped_to_width)  # (still: no await from here on)
        toggles.clear()
        warmup._wrap_to_width()
        assert toggles == []  # already right: nothing to do
        assert warmup.wrapped_to_width()
        # wrapped for a much narrower field (a missed Resize): wrapped again at its width
        warmup.wrapped_document.wrap(12)
        assert not warmup.wrapped_to_width()
        warmup._wrap_to_width()
        assert toggles == [False, True]
        assert warmup.wrapped_to_width()
        await pilot.pause()
        first_line = widget_text(warmup)[1]
        assert "Both teams want more revenue" in first_line


async def test_a_save_on_a_long_list_fits_only_the_changed_line(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing into goal 1 of 30: each save fits one line, not thirty (twice)."""
    add_goals(session_file, *(f"G{n}" for n in range(1, 31)))
    fitted: list[Content] = []
    real_row = record_list.row

    def counting_row(*args: Any) -> Content:
        line = real_row(*args)
        fitted.append(line)
        return line

    monkeypatch.setattr(record_list, "row", counting_row)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        statement = app.screen.query_one("#goal-statement", SavingInput)
        goals = app.screen.query_one("#goals-list", record_list.RecordList)
        await wait_until(pilot, lambda: len(goals.rows.options) == 30)
        await pilot.pause()
        statement.focus()
        fitted.clear()
        await pilot.press("end", *" x", "enter")
        saved = await wait_until(
            pilot, lambda: read_session(session_file).goals[0].statement == "G1 x"
        )
        assert saved
        await pilot.pause()
        assert 1 <= len(fitted) <= 2, len(fitted)
        assert "G1 x" in str(goals.rows.get_option_at_index(0).prompt)
        assert "G2 " in str(goals.rows.get_option_at_index(1).prompt)
        assert goals.rows.highlighted == 0


async def test_a_cut_placeholder_ends_in_an_ellipsis(session_file: Path) -> None:
    """At 80x24 a goal's "By when" hint is cut with "…", not mid-word without a sign."""
    add_goals(session_file, "Short")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        due = app.screen.query_one("#goal-due", SavingInput)
        due.scroll_visible(animate=False)
        await wait_until(pilot, lambda: bool(due.region.width))
        await pilot.pause()
        assert not due.value
        text = shown(due).strip()
        assert text.startswith("2026-12-31") and text.endswith("…"), text

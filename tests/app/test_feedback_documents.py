"""A line of the feedback loop points to a workbook document (a campaign brief, a customer
story): chosen by keys on the line (ctrl+f), shown under the line, saved in the file, and
printed once in the report's appendix. A house template with the same key is the one used;
a key the workbook no longer has is shown bare."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.dialogs.workbook_dialog import WorkbookDialog
from alignment_tui.sessions.export import render
from alignment_tui.sessions.models import FeedbackItem, FeedbackSide, StepId
from alignment_tui.sessions.paths import config_dir
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.store import read_session
from alignment_tui.steps.feedback.documents import NONE_TITLE
from alignment_tui.steps.feedback.lines import ItemInput
from step_helpers import reach_every_part, shown

DOCUMENT_BINDING = "feedback.document"
BRIEF = "Campaign briefs six weeks before launch"


def loop_with_items(path: Path, **documents: str) -> dict[str, int]:
    """Two Marketing lines and a rule; *documents*: the document of a line (by its name)."""
    svc = SessionService.open(path)
    svc.set_step(StepId.FEEDBACK)
    ids = {
        "brief": svc.add(FeedbackItem, side=FeedbackSide.MARKETING, text=BRIEF).id,
        "results": svc.add(FeedbackItem, side=FeedbackSide.MARKETING, text="Campaign results").id,
        "rule": svc.add(FeedbackItem, side=FeedbackSide.RULE, text="The owner decides").id,
    }
    for name, key in documents.items():
        item = next(i for i in svc.session.feedback_items if i.id == ids[name])
        svc.update(item, document=key)
    svc.close()
    return ids


def line_of(app: AlignmentApp, rid: int) -> ItemInput:
    return next(w for w in app.screen.query(ItemInput) if w.rid == rid)


def note_of(app: AlignmentApp, line: ItemInput) -> Static | None:
    """The document note under *line*, when one is mounted and shown."""
    found = app.screen.query(f"#{line.id}-doc")
    return found.first(Static) if found and found.first().display else None


def offered(app: AlignmentApp) -> bool:
    return any(b.binding.id == DOCUMENT_BINDING for b in app.screen.active_bindings.values())


def document_of(path: Path, rid: int) -> str:
    return next(i.document for i in read_session(path).feedback_items if i.id == rid)


def house_file(text: str) -> Path:
    folder = config_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "house.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_line_points_to_a_document_by_keys_and_back_to_none(session_file: Path) -> None:
    ids = loop_with_items(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        line = line_of(app, ids["brief"])
        line.focus()
        await pilot.pause()
        assert offered(app)  # the key is in the footer on a line
        assert note_of(app, line) is None
        # words typed and not yet saved are kept, whatever is chosen
        await pilot.press("end", *" (v2)")
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        titles = [str(o.prompt) for o in dialog.query_one(OptionList).options]
        assert titles == ["Campaign brief", "Customer story", NONE_TITLE]
        # a line with no document starts on "No document"; each document is read whole
        assert dialog.query_one(OptionList).highlighted == 2
        await pilot.press("home")
        await pilot.pause()
        detail = shown(dialog.query_one("#workbook-detail", Static))
        assert "What a good lead looks like" in detail and "Talking points" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not dialog
        assert app.focused is line
        note = note_of(app, line)
        assert note is not None and shown(note) == "↳ follows the Campaign brief template"
        assert note.region.y == line.region.y + 1  # right under its line
        assert line.value == f"{BRIEF} (v2)"
    saved = next(i for i in read_session(session_file).feedback_items if i.id == ids["brief"])
    assert (saved.text, saved.document) == (f"{BRIEF} (v2)", "campaign-brief")
    assert document_of(session_file, ids["results"]) == ""

    # reopened from the file: it still shows; Escape changes nothing; "No document" takes it back
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)
        line = line_of(app, ids["brief"])
        note = note_of(app, line)
        assert note is not None and "Campaign brief" in shown(note)
        line.focus()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 0  # the one it follows
        await pilot.press("escape")
        await pilot.pause()
        assert document_of(session_file, ids["brief"]) == "campaign-brief"
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert note_of(app, line) is None
    assert document_of(session_file, ids["brief"]) == ""


async def test_lines_keep_their_notes_as_they_move(session_file: Path) -> None:
    ids = loop_with_items(session_file, results="customer-story")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        line = line_of(app, ids["results"])
        line.focus()
        await pilot.press("alt+up")  # above the brief now
        await pilot.pause()
        brief = line_of(app, ids["brief"])
        note = note_of(app, line)
        assert note is not None and "Customer story" in shown(note)
        assert line.region.y < note.region.y < brief.region.y
        assert note_of(app, brief) is None


async def test_a_house_template_of_the_same_key_is_the_one_used(session_file: Path) -> None:
    house_file(
        """
[[document]]
key = "campaign-brief"
title = "Our brief"
sections = [["Why now", "The trigger for the campaign."], ["Who calls", "The rep who follows up."]]
"""
    )
    ids = loop_with_items(session_file, brief="campaign-brief")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        line = line_of(app, ids["brief"])
        note = note_of(app, line)
        assert note is not None and shown(note) == "↳ follows the Our brief template"
        line.focus()
        await pilot.press("ctrl+f")
        await pilot.pause()
        detail = shown(app.screen.query_one("#workbook-detail", Static))
        assert "Why now" in detail and "Goal" not in detail
    report = render(read_session(session_file), "report")
    assert "(follows the Our brief template: see the appendix)" in report
    assert "- **Why now:** The trigger for the campaign." in report
    assert "**Goal:**" not in report


async def test_a_key_the_workbook_no_longer_has_is_shown_bare(session_file: Path) -> None:
    ids = loop_with_items(session_file, rule="retired-brief", brief="campaign-brief")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach_every_part(pilot)  # the lower parts are built as the room scrolls to them
        line = line_of(app, ids["rule"])
        note = note_of(app, line)
        assert note is not None
        assert shown(note) == "↳ follows retired-brief (no longer in the workbook)"
        line.focus()
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WorkbookDialog)
        assert dialog.query_one(OptionList).highlighted == 0  # not there: the first one
        await pilot.press("escape")
        await pilot.pause()
    report = render(read_session(session_file), "report")
    assert "The owner decides (follows retired-brief, no longer in the workbook)" in report
    assert "### Campaign brief" in report  # the known one is still printed
    assert document_of(session_file, ids["rule"]) == "retired-brief"


async def test_a_read_only_copy_offers_no_document(session_file: Path) -> None:
    ids = loop_with_items(session_file, brief="campaign-brief")
    before = session_file.read_bytes()
    app = AlignmentApp(session_file, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        line = line_of(app, ids["brief"])
        assert note_of(app, line) is not None  # what it follows is still shown
        line.focus()
        await pilot.pause()
        assert not offered(app)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert not isinstance(app.screen, WorkbookDialog)
    assert session_file.read_bytes() == before

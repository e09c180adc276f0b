"""The workbook: built-in presets and templates, house templates, damaged files, presets applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment_tui import cli
from alignment_tui.sessions import workbook
from alignment_tui.sessions.models import FunnelCount, Handover, Owner
from alignment_tui.sessions.service import ChangeRefused, SessionService
from alignment_tui.sessions.store import read_session


def house(tmp_path: Path) -> Path:
    folder = tmp_path / "config" / workbook.HOUSE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_built_in_workbook_is_complete_and_valid() -> None:
    book = workbook.load()
    assert book.problems == []
    assert [p.key for p in book.funnel_presets()] == ["simple", "b2b-waterfall", "inbound"]
    assert len(book.loop_examples()) >= 4
    assert [h.key for h in book.handover_templates()] == ["standard"]
    assert {m.key for m in book.message_templates()} == {
        "elevator-line",
        "email-opener",
        "first-call",
        "website-headline",
    }
    assert {d.key for d in book.document_templates()} == {"campaign-brief", "customer-story"}
    simple = book.funnel_presets()[0]
    # marketing finds, both nurture, sales closes
    assert [s.owner for s in simple.stages] == [Owner.MARKETING, Owner.SHARED, Owner.SALES]
    for loop in book.loop_examples():
        assert loop.sales_brings and loop.marketing_brings and loop.rules
    assert all(e.source is None for e in book.entries)


def test_a_house_file_replaces_a_built_in_entry_and_adds_its_own(tmp_path: Path) -> None:
    folder = house(tmp_path)
    (folder / "ours.toml").write_text(
        """
[[funnel]]
key = "simple"
title = "Our three stages"
stages = [{ name = "Lead", owner = "Marketing" }, { name = "Deal", owner = "Sales" }]

[[funnel]]
key = "partners"
title = "Partner channel"
stages = [{ name = "Referral", owner = "Shared" }, { name = "Signed", owner = "Sales" }]
""",
        encoding="utf-8",
    )
    book = workbook.load()
    assert book.problems == []
    listed = book.of("funnel")
    assert [e.entry.key for e in listed] == ["simple", "b2b-waterfall", "inbound", "partners"]
    assert listed[0].entry.title == "Our three stages"
    assert listed[0].source == folder / "ours.toml" and listed[1].source is None


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("broken.toml", b"[[funnel]\nkey = ", "not TOML"),
        ("latin1.toml", "title = 'caf\xe9'".encode("latin-1"), "not UTF-8"),
        ("unknown.toml", b"[[recipe]]\nkey = 'x'\n", "recipe"),
        (
            "twice.toml",
            b"[[funnel]]\nkey='x'\ntitle='X'\nstages=[{name='A',owner='Sales'},"
            b"{name='a',owner='Sales'}]\n",
            "same name",
        ),
        (
            "owner.toml",
            b"[[funnel]]\nkey='x'\ntitle='X'\nstages=[{name='A',owner='Finance'},"
            b"{name='B',owner='Sales'}]\n",
            "owner",
        ),
        ("big.toml", b"# " + b"x" * (workbook.MAX_FILE_BYTES + 1), "larger than"),
    ],
)
def test_a_damaged_house_file_is_skipped_with_one_line_naming_it(
    tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    folder = house(tmp_path)
    (folder / name).write_bytes(content)
    book = workbook.load()
    assert len(book.problems) == 1
    line = book.problems[0]
    assert str(folder / name) in line and why in line and "\n" not in line
    # the built-in workbook is all there
    assert len(book.funnel_presets()) == 3 and len(book.loop_examples()) >= 4


def test_a_message_draft_shows_what_the_house_is_missing() -> None:
    elevator = next(m for m in workbook.load().message_templates() if m.key == "first-call")
    text = workbook.fill_message(elevator, {"core": "We fill every slot.", "pillar1": "Fewer gaps"})
    assert "We fill every slot." in text and "Fewer gaps" in text
    assert "[pillar 2]" in text and "[proof point 1]" in text
    assert "{" not in text


def test_a_preset_fills_an_empty_funnel_in_one_save(session_file: Path) -> None:
    preset = next(p for p in workbook.load().funnel_presets() if p.key == "b2b-waterfall")
    svc = SessionService.open(session_file)
    svc.replace_stages([(s.name, s.owner) for s in preset.stages])
    svc.close()
    saved = read_session(session_file)
    assert [(s.name, s.owner) for s in saved.sorted_stages()] == [
        (s.name, s.owner) for s in preset.stages
    ]


def test_a_preset_never_replaces_counts_or_a_written_hand_over(session_file: Path) -> None:
    svc = SessionService.open(session_file)
    stages = svc.session.sorted_stages()
    before = [s.name for s in stages]
    svc.set_count(stages[0].id, svc.session.funnel_periods[0].id, count=120)
    with pytest.raises(ChangeRefused, match="counts"):
        svc.replace_stages([("A", Owner.MARKETING), ("B", Owner.SALES)])
    svc.remove(next(c for c in svc.session.funnel_counts if isinstance(c, FunnelCount)))
    h: Handover = svc.handover_for(stages[3].id)
    svc.update(h, qualifies="Has a budget")
    with pytest.raises(ChangeRefused, match="hand-over"):
        svc.replace_stages([("A", Owner.MARKETING), ("B", Owner.SALES)])
    svc.close()
    assert [s.name for s in read_session(session_file).sorted_stages()] == before


def test_the_templates_command_lists_the_workbook_and_where_it_comes_from(
    tmp_path: Path,
) -> None:
    folder = house(tmp_path)
    (folder / "ours.toml").write_text(
        "[[document]]\nkey='kick-off'\ntitle='Kick-off note'\n"
        "sections=[['Why','The reason'],['Who','The people']]\n",
        encoding="utf-8",
    )
    (folder / "bad.toml").write_text("[[loop]]\nkey='x'\n", encoding="utf-8")
    result = CliRunner().invoke(cli.cli, ["templates"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Funnel preset" in out and "b2b-waterfall" in out and "built in" in out
    # Where it comes from: the file's whole path, however long (the last column is not cut).
    assert "Kick-off note" in out and str(folder / "ours.toml") in out  # whole, however long
    assert f"House templates folder: {folder}" in out
    assert f"{folder / 'bad.toml'}: skipped" in result.stderr


def test_several_records_are_saved_together_or_not_at_all(session_file: Path) -> None:
    from alignment_tui.sessions.models import FeedbackItem, FeedbackSide

    svc = SessionService.open(session_file)
    loop = svc.session.feedback.model_copy(update={"forum": "Round-table, Tuesdays"})
    items = [
        FeedbackItem(id=svc.session.next_id("feedback_items") + n, side=side, text=text)
        for n, (side, text) in enumerate(
            [(FeedbackSide.SALES, "Lost-deal reasons"), (FeedbackSide.RULE, "Advice, not orders")]
        )
    ]
    seen: list[str] = []
    svc.subscribe(seen.append)
    svc.save_together([loop, *items])
    assert sorted(seen) == ["feedback", "feedback_items"]
    # a record that breaks a rule: nothing of the batch is saved
    bad = FeedbackItem.model_construct(
        id=99, side=FeedbackSide.SALES, position=0, text="x" * 30_000
    )
    with pytest.raises(ChangeRefused):
        svc.save_together([loop.model_copy(update={"forum": "Changed"}), bad])
    svc.close()
    saved = read_session(session_file)
    assert saved.feedback.forum == "Round-table, Tuesdays"
    assert sorted(i.text for i in saved.feedback_items) == [
        "Advice, not orders",
        "Lost-deal reasons",
    ]

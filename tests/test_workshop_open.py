"""Opening the workshop: the guidance panel, styles after mount and theme changes, the footer."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from alignment_tui.app import AlignmentApp
from alignment_tui.guidance import guidance
from alignment_tui.guidance.panel import GuidanceList, GuidanceText, parse_guidance
from alignment_tui.screens.confirm import ConfirmDialog
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.models import StepId
from step_helpers import put_room_on_step


def test_guidance_blocks_are_headings_paragraphs_and_bullet_lists() -> None:
    blocks = parse_guidance(
        "## Why it matters\n\nOne funnel\nfor both teams.\n\n"
        "## Ask the room\n\n- Where do we lose\n  the most leads?\n- Who owns a lead?\n"
    )
    assert [b.kind for b in blocks] == ["h2", "p", "h2", "ul"]
    assert blocks[0].text == "Why it matters"
    assert blocks[1].text == "One funnel for both teams."
    assert blocks[3].items == ("Where do we lose the most leads?", "Who owns a lead?")
    # every step's guidance file parses into headings, paragraphs and lists
    for step in StepId:
        kinds = {b.kind for b in parse_guidance(guidance(step))}
        assert kinds <= {"h1", "h2", "p", "ul"} and "h2" in kinds


async def test_guidance_panel_follows_the_step(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#guidance-text", GuidanceText)
        assert panel.source == guidance(StepId.FUNNEL)
        headings = [str(s.content) for s in panel.query(".guidance-h2").results(Static)]
        assert headings == ["Why it matters", "What success looks like", "Ask the room"]
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert app.screen.step is StepId.WRAPUP
        assert panel.source == guidance(StepId.WRAPUP)
        texts = [str(s.content) for s in panel.query(Static).results(Static)]
        wrapup = [b.text for b in parse_guidance(guidance(StepId.WRAPUP)) if b.kind != "ul"]
        assert texts == wrapup  # the funnel's blocks are gone, in order


async def test_guidance_bullets_wrap_under_their_text(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = app.screen.query(GuidanceList).first()
        lines = first.render().plain.split("\n")
        assert len(lines) == first.size.height > len(first.items)
        assert lines[0] == "• Every stage has an owner:"
        assert lines[1] == "  Marketing, Shared or Sales."
        assert sum(line.startswith("• ") for line in lines) == len(first.items)
        assert all(line.startswith(("• ", "  ")) for line in lines)


async def test_guidance_emphasis_is_italic_not_asterisks(session_file: Path) -> None:
    """goals.md says a team names what it will *do*: the room sees "do" in italics."""
    from alignment_tui.guidance.panel import inline

    text = inline("what it will *do* differently, 3 * 4 and a lone * stay")
    assert text.plain == "what it will do differently, 3 * 4 and a lone * stay"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["do"]
    put_room_on_step(session_file, StepId.GOALS)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = "\n".join(item.render().plain for item in app.screen.query(GuidanceList))
        assert "will do" in " ".join(shown.split())
        assert "*" not in shown


async def test_widgets_built_compact_are_styled_compact(session_file: Path) -> None:
    """Styles are applied when widgets mount, not before (compact=True in a constructor)."""
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#new-stage-name")
        assert field.has_class("-textual-compact")
        assert field.size.height == 1
        assert field.styles.border_top[0] in ("", "none")


async def test_theme_change_restyles_the_workshop_even_behind_a_dialog(
    session_file: Path,
) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        heading = screen.query(".guidance-h2").first(Static)
        steps = screen.query_one("#steps")  # styled by workshop.tcss
        dark = heading.styles.color
        dark_border = steps.styles.border_right
        assert dark_border[0] == "vkey"
        await pilot.press("f8")  # the light projector theme
        await pilot.pause()
        light = heading.styles.color
        assert light != dark
        assert steps.styles.border_right[0] == "vkey"
        assert steps.styles.border_right[1] != dark_border[1]
        app.push_screen(ConfirmDialog("Sure?", "Really."))
        await pilot.pause()
        app.action_toggle_theme()  # back to dark while the dialog covers the workshop
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert heading.styles.color == dark
        assert steps.styles.border_right == dark_border


async def test_footer_shows_the_focused_widgets_keys(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def keys() -> list[str]:
            return [k.description for k in app.screen.query(FooterKey)]

        before = keys()
        assert "Add action" in before and "Remove" not in before
        app.screen.query_one("#setup-people").focus()
        await pilot.pause()
        assert "Remove" in keys()
        app.screen.query_one("#setup-title").focus()
        await pilot.pause()
        assert keys() == before


async def test_garbage_collection_pauses_while_the_workshop_builds(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WorkshopScreen, "GC_PAUSE", 3600.0)
    assert gc.isenabled()
    try:
        app = AlignmentApp(session_file)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WorkshopScreen)
            assert not gc.isenabled()  # still within the pause
        assert gc.isenabled()  # leaving the workshop resumes it
    finally:
        gc.enable()


async def test_garbage_collection_resumes_once_the_workshop_settled(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WorkshopScreen, "GC_PAUSE", 0.01)
    try:
        app = AlignmentApp(session_file)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.pause(0.2)
            assert isinstance(app.screen, WorkshopScreen)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_command_line_start_pauses_collection_until_the_first_screen_settled(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alignment_tui import app as app_module
    from alignment_tui.cli import make_app

    monkeypatch.setattr(app_module, "GC_SETTLE_SECONDS", 0.05)
    try:
        app = make_app(session_file)
        assert not gc.isenabled()  # paused before Textual and the screens are imported
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WorkshopScreen)
            for _ in range(50):
                await pilot.pause(0.02)
                if gc.isenabled():
                    break
            assert gc.isenabled()
            # what was built is frozen, so the first collections do not rescan it all
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0  # the workshop closed: collectable again
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_command_leaves_the_collector_as_it_found_it(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alignment_tui import cli
    from alignment_tui.sessions import store

    seen: list[bool] = []
    read = store.read_session

    def spy(path: Path) -> object:
        seen.append(gc.isenabled())
        return read(path)

    monkeypatch.setattr(store, "read_session", spy)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["export", str(session_file), "--format", "json", "-o", "-"])
    assert exit_info.value.code in (0, None)
    assert seen == [False]  # paused while the command ran
    assert gc.isenabled()  # and back on afterwards


async def test_a_step_opens_with_its_lines_drawn_and_its_actions_filled_once(
    session_file: Path,
) -> None:
    """Status, sign-off and actions title are drawn from the start; the actions table
    is filled once, for the width it is laid out with (the pane keeps its scrollbar's gutter)."""
    from alignment_tui.widgets.actions import ActionsPanel
    from alignment_tui.widgets.signoff import SignOffBar

    put_room_on_step(session_file, StepId.GOALS)
    app = AlignmentApp(session_file)
    fills: list[int] = []
    original = ActionsPanel._fill

    def counting_fill(self, table, session, actions, width, today):  # type: ignore[no-untyped-def]
        fills.append(width)
        original(self, table, session, actions, width, today)

    ActionsPanel._fill = counting_fill  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, WorkshopScreen)
            pane = screen.pane(StepId.GOALS)
            assert pane.styles.scrollbar_gutter == "stable"
            status = pane.query_one("#status-goals", Static)
            assert str(status.content)  # never an empty line first
            panel = pane.query_one(ActionsPanel)
            title = str(panel.query_one(".actions-title", Static).content)
            assert title.startswith("Actions from this step")
            assert fills == [panel.content_region.width]
            bar = pane.query_one(SignOffBar)
            for line in bar.query(".signoff-who").results(Static):
                assert str(line.content)
            lead_lines = [str(s.content) for s in bar.query(".signoff-lead").results(Static)]
            assert all(" lead: " in text for text in lead_lines)
    finally:
        ActionsPanel._fill = original  # type: ignore[method-assign]

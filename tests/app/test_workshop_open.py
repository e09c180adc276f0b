"""Opening the workshop: the guidance panel, styles after mount and theme changes, the footer."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.geometry import Offset
from textual.widgets import Input, Static

from alignment_tui.app import AlignmentApp
from alignment_tui.form.confirm import ConfirmDialog
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.guidance import guidance
from alignment_tui.widgets.footer import KeyFooter
from alignment_tui.widgets.guidance import GuidanceText, inline, parse_guidance
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


def guidance_lines(panel: GuidanceText) -> list[str]:
    """What the guidance panel shows, line by line (trailing blanks dropped)."""
    return [panel.render_line(y).text.rstrip() for y in range(panel.content_size.height)]


async def test_guidance_panel_follows_the_step(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#guidance-text", GuidanceText)
        assert not panel.children  # one widget draws every block
        assert panel.source == guidance(StepId.FUNNEL)
        lines = guidance_lines(panel)
        assert "Marketing counts leads, sales" in lines
        assert lines[:4] == ["", "", "Why it matters", ""]  # two blank lines above, one below
        headings = ["Why it matters", "What success looks like", "Ask the room"]
        assert [line for line in lines if line in headings] == headings
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert app.screen.step is StepId.WRAPUP
        assert app.screen.query_one("#guidance-text") is panel  # redrawn, not remounted
        assert panel.source == guidance(StepId.WRAPUP)
        lines = guidance_lines(panel)
        assert panel.size.height == len(lines)
        shown = " ".join(" ".join(lines).split())
        assert "Marketing counts leads" not in shown  # the funnel's blocks are gone
        at = 0
        for block in parse_guidance(guidance(StepId.WRAPUP)):
            for text in block.items or (block.text,):
                at = shown.index(" ".join(inline(text).plain.split()), at)  # in order
        # other text is measured again: a heading, a paragraph and the margins
        panel.show("# Title\n\nOne line.")
        await pilot.pause()
        # (12: the panel keeps its scrollbar's place, two cells, even when its text fits)
        assert guidance_lines(panel) == ["", "", " " * 12 + "Title", "", "One line.", ""]
        assert panel.size.height == 6


async def test_guidance_bullets_wrap_under_their_text(session_file: Path) -> None:
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#guidance-text", GuidanceText)
        first = next(b for b in parse_guidance(panel.source) if b.kind == "ul")
        lines = guidance_lines(panel)
        top = lines.index("• Every stage has an owner:")
        assert lines[top + 1] == "  Marketing, Shared or Sales."
        bullets = lines[top : lines.index("", top)]
        assert len(bullets) > len(first.items)
        assert sum(line.startswith("• ") for line in bullets) == len(first.items)
        assert all(line.startswith(("• ", "  ")) for line in bullets)


async def test_guidance_emphasis_is_italic_not_asterisks(session_file: Path) -> None:
    """goals.md says a team names what it will *do*: the room sees "do" in italics."""
    text = inline("what it will *do* differently, 3 * 4 and a lone * stay")
    assert text.plain == "what it will do differently, 3 * 4 and a lone * stay"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["do"]
    put_room_on_step(session_file, StepId.GOALS)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#guidance-text", GuidanceText)
        shown = "\n".join(guidance_lines(panel))
        assert "will do" in " ".join(shown.split())
        assert "*" not in shown
        italic = [
            segment.text
            for y in range(panel.content_size.height)
            for segment in panel.render_line(y)
            if segment.style is not None and segment.style.italic
        ]
        assert "do" in italic


async def test_guidance_text_can_be_selected_and_copied(session_file: Path) -> None:
    """Dragging over the guidance selects what the lines show; a double click takes it all."""
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#guidance-text", GuidanceText)
        plain = [list(panel.render_line(y)) for y in range(7)]
        # from the first heading (third line, after the padding) to "counts de" two blocks on
        await pilot.mouse_down(panel, offset=Offset(2, 2))
        await pilot.hover(panel, offset=Offset(10, 5))
        await pilot.mouse_up(panel, offset=Offset(10, 5))
        await pilot.pause()
        assert app.screen.get_selected_text() == (
            "Why it matters\n\nMarketing counts leads, sales\ncounts de"
        )
        # the selected lines are drawn highlighted, the rest as before
        changed = [list(panel.render_line(y)) != plain[y] for y in range(7)]
        assert changed == [False, False, True, False, True, True, False]
        # from past the end of the heading: nothing of it, the paragraph's first line
        await pilot.mouse_down(panel, offset=Offset(25, 2))
        await pilot.hover(panel, offset=Offset(10, 4))
        await pilot.mouse_up(panel, offset=Offset(10, 4))
        await pilot.pause()
        assert app.screen.get_selected_text() == "Marketing"
        assert list(panel.render_line(2)) == plain[2]
        await pilot.double_click(panel, offset=Offset(3, 6))
        await pilot.pause()
        everything = app.screen.get_selected_text() or ""
        assert everything.startswith("Why it matters\n\nMarketing counts leads, sales\n")
        assert everything.endswith("\n• Which number would we check\n  first at the next review?")
        assert "• Every stage has an owner:\n  Marketing, Shared or Sales." in everything


async def test_widgets_built_compact_are_styled_compact(session_file: Path) -> None:
    """Styles are applied when widgets mount (compact=True in a constructor): one line,
    no border, on every step."""
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        seen = 0
        for step in StepId:
            screen.show_step(step, save=False)
            await pilot.pause()
            for field in screen.pane(step).query(Input):
                if field.has_class("-textual-compact") and field.region.area:
                    assert field.size.height == 1, field
                    assert field.styles.border_top[0] in ("", "none"), field
                    seen += 1
        assert seen


async def test_theme_change_restyles_the_workshop_even_behind_a_dialog(
    session_file: Path,
) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        panel = screen.query_one("#guidance-text", GuidanceText)

        def heading_color() -> object:
            """The colour the first heading ("Why it matters") is drawn in."""
            line = panel.render_line(guidance_lines(panel).index("Why it matters"))
            return next(s.style.color for s in line if s.text.strip() and s.style)

        steps = screen.query_one("#steps")  # styled by workshop.tcss
        dark = heading_color()
        dark_border = steps.styles.border_right
        assert dark_border[0] == "vkey"
        await pilot.press("f8")  # the light projector theme
        await pilot.pause()
        light = heading_color()
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
        assert heading_color() == dark
        assert steps.styles.border_right == dark_border


async def test_footer_shows_the_focused_widgets_keys(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def keys() -> list[str]:
            return [key.description for key in app.screen.query_one(KeyFooter).keys]

        before = keys()
        assert "Add action" in before and "Remove" not in before
        app.screen.query_one("#setup-people-rows").focus()
        await pilot.pause()
        assert "Remove" in keys()
        app.screen.query_one("#setup-title").focus()
        await pilot.pause()
        assert keys() == before


async def test_garbage_collection_pauses_while_the_workshop_builds(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alignment_tui import app as app_module

    monkeypatch.setattr(WorkshopScreen, "GC_PAUSE", 3600.0)
    # (the app resumes a pause it finds once mounted: not within this test either)
    monkeypatch.setattr(app_module, "GC_SETTLE_SECONDS", 3600.0)
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
    is filled once, for the width it is laid out with (the pane always has its scrollbar)."""
    from alignment_tui.widgets.actions import ActionsPanel
    from alignment_tui.widgets.signoff import SignOffBar

    service = SessionService.open(session_file)
    service.add_action("Send the brief to sales", StepId.GOALS)
    service.close()
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
            assert pane.styles.overflow_y == "scroll"
            status = pane.query_one("#status-goals", Static)
            assert str(status.content)  # never an empty line first
            panel = pane.query_one(ActionsPanel)
            title = str(panel.query_one(".actions-title", Static).content)
            assert title.startswith("Actions from this step")
            assert fills == [panel.content_region.width]
            panel.scroll_visible(animate=False)
            await pilot.pause()
            assert fills == [panel.content_region.width]  # not again when it comes into view
            bar = pane.query_one(SignOffBar)
            for line in bar.query(".signoff-who").results(Static):
                assert str(line.content)
            lead_lines = [str(s.content) for s in bar.query(".signoff-lead").results(Static)]
            assert all(" lead: " in text for text in lead_lines)
    finally:
        ActionsPanel._fill = original  # type: ignore[method-assign]


async def test_a_shorter_status_line_does_not_move_the_form(session_file: Path) -> None:
    """Saving the field left as the mouse goes down on a button shortens "Still needed";
    the form below must stay where the pointer is, or the click lands a line off."""
    svc = SessionService.open(session_file)
    svc.set_step(StepId.CRM)
    svc.close()
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
        status = app.screen.query_one("#status-crm", Static)
        field = app.screen.query_one("#crm-system", Input)
        before_lines = status.size.height
        before_y = field.region.y
        assert before_lines >= 2  # "Still needed: a CRM system; ..." wraps at 80 columns
        field.focus()
        await pilot.press(*"Salesforce", "tab")
        for _ in range(3):
            await pilot.pause()
        assert "CRM system" not in str(status.render())  # the status did change
        assert field.region.y == before_y


async def test_a_step_opens_with_its_entry_field_in_view_at_once(session_file: Path) -> None:
    """The Funnel opens in its counts, below the fold at 80x24: the pane is already
    there when the step shows, not gliding to it (a glide lays the screen out at
    every frame)."""
    put_room_on_step(session_file, StepId.FUNNEL)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        pane = screen.pane(StepId.FUNNEL)
        grid = pane.query_one("#funnel-grid")
        assert grid.has_focus
        assert pane.scroll_y > 0  # scrolled down to it ...
        assert not app.animator.is_being_animated(pane, "scroll_y")  # ... in one move
        assert screen.can_view_entire(grid)

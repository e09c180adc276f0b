"""A read-only copy is read section by section: its fields cannot take the focus, so the step
pane takes it, and Ctrl+↓ / Ctrl+↑ bring the next / previous section's title to the top of
the pane (focusing what the section has that can still take the focus). The footer and F1
list those keys. A writable copy keeps jumping from field to field."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import DataTable

from alignment_tui.app import AlignmentApp
from alignment_tui.form.later import Later
from alignment_tui.form.section import Section
from alignment_tui.screens.help import HelpScreen
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.steps.base import StepPane
from screen_text import footer_text, region_text, widget_text
from step_helpers import put_room_on_step


def demo_file(tmp_path: Path, step: StepId) -> Path:
    path = tmp_path / "kestrel.alignment.db"
    SessionService.create(path, demo_session()).close()
    put_room_on_step(path, step)
    return path


def top_line(pane: StepPane) -> str:
    """The first line the pane shows."""
    region = pane.scrollable_content_region
    return region_text(pane.screen, Region(region.x, region.y, region.width, 1))[0].strip()


def title_at_top(pane: StepPane, section: Section) -> bool:
    """The section's title is the pane's first line, or, with the pane scrolled to its end
    (a section near the end cannot come higher), in view."""
    if top_line(pane) == section.title:
        return True
    shown = [line.strip() for line in widget_text(pane)]
    return pane.scroll_y == pane.max_scroll_y and section.title in shown


async def test_a_read_only_copy_jumps_section_by_section(tmp_path: Path) -> None:
    path = demo_file(tmp_path, StepId.STORY)
    before = path.read_bytes()
    app = AlignmentApp(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#pane-story", StepPane)
        assert pane.max_scroll_y > 0, "the step is longer than the screen"
        # A read-only copy starts in the step itself: Ctrl+↓ works at once.
        assert app.screen.focused is pane
        footer = " ".join(footer_text(app.screen))
        assert "Next section" in footer
        assert "Previous section" in footer
        # The lower parts are not built yet: the first Ctrl+↓ builds them, then jumps
        # to the first section.
        assert pane.query(Later)
        await pilot.press("ctrl+down")
        for _ in range(10):
            await pilot.pause()
            if not pane.query(Later) and top_line(pane) == pane.query(Section).first().title:
                break
        assert not pane.query(Later)
        sections = list(pane.query(Section))
        assert len(sections) >= 3
        assert title_at_top(pane, sections[0]), (sections[0].title, top_line(pane))
        for section in sections[1:]:
            await pilot.press("ctrl+down")
            await pilot.pause()
            assert title_at_top(pane, section), (section.title, top_line(pane))
        # The last one: Ctrl+↓ stays.
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert title_at_top(pane, sections[-1])
        for section in reversed(sections[:-1]):
            await pilot.press("ctrl+up")
            await pilot.pause()
            assert top_line(pane) == section.title
        assert app.screen.focused is pane  # the story has nothing else to focus in read-only
        # Typed keys change nothing.
        await pilot.press(*"typed", "enter", "space")
        await pilot.pause()
    assert path.read_bytes() == before


async def test_a_read_only_section_focuses_what_can_take_the_focus(tmp_path: Path) -> None:
    """The funnel's lists and tables can still be looked through: the jump lands on them."""
    path = demo_file(tmp_path, StepId.FUNNEL)
    app = AlignmentApp(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#pane-funnel", StepPane)
        stages = pane.query_one("#funnel-stages", Section)
        counts = pane.query_one("#funnel-counts", Section)
        await pilot.press("ctrl+down")  # the step has the focus from the start
        await pilot.pause()
        assert top_line(pane) == stages.title
        focused = app.screen.focused
        assert focused is not None and stages in focused.ancestors
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert top_line(pane) == counts.title
        focused = app.screen.focused
        assert focused is not None and counts in focused.ancestors
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert top_line(pane) == stages.title


async def test_f1_in_a_read_only_step_lists_the_section_keys(tmp_path: Path) -> None:
    path = demo_file(tmp_path, StepId.CRM)
    app = AlignmentApp(path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        ids = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "step.next_section" in ids
        assert "step.previous_section" in ids


async def test_a_writable_copy_jumps_from_field_to_field(tmp_path: Path) -> None:
    path = demo_file(tmp_path, StepId.STORY)
    app = AlignmentApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#pane-story", StepPane)
        assert not pane.focusable
        sections = list(pane.query(Section))
        await pilot.press("ctrl+down")
        await pilot.pause()
        focused = app.screen.focused
        assert focused is not None and focused is not pane
        assert sections[1] in focused.ancestors
        assert focused.region.y >= pane.region.y  # in view

"""The workshop's lean compositor repaints exactly what Textual's own would.

:class:`LeanCompositor` skips the widgets a partial repaint cannot show (a
keystroke's repaint used to render ~25 widgets). These tests hold it to the
same output as Textual's compositor: piece by piece for every widget's area on
several steps, and on the screen the terminal ends up showing after typing,
moving through the goals and tabbing between fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from alignment_tui.app import AlignmentApp
from alignment_tui.form.fields import SavingInput
from alignment_tui.sessions.models import Behaviour, Goal, StepId, Team
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.compositor import LeanCompositor

Cells = dict[tuple[int, int], tuple[str, Style | None]]


def paint(cells: Cells, x: int, y: int, strip: Strip, x1: int = 0, x2: int = 10_000) -> None:
    """Put *strip*'s characters at (x, y) on, keeping only columns x1..x2."""
    for segment in strip:
        if segment.control:
            continue
        for char in segment.text:
            if x1 <= x < x2:
                cells[(x, y)] = (char, segment.style)
            x += cell_len(char)


def chops_cells(
    chops: Sequence[Mapping[int, Strip | None]],
    spans: Iterable[tuple[int, int, int]],
    chop_ends: list[list[int]],
) -> Cells:
    """What a ChopsUpdate writes to the terminal, cell by cell (as ChopsUpdate does)."""
    cells: Cells = {}
    for y, x1, x2 in spans:
        for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
            if strip is not None and x < x2 and end > x1:
                paint(cells, x, y, strip, x1, x2)
    return cells


def full_cells(compositor: Compositor) -> Cells:
    """The whole screen as Textual's own compositor paints it."""
    cells: Cells = {}
    chops = Compositor._render_chops(compositor, compositor.size.region, lambda _y: True)
    for y, line in enumerate(chops):
        paint(cells, 0, y, Strip.join(line.values()))
    return cells


def compare_partial(compositor: Compositor, regions: list[Region]) -> None:
    """Textual's and the lean compositor write the same cells for these dirty regions."""
    screen = compositor.size.region
    crop = Region.from_union(regions).intersection(screen)
    spans = list(compositor._regions_to_spans(regions))
    lines = {y for y, _x1, _x2 in spans}
    ends = [cuts[1:] for cuts in compositor.cuts]
    theirs = Compositor._render_chops(compositor, crop, lines.__contains__)
    ours = compositor._render_chops(crop, lines.__contains__)
    assert chops_cells(ours, spans, ends) == chops_cells(theirs, spans, ends), regions


def goals_session(path: Path) -> None:
    svc = SessionService.open(path)
    for n in range(3):
        goal = svc.add(Goal)
        svc.update(goal, statement=f"Goal number {n} for both teams", measure="leads", votes=n)
        for team in (Team.SALES, Team.MARKETING):
            b = svc.add(Behaviour, goal_id=goal.id, team=team)
            svc.update(b, text=f"{team.value} does thing {n}")
    svc.set_step(StepId.GOALS)
    svc.close()


@pytest.mark.parametrize("step", [StepId.GOALS, StepId.STORY, StepId.FUNNEL, StepId.WRAPUP])
async def test_every_widgets_repaint_is_the_same_as_textuals(
    session_file: Path, step: StepId
) -> None:
    goals_session(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen: Any = app.screen
        screen.show_step(step, save=False)
        await pilot.pause()
        compositor = screen._compositor
        assert isinstance(compositor, LeanCompositor)
        visible = [
            region.intersection(clip) for region, clip in compositor.visible_widgets.values()
        ]
        assert len(visible) > 20
        for area in visible:
            if area.area:
                compare_partial(compositor, [area])
        # two far-apart changes at once (a field and the footer), and odd rectangles
        compare_partial(compositor, [visible[-1], Region(0, 39, 120, 1)])
        for region in (
            Region(3, 5, 50, 7),
            Region(70, 0, 50, 40),
            Region(0, 20, 120, 2),
            compositor.size.region,  # a full repaint
        ):
            compare_partial(compositor, [region])


async def test_the_terminal_shows_the_same_as_a_full_repaint_after_typing(
    session_file: Path,
) -> None:
    goals_session(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen: Any = app.screen
        compositor = screen._compositor
        assert isinstance(compositor, LeanCompositor)
        shown = full_cells(compositor)  # the terminal as it is now
        render_update = compositor.render_update

        def record(*args: Any, **kwargs: Any) -> Any:
            update = render_update(*args, **kwargs)
            if isinstance(update, ChopsUpdate):
                shown.update(chops_cells(update.chops, update.spans, update.chop_ends))
            elif isinstance(update, LayoutUpdate):
                for y, line in enumerate(update.strips, update.region.y):
                    paint(shown, update.region.x, y, Strip.join(line))
            return update

        compositor.render_update = record
        screen.query_one("#goal-statement", SavingInput).focus()
        await pilot.pause()
        await pilot.press("end", *"grow", "backspace", "tab", *"xyz", "shift+tab", "left")
        await pilot.pause()
        assert shown == full_cells(compositor)
        screen.query_one("#goals-table").focus()
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert shown == full_cells(compositor)

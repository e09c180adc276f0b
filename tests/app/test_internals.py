"""The overrides of private Textual and Rich names (``alignment_tui.internals``).

Each override was checked against one Textual and one Rich release. When a pin
in pyproject.toml moves, the first test here fails until someone has checked
the overrides against the new release and set ``VERIFIED_TEXTUAL`` /
``VERIFIED_RICH`` to it; the others check that each override still does what
it is there for, and that with any other release the app keeps Textual's and
Rich's own behaviour without a word to the user.

This is the one test module that reads Textual's private compositor: the lean
compositor replaces it, and is held here to paint exactly what Textual's own
would, piece by piece.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input

from alignment_tui import internals
from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import Goal, StepId, new_session
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.text import visible

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def pins() -> dict[str, str]:
    """The exact versions pyproject.toml pins (``name==version``)."""
    deps = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    found = {}
    for dep in deps:
        name, sep, version = dep.partition("==")
        if sep:
            found[name.strip().lower()] = version.strip()
    return found


def test_the_overrides_were_checked_against_the_pinned_and_installed_releases() -> None:
    """Moving a pin fails here: check every override in internals.py, then the versions."""
    assert pins()["textual"] == internals.VERIFIED_TEXTUAL
    assert pins()["rich"] == internals.VERIFIED_RICH
    assert importlib.metadata.version("textual") == internals.VERIFIED_TEXTUAL
    assert importlib.metadata.version("rich") == internals.VERIFIED_RICH
    # ... and the cheap check the app makes at start-up agrees with importlib.metadata
    assert internals.verified()
    assert internals.apply() == {"control characters"}


def test_escape_sequences_in_user_text_are_shown_not_sent() -> None:
    internals.apply()
    # Textual's Content and Rich's Text: what every widget draws user text with
    assert Content("Q4 \x1b[31mred\x1b]0;x\x07").plain == "Q4 \u241b[31mred\u241b]0;x\u2407"
    assert Text("a\x1bb\x00c\x7fd\x9be").plain == "a\u241bb\u2400c\u2421d\ufffde"
    # the same rule as the command line and the exports (one rule, in the core)
    text = "t\x1b[2J\x00\x7f\x85 \r\x07"
    assert Content(text).plain == Text(text).plain == visible(text)
    # tabs and line breaks keep their meaning
    assert Content("a\tb\nc").plain == "a\tb\nc"


async def test_a_title_with_an_escape_sequence_cannot_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "escape.alignment.db"
    SessionService.create(path, new_session("Q4 \x1b[31mred \x1b]0;pwned\x07")).close()
    app = AlignmentApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = app.export_screenshot()
        assert "\x1b" not in shown
        assert "\u241b[31mred" in shown
    again = SessionService.open(path)
    try:
        assert again.session.meta.title == "Q4 \x1b[31mred \x1b]0;pwned\x07"  # display only
    finally:
        again.close()


def test_another_release_keeps_the_stock_behaviour_and_says_nothing(tmp_path: Path) -> None:
    """As if Textual had moved on: nothing is overridden, the app still starts, no output."""
    code = (
        "import asyncio\n"
        "from alignment_tui import internals\n"
        "internals.VERIFIED_TEXTUAL = '0.0.1'\n"
        "from textual.content import Content\n"
        "from alignment_tui.app import AlignmentApp\n"
        "async def main():\n"
        "    app = AlignmentApp()\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert not [t for t in app.screen.query('Toast')]\n"
        "asyncio.run(main())\n"
        "assert internals.apply() == frozenset()\n"
        "assert Content('a\\x1bb').plain == 'a\\x1bb'\n"  # Textual's own rule: ESC kept
    )
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


# -- the lean compositor -------------------------------------------------------------

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


def lean(app: AlignmentApp) -> Compositor:
    compositor: Compositor = app.screen._compositor
    assert type(compositor) is internals._lean_compositor_class()
    return compositor


def goals_session(path: Path) -> None:
    service = SessionService.open(path)
    for n in range(3):
        goal = service.add(Goal)
        service.update(goal, statement=f"Goal number {n} for both teams", measure="leads")
    service.set_step(StepId.GOALS)
    service.close()


@pytest.mark.parametrize("step", [StepId.SETUP, StepId.GOALS, StepId.FUNNEL, StepId.WRAPUP])
async def test_the_lean_compositor_repaints_every_widget_as_textual_does(
    session_file: Path, step: StepId
) -> None:
    goals_session(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen: Any = app.screen
        screen.show_step(step, save=False)
        await pilot.pause()
        compositor = lean(app)
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


async def test_after_typing_the_terminal_shows_what_a_full_repaint_would(
    session_file: Path,
) -> None:
    goals_session(session_file)
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        compositor: Any = lean(app)
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
        field = next(f for f in app.screen.query(Input) if f.region.area and not f.disabled)
        field.focus()
        await pilot.pause()
        await pilot.press("end", *"grow", "backspace", "tab", *"xyz", "shift+tab", "left")
        await pilot.pause()
        assert shown == full_cells(compositor)
        for _ in range(3):
            app.screen.focus_next()
            await pilot.press("down", "down", "up")
        await pilot.pause()
        assert shown == full_cells(compositor)


def test_another_release_keeps_textuals_compositor() -> None:
    code = (
        "import asyncio, sys\n"
        "from alignment_tui import internals\n"
        "internals.VERIFIED_RICH = '0.0.1'\n"
        "from alignment_tui.app import AlignmentApp\n"
        "from alignment_tui.sessions.models import new_session\n"
        "from alignment_tui.sessions.service import SessionService\n"
        "path = sys.argv[1]\n"
        "SessionService.create(path, new_session('Q4')).close()\n"
        "async def main():\n"
        "    app = AlignmentApp(path)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'WorkshopScreen'\n"
        "        print(type(app.screen._compositor).__name__)\n"
        "asyncio.run(main())\n"
    )
    path = Path(os.environ["ALIGNMENT_TUI_DATA_DIR"]).parent / "stock.alignment.db"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["Compositor"] and proc.stderr == ""


async def test_typing_into_a_field_lays_nothing_out(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QuietInputWidth: a key in a fixed-size field asks for no layout of the screen."""
    from textual.widget import Widget

    from alignment_tui.form.fields import SavingInput

    layouts: list[str] = []
    original = Widget.refresh

    def refresh(self: Widget, *args: Any, layout: bool = False, **kwargs: Any) -> Any:
        if layout and isinstance(self, SavingInput):
            layouts.append(self.id or "")
        return original(self, *args, layout=layout, **kwargs)

    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#setup-title", SavingInput)
        field.focus()
        await pilot.pause()
        monkeypatch.setattr(Widget, "refresh", refresh)
        await pilot.press(*"abcdef")
        await pilot.pause()
        monkeypatch.undo()
        assert field.value.endswith("abcdef")
    assert layouts == []

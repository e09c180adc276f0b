"""The footer: every key of the app and the screen, always, in one order; the focused
widget's own keys after them where there is room; no key cut mid-word."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from alignment_tui.app import AlignmentApp
from alignment_tui.screens.start import StartScreen
from alignment_tui.screens.workshop import WorkshopScreen
from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.models import StepId
from alignment_tui.sessions.service import SessionService
from alignment_tui.widgets.footer import KeyFooter
from screen_text import footer_text

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.alignment.db"
    SessionService.create(path, demo_session()).close()
    return path


def shown(screen: Screen[Any]) -> str:
    """The footer as the user reads it: its rows in order, compared without case."""
    return "\n".join(footer_text(screen)).casefold()


def described(screen: Screen[Any], *, chrome: bool) -> list[str]:
    """``"key description"`` of each shown key, as the bindings say: the app's and the
    screen's (*chrome*) or the focused widget's and its containers'."""
    app = screen.app
    found: list[str] = []
    actions: set[tuple[int, str]] = set()
    for node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if not binding.show or not binding.description:
            continue
        if (node is screen or node is app) is not chrome:
            continue
        if (id(node), binding.action) in actions:  # f2 and ctrl+n: one key shown
            continue
        actions.add((id(node), binding.action))
        found.append(f"{app.get_key_display(binding)} {binding.description}".casefold())
    return found


def positions(text: str, items: list[str]) -> list[int]:
    return [text.find(item) for item in items]


def assert_nothing_cut(screen: Screen[Any], text: str) -> None:
    """A key that shows the start of its description shows all of it."""
    for item in described(screen, chrome=True) + described(screen, chrome=False):
        key, _, description = item.partition(" ")
        if f"{key} {description[:1]}" in text:
            assert item in text, f"{item!r} is cut in {text!r}"


async def focus(screen: Screen[Any], widget: Widget, pilot: Any) -> None:
    """Focus *widget*, or the first field inside it when it is a container."""
    if not widget.focusable:
        widget = next(inner for inner in widget.query("*") if inner.focusable)
    widget.focus()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
async def test_workshop_footer_keeps_every_app_and_screen_key_in_one_order(
    demo_file: Path, size: tuple[int, int]
) -> None:
    svc = SessionService.open(demo_file)
    svc.set_step(StepId.SETUP)
    svc.close()
    app = AlignmentApp(demo_file)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        chrome = described(screen, chrome=True)
        assert any(item.endswith(" help") for item in chrome)
        assert any(item.endswith(" quit") for item in chrome)

        seen: dict[str, list[int]] = {}
        for name in ("#setup-title", "#setup-people"):
            await focus(screen, screen.query_one(name), pilot)
            text = shown(screen)
            for item in chrome:
                assert item in text, f"{item!r} missing at {size} with {name}: {text!r}"
            assert_nothing_cut(screen, text)
            seen[name] = positions(text, chrome)
        screen.show_step(StepId.FUNNEL)
        await pilot.pause()
        await focus(screen, screen.query("CountsGrid").first(), pilot)
        text = shown(screen)
        for item in chrome:
            assert item in text, f"{item!r} missing at {size} with the counts grid: {text!r}"
        assert_nothing_cut(screen, text)
        seen["grid"] = positions(text, chrome)

        # the same keys at the same places, whatever has the focus
        first = seen["#setup-title"]
        assert all(found == first for found in seen.values()), seen
        # in the order the footer promises: F1 first, the F-keys by number, Quit after them
        in_order = [item for _at, item in sorted(zip(first, chrome, strict=True))]
        assert in_order[0].endswith(" help")
        numbers = [int(item[1:].split()[0]) for item in in_order if re.match(r"f\d+ ", item)]
        assert numbers == sorted(numbers)
        assert in_order.index(next(i for i in in_order if i.endswith(" quit"))) > len(numbers) - 1


async def test_the_focused_widgets_keys_come_after_the_app_and_screen_keys(
    demo_file: Path,
) -> None:
    svc = SessionService.open(demo_file)
    svc.set_step(StepId.FUNNEL)
    svc.close()
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkshopScreen)
        await focus(screen, screen.query("CountsGrid").first(), pilot)
        text = shown(screen)
        own = described(screen, chrome=False)
        assert own, "the counts grid has keys of its own"
        shown_own = [item for item in own if item in text]
        assert shown_own, f"none of {own} shown in {text!r}"
        last_chrome = max(positions(text, described(screen, chrome=True)))
        assert min(positions(text, shown_own)) > last_chrome


async def test_footer_keeps_its_height_when_the_focus_moves(demo_file: Path) -> None:
    """The forms do not jump a line up or down as the facilitator tabs along."""
    svc = SessionService.open(demo_file)
    svc.set_step(StepId.SETUP)
    svc.close()
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        heights = set()
        for name in ("#setup-title", "#setup-people", "#setup-organisation"):
            await focus(screen, screen.query_one(name), pilot)
            heights.add(footer.region.height)
        assert len(heights) == 1


@pytest.mark.parametrize("size", SIZES)
async def test_start_screen_footer_shows_its_keys_whole(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = AlignmentApp()
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        text = shown(screen)
        chrome = described(screen, chrome=True)
        for item in chrome:
            assert item in text, f"{item!r} missing at {size}: {text!r}"
        assert_nothing_cut(screen, text)
        assert text.find("help") < text.find("quit")


async def test_clicking_a_key_in_the_footer_runs_it(demo_file: Path) -> None:
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        rows = footer_text(screen)
        footer = screen.query_one(KeyFooter)
        places = [(row.casefold().find("f1 help"), y) for y, row in enumerate(rows)]
        x, y = next((place for place in places if place[0] >= 0), (-1, -1))
        assert x >= 0, f"no F1 Help in {rows}"
        await pilot.click(offset=(footer.region.x + x + 1, footer.region.y + y))
        await pilot.pause()
        from alignment_tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)


async def test_footer_keeps_its_keys_when_the_focus_moves_with_nothing_new_to_show(
    demo_file: Path,
) -> None:
    """Each focus move publishes the bindings again: the footer is redrawn only when its
    keys would change, and a change of keys never moves the forms above it."""
    svc = SessionService.open(demo_file)
    svc.set_step(StepId.SETUP)
    svc.close()
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        await focus(screen, screen.query_one("#setup-title"), pilot)
        before, rows_before = shown(screen), footer.shown_rows
        await focus(screen, screen.query_one("#setup-organisation"), pilot)
        assert shown(screen) == before
        assert footer.shown_rows is rows_before  # not even recomputed into a new layout
        # a widget with keys of its own: the footer shows them, at the same height
        region = footer.region
        await focus(screen, screen.query_one("#setup-people"), pilot)
        assert shown(screen) != before
        own = [key.description for key in footer.keys if key.own]
        assert own and all(description.casefold() in shown(screen) for description in own)
        assert footer.region == region


async def test_hovering_a_footer_key_says_what_it_does(demo_file: Path) -> None:
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        rows = footer_text(screen)
        x = rows[0].casefold().find("f1 help")
        assert x >= 0, rows
        await pilot.hover(offset=(footer.region.x + x + 1, footer.region.y))
        await pilot.pause()
        assert footer.tooltip is not None and "help" in str(footer.tooltip).casefold()


async def test_footer_lays_its_keys_out_again_when_the_terminal_narrows(demo_file: Path) -> None:
    app = AlignmentApp(demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        text = shown(screen)
        for item in described(screen, chrome=True):
            assert item in text, f"{item!r} missing after the resize: {text!r}"
        assert_nothing_cut(screen, text)

"""The overrides of private Textual and Rich names (``alignment_tui.internals``).

Each override was checked against one Textual and one Rich release. When a pin
in pyproject.toml moves, the first test here fails until someone has checked
the overrides against the new release and set ``VERIFIED_TEXTUAL`` /
``VERIFIED_RICH`` to it; the others check that each override still does what
it is there for, and that with any other release the app keeps Textual's and
Rich's own behaviour without a word to the user.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from rich.text import Text
from textual.content import Content

from alignment_tui import internals
from alignment_tui.app import AlignmentApp
from alignment_tui.sessions.models import new_session
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

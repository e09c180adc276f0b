"""Which ``.tcss`` files are parsed when.

Textual re-parses every stylesheet it holds whenever a theme is set or a new
widget type brings its default CSS, so start-up only loads what the start
screen and the dialogs reachable from it need. The workshop's styles come with
the :class:`~alignment_tui.screens.workshop.WorkshopScreen` (its ``CSS_PATH``);
Textual loads a screen's ``CSS_PATH`` unscoped, so once read they stay
app-wide, exactly as if the app had loaded them.
"""

from __future__ import annotations

from pathlib import Path, PurePath

STYLES = Path(__file__).parent / "styles"

#: Parsed at start: shared layout, the start screen's forms, help and dialogs.
APP_STYLE_NAMES = ("app", "dialogs", "help", "start")
#: Parsed when the workshop first opens.
WORKSHOP_STYLE_NAMES = (
    "actions",
    "crm",
    "feedback",
    "funnel",
    "goals",
    "setup",
    "story",
    "timer",
    "workshop",
)

APP_STYLES: list[str | PurePath] = [STYLES / f"{name}.tcss" for name in APP_STYLE_NAMES]
WORKSHOP_STYLES: list[str | PurePath] = [STYLES / f"{name}.tcss" for name in WORKSHOP_STYLE_NAMES]

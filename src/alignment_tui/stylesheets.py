"""Which ``.tcss`` files are parsed when.

Textual re-parses every stylesheet it holds whenever a theme is set or a new
widget type brings its default CSS, so start-up only loads what the start
screen and the dialogs reachable from it need. The workshop's styles are added
when the :class:`~alignment_tui.screens.workshop.WorkshopScreen` is built (see
:func:`load_workshop_styles`); once read they stay app-wide, exactly as if the
app had loaded them.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

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


def load_workshop_styles(app: App[object]) -> None:
    """Add the workshop's styles to *app*'s stylesheet, parsing only them.

    A screen's ``CSS_PATH`` makes Textual re-parse every source it holds (the
    app's files and every widget's default CSS) in a fresh stylesheet, whose
    parse cache is then thrown away, so the next new widget type re-parses them
    all again. Read here, the new files are parsed alone on the next style
    lookup, with the variables of the theme already set; a later theme change
    re-parses them with everything else. No widget already shown matches a
    workshop rule, so nothing needs restyling.
    """
    stylesheet = app.stylesheet
    for path in WORKSHOP_STYLES:
        if not stylesheet.has_source(str(path), ""):
            stylesheet.read(path)

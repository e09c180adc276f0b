"""Which ``.tcss`` files are parsed when.

Textual re-parses every stylesheet it holds whenever a theme is set or a new
widget type brings its default CSS, so start-up only loads what the start
screen needs, and the start screen's own file only when one of its screens is built. The workshop's own styles are
added when the :class:`~alignment_tui.screens.workshop.WorkshopScreen` is built,
and a step pane's when the pane is first built (see :func:`load_workshop_styles`
and :func:`load_step_styles`); once read they stay app-wide, exactly as if the
app had loaded them.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

STYLES = Path(__file__).parent / "styles"

#: Parsed at start: the layout every screen shares.
APP_STYLE_NAMES = ("app",)
#: Parsed when a screen that uses them is first built (see load_screen_styles):
#: help (F1), the export dialog and review meeting ("dialogs"), and the start
#: screen, new-session form and open dialog ("start"; a session opened from the
#: command line never shows them).
SCREEN_STYLE_NAMES = ("dialogs", "help", "start")
#: Parsed when the workshop first opens: what every step shows.
WORKSHOP_BASE_STYLE_NAMES = ("actions", "timer", "workshop")
#: Parsed when a step's pane is first built: each file's rules are scoped to the
#: panes (and their dialogs) listed here, so no other widget can match them.
STEP_STYLE_NAMES: dict[str, tuple[str, ...]] = {
    "setup": ("setup",),  # also the participant dialog
    "goals": ("goals",),
    "story": ("story",),
    "crm": ("crm",),
    "feedback": ("feedback",),
    "funnel": ("funnel",),
    "wrapup": ("setup",),  # setup.tcss holds the wrap-up pane's rules
}
#: Every file the workshop may load, in the order they would be listed.
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
    all again. Read here, the new files are parsed alone, with the variables
    of the theme already set; a later theme change
    re-parses them with everything else. No widget already shown matches a
    workshop rule, so nothing needs restyling.
    """
    _load(app, WORKSHOP_BASE_STYLE_NAMES)


def load_step_styles(app: App[object], step: str) -> None:
    """Add the styles of *step*'s pane (a ``StepId`` value), parsing only them.

    Called before the pane's widgets are styled. Opening a session at one step
    no longer parses the rules of the other six, and every widget's styling
    walks fewer rules.
    """
    _load(app, STEP_STYLE_NAMES[step])


def load_screen_styles(app: App[object], name: str) -> None:
    """Add the styles of a screen opened later (one of SCREEN_STYLE_NAMES), parsing only them.

    Called from the screen's ``__init__``, before its widgets are styled.
    """
    assert name in SCREEN_STYLE_NAMES, name
    _load(app, (name,))


def _load(app: App[object], names: tuple[str, ...]) -> None:
    stylesheet = app.stylesheet
    added = False
    for name in names:
        path = STYLES / f"{name}.tcss"
        if not stylesheet.has_source(str(path), ""):
            stylesheet.read(path)
            added = True
    if added:
        # Now, not lazily: Textual's rules map would otherwise stay stale for
        # the next widget styled. Sources already parsed come from the cache.
        stylesheet.parse()

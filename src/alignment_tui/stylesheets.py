"""Every ``.tcss`` file of the app, in one fixed order, for ``App.CSS_PATH``.

Each file sits beside the code it styles (a step's in its own folder). They are
all read once when the app starts, always in the same order: shared layout
first, then the pieces every screen uses, then the screens, then the steps in
the workshop's order. A later file's rule wins a tie with an earlier one, so
the order must not depend on which screen or step happened to open first.
"""

from __future__ import annotations

from pathlib import Path, PurePath

PACKAGE = Path(__file__).parent

#: Folders whose ``.tcss`` files are loaded, in this order (files sorted by name within one).
LAYERS = ("form", "widgets", "dialogs", "screens")
#: The step folders, in the workshop's order.
STEP_FOLDERS = ("setup", "goals", "story", "crm", "feedback", "funnel", "wrapup")


def style_files() -> list[str | PurePath]:
    """The app's stylesheets in the order they are loaded."""
    files: list[str | PurePath] = [PACKAGE / "app.tcss"]
    for folder in LAYERS:
        files.extend(sorted((PACKAGE / folder).glob("*.tcss")))
    for step in STEP_FOLDERS:
        files.extend(sorted((PACKAGE / "steps" / step).glob("*.tcss")))
    return files

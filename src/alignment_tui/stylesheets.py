"""The app's ``.tcss`` files: the shared ones at start-up, each room's when it is first used.

Each file sits beside the code it styles (a step's in its own folder).

- The **shared** files (:func:`style_files`, Textual's ``App.CSS_PATH``) style
  widgets that any screen may show. They are read when the app starts, always
  in the same order: the layout every screen uses, then the form layer, the
  widgets and the dialogs.
- A **room**'s files (a full screen, or one workshop step) are read when that
  room is first built (:func:`use_room`), after every shared file. Every rule
  in a room's file starts with the room's own scope (``#pane-funnel``,
  ``StartScreen`` …; tests/app/test_stylesheets.py checks each selector), and
  two rooms are never inside one another, so no two rooms' rules can meet on
  one widget: the order in which rooms happen to be opened cannot change any
  style, and the shared rules always come first.

Why not read them all at start-up: Textual compares every rule of the
stylesheet with every widget it styles, so the other six steps' rules, the
start screen's and the help screen's made opening a session slower (see
benchmarks/RESULTS.md).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

PACKAGE = Path(__file__).parent

#: Folders whose ``.tcss`` files are shared (files sorted by name within one).
LAYERS = ("form", "widgets", "dialogs")
#: The step folders, in the workshop's order: each is a room named after its folder.
STEP_FOLDERS = ("setup", "goals", "story", "crm", "feedback", "funnel", "wrapup")
#: The full screens' rooms, and the scope every rule of their file starts with.
SCREEN_ROOMS: dict[str, tuple[str, ...]] = {
    # the start screen with the two screens it opens (new session, open a file)
    "start": ("StartScreen", "NewSessionScreen", "OpenDialog"),
    "help": ("HelpScreen",),
    "workshop": ("WorkshopScreen",),
    "review": ("ReviewScreen",),
}


def style_files() -> list[str | PurePath]:
    """The shared stylesheets, in the order they are loaded at start-up."""
    files: list[str | PurePath] = [PACKAGE / "app.tcss"]
    for folder in LAYERS:
        files.extend(sorted((PACKAGE / folder).glob("*.tcss")))
    return files


def room_files(room: str) -> list[Path]:
    """The stylesheets of *room*: a step folder's name, or a key of :data:`SCREEN_ROOMS`."""
    if room in STEP_FOLDERS:
        return sorted((PACKAGE / "steps" / room).glob("*.tcss"))
    if room in SCREEN_ROOMS:
        return [PACKAGE / "screens" / f"{room}.tcss"]
    raise KeyError(room)


def room_scopes(room: str) -> tuple[str, ...]:
    """What every selector in *room*'s files must start with (see the module's docstring)."""
    if room in STEP_FOLDERS:
        return (f"#pane-{room}",)
    return SCREEN_ROOMS[room]


def use_room(app: App[Any], room: str) -> None:
    """Read *room*'s stylesheets into *app*'s, once, before the room's widgets are styled.

    Called before the room's screen or pane is mounted: its widgets are then
    styled with its rules as they mount, and no widget already on screen can
    match them (they are scoped to the room), so nothing needs restyling.
    """
    stylesheet = app.stylesheet
    added = False
    for path in room_files(room):
        if not stylesheet.has_source(os.path.abspath(path), ""):
            stylesheet.read(path)
            added = True
    if added:
        # Parse now (the shared rules come from the parse cache), so the next
        # widget styled sees the room's rules.
        stylesheet.parse()

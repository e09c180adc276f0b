"""User settings: the theme and a keymap, in ``config.toml`` in the user's config folder.

Environment variables with the prefix ``ALIGNMENT_TUI_`` win over the file
(see :class:`Settings`). Only the standard library is used: the start screen
does not import pydantic. The file is read when the app
starts, never at import time, and written back when the theme changes::

    theme = "alignment-projector"

    [keymap]
    toggle_timer = "f11"

``keymap`` maps a binding id (see the help screen) to one or more keys,
comma-separated; it is applied with :meth:`textual.app.App.set_keymap`.

A damaged file gives the defaults and one line saying so; an unknown theme
name falls back to the default theme with a notice. Neither stops the app.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .sessions.paths import config_dir

if TYPE_CHECKING:
    from textual.app import App
    from textual.theme import Theme

CONFIG_NAME = "config.toml"
DEFAULT_THEME_NAME = "alignment"


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


ENV_PREFIX = "ALIGNMENT_TUI_"
#: The environment variables the settings read (in any case).
SETTING_ENV_NAMES = frozenset(ENV_PREFIX + name for name in ("THEME", "KEYMAP"))


class SettingsValues(Protocol):
    theme: str
    keymap: dict[str, str]


@dataclass
class DefaultSettings:
    """What ``Settings()`` gives when there is no file and no environment variable.

    Used when there is nothing to read (no file, no variable) or what is
    there cannot be used.
    """

    theme: str = DEFAULT_THEME_NAME
    keymap: dict[str, str] = field(default_factory=dict)


class SettingsError(ValueError):
    """A setting (in the file or the environment) has the wrong type."""


def _from_file() -> dict[str, Any]:
    path = config_path()
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text("utf-8"))


def _from_env() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, raw in os.environ.items():
        upper = key.upper()
        if upper == ENV_PREFIX + "THEME":
            found["theme"] = raw
        elif upper == ENV_PREFIX + "KEYMAP":
            try:
                found["keymap"] = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise SettingsError(f"{key} is not JSON ({exc.msg})") from None
    return found


class Settings:
    """The settings, read from (highest first) the keyword arguments, the environment
    (``ALIGNMENT_TUI_THEME``; ``ALIGNMENT_TUI_KEYMAP`` as a JSON object; names in any
    case) and ``config.toml``; other keys in the file are ignored.

    This was a pydantic-settings model. For two fields and one file it cost
    ~25 ms of every start once a user had a config file (it brought dotenv, its
    own CLI and cloud sources and ``pydantic.dataclasses``), and pydantic itself
    on the start screen, which otherwise never needs it.
    """

    __slots__ = ("keymap", "theme")

    def __init__(self, **values: Any) -> None:
        data = _from_file()
        data.update(_from_env())
        data.update(values)
        theme = data.get("theme", DEFAULT_THEME_NAME)
        if not isinstance(theme, str):
            raise SettingsError("theme: should be the name of a theme, in quotes")
        keymap = data.get("keymap", {})
        if not isinstance(keymap, dict):
            raise SettingsError("keymap: should be a table of binding ids and keys")
        for name, keys in keymap.items():
            if not isinstance(keys, str):
                raise SettingsError(f'keymap.{name}: should be keys in quotes, e.g. "f11"')
        self.theme: str = theme
        self.keymap: dict[str, str] = dict(keymap)

    def __repr__(self) -> str:
        return f"Settings(theme={self.theme!r}, keymap={self.keymap!r})"


def _nothing_to_read() -> bool:
    if any(key.upper() in SETTING_ENV_NAMES for key in os.environ):
        return False
    return not config_path().exists()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def load_settings() -> tuple[SettingsValues, str | None]:
    """The settings, and a one-line notice when the file could not be used."""
    if _nothing_to_read():
        return DefaultSettings(), None
    try:
        return Settings(), None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, SettingsError) as exc:
        reason = _one_line(str(exc)) or type(exc).__name__
    notice = f"Settings in {config_path()} could not be read ({reason}); using the defaults"
    return DefaultSettings(), _one_line(notice)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def dump_toml(data: dict[str, Any]) -> str:
    """A small TOML writer for what the config holds: scalars and one level of tables."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for name, table in tables:
        lines.append("")
        lines.append(f"[{_toml_key(name)}]")
        for key, value in table.items():
            if isinstance(value, dict):
                continue  # deeper nesting is not part of our config
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def save_setting(**changes: Any) -> Path:
    """Write *changes* into the config file, keeping whatever else it holds.

    A damaged file is kept beside it as ``config.toml.damaged`` rather than lost.
    """
    path = config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            os.replace(path, path.with_name(CONFIG_NAME + ".damaged"))
            data = {}
    data.update(changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(CONFIG_NAME + ".tmp")
    tmp.write_text(dump_toml(data), "utf-8")
    os.replace(tmp, path)
    return path


class SettingsKeeper:
    """Applies the settings to an app and remembers theme changes."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.settings, self.notice = load_settings()
        self.saved_theme = self.settings.theme
        self.unknown_theme: str | None = None

    def start_theme(self, default_theme: str) -> None:
        """Choose the remembered theme while the app is being built (``App.__init__``).

        Set here, the CSS is parsed with the theme's variables from the start and
        no screen is ever drawn in another theme (the restyle Textual's theme
        watcher queues finds no screen yet: see ``AlignmentApp.refresh_css``).
        An unknown name falls back to *default_theme*.
        """
        app = self.app
        name = self.settings.theme
        if name not in app.available_themes:
            self.unknown_theme = name
            name = default_theme
        self.saved_theme = name
        app.theme = name
        app.stylesheet.set_variables(app.get_css_variables())

    def apply(self) -> None:
        """Once mounted (after :meth:`start_theme`): say what could not be used, set the
        keymap, remember theme changes."""
        app = self.app
        if self.notice:
            app.notify(self.notice, severity="warning", timeout=8, markup=False)
        if self.unknown_theme is not None:
            app.notify(
                _one_line(f"Theme {self.unknown_theme!r} is not known; using the default theme"),
                severity="warning",
                timeout=6,
                markup=False,
            )
        keymap = {k: v for k, v in self.settings.keymap.items() if v.strip()}
        if keymap:
            app.set_keymap(keymap)
        app.theme_changed_signal.subscribe(app, self.theme_changed)

    def theme_changed(self, theme: Theme) -> None:
        if theme.name == self.saved_theme:
            return
        try:
            save_setting(theme=theme.name)
        except OSError as exc:
            self.app.notify(
                _one_line(f"Theme not remembered: {exc}"), severity="warning", markup=False
            )
            return
        self.saved_theme = theme.name

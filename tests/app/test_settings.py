"""Settings (config.toml and ALIGNMENT_TUI_ variables), themes remembered, keymaps, contrast."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from textual.color import Color

from alignment_tui.app import AlignmentApp
from alignment_tui.settings import Settings, config_path, dump_toml, load_settings, save_setting
from alignment_tui.themes import BRAND, DEFAULT_THEME, PROJECTOR
from alignment_tui.widgets.timer import StepTimer
from screen_text import widget_text


def toasts(app: AlignmentApp) -> list[str]:
    """The notifications the screen shows, one line of text each (``run_test`` needs
    ``notifications=True``)."""
    return [" ".join(str(toast.render()).split()) for toast in app.screen.query("Toast")]


def test_config_path_follows_the_env(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "config" / "config.toml"


def test_defaults_without_a_file() -> None:
    settings, notice = load_settings()
    assert notice is None
    assert settings.theme == DEFAULT_THEME
    assert settings.keymap == {}


def test_save_keeps_other_keys_and_round_trips() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('[keymap]\ntoggle_timer = "f11"\n', "utf-8")
    save_setting(theme="alignment-projector")
    data = tomllib.loads(path.read_text("utf-8"))
    assert data == {"theme": "alignment-projector", "keymap": {"toggle_timer": "f11"}}
    settings, notice = load_settings()
    assert notice is None
    assert settings.theme == "alignment-projector"
    assert settings.keymap == {"toggle_timer": "f11"}


def test_dump_toml_quotes_what_needs_quoting() -> None:
    data = {"theme": 'we"ird\\name', "keymap": {"odd key": "ctrl+x", "plain_id": "f7,f9"}}
    assert tomllib.loads(dump_toml(data)) == data


def test_env_wins_over_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    save_setting(theme="alignment-projector")
    monkeypatch.setenv("ALIGNMENT_TUI_THEME", "textual-light")
    assert Settings().theme == "textual-light"


def test_keymap_from_the_env_is_json_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    save_setting(keymap={"agenda": "f12"})
    monkeypatch.setenv("alignment_tui_keymap", '{"toggle_timer": "f11"}')
    settings, notice = load_settings()
    assert notice is None
    assert settings.keymap == {"toggle_timer": "f11"}  # the environment wins over the file
    assert settings.theme == DEFAULT_THEME


def test_a_setting_in_the_env_that_is_not_json_gives_defaults_and_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_setting(theme="alignment-projector")
    monkeypatch.setenv("ALIGNMENT_TUI_KEYMAP", "toggle_timer=f11")
    settings, notice = load_settings()
    assert settings.keymap == {} and settings.theme == DEFAULT_THEME
    assert notice is not None and "\n" not in notice
    assert "ALIGNMENT_TUI_KEYMAP is not JSON" in notice


def test_damaged_file_gives_defaults_and_one_line() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("theme = [unclosed\n", "utf-8")
    settings, notice = load_settings()
    assert settings.theme == DEFAULT_THEME
    assert notice is not None and "\n" not in notice
    assert "could not be read" in notice
    # a wrong type is damage too
    path.write_text("keymap = 3\n", "utf-8")
    settings, notice = load_settings()
    assert settings.keymap == {}
    assert notice is not None and "keymap" in notice


def test_a_keymap_entry_that_is_not_text_is_named() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "alignment-projector"\n[keymap]\ntoggle_timer = 11\n', "utf-8")
    settings, notice = load_settings()
    assert settings.theme == DEFAULT_THEME and settings.keymap == {}
    assert notice is not None and "keymap.toggle_timer: should be keys in quotes" in notice


def test_reading_the_settings_needs_no_pydantic() -> None:
    """The start screen imports neither pydantic nor a settings package, config file or not."""
    save_setting(theme="alignment-projector", keymap={"agenda": "f12"})
    code = (
        "import sys; from alignment_tui.settings import load_settings; "
        "s, notice = load_settings(); assert notice is None, notice; "
        "print(s.theme, s.keymap, 'pydantic' in sys.modules, 'pydantic_settings' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["alignment-projector", "{'agenda':", "'f12'}", "False", "False"]


def test_saving_over_a_damaged_file_keeps_a_copy() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("theme = [unclosed\n", "utf-8")
    save_setting(theme="alignment")
    assert tomllib.loads(path.read_text("utf-8")) == {"theme": "alignment"}
    assert (path.parent / "config.toml.damaged").read_text("utf-8") == "theme = [unclosed\n"


async def test_theme_toggle_is_remembered_by_a_new_app(session_file: Path) -> None:
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert not config_path().exists()  # nothing written just by starting
        await pilot.press("f8")
        await pilot.pause()
        assert app.theme == PROJECTOR.name
        assert app.current_theme.dark is False
    assert tomllib.loads(config_path().read_text("utf-8"))["theme"] == PROJECTOR.name
    again = AlignmentApp(session_file)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == PROJECTOR.name
        await pilot.press("f8")
        await pilot.pause()
        assert again.theme == BRAND.name
    assert tomllib.loads(config_path().read_text("utf-8"))["theme"] == BRAND.name


async def test_remembered_theme_is_the_one_the_css_is_parsed_with(
    session_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The saved theme is set while the app is built: no CSS is parsed, and so no
    screen drawn, with another theme's colours first."""
    from textual.css.stylesheet import Stylesheet

    save_setting(theme=PROJECTOR.name)
    app = AlignmentApp()
    parsed_with: list[str] = []
    original = Stylesheet.parse

    def recording(self: Stylesheet) -> None:
        parsed_with.append(app.theme)
        original(self)

    monkeypatch.setattr(Stylesheet, "parse", recording)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == PROJECTOR.name
        assert app.has_class("-light-mode") and not app.has_class("-dark-mode")
        assert app.has_class(f"-theme-{PROJECTOR.name}")
        # the light theme's colours reached the widgets
        assert app.screen.styles.background == Color.parse(PROJECTOR.background or "")
        assert parsed_with and set(parsed_with) == {PROJECTOR.name}
        await pilot.press("f8")
        await pilot.pause()
        assert app.theme == BRAND.name and parsed_with[-1] == BRAND.name
        assert app.screen.styles.background == Color.parse(BRAND.background or "")


async def test_unknown_theme_falls_back_with_a_notice(session_file: Path) -> None:
    save_setting(theme="no-such-theme")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert any("'no-such-theme' is not known" in m for m in toasts(app))
    # the user's choice is not overwritten just because it was unknown here
    assert tomllib.loads(config_path().read_text("utf-8"))["theme"] == "no-such-theme"


async def test_damaged_config_opens_with_defaults_and_a_notice(session_file: Path) -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_bytes(b"\xff\xfe not toml at all [[[")
    app = AlignmentApp(session_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        found = [m for m in toasts(app) if "could not be read" in m]
        assert len(found) == 1
        assert "\n" not in found[0]


async def test_keymap_in_config_remaps_a_binding(session_file: Path) -> None:
    save_setting(keymap={"toggle_timer": "f11", "agenda": "f12"})
    app = AlignmentApp(session_file)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(StepTimer)
        await pilot.press("f5")  # no longer the timer key
        assert timer.countdown().state == "idle"
        # the timer line names the key the config gave it
        assert "(F11 starts)" in " ".join(widget_text(timer))
        await pilot.press("f11")
        assert timer.countdown().state == "running"


# -- contrast of the projector theme ---------------------------------------------------


def _luminance(color: Color) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def _ratio(a: Color, b: Color) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _resolve(value: str, base: Color) -> Color:
    """A theme variable as it lands on *base* ("auto 60%" or a colour with alpha)."""
    if value.startswith("auto"):
        parts = value.split()
        alpha = float(parts[1].rstrip("%")) / 100 if len(parts) > 1 else 1.0
        return base + base.get_contrast_text(alpha)
    color = Color.parse(value)
    return base + color if color.a < 1 else color


@pytest.mark.parametrize("theme", [PROJECTOR, BRAND], ids=lambda t: t.name)
def test_muted_text_and_timer_colours_have_contrast(theme) -> None:  # type: ignore[no-untyped-def]
    variables = theme.to_color_system().generate()
    # the projector washes colours out: ask more of the light theme
    need = 7.0 if theme is PROJECTOR else 4.5
    for surface in ("background", "surface", "panel"):
        base = Color.parse(variables[surface])
        muted = _resolve(variables["text-muted"], base)
        assert _ratio(muted, base) >= need, (theme.name, surface)
    background = Color.parse(variables["background"])
    for level in ("warning", "error"):  # the timer bar: $background text on $warning / $error
        assert _ratio(background, Color.parse(variables[level])) >= need, (theme.name, level)


def test_settings_module_reads_nothing_at_import() -> None:
    # the config folder of this test does not exist; importing must not create or read it
    import importlib

    import alignment_tui.settings as module

    importlib.reload(module)
    assert not os.path.exists(config_path().parent)

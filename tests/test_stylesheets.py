"""Every .tcss file is loaded: app-wide at start, or with the workshop screen."""

from __future__ import annotations

from alignment_tui.stylesheets import APP_STYLE_NAMES, STYLES, WORKSHOP_STYLE_NAMES


def test_every_style_file_is_loaded_exactly_once() -> None:
    on_disk = sorted(p.stem for p in STYLES.glob("*.tcss"))
    listed = sorted(APP_STYLE_NAMES + WORKSHOP_STYLE_NAMES)
    assert listed == on_disk

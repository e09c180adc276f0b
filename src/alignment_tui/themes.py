"""The branded default theme and a light, high-contrast theme for projectors."""

from __future__ import annotations

from textual.theme import Theme

BRAND = Theme(
    name="alignment",
    primary="#4FA3D9",
    secondary="#E0A030",
    accent="#C678DD",
    warning="#E5C07B",
    error="#F57670",
    success="#7BC47F",
    foreground="#E6E9EF",
    background="#14181F",
    surface="#1C222B",
    panel="#252D38",
    dark=True,
    variables={"footer-key-foreground": "#4FA3D9"},
)

PROJECTOR = Theme(
    name="alignment-projector",
    primary="#0B4F8A",
    secondary="#8A4B00",
    accent="#6A1B9A",
    warning="#744C00",
    error="#B00020",
    success="#1B6E20",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F2F2F2",
    panel="#E0E6EE",
    dark=False,
    variables={
        "footer-key-foreground": "#0B4F8A",
        # Muted text stays dark enough for a washed-out projector (about 9:1 on panels).
        "text-muted": "#3A3A3A",
    },
)

THEMES = [BRAND, PROJECTOR]
DEFAULT_THEME = BRAND.name

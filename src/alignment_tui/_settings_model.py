"""The pydantic-settings model behind :mod:`alignment_tui.settings`.

Kept apart so that start-up imports pydantic-settings only when there is a
config file or an ``ALIGNMENT_TUI_`` setting in the environment to read.
"""

from __future__ import annotations

from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .settings import DEFAULT_THEME_NAME, config_path


class Settings(BaseSettings):
    """What the app remembers between runs."""

    model_config = SettingsConfigDict(env_prefix="ALIGNMENT_TUI_", extra="ignore")

    theme: str = DEFAULT_THEME_NAME
    keymap: dict[str, str] = {}

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_path()),
        )

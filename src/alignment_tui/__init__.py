"""alignment-tui: run a sales and marketing alignment workshop from the terminal."""

from . import _no_plugins  # noqa: F401  (before anything builds a pydantic model)

__version__ = "0.1.0"

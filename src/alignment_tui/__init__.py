"""alignment-tui: run a sales and marketing alignment workshop from the terminal."""

__version__ = "0.1.0"

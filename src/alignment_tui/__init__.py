"""alignment-tui: run a sales and marketing alignment workshop from the terminal."""

import os

__version__ = "0.1.0"

# The session's models validate a file the user chose; a pydantic plugin that
# happens to be installed beside the app (tracing, metrics) has no business
# wrapping that. Pydantic's documented switch turns the search for plugins off,
# which also spares every start the scan of all installed packages' entry
# points. Set only when the user has not set it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

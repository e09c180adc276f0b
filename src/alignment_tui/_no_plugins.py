"""Keep pydantic's plugin discovery out of the app (run when the package is imported).

Before it builds its first validator, pydantic imports ``importlib.metadata``
(with ``email``, ``zipfile``, ``csv`` and more) and scans every installed
distribution for ``pydantic`` entry points, so that plugins from other packages
can watch every validation. alignment-tui is an application, not a library: no
plugin belongs inside it, and the import alone was ~22 ms of every ``export``
and ``list`` (measured; see benchmarks/RESULTS.md). pydantic's documented
switch, ``PYDANTIC_DISABLE_PLUGINS``, skips the scan but not the import, so
unless the user set that variable to something else, the loader module is
provided here with the one function pydantic asks it for, returning no plugins.
``tests/test_headless_core.py`` checks that this still matches the pinned pydantic.
"""

from __future__ import annotations

import os
import sys
import types

LOADER = "pydantic.plugin._loader"


def install() -> None:
    if LOADER in sys.modules:
        return
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS", "__all__") not in ("__all__", "1", "true"):
        return  # the user asked for some plugins: let pydantic find them
    loader = types.ModuleType(LOADER, "alignment-tui: pydantic plugins are disabled")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[LOADER] = loader


install()

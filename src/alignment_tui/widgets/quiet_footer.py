"""Stop Textual's footer keys restyling themselves twice each time the footer is built.

``FooterKey.compact`` defaults to True and is then bound to ``Footer.compact``
(False unless asked). Each key therefore adds the ``-compact`` class when it is
mounted and removes it a moment later, and each change restyles the key
against every rule of the stylesheet. The footer is rebuilt whenever the
bindings change (every screen change and focus move), so with our dozen keys
that was about 75 restyles and ~90 ms before the start screen first showed,
more in the workshop (measured with ``make bench``; see benchmarks/RESULTS.md).

:func:`install` starts every key that the footer binds at False, the value
the binding gives it anyway, so the class is never added and removed. The
command-palette key is not bound and keeps Textual's compact look; a footer
built with ``compact=True`` still gets the class through the binding.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Start bound footer keys non-compact (idempotent)."""
    global _installed
    if _installed:
        return
    from textual.widgets._footer import FooterKey

    original = FooterKey.__init__

    def __init__(self: FooterKey, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if not self.has_class("-command-palette"):  # the one key Footer does not bind
            self.set_reactive(FooterKey.compact, False)

    FooterKey.__init__ = __init__  # type: ignore[method-assign]
    _installed = True

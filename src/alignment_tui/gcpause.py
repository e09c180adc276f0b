"""Pause Python's cyclic garbage collector while the app starts or builds a big screen.

Importing Textual, pydantic and our modules, and building a screen, allocate a few
hundred thousand objects that all stay alive; every 700 allocations the collector
rescans the youngest of them, and now and then all of them, finding nothing to
free: ~50 ms of a start-up and ~45 ms of opening a large session (measured with
``make bench``). Reference counting still frees everything that is not in a
cycle, so pausing costs no memory worth counting for a second or two. The
collector is resumed once the screen has settled (or when the command ends).
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collections (idempotent; leaves a collector the user disabled alone)."""
    global _paused
    if not _paused and gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Start automatic collections again, if :func:`pause` stopped them.

    What was built meanwhile (modules, the app, the screen) is frozen first: moved
    to the collector's permanent generation, so the first collections after the
    pause do not rescan it all (~25 ms, which otherwise landed in whatever the
    user did next, such as their first keystrokes). :func:`thaw` hands it back
    when a screen built during a pause goes away.
    """
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def thaw() -> None:
    """Make frozen objects collectable again (a screen built during a pause was closed)."""
    gc.unfreeze()


def is_paused() -> bool:
    return _paused

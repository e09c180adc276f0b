"""The app's one clock: what "today" and "now" are, everywhere.

Every place that needs the date or the time of day asks this module
(:func:`today`, :func:`now`), never :meth:`datetime.date.today` or
:meth:`datetime.datetime.now`, so a test can fix them for the whole app: a
review recorded "today", a ``+2w`` due date and the date the test compares
with all come from the same clock, whichever side of midnight the test runs.

* In-process: :func:`set` (or the :func:`pinned` context manager) fixes the
  clock at a moment; with ``running=True`` it runs on from there at the
  wall clock's pace. :func:`reset` goes back to the wall clock.
* Other processes (a subprocess test, the crash test's child): the
  environment variable ``ALIGNMENT_TUI_TODAY`` holds a local date
  (``2026-12-04``, read as noon) or a local date and time
  (``2026-12-04T23:59:58`` or ``2026-12-04 23:59:58``); the clock is then
  fixed there. It is read when the clock is asked, never at import.

Intervals (timers, debouncing) are not dates: they use :func:`time.monotonic`.

Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENV_VAR = "ALIGNMENT_TUI_TODAY"

#: The moment the clock was set to (aware), and the monotonic time it was set at
#: when it runs on (``None`` when it stands still).
_set_at: dt.datetime | None = None
_running_since: float | None = None
#: The last value of the environment variable that was parsed, and its moment.
_env_cache: tuple[str, dt.datetime] | None = None


def parse_moment(text: str) -> dt.datetime:
    """A local date (noon that day) or a local date and time, as an aware datetime.

    Raises :class:`ValueError` with a one-line message for anything else.
    """
    raw = text.strip()
    try:
        if len(raw) == 10:
            # Noon: a date read back in another time zone is still the same date.
            moment = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(12))
        else:
            moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"{ENV_VAR}={text!r}: expected a date like 2026-12-04 or 2026-12-04T23:59:58"
        ) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def _aware(when: dt.datetime | dt.date | str) -> dt.datetime:
    if isinstance(when, str):
        return parse_moment(when)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(12))
    return when if when.tzinfo is not None else when.astimezone()


def set(when: dt.datetime | dt.date | str, *, running: bool = False) -> None:
    """Fix the clock at *when* (a naive time is local; a date means its noon).

    With *running*, the clock goes on from *when* at the wall clock's pace (so
    a test can start one second before midnight and see the date change).
    """
    global _set_at, _running_since
    _set_at = _aware(when)
    _running_since = time.monotonic() if running else None


def reset() -> None:
    """Back to the wall clock (the environment variable still applies)."""
    global _set_at, _running_since
    _set_at = None
    _running_since = None


def advance(seconds: float) -> None:
    """Move a set clock on by *seconds* (a test's way to pass midnight)."""
    global _set_at
    if _set_at is None:
        raise RuntimeError("the clock is not set; call clock.set() first")
    _set_at += dt.timedelta(seconds=seconds)


@contextmanager
def pinned(when: dt.datetime | dt.date | str, *, running: bool = False) -> Iterator[None]:
    """The clock fixed at *when* inside the block, as it was before after it."""
    global _set_at, _running_since
    before = (_set_at, _running_since)
    set(when, running=running)
    try:
        yield
    finally:
        _set_at, _running_since = before


def _from_env() -> dt.datetime | None:
    global _env_cache
    text = os.environ.get(ENV_VAR)
    if not text:
        return None
    if _env_cache is None or _env_cache[0] != text:
        _env_cache = (text, parse_moment(text))
    return _env_cache[1]


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    if _set_at is not None:
        moment = _set_at
        if _running_since is not None:
            moment += dt.timedelta(seconds=time.monotonic() - _running_since)
        return moment.astimezone(dt.UTC)
    fixed = _from_env()
    if fixed is not None:
        return fixed.astimezone(dt.UTC)
    return dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """The current moment in the local time zone (aware)."""
    return now().astimezone()


def today() -> dt.date:
    """Today's local date."""
    return local_now().date()


def mmss(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss`` from an hour), of the absolute value, rounded down."""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"

"""Turning what the facilitator types into values, with a one-line reason when it cannot.

Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
import re

from . import clock

_COUNT_RE = re.compile(r"^\d{1,3}([,_ \u00a0\u202f']\d{3})+$|^\d+$")


def parse_count(
    text: str, *, field: str = "Count", allow_blank: bool = True, example: int = 1200
) -> int | None:
    """A non-negative whole number; thousand separators (``1,200``, ``1 200``) welcome.

    *example* is the number the reason gives for the field ("Dot votes must be a
    whole number, like 5"); from 1,000 up it is shown with its separator too, so
    a count's reason says a separator is welcome ("like 1200 or 1,200").
    """
    raw = text.strip()
    if not raw:
        if allow_blank:
            return None
        raise ValueError(f"{field} is required")
    if raw.startswith("-"):
        raise ValueError(f"{field} cannot be negative")
    if not _COUNT_RE.match(raw):
        if re.match(r"^\d+[.,]\d+$", raw):
            raise ValueError(f"{field} must be a whole number")
        like = f"{example}" if example < 1000 else f"{example} or {example:,}"
        raise ValueError(f"{field} must be a whole number, like {like}")
    value = int(re.sub(r"\D", "", raw))
    if value > 10**15:
        raise ValueError(f"{field} is too large")
    return value


def parse_number(
    text: str, *, field: str = "Value", positive: bool = False, allow_blank: bool = True
) -> float | None:
    """A non-negative number (decimals allowed, thousand separators welcome)."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "").replace("_", "")
    if not raw:
        if allow_blank:
            return None
        raise ValueError(f"{field} is required")
    if raw.count(",") and raw.count("."):
        raw = raw.replace(",", "")
    elif re.match(r"^\d{1,3}(,\d{3})+$", raw):
        raw = raw.replace(",", "")
    else:
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{field} must be a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{field} must be a number")
    if value < 0:
        raise ValueError(f"{field} cannot be negative")
    if positive and value == 0:
        raise ValueError(f"{field} must be more than 0")
    if value > 1e15:
        raise ValueError(f"{field} is too large")
    return value


_REL_RE = re.compile(r"^\+(\d{1,3})\s*([dwm])$", re.I)


def parse_date(
    text: str, *, field: str = "Date", today: dt.date | None = None, allow_blank: bool = True
) -> dt.date | None:
    """A real date: ``YYYY-MM-DD``, ``today``, or ``+3d`` / ``+2w`` / ``+1m`` from today."""
    raw = text.strip()
    if not raw:
        if allow_blank:
            return None
        raise ValueError(f"{field} is required")
    base = today or clock.today()
    if raw.lower() == "today":
        return base
    m = _REL_RE.match(raw)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        if unit == "d":
            return base + dt.timedelta(days=n)
        if unit == "w":
            return base + dt.timedelta(weeks=n)
        month = base.month - 1 + n
        year = base.year + month // 12
        month = month % 12 + 1
        day = min(base.day, _days_in_month(year, month))
        return dt.date(year, month, day)
    if not re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", raw):
        raise ValueError(f"{field} must be a date like 2026-12-31 (or today, +2w)")
    y, mo, d = (int(p) for p in raw.split("-"))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"{field}: {raw} is not a real date") from None


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day

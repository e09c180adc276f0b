"""Errors with a one-line message meant for the user. Imports neither textual nor rich."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is not needed to show the start screen
    from pydantic import ValidationError


class SessionFileError(Exception):
    """A file that cannot be used as a session; ``str(exc)`` is one line for the user."""


class NotASession(SessionFileError):
    pass


class DamagedSession(SessionFileError):
    pass


class NewerSession(SessionFileError):
    pass


class ReadOnlySession(SessionFileError):
    pass


class SessionInUse(SessionFileError):
    def __init__(self, message: str, holder: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.holder = holder or {}


class ImportFileError(SessionFileError):
    """A JSON file that cannot be imported."""


#: Human names for model fields, used in messages.
FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "organisation": "Organisation",
    "workshop_date": "Date",
    "facilitator": "Facilitator",
    "name": "Name",
    "team": "Team",
    "role": "Role",
    "is_lead": "Lead",
    "text": "Text",
    "owner_id": "Owner",
    "due": "Due date",
    "status": "Status",
    "count": "Count",
    "target": "Target",
    "votes": "Votes",
    "response_hours": "Response time (hours)",
    "revenue_target": "Revenue target",
    "avg_deal_value": "Average deal value",
    "duration_minutes": "Duration (minutes)",
    "brief_weeks": "Weeks before launch",
    "minutes": "Minutes",
    "label": "Period",
    "statement": "Goal",
    "core_message": "Core message",
    "held_on": "Date",
    "next_review": "Next review",
    "value": "Value",
    "returned_pct": "Leads returned (%)",
    "returned_pct_max": "Most leads returned (%)",
}


def _reason(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_parsing", "float_type"):
        return "must be a number"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "greater_than":
        return f"must be more than {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less"
    if kind.startswith("date"):
        return "must be a real date (YYYY-MM-DD)"
    if kind.startswith("datetime"):
        return "must be a real date and time"
    if kind == "enum":
        return f"must be one of {ctx.get('expected')}"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "bool_parsing":
        return "must be yes or no"
    msg = str(err.get("msg", "is not valid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming the first bad field and the reason."""
    errors = exc.errors()
    if not errors:
        return "invalid value"
    err = errors[0]
    loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
    field = loc[-1] if loc else ""
    label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
    reason = _reason(dict(err))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    if not label:
        return f"{reason}{more}"
    return f"{label} {reason}{more}"

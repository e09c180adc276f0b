"""A whole session as JSON, and back.

The export is stable (same session, same bytes) so that export → import →
export gives an identical file::

    {"format": "alignment-tui", "schema_version": 1, "session": {...}}

Import refuses anything it cannot trust with :class:`ImportFileError`, whose
message is one line naming the problem and, for a bad value, where it is
(``actions[2].due: Due date must be a real date (YYYY-MM-DD)``). List indexes
in those paths count from 0, as ``jq`` does.

Imports neither textual nor rich.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from .errors import ImportFileError, describe_validation_error
from .migrations import SCHEMA_VERSION
from .models import Session
from .text import escape_bidi, one_line

FORMAT = "alignment-tui"
#: Characters json.dumps(ensure_ascii=False) leaves raw that a terminal would obey.
_UNSAFE_IN_TERMINAL = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: The JSON layout follows the session schema: one version number for both.
JSON_SCHEMA_VERSION = SCHEMA_VERSION
HEADER_KEYS = ("format", "schema_version", "session")
#: Refuse absurdly large imports before parsing them (a real session is well under 1 MB).
MAX_JSON_BYTES = 50 * 1024 * 1024


def to_json(session: Session) -> str:
    """The session as indented, stable JSON text (ends with a newline)."""
    doc = {
        "format": FORMAT,
        "schema_version": JSON_SCHEMA_VERSION,
        "session": session.model_dump(mode="json"),
    }
    # pydantic-core writes the same text as json.dumps(indent=2, ensure_ascii=False)
    # without the pure-Python encoder that ``indent`` forces (about 5x faster).
    text = pydantic_core.to_json(doc, indent=2, inf_nan_mode="strings").decode("utf-8")
    # Still valid JSON with the exact text, but safe to print to a terminal:
    # C1 controls, bidi overrides and line separators become \uXXXX escapes.
    return _UNSAFE_IN_TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a session")


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_]{1,60}$")


def _key(name: object) -> str:
    """A field name as typed in the file, made safe for a one-line message."""
    text = str(name)
    if _PLAIN_KEY.match(text):
        return text
    quoted = json.dumps(text)  # escapes control characters and non-ASCII
    return quoted if len(quoted) <= 62 else quoted[:58] + '..."'


def error_path(loc: tuple[int | str, ...]) -> str:
    """``("actions", 2, "due")`` → ``"actions[2].due"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{_key(part)}" if out else _key(part)
    return out


#: Pydantic error types about the shape of a value, in the words of JSON.
_SHAPES = {
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "string_type": "must be text (a JSON string)",
    "bool_type": "must be true or false",
    "none_required": "must be null",
}


def describe_import_error(exc: ValidationError) -> str:
    """One line: where the first problem is and what is wrong with it."""
    errors = exc.errors()
    message = describe_validation_error(exc)
    if not errors:
        return message
    loc = tuple(errors[0].get("loc", ()))
    path = error_path(loc)
    shape = _SHAPES.get(str(errors[0].get("type", "")))
    if shape is not None:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = f"{shape}{more}"
    return _one_line(f"{path}: {message}" if path else message)


def _one_line(text: str) -> str:
    """A message on one line by the app's rule: ESC as ``␛``, bidi overrides written out."""
    return escape_bidi(one_line(text))


def from_json(text: str | bytes) -> Session:
    """Parse and validate an export; raise :class:`ImportFileError` with one line if it is not usable."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_JSON_BYTES:
            raise ImportFileError("the file is too large to be a session export")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"not JSON text (invalid UTF-8 at byte {exc.start}); is this an export?"
            ) from None
    elif len(text) > MAX_JSON_BYTES:
        raise ImportFileError("the file is too large to be a session export")
    if not text.strip():
        raise ImportFileError("the file is empty, not a session export")
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:
        raise ImportFileError(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise ImportFileError("not valid JSON (nested too deeply)") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportFileError(
            'not an alignment-tui export (expected {"format": "alignment-tui", ...})'
        )
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportFileError("schema_version must be a whole number")
    if version > JSON_SCHEMA_VERSION:
        raise ImportFileError(
            f"made by a newer alignment-tui (schema {version}; this version reads up to "
            f"{JSON_SCHEMA_VERSION}); please upgrade"
        )
    if version < 1:
        raise ImportFileError(f"schema_version {version} is not a version alignment-tui wrote")
    extra = [k for k in doc if k not in HEADER_KEYS]
    if extra:
        raise ImportFileError(f"{_key(extra[0])}: is not a known field of an export")
    data = doc.get("session")
    if data is None:
        raise ImportFileError("session: is required")
    if not isinstance(data, dict):
        raise ImportFileError("session: must be an object")
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        raise ImportFileError(describe_import_error(exc)) from None
    except RecursionError:
        raise ImportFileError("session: nested too deeply") from None


def read_json_file(path: Path) -> Session:
    """:func:`from_json` on a file; the message names the file."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFileError(f"{path}: is a folder, not a JSON file")
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ImportFileError(f"{path.name}: the file is too large to be a session export")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except PermissionError:
        raise ImportFileError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return from_json(data)
    except ImportFileError as exc:
        raise ImportFileError(f"{path.name}: {exc}") from None

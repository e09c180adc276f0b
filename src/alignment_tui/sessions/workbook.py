"""The workbook: ready-made content that gets a room to action.

Funnel presets, example feedback-loop agreements, the hand-over agreement,
messaging templates and the documents the loop points to (a campaign brief, a
customer story). The ones that ship with the app are TOML files beside this
module (``workbook_data/*.toml``); a consultancy keeps its own versions as TOML
files in ``<config folder>/templates/``, which are read after the built-in
ones and replace a built-in entry with the same kind and key.

Every file is validated with pydantic when it is read. A file that cannot be
read or does not validate is skipped whole, with one line naming it (and what
is wrong) in :attr:`Workbook.problems`: a damaged house file never hides the
built-in workbook, and never stops the app.

This module imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from .models import Cadence, FunnelStage, Owner, Weekday
from .paths import config_dir

BUILT_IN = Path(__file__).with_name("workbook_data")
#: Where a consultancy's own templates live, under the config folder.
HOUSE_FOLDER = "templates"
#: A house file larger than this is not a template (refused unread).
MAX_FILE_BYTES = 512 * 1024

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
About = Annotated[str, StringConstraints(strip_whitespace=True, max_length=600)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    title: Title
    about: About = ""


class PresetStage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    owner: Owner


class FunnelPreset(_Entry):
    """Stages and their owners, top of the funnel first."""

    stages: Annotated[list[PresetStage], Field(min_length=2, max_length=15)]

    @model_validator(mode="after")
    def _names_differ(self) -> FunnelPreset:
        names = [s.name.casefold() for s in self.stages]
        if len(set(names)) != len(names):
            raise ValueError("two stages have the same name")
        return self


class LoopExample(_Entry):
    """A whole feedback-loop agreement: the meeting and what each side brings.

    ``weekday`` and ``start_time`` suggest when it meets; they fill only a day or
    a time the room has not set (a house file may leave them out).
    """

    cadence: Cadence
    weekday: Weekday | None = None
    start_time: dt.time | None = None
    forum: Line
    duration_minutes: Annotated[int, Field(ge=5, le=480)]
    attendees: Paragraph
    brief_weeks: Annotated[int, Field(ge=0, le=52)] = 4
    sales_brings: Annotated[list[Line], Field(min_length=1, max_length=12)]
    marketing_brings: Annotated[list[Line], Field(min_length=1, max_length=12)]
    rules: Annotated[list[Line], Field(min_length=1, max_length=12)]
    #: The document a line follows: the line's text (as in one of the lists) -> a
    #: document template's key.
    documents: dict[Line, Key] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _documents_name_lines(self) -> LoopExample:
        lines = {*self.sales_brings, *self.marketing_brings, *self.rules}
        for text in self.documents:
            if text not in lines:
                raise ValueError(f"documents names a line that is in no list: {text!r}")
        return self


class HandoverTemplate(_Entry):
    """What a hand-over agreement settles, with wording to start from."""

    qualifies: Paragraph
    response_hours: Annotated[float, Field(ge=0, le=24 * 30)]
    follow_up_attempts: Annotated[int, Field(ge=0, le=50)]
    return_reasons: Paragraph
    returned_handling: Paragraph
    escalate_to: Paragraph
    volume_commitment: Paragraph


class MessageTemplate(_Entry):
    """A message drafted from the message house.

    ``text`` may name the house's parts in braces: ``{core}`` (the core
    message), ``{audience}``, ``{pillar1}`` to ``{pillar4}`` (a pillar's title)
    and ``{proof1}`` to ``{proof4}`` (its first proof point).
    """

    use: Line
    text: Paragraph


class DocumentTemplate(_Entry):
    """A short document the loop's items can point to: its headings, each with a prompt."""

    sections: Annotated[list[tuple[Line, Line]], Field(min_length=2, max_length=20)]


Kind = Literal["funnel", "loop", "handover", "message", "document"]
KINDS: dict[Kind, type[_Entry]] = {
    "funnel": FunnelPreset,
    "loop": LoopExample,
    "handover": HandoverTemplate,
    "message": MessageTemplate,
    "document": DocumentTemplate,
}
#: What each kind is called where the workbook is listed.
KIND_LABELS: dict[Kind, str] = {
    "funnel": "Funnel preset",
    "loop": "Feedback loop example",
    "handover": "Hand-over agreement",
    "message": "Messaging template",
    "document": "Document template",
}


class WorkbookFile(BaseModel):
    """One TOML file: any mix of entries, each kind as an array of tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    funnel: list[FunnelPreset] = Field(default_factory=list)
    loop: list[LoopExample] = Field(default_factory=list)
    handover: list[HandoverTemplate] = Field(default_factory=list)
    message: list[MessageTemplate] = Field(default_factory=list)
    document: list[DocumentTemplate] = Field(default_factory=list)

    def entries(self) -> Iterable[tuple[Kind, _Entry]]:
        for kind in KINDS:
            for entry in getattr(self, kind):
                yield kind, entry


@dataclass(frozen=True)
class Listed:
    """An entry of the workbook and where it came from (``None``: built in)."""

    kind: Kind
    entry: _Entry
    source: Path | None

    @property
    def origin(self) -> str:
        return "built in" if self.source is None else str(self.source)


@dataclass
class Workbook:
    entries: list[Listed] = field(default_factory=list)
    #: One line per file that was skipped: its path and what is wrong.
    problems: list[str] = field(default_factory=list)

    def of(self, kind: Kind) -> list[Listed]:
        return [e for e in self.entries if e.kind == kind]

    def funnel_presets(self) -> list[FunnelPreset]:
        return [e.entry for e in self.of("funnel") if isinstance(e.entry, FunnelPreset)]

    def loop_examples(self) -> list[LoopExample]:
        return [e.entry for e in self.of("loop") if isinstance(e.entry, LoopExample)]

    def handover_templates(self) -> list[HandoverTemplate]:
        return [e.entry for e in self.of("handover") if isinstance(e.entry, HandoverTemplate)]

    def message_templates(self) -> list[MessageTemplate]:
        return [e.entry for e in self.of("message") if isinstance(e.entry, MessageTemplate)]

    def document_templates(self) -> list[DocumentTemplate]:
        return [e.entry for e in self.of("document") if isinstance(e.entry, DocumentTemplate)]

    def documents(self) -> dict[str, DocumentTemplate]:
        """The document templates by key (a house template in place of the built-in one)."""
        return {d.key: d for d in self.document_templates()}


def _problem(path: Path, error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        what = f"{where}: {first.get('msg', 'not valid')}" if where else first.get("msg", "")
        more = error.error_count() - 1
        if more:
            what += f" (and {more} more)"
    elif isinstance(error, tomllib.TOMLDecodeError):
        what = f"not TOML ({error})"
    elif isinstance(error, UnicodeDecodeError):
        what = "not UTF-8 text"
    else:
        what = str(error) or type(error).__name__
    return f"{path}: skipped, {what}"


def read_file(path: Path) -> WorkbookFile:
    """One workbook file, validated; raises (OSError, ValueError) when it cannot be used."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // 1024} KB")
    data = tomllib.loads(path.read_bytes().decode("utf-8"))
    book = WorkbookFile.model_validate(data)
    seen: set[tuple[Kind, str]] = set()
    for kind, entry in book.entries():
        if (kind, entry.key) in seen:
            raise ValueError(f"{kind} {entry.key!r} appears twice")
        seen.add((kind, entry.key))
    return book


def house_folder() -> Path:
    return config_dir() / HOUSE_FOLDER


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError:
        return []


def load(house: Path | None = None, *, built_in: Path = BUILT_IN) -> Workbook:
    """The built-in workbook, then the house templates in *house* (default: the config folder's).

    A house entry replaces the built-in entry of the same kind and key, in its place.
    """
    book = Workbook()
    index: dict[tuple[Kind, str], int] = {}
    folders: Sequence[tuple[Path, bool]] = [
        (built_in, True),
        (house_folder() if house is None else house, False),
    ]
    for folder, is_built_in in folders:
        for path in _files(folder):
            try:
                content = read_file(path)
            except (OSError, ValueError, UnicodeDecodeError) as error:
                book.problems.append(_problem(path, error))
                continue
            for kind, entry in content.entries():
                listed = Listed(kind, entry, None if is_built_in else path)
                at = index.get((kind, entry.key))
                if at is None:
                    index[(kind, entry.key)] = len(book.entries)
                    book.entries.append(listed)
                else:
                    book.entries[at] = listed
    return book


# ---------------------------------------------------------------------------
# Using an entry
# ---------------------------------------------------------------------------


def preset_stages(preset: FunnelPreset) -> list[FunnelStage]:
    """The preset's stages as funnel stages (ids and positions from 1)."""
    return [
        FunnelStage(id=n, position=n, name=s.name, owner=s.owner)
        for n, s in enumerate(preset.stages, 1)
    ]


def document_name(key: str, documents: dict[str, DocumentTemplate]) -> str:
    """What a loop item's document is called: its title, or the bare key when the
    workbook no longer has it (a house file removed, a key renamed)."""
    found = documents.get(key)
    return found.title if found is not None else key


def fill_message(template: MessageTemplate, parts: dict[str, str]) -> str:
    """*template*'s text with the message house's parts put in.

    A part the house does not have yet stays visible as ``[pillar 3]`` so the
    draft shows what is missing, never an empty gap.
    """
    text = template.text
    for name in ("core", "audience", *(f"pillar{n}" for n in range(1, 5))):
        text = text.replace("{" + name + "}", parts.get(name, "").strip() or f"[{_spoken(name)}]")
    for n in range(1, 5):
        name = f"proof{n}"
        text = text.replace("{" + name + "}", parts.get(name, "").strip() or f"[{_spoken(name)}]")
    return text


def _spoken(name: str) -> str:
    for word in ("pillar", "proof"):
        if name.startswith(word):
            return f"{'proof point' if word == 'proof' else word} {name[len(word) :]}"
    return {"core": "core message"}.get(name, name)

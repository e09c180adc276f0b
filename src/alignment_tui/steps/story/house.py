"""The message house in words: what the story step says about the session's story.

Nothing here draws a widget: these are the texts the pane shows (word counts,
the pillar count, a pillar's proof flag and heading) and the small look-ups
it makes in the session, kept apart so the rules can be read in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.content import Content
from textual.widgets import Static

from ...sessions.models import ATTR_BY_MODEL, Pillar, Record
from ...sessions.service import SessionService

R = TypeVar("R", bound=Record)

#: Above this many words the roof is getting detailed.
CORE_WORDS = 25
#: Above this many words a pillar is becoming a paragraph.
PILLAR_WORDS = 12

HOUSE_HINT = (
    "Think of a house: the roof is the one message every audience hears, "
    "the pillars hold it up, and each pillar stands on proof a customer would "
    "believe. Keep it high level: detail belongs in campaigns and sales decks."
)

RETIRED_HINT = "What we stop saying because it contradicts the story, and why."


def words(text: str) -> int:
    return len(text.split())


def core_words_text(text: str) -> str:
    n = words(text)
    if n > CORE_WORDS:
        return f"⚠ {n} words: getting detailed, keep the roof short"
    return f"{n} word{'s' if n != 1 else ''} (a roof stays under {CORE_WORDS + 1})"


def pillar_words_text(text: str) -> str:
    n = words(text)
    if n > PILLAR_WORDS:
        return f"⚠ {n} words: a pillar is a headline, not a paragraph"
    return ""


def pillar_count_text(n: int) -> str:
    if n < 3:
        return f"⚠ {n} pillar{'s' if n != 1 else ''}: a sturdy house needs three or four"
    if n > 4:
        return f"⚠ {n} pillars: more than four blurs the story; merge or drop one"
    return f"✔ {n} pillars: a sturdy house"


def count_text(pillars: list[Pillar]) -> str:
    """The pillar count, naming the pillars still without a headline."""
    named = len([p for p in pillars if p.title.strip()])
    text = pillar_count_text(named)
    if len(pillars) > named:
        text += f" (+{len(pillars) - named} without a headline yet)"
    return text


def proof_flag_text(service: SessionService, pillar_id: int) -> str:
    proofs = [p for p in service.proof_points_for(pillar_id) if p.text.strip()]
    if not proofs:
        return "⚠ no proof yet"
    return f"✔ {len(proofs)} proof point{'s' if len(proofs) != 1 else ''}"


def pillar_head(number: int, flag: str, warning: str) -> Content:
    """A pillar's heading line: its number, its proof flag and any word warning."""
    parts: list[str | tuple[str, str]] = [
        (f"Pillar {number}", "bold $primary"),
        "   ",
        (flag, "bold $warning" if flag.startswith("⚠") else "$text-muted"),
    ]
    if warning:
        parts += ["   ", (warning, "bold $warning")]
    return Content.assemble(*parts)


def sorted_pillars(service: SessionService) -> list[Pillar]:
    return sorted(service.session.pillars, key=lambda p: (p.position, p.id))


def find_record(service: SessionService, model: type[R], rid: int) -> R | None:
    """The current record of *model* with id *rid* (the service replaces records on update)."""
    items: list[R] = getattr(service.session, ATTR_BY_MODEL[model])
    return next((r for r in items if r.id == rid), None)


def reader(service: SessionService, model: type[Record], rid: int, name: str) -> Callable[[], Any]:
    """How a line reads its text: *name* of the record as it is now ("" once it went)."""

    def read() -> Any:
        record = find_record(service, model, rid)
        return getattr(record, name) if record is not None else ""

    return read


def saver(
    service: SessionService, model: type[Record], rid: int, name: str
) -> Callable[[Any], None]:
    """How a line saves its text into *name* of the record (nothing once the record went)."""

    def save(value: Any) -> None:
        record = find_record(service, model, rid)
        if record is not None:
            service.update(record, **{name: value})

    return save


def show_content(static: Static, content: Content, *, layout: bool = True) -> None:
    """Show *content* in *static* unless it already shows exactly that.

    Pass ``layout=False`` for a line whose size cannot change: a layout reflows
    the whole screen, and these lines change with every key typed.
    """
    old = static.content
    if not (isinstance(old, Content) and old.plain == content.plain and old.spans == content.spans):
        static.update(content, layout=layout)

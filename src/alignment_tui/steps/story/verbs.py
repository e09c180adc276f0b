"""What the story's lines can be asked to do: add, move, remove.

Keys on a line (alt+↑, alt+↓, alt+delete, see :mod:`.lines`) and the bar's
buttons under each list come here. Every verb goes through the form layer:
a refused one says why in one line (:func:`~alignment_tui.form.refusal.attempt`),
a removal asks first when it would lose text
(:func:`~alignment_tui.form.removal.confirm_removal`; a pillar always asks,
it takes its proof points with it). After a removal the current line, and the
focus when the removed line had it, go to the line next to it.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input

from ...form.lines import LineInput
from ...form.refusal import attempt
from ...form.removal import confirm_removal
from ...sessions.models import Pillar, ProofPoint, Record, RetiredMessage
from ...sessions.text import snippet
from ..base import StepPane
from .house import find_record, sorted_pillars
from .lines import Kind
from .pillars import AddProofButton, PillarBlock

#: A line the pillar bar can act on: a pillar's headline or a proof point.
LineKey = tuple[Kind, int]

#: The model of each kind of line.
MODELS: dict[str, type[Record]] = {
    "pillar": Pillar,
    "proof": ProofPoint,
    "retired": RetiredMessage,
}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class LineVerbs(StepPane):
    """The verbs of the story pane (the pane itself shows and marks the lines)."""

    _line: LineKey | None
    _retired: int | None
    _add_pillar: Button
    _add_retired: Button
    _line_up: Button
    _line_down: Button
    _line_remove: Button
    _retired_remove: Button

    # What the pane provides.

    def _sync(self) -> list[AwaitMount]:  # pragma: no cover - the pane's
        raise NotImplementedError

    def block(self, pid: int) -> PillarBlock | None:  # pragma: no cover - the pane's
        raise NotImplementedError

    def line_widgets(self, kind: str, rid: int) -> list[LineInput]:  # pragma: no cover
        raise NotImplementedError

    # -- looking up ------------------------------------------------------------------

    def record(self, kind: Kind, rid: int) -> Record | None:
        """The record behind a line, as it is now in the session."""
        return find_record(self.service, MODELS[kind], rid)

    def _neighbour(self, kind: Kind, rid: int) -> tuple[LineKey | None, Widget | None]:
        """The line that becomes current when *rid* goes, and the widget that takes the focus."""
        if kind == "proof":
            proof = find_record(self.service, ProofPoint, rid)
            if proof is None:
                return None, self._add_pillar
            ids = [p.id for p in self.service.proof_points_for(proof.pillar_id)]
            i = ids.index(rid)
            others = ids[i - 1 : i] + ids[i + 1 : i + 2]
            if others:
                return ("proof", others[0]), self._first("proof", others[0])
            return ("pillar", proof.pillar_id), self._first("pillar", proof.pillar_id)
        if kind == "pillar":
            ids = [p.id for p in sorted_pillars(self.service)]
        else:
            ids = [m.id for m in self.session.retired_messages]
        i = ids.index(rid)
        others = ids[i + 1 :] + ids[:i][::-1]
        if not others:
            return None, self._add_pillar if kind == "pillar" else self._add_retired
        return (kind, others[0]), self._first(kind, others[0])

    def _first(self, kind: Kind, rid: int) -> Widget | None:
        found = self.line_widgets(kind, rid)
        return found[0] if found else None

    # -- verbs -----------------------------------------------------------------------

    def move_line(self, kind: Kind, rid: int, delta: int) -> None:
        """Move a pillar among the pillars, or a proof point within its pillar."""
        record = self.record(kind, rid)
        if record is not None and kind != "retired":
            attempt(self, self.service.move, record, delta)

    def ask_remove(self, kind: Kind, rid: int, *, refocus: bool) -> None:
        """Remove a line, asking first when it would lose text (a pillar always asks).

        *refocus*: the line has the focus; it moves to the line next to it.
        """
        record = self.record(kind, rid)
        if record is None:
            return
        typed = " ".join(
            w.value.strip() for w in self.line_widgets(kind, rid) if isinstance(w, Input)
        ).strip()
        if isinstance(record, Pillar):
            title = snippet(typed or record.title)
            named = f"“{title}”" if title else "This pillar"
            proofs = plural(len(self.service.proof_points_for(rid)), "proof point")
            what, detail, has_content = (
                "this pillar",
                f"{named} and its {proofs} will be removed.",
                True,
            )
        elif isinstance(record, ProofPoint):
            shown = snippet(typed or record.text)
            what, detail, has_content = (
                "this proof point",
                f"“{shown}” will be removed.",
                bool(shown),
            )
        else:
            assert isinstance(record, RetiredMessage)
            shown = snippet(record.text) or snippet(typed)
            what, detail = "this retired message", f"“{shown}” will leave the retired list."
            has_content = bool(typed or record.text.strip() or record.reason.strip())
        after: list[tuple[LineKey | None, Widget | None]] = []

        def remove() -> None:
            now = self.record(kind, rid)
            if now is not None:
                after.append(self._neighbour(kind, rid))
                self.service.remove(now)

        def removed() -> None:
            if not after:
                return
            key, target = after[0]
            if kind == "retired":
                self._retired = key[1] if key else None
            else:
                self._line = key
            if refocus and target is not None:
                target.focus()
            self._sync()

        confirm_removal(
            self,
            what=what,
            detail=detail,
            has_content=has_content,
            remove=remove,
            then=removed,
        )

    async def _add(self, model: type[Record], **fields: Any) -> None:
        """Add a record; once its line is there, the focus goes into it."""
        record = attempt(self, self.service.add, model, **fields)
        if record is None:
            return
        for pending in self._sync():
            await pending
        kind: Kind = "pillar" if model is Pillar else "proof" if model is ProofPoint else "retired"
        target = self._first(kind, record.id)
        if target is not None:
            target.focus()

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        button = event.button
        line, retired = self._line, self._retired
        if isinstance(button, AddProofButton):
            event.stop()
            block = button.parent
            if isinstance(block, PillarBlock):
                await self._add(ProofPoint, pillar_id=block.pid)
        elif button is self._add_pillar:
            event.stop()
            await self._add(Pillar)
        elif button is self._add_retired:
            event.stop()
            await self._add(RetiredMessage)
        elif button in (self._line_up, self._line_down, self._line_remove):
            event.stop()
            if line is None:
                return
            if button is self._line_remove:
                self.ask_remove(*line, refocus=False)
            else:
                self.move_line(*line, -1 if button is self._line_up else 1)
        elif button is self._retired_remove:
            event.stop()
            if retired is not None:
                self.ask_remove("retired", retired, refocus=False)

"""One pillar of the message house: a heading line, its headline, its proof points.

A pillar is cheap to mount: a heading (its number, its proof flag, a word
warning), the headline, one compact line per proof point and a
"+ Proof point" button. The heading follows the headline as it is typed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import AwaitMount
from textual.widgets import Button, Input, Static

from ...sessions.models import Pillar, ProofPoint
from ...sessions.service import SessionService
from .house import (
    find_record,
    pillar_head,
    pillar_words_text,
    proof_flag_text,
    reader,
    saver,
    show_content,
)
from .lines import HeadlineInput, ProofInput, going, sync_children


class AddProofButton(Button):
    """A pillar's "+ Proof point" (the pillar it adds to is its block)."""


class PillarBlock(Vertical):
    """One pillar: a heading line, the headline, its proof point lines and "+ Proof point"."""

    def __init__(
        self, service: SessionService, pillar: Pillar, number: int, *, current: bool = False
    ) -> None:
        super().__init__(id=f"pillar-{pillar.id}", classes="pillar-block")
        self.service = service
        self.pid = pillar.id
        self._number = number
        #: Whether its headline is drawn highlighted (set before styling: no restyle).
        self._current = current
        self.head = Static(
            self._head(pillar.title), id=f"pillar-head-{pillar.id}", classes="pillar-head"
        )
        self.headline = HeadlineInput(
            read=reader(service, Pillar, pillar.id, "title"),
            save=saver(service, Pillar, pillar.id, "title"),
            rid=pillar.id,
            bubble_changes=True,  # the heading counts its words as they are typed
            id=f"pillar-title-{pillar.id}",
            classes="pillar-title -current" if current else "pillar-title",
            placeholder="Pillar headline, e.g. Live in weeks, not months",
            tooltip="Pillar headline (alt+↑ / alt+↓ move the pillar, alt+delete removes it)",
        )
        self.add_proof = AddProofButton(
            "+ Proof point",
            id=f"pillar-add-proof-{pillar.id}",
            compact=True,
            classes="add-proof",
            disabled=service.readonly,
            tooltip="Add a fact, number or customer story that backs this pillar",
        )

    def compose(self) -> ComposeResult:
        yield self.head
        yield self.headline
        for proof in self.service.proof_points_for(self.pid):
            yield self._line(proof)
        yield self.add_proof

    def _line(self, proof: ProofPoint) -> ProofInput:
        return ProofInput(
            read=reader(self.service, ProofPoint, proof.id, "text"),
            save=saver(self.service, ProofPoint, proof.id, "text"),
            rid=proof.id,
            id=f"proof-text-{proof.id}",
            classes="proof-line",
            placeholder="Proof point, e.g. 40 customers live in under 6 weeks",
            tooltip="Proof point (alt+↑ / alt+↓ move it, alt+delete removes it)",
        )

    def proof_line(self, rid: int) -> ProofInput | None:
        """The line of proof point *rid*, when this pillar shows it."""
        for child in self.children:
            if isinstance(child, ProofInput) and child.rid == rid and not going(child):
                return child
        return None

    def _head(self, title: str) -> Content:
        flag = proof_flag_text(self.service, self.pid)
        return pillar_head(self._number, flag, pillar_words_text(title))

    def show_head(self, title: str) -> None:
        show_content(self.head, self._head(title))

    def sync(self, number: int) -> list[AwaitMount]:
        """Show the session's pillar: its number, its proof lines and flag.

        (The lines' texts are loaded with every bound field of the pane.)
        """
        self._number = number
        if find_record(self.service, Pillar, self.pid) is None:
            return []
        proofs = self.service.proof_points_for(self.pid)
        mounts = sync_children(
            self,
            [(f"proof-text-{p.id}", lambda p=p: self._line(p)) for p in proofs],  # type: ignore[misc]
            kind=ProofInput,
            prefix=ProofInput.PREFIX,
            before=self.add_proof,
        )
        self.show_head(self.headline.value)
        return mounts

    @on(Input.Changed, ".pillar-title")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()
        self.show_head(event.value)

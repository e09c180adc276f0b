"""Step 1: one baseline story, built as a message house.

The roof is the one core message; under it stand three or four pillars, each
held up by proof points; beside it, the messages the room retires because
they contradict the story. The pane warns, gently and in words, when the
story stops being high level (too many words in the roof or a pillar), when
there are too few or too many pillars, and when a pillar has no proof. Both
leads sign it off; any later edit shows "changed since sign-off" until they
sign again (the sign-off bar refreshes itself after every saved change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static, TextArea

from ...sessions.models import (
    Pillar,
    ProofPoint,
    Record,
    RetiredMessage,
    SignOffSubject,
    StepId,
)
from ...sessions.progress import RULES
from ...sessions.service import SessionService
from ..fields import Field, SavingInput, SavingTextArea
from ..signoff import SignOffBar
from .base import StepPane
from .goals import (
    LineRow,
    attempt,
    confirm_then,
    field_saver,
    find_record,
    show_text,
    sync_rows,
    words,
)

#: Above this many words the roof is getting detailed.
CORE_WORDS = 25
#: Above this many words a pillar is becoming a paragraph.
PILLAR_WORDS = 12

HOUSE_HINT = (
    "Think of a house: the roof is the one message every audience hears, "
    "the pillars hold it up, and each pillar stands on proof a customer would "
    "believe. Keep it high level: detail belongs in campaigns and sales decks."
)


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


def proof_flag_text(service: SessionService, pillar_id: int) -> str:
    proofs = [p for p in service.proof_points_for(pillar_id) if p.text.strip()]
    if not proofs:
        return "⚠ no proof yet"
    return f"✔ {len(proofs)} proof point{'s' if len(proofs) != 1 else ''}"


def sorted_pillars(service: SessionService) -> list[Pillar]:
    return sorted(service.session.pillars, key=lambda p: (p.position, p.id))


class PillarRow(Vertical):
    """One pillar: its headline, its proof points, and move/remove buttons."""

    def __init__(self, service: SessionService, pillar: Pillar) -> None:
        super().__init__(id=f"pillar-{pillar.id}", classes="pillar-row")
        self.service = service
        self.pid = pillar.id
        self._pillar = pillar

    def compose(self) -> ComposeResult:
        pid, svc = self.pid, self.service
        with Horizontal(classes="row-head"):
            yield Static("Pillar", id=f"pillar-head-{pid}", classes="row-title")
            yield Button(
                "↑", id=f"pillar-up-{pid}", compact=True, classes="small-button", tooltip="Move up"
            )
            yield Button(
                "↓",
                id=f"pillar-down-{pid}",
                compact=True,
                classes="small-button",
                tooltip="Move down",
            )
            yield Button(
                "Remove",
                id=f"pillar-remove-{pid}",
                compact=True,
                variant="error",
                classes="small-button",
                tooltip="Remove this pillar and its proof points (asks first)",
            )
        yield Field(
            "Pillar headline",
            SavingInput(
                self._pillar.title,
                save=field_saver(svc, Pillar, pid, "title"),
                id=f"pillar-title-{pid}",
                placeholder="e.g. Live in weeks, not months",
            ),
        )
        yield Static("", id=f"pillar-words-{pid}", classes="word-warning")
        yield Static("", id=f"pillar-flag-{pid}", classes="proof-flag")
        with Vertical(id=f"pillar-proofs-{pid}", classes="proof-lines"):
            for proof in svc.proof_points_for(pid):
                yield self._line(proof)
        yield Button(
            "+ Proof point",
            id=f"pillar-add-proof-{pid}",
            compact=True,
            classes="add-line",
            tooltip="Add a fact, number or customer story that backs this pillar",
        )

    def _line(self, proof: Record) -> LineRow:
        return LineRow(
            self.service,
            ProofPoint,
            proof,
            prefix="proof",
            placeholder="e.g. 40 customers live in under 6 weeks",
            what="proof point",
        )

    def on_mount(self) -> None:
        self.sync()

    def sync(self) -> None:
        ids = [p.id for p in sorted_pillars(self.service)]
        if self.pid not in ids:
            return
        number = ids.index(self.pid) + 1
        show_text(self.query_one(f"#pillar-head-{self.pid}", Static), f"Pillar {number}")
        proofs = self.service.proof_points_for(self.pid)
        sync_rows(
            self.query_one(f"#pillar-proofs-{self.pid}", Vertical), proofs, self._line, "proof"
        )
        flag = proof_flag_text(self.service, self.pid)
        label = self.query_one(f"#pillar-flag-{self.pid}", Static)
        show_text(label, flag)
        label.set_class(flag.startswith("⚠"), "-warn")
        pillar = find_record(self.service, Pillar, self.pid)
        if pillar is not None:
            self.show_words(self.query_one(f"#pillar-title-{self.pid}", Input).value)

    def show_words(self, text: str) -> None:
        warning = pillar_words_text(text)
        label = self.query_one(f"#pillar-words-{self.pid}", Static)
        show_text(label, warning)
        label.display = bool(warning)

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        if event.input.id == f"pillar-title-{self.pid}":
            self.show_words(event.value)

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        pid = self.pid
        pillar = find_record(self.service, Pillar, pid)
        if pillar is None:
            return
        if bid == f"pillar-up-{pid}":
            event.stop()
            attempt(self, self.service.move, pillar, -1)
        elif bid == f"pillar-down-{pid}":
            event.stop()
            attempt(self, self.service.move, pillar, +1)
        elif bid == f"pillar-remove-{pid}":
            event.stop()
            label = pillar.title.strip()[:60] or "this pillar"
            n = len(self.service.proof_points_for(pid))
            confirm_then(
                self,
                "Remove this pillar?",
                f"“{label}” and its {n} proof point(s) will be removed.",
                self._remove_pillar,
            )
        elif bid == f"pillar-add-proof-{pid}":
            event.stop()
            proof = attempt(self, self.service.add, ProofPoint, pillar_id=pid)
            if proof is None:
                return
            lines = self.query_one(f"#pillar-proofs-{pid}", Vertical)
            for pending in sync_rows(
                lines, self.service.proof_points_for(pid), self._line, "proof"
            ):
                await pending
            self.query_one(f"#proof-text-{proof.id}", SavingInput).focus()

    def _remove_pillar(self) -> None:
        pillar = find_record(self.service, Pillar, self.pid)
        if pillar is not None:
            attempt(self, self.service.remove, pillar)


class RetiredRow(Vertical):
    """A message being retired, and why."""

    def __init__(self, service: SessionService, message: RetiredMessage) -> None:
        super().__init__(id=f"retired-{message.id}", classes="retired-row")
        self.service = service
        self.rid = message.id
        self._message = message

    def compose(self) -> ComposeResult:
        rid, svc = self.rid, self.service
        with Horizontal(classes="row-head"):
            yield Static(Content("Retired message"), classes="row-title")
            yield Button(
                "Remove",
                id=f"retired-remove-{rid}",
                compact=True,
                variant="error",
                classes="small-button",
                tooltip="Take this message off the retired list",
            )
        yield Field(
            "What we stop saying",
            SavingInput(
                self._message.text,
                save=field_saver(svc, RetiredMessage, rid, "text"),
                id=f"retired-text-{rid}",
                placeholder="e.g. The cheapest tool on the market",
            ),
        )
        yield Field(
            "Why it goes",
            SavingInput(
                self._message.reason,
                save=field_saver(svc, RetiredMessage, rid, "reason"),
                id=f"retired-reason-{rid}",
                placeholder="e.g. contradicts the premium story",
            ),
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id != f"retired-remove-{self.rid}":
            return
        event.stop()
        message = find_record(self.service, RetiredMessage, self.rid)
        if message is None:
            return
        if not (message.text.strip() or message.reason.strip()):
            attempt(self, self.service.remove, message)
            return
        confirm_then(
            self,
            "Remove this retired message?",
            f"“{message.text.strip()[:60]}” will leave the retired list.",
            self._remove,
        )

    def _remove(self) -> None:
        message = find_record(self.service, RetiredMessage, self.rid)
        if message is not None:
            attempt(self, self.service.remove, message)


class StoryPane(StepPane):
    STEP: ClassVar[StepId] = StepId.STORY

    def compose_body(self) -> ComposeResult:
        story = self.session.story
        yield Static(Content(HOUSE_HINT), classes="step-hint")
        yield Field(
            "Who it is for",
            SavingInput(
                story.audience,
                save=self._save_story("audience"),
                id="story-audience",
                placeholder="e.g. operations leaders at mid-sized manufacturers",
            ),
        )
        yield Field(
            "Core message: the roof, the same for every audience",
            SavingTextArea(
                story.core_message,
                save=self._save_story("core_message"),
                id="story-core",
            ),
            classes="core-field",
        )
        yield Static("", id="story-core-words", classes="word-count")
        yield Static(Content("Pillars"), classes="section-head")
        yield Static("", id="story-pillar-count", classes="pillar-count")
        with Vertical(id="pillars-list"):
            for pillar in sorted_pillars(self.service):
                yield PillarRow(self.service, pillar)
        yield Button("+ Add pillar", id="add-pillar", tooltip="Add a pillar under the roof")
        yield Static(Content("Retired messages"), classes="section-head")
        yield Static(
            Content("What we stop saying because it contradicts the story, and why."),
            classes="step-hint",
        )
        with Vertical(id="retired-list"):
            for message in self.session.retired_messages:
                yield RetiredRow(self.service, message)
        yield Button(
            "+ Retire a message", id="add-retired", tooltip="Add a message the teams stop using"
        )
        yield Static(
            Content(f"Complete when there is {RULES[StepId.STORY]}."),
            classes="step-rule",
        )
        yield SignOffBar(self.service, SignOffSubject.STORY, title="Both leads sign off this story")

    def _save_story(self, field: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            self.service.update(self.service.session.story, **{field: text})

        return save

    def on_mount(self) -> None:
        super().on_mount()
        self._sync()

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        self._sync()

    def _make_pillar(self, pillar: Record) -> PillarRow:
        assert isinstance(pillar, Pillar)
        return PillarRow(self.service, pillar)

    def _make_retired(self, message: Record) -> RetiredRow:
        assert isinstance(message, RetiredMessage)
        return RetiredRow(self.service, message)

    def _sync(self) -> None:
        pillars = sorted_pillars(self.service)
        sync_rows(self.query_one("#pillars-list", Vertical), pillars, self._make_pillar, "pillar")
        for row in self.query(PillarRow):
            if row.is_mounted:
                row.sync()
        sync_rows(
            self.query_one("#retired-list", Vertical),
            self.session.retired_messages,
            self._make_retired,
            "retired",
        )
        count = self.query_one("#story-pillar-count", Static)
        named = len([p for p in pillars if p.title.strip()])
        text = pillar_count_text(named)
        if len(pillars) > named:
            text += f" (+{len(pillars) - named} without a headline yet)"
        show_text(count, text)
        count.set_class(text.startswith("⚠"), "-warn")
        self._show_core_words(self.query_one("#story-core", TextArea).text)

    def _show_core_words(self, text: str) -> None:
        label = self.query_one("#story-core-words", Static)
        shown = core_words_text(text)
        show_text(label, shown)
        label.set_class(shown.startswith("⚠"), "-warn")

    @on(TextArea.Changed, "#story-core")
    def _core_typing(self, event: TextArea.Changed) -> None:
        self._show_core_words(event.text_area.text)

    @on(Button.Pressed, "#add-pillar")
    async def _add_pillar(self, event: Button.Pressed) -> None:
        event.stop()
        pillar = attempt(self, self.service.add, Pillar)
        if pillar is None:
            return
        container = self.query_one("#pillars-list", Vertical)
        for pending in sync_rows(
            container, sorted_pillars(self.service), self._make_pillar, "pillar"
        ):
            await pending
        self.query_one(f"#pillar-title-{pillar.id}", SavingInput).focus()

    @on(Button.Pressed, "#add-retired")
    async def _add_retired(self, event: Button.Pressed) -> None:
        event.stop()
        message = attempt(self, self.service.add, RetiredMessage)
        if message is None:
            return
        container = self.query_one("#retired-list", Vertical)
        for pending in sync_rows(
            container, self.session.retired_messages, self._make_retired, "retired"
        ):
            await pending
        self.query_one(f"#retired-text-{message.id}", SavingInput).focus()

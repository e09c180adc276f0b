"""Step 1: one baseline story, built as a message house.

The roof is the one core message; under it stand three or four pillars, each
held up by proof points; beside it, the messages the room retires because
they contradict the story. The pane warns, gently and in words, when the
story stops being high level (too many words in the roof or a pillar), when
there are too few or too many pillars, and when a pillar has no proof. Both
leads sign it off; any later edit shows "changed since sign-off" until they
sign again (the sign-off bar refreshes itself after every saved change).

The step has five sections (Ctrl+↓ / Ctrl+↑ jump between them): who it is
for and the roof, the pillars, the retired messages, the sign-off, and the
messages drafted from the house with the workbook's templates (:mod:`.drafts`). Every text
is a bound field of the form layer; the lists are compact lines
(:mod:`.lines`), a pillar a block of them (:mod:`.pillars`). Moving and
removing act on the *current* line (the one last focused, highlighted): keys
on the line (alt+↑, alt+↓, alt+delete) or one button bar per list
(:mod:`.verbs`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Static, TextArea

from ...form.fields import SavingInput, SavingTextArea, TitledField
from ...form.later import Later
from ...form.lines import LineInput
from ...form.section import Section
from ...sessions.models import ProofPoint, SignOffSubject, StepId
from ...sessions.progress import RULES
from ...sessions.service import SessionService
from ...widgets.signoff import SignOffBar
from .drafts import DraftsSection
from .house import (
    HOUSE_HINT,
    RETIRED_HINT,
    core_words_text,
    count_text,
    find_record,
    show_content,
    sorted_pillars,
)
from .lines import RetiredInput, going, retired_line, sync_children
from .pillars import PillarBlock
from .verbs import LineKey, LineVerbs


def flagged(text: str) -> str:
    """The classes of a derived line: warned when its text starts with ⚠."""
    return " -warn" if text.startswith("⚠") else ""


class StoryPane(LineVerbs):
    STEP: ClassVar[StepId] = StepId.STORY

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        pillars = sorted_pillars(service)
        read_only = service.readonly
        #: Whether the bars act on a line (in a read-only copy no line is highlighted:
        #: there is nothing to act on it with).
        self._acting = not read_only
        #: The line the pillar bar acts on: the last pillar line focused.
        self._line: LineKey | None = None
        #: The retired message the retired bar acts on.
        self._retired: int | None = None
        self._pick_current()
        #: The highlighted lines (None: not looked up yet; compose highlights the first).
        self._marked: list[Widget] | None = None
        story = service.session.story
        self._pillars_list = Vertical(id="pillars-list")
        self._retired_grid = Grid(id="retired-list")
        # Derived lines are drawn from the start: filled in after mounting they
        # would lay the screen out once more.
        words = core_words_text(story.core_message)
        self._core_words = Static(
            Content(words), id="story-core-words", classes="word-count" + flagged(words)
        )
        count = count_text(pillars)
        self._pillar_count = Static(
            Content(count), id="story-pillar-count", classes="pillar-count" + flagged(count)
        )
        self._add_pillar = Button(
            "+ Add pillar",
            id="add-pillar",
            compact=True,
            disabled=read_only,
            tooltip="Add a pillar under the roof",
        )
        # What the three buttons after it act on (fixed width: no layout when it changes).
        self._line_current = Static(id="line-current", classes="line-current")
        none = self._line is None or read_only
        self._line_up = Button(
            "↑",
            id="line-up",
            compact=True,
            classes="mini",
            disabled=none,
            tooltip="Move the highlighted line up (alt+↑): a pillar, or a proof point "
            "within its pillar",
        )
        self._line_down = Button(
            "↓",
            id="line-down",
            compact=True,
            classes="mini",
            disabled=none,
            tooltip="Move the highlighted line down (alt+↓)",
        )
        self._line_remove = Button(
            "✕",
            id="line-remove",
            compact=True,
            classes="mini -remove",
            disabled=none,
            tooltip="Remove the highlighted line (alt+delete); a pillar goes with its "
            "proof points. Asks first.",
        )
        self._add_retired = Button(
            "+ Retire a message",
            id="add-retired",
            compact=True,
            disabled=read_only,
            tooltip="Add a message the teams stop using",
        )
        self._retired_remove = Button(
            "✕ Remove",
            id="retired-remove",
            compact=True,
            classes="-remove",
            disabled=self._retired is None or read_only,
            tooltip="Take the highlighted message off the retired list (alt+delete); "
            "asks first when it has text",
        )
        #: The messages drafted from the house (:mod:`.drafts`).
        self._drafts = DraftsSection(service, id="story-messages")

    # -- building ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        pillars = sorted_pillars(self.service)
        with Section("Who it is for and the core message", id="story-roof"):
            yield Static(Content(HOUSE_HINT), classes="step-hint")
            yield TitledField(
                "Who it is for",
                SavingInput(
                    read=lambda: self.session.story.audience,
                    save=self._save_story("audience"),
                    bubble_changes=False,
                    id="story-audience",
                    placeholder="e.g. operations leaders at mid-sized manufacturers",
                ),
            )
            self._core = SavingTextArea(
                read=lambda: self.session.story.core_message,
                save=self._save_story("core_message"),
                id="story-core",
            )
            yield TitledField(
                "Core message: the roof, one for every audience",
                self._core,
                classes="core-field",
            )
            yield self._core_words
        with Section("Pillars", id="story-pillars"):
            yield self._pillar_count
            with self._pillars_list:
                for number, pillar in enumerate(pillars, start=1):
                    yield PillarBlock(
                        self.service, pillar, number, current=self._line == ("pillar", pillar.id)
                    )
            self._line_current.update(self._current_text())
            with Horizontal(id="pillar-bar", classes="line-bar"):
                yield self._add_pillar
                yield self._line_current
                yield self._line_up
                yield self._line_down
                yield self._line_remove
        # A page or more below the pillars: built when the room comes to them.
        yield Later("Retired messages", self._compose_retired, id="later-story-retired")
        yield Later("Sign-off", self._compose_signoff, id="later-story-signoff")
        yield Later(self._drafts.title, lambda: iter([self._drafts]), id="later-story-messages")

    def _compose_retired(self) -> ComposeResult:
        with Section("Retired messages", id="story-retired"):
            yield Static(Content(RETIRED_HINT), classes="step-hint")
            # (shown only with messages in it: its headings alone would read as a gap)
            messages = self.session.retired_messages
            self._retired_grid.display = bool(messages)
            with self._retired_grid:
                yield Static(Content("What we stop saying"), classes="retired-col")
                yield Static(Content("Why it goes"), classes="retired-col")
                for message in messages:
                    current = message.id == self._retired
                    yield retired_line(self.service, message, "text", current=current)
                    yield retired_line(self.service, message, "reason", current=current)
            with Horizontal(id="retired-bar", classes="line-bar"):
                yield self._add_retired
                yield self._retired_remove

    def _compose_signoff(self) -> ComposeResult:
        with Section("Sign-off", id="story-signoff"):
            yield Static(
                Content(f"Complete when there is {RULES[StepId.STORY]}."),
                classes="step-rule",
            )
            yield SignOffBar(
                self.service, SignOffSubject.STORY, title="Both leads sign off this story"
            )

    def _save_story(self, field: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            self.service.update(self.service.session.story, **{field: text})

        return save

    # -- keeping in step with the session ---------------------------------------------

    def refresh_from_session(self) -> None:
        super().refresh_from_session()  # the status, then every field's text
        if self.is_mounted:
            self._sync()
            if self._drafts.is_mounted:  # else built from the session when the room comes to it
                self._drafts.sync()

    def _sync(self) -> list[AwaitMount]:
        """Make every list match the session; returns the pending mounts."""
        pillars = sorted_pillars(self.service)
        mounts = sync_children(
            self._pillars_list,
            [
                (f"pillar-{p.id}", lambda p=p, n=n: PillarBlock(self.service, p, n))  # type: ignore[misc]
                for n, p in enumerate(pillars, start=1)
            ],
            kind=PillarBlock,
            prefix="pillar-",
        )
        for number, pillar in enumerate(pillars, start=1):
            block = self.block(pillar.id)
            if block is not None and block.is_mounted:
                mounts += block.sync(number)
        if self._retired_grid.is_mounted:  # else built from the session when the room comes to it
            mounts += self._sync_retired()
        self._pick_current()
        text = count_text(pillars)
        show_content(self._pillar_count, Content(text))
        self._pillar_count.set_class(text.startswith("⚠"), "-warn")
        self._show_core_words(self._core.text)
        self._mark_current()
        if mounts:
            # a new pillar's lines exist once it has composed
            self.call_after_refresh(self._mark_current)
        return mounts

    def _pick_current(self) -> None:
        """The bars act on a line still there (the first one, when theirs went or none was)."""
        if not self._acting:
            return
        if self._line is None or self.record(*self._line) is None:
            pillars = sorted_pillars(self.service)
            self._line = ("pillar", pillars[0].id) if pillars else None
        messages = self.session.retired_messages
        if not any(m.id == self._retired for m in messages):
            self._retired = messages[0].id if messages else None

    def _sync_retired(self) -> list[AwaitMount]:
        grid = self._retired_grid
        messages = self.session.retired_messages
        mounts = sync_children(
            grid,
            [
                (f"retired-{field}-{m.id}", lambda m=m, f=field: retired_line(self.service, m, f))  # type: ignore[misc]
                for m in messages
                for field in ("text", "reason")
            ],
            kind=RetiredInput,
            prefix=RetiredInput.PREFIX,
        )
        if grid.display != bool(messages):
            grid.display = bool(messages)
        return mounts

    def _show_core_words(self, text: str) -> None:
        shown = core_words_text(text)
        show_content(self._core_words, Content(shown), layout=False)
        self._core_words.set_class(shown.startswith("⚠"), "-warn")

    @on(TextArea.Changed)
    def _core_typing(self, event: TextArea.Changed) -> None:
        if event.text_area is self._core:
            event.stop()
            self._show_core_words(event.text_area.text)

    # -- the current lines -----------------------------------------------------------

    def block(self, pid: int) -> PillarBlock | None:
        """The block of pillar *pid*, when it is shown."""
        for child in self._pillars_list.children:
            if isinstance(child, PillarBlock) and child.pid == pid and not going(child):
                return child
        return None

    def line_widgets(self, kind: str, rid: int) -> list[LineInput]:
        """The field(s) of a line, found through their containers (no walk of the pane)."""
        if kind == "retired":
            return [
                child
                for child in self._retired_grid.children
                if isinstance(child, RetiredInput) and child.rid == rid and not going(child)
            ]
        if kind == "pillar":
            block = self.block(rid)
            return [block.headline] if block is not None else []
        proof = find_record(self.service, ProofPoint, rid)
        block = self.block(proof.pillar_id) if proof is not None else None
        line = block.proof_line(rid) if block is not None else None
        return [line] if line is not None else []

    def _current_text(self) -> Content:
        if self._line is None:
            return Content("")
        kind, rid = self._line
        pillars = [p.id for p in sorted_pillars(self.service)]
        if kind == "pillar":
            number = pillars.index(rid) + 1 if rid in pillars else 0
            return Content(f"pillar {number}:")
        proof = find_record(self.service, ProofPoint, rid)
        if proof is None or proof.pillar_id not in pillars:
            return Content("")
        place = [p.id for p in self.service.proof_points_for(proof.pillar_id)].index(rid) + 1
        number = pillars.index(proof.pillar_id) + 1
        return Content(f"proof {place} of pillar {number}:")

    def _mark_current(self) -> None:
        """Highlight the current lines and say which one the pillar bar acts on."""
        marked: list[Widget] = []
        if self._line is not None:
            marked += self.line_widgets(*self._line)
        if self._retired is not None:
            marked += self.line_widgets("retired", self._retired)
        if self._marked is None:
            self._marked = list(self.query(".-current"))
        for widget in self._marked:
            if widget not in marked:
                widget.remove_class("-current")
        for widget in marked:
            if not widget.has_class("-current"):
                widget.add_class("-current")
        self._marked = marked
        show_content(self._line_current, self._current_text(), layout=False)
        read_only = self.service.readonly
        for button in (self._line_up, self._line_down, self._line_remove):
            off = self._line is None or read_only
            if button.disabled != off:
                button.disabled = off
        off = self._retired is None or read_only
        if self._retired_remove.disabled != off:
            self._retired_remove.disabled = off

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        if not self.display:
            # The step was left: Textual hands the focus of a field hidden with
            # the pane to its sibling, on the way to the next step. That is not
            # a line the room chose, nor where the room was: neither the current
            # line nor the pane's memory of its last field (StepPane) may follow.
            event.prevent_default()
            return
        widget = event.widget
        if not isinstance(widget, LineInput):
            return
        if isinstance(widget, RetiredInput):
            if self._retired == widget.rid:
                return
            self._retired = widget.rid
        else:
            key: LineKey = (widget.KIND, widget.rid)
            if self._line == key:
                return
            self._line = key
        self._mark_current()

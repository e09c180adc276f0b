"""Step 1: one baseline story, built as a message house.

The roof is the one core message; under it stand three or four pillars, each
held up by proof points; beside it, the messages the room retires because
they contradict the story. The pane warns, gently and in words, when the
story stops being high level (too many words in the roof or a pillar), when
there are too few or too many pillars, and when a pillar has no proof. Both
leads sign it off; any later edit shows "changed since sign-off" until they
sign again (the sign-off bar refreshes itself after every saved change).

The lists are cheap to mount: a pillar is a heading line (its number, its
proof flag, a word warning), its headline, one compact line per proof point
and a "+ Proof point" button; a retired message is two compact fields side
by side under one pair of column headings. Lines have no label and no error
line of their own: a refused save mounts its one-line reason under the line
when it happens. Moving and removing act on the *current* line (the one last
focused, highlighted): keys on the line (alt+↑, alt+↓, alt+delete, as for the
funnel's stages) or one button bar per list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches, WrongType
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input, Static, TextArea

from ...form.fields import Field, SavingInput, SavingTextArea
from ...form.lines import LineError, LineInput, snippet
from ...form.lines import pruning as _pruning
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
from ...widgets.signoff import SignOffBar
from ..base import StepPane
from ..goals.pane import (
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

RETIRED_HINT = "What we stop saying because it contradicts the story, and why."

#: What kind of line a :class:`LineInput` is.
Kind = Literal["pillar", "proof", "retired"]


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


def show_content(static: Static, content: Content, *, layout: bool = True) -> None:
    """Show *content* in *static* unless it already shows exactly that.

    Pass ``layout=False`` for a line whose size cannot change (a layout
    reflows the whole screen).
    """
    old = static.content
    if not (isinstance(old, Content) and old.plain == content.plain and old.spans == content.spans):
        static.update(content, layout=layout)


def sync_lines(
    container: Widget,
    kind: type[LineInput],
    wanted: list[tuple[str, Callable[[], LineInput]]],
    *,
    before: Widget | None = None,
) -> list[AwaitMount]:
    """Make the *kind* lines of *container* match *wanted* (id, maker), in order.

    Lines that are gone are removed with their reason line; missing ones are
    mounted before *before* (or at the end); when the order differs (a proof
    point moved), the lines and their reason lines are put in order. Other
    children are left alone, and so is every line still wanted (nobody's typing
    is disturbed).
    """
    wanted_ids = [wid for wid, _make in wanted]
    keep = set(wanted_ids)
    lines: dict[str, LineInput] = {}
    errors: dict[str, Widget] = {}
    for child in list(container.children):
        if _pruning(child):
            continue
        if isinstance(child, kind) and child.id:
            if child.id in keep:
                lines[child.id] = child
            else:
                child.remove()
        elif isinstance(child, LineError):
            if child.owner_id in keep:
                errors[child.owner_id] = child
            elif child.owner_id.startswith(kind.PREFIX):
                child.remove()
    mounts: list[AwaitMount] = []
    for wid, make in wanted:
        if wid not in lines:
            line = make()
            mounts.append(container.mount(line, before=before) if before else container.mount(line))
            lines[wid] = line
    current = [c.id for c in container.children if c.id in keep and not isinstance(c, LineError)]
    if current != wanted_ids and before is not None:
        for wid in wanted_ids:
            container.move_child(lines[wid], before=before)
            if wid in errors:
                container.move_child(errors[wid], before=before)
    return mounts


# ---------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------


class HeadlineInput(LineInput):
    """A pillar's headline; alt+↑/↓ move the pillar, alt+delete removes it."""

    KIND: ClassVar[Kind] = "pillar"
    PREFIX: ClassVar[str] = "pillar-title-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move_line(-1)",
            "Pillar up",
            id="story.pillar_up",
            tooltip="Move this pillar one place up",
        ),
        Binding(
            "alt+down",
            "move_line(1)",
            "Pillar down",
            id="story.pillar_down",
            tooltip="Move this pillar one place down",
        ),
        Binding(
            "alt+delete",
            "remove_line",
            "Remove pillar",
            id="story.pillar_remove",
            tooltip="Remove this pillar and its proof points (asks first)",
        ),
    ]


class ProofInput(LineInput):
    """A proof point; alt+↑/↓ move it within its pillar, alt+delete removes it."""

    KIND: ClassVar[Kind] = "proof"
    PREFIX: ClassVar[str] = "proof-text-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move_line(-1)",
            "Proof up",
            id="story.proof_up",
            tooltip="Move this proof point one place up within its pillar",
        ),
        Binding(
            "alt+down",
            "move_line(1)",
            "Proof down",
            id="story.proof_down",
            tooltip="Move this proof point one place down within its pillar",
        ),
        Binding(
            "alt+delete",
            "remove_line",
            "Remove proof",
            id="story.proof_remove",
            tooltip="Remove this proof point (asks first when it has text)",
        ),
    ]


class RetiredInput(LineInput):
    """What a retired message says, or why it goes; alt+delete removes the message."""

    KIND: ClassVar[Kind] = "retired"
    PREFIX: ClassVar[str] = "retired-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+delete",
            "remove_line",
            "Remove message",
            id="story.retired_remove",
            tooltip="Take this message off the retired list (asks first when it has text)",
        ),
    ]

    def error_anchor(self) -> Widget:
        # both reasons go under the message's pair of fields (a grid row)
        parent = self.parent
        if not isinstance(parent, Widget):
            return self
        return parent.get_child_by_id(f"retired-reason-{self.rid}")


# ---------------------------------------------------------------------------
# Pillars
# ---------------------------------------------------------------------------


class PillarBlock(Vertical):
    """One pillar: a heading line, the headline, its proof point lines and "+ Proof point"."""

    def __init__(
        self, service: SessionService, pillar: Pillar, number: int, *, current: bool = False
    ) -> None:
        super().__init__(id=f"pillar-{pillar.id}", classes="pillar-block")
        self.service = service
        self.pid = pillar.id
        self._pillar = pillar
        self._number = number
        #: whether its headline is drawn highlighted (set before styling: no restyle)
        self._current = current

    def compose(self) -> ComposeResult:
        pid, svc = self.pid, self.service
        yield Static(self._head(self._pillar.title), id=f"pillar-head-{pid}", classes="pillar-head")
        yield HeadlineInput(
            self._pillar.title,
            save=field_saver(svc, Pillar, pid, "title"),
            rid=pid,
            bubble_changes=True,  # the heading counts its words as they are typed
            id=f"pillar-title-{pid}",
            classes="pillar-title -current" if self._current else "pillar-title",
            placeholder="Pillar headline, e.g. Live in weeks, not months",
            tooltip="Pillar headline (alt+↑ / alt+↓ move the pillar, alt+delete removes it)",
        )
        for proof in svc.proof_points_for(pid):
            yield self._line(proof)
        yield Button(
            "+ Proof point",
            id=f"pillar-add-proof-{pid}",
            compact=True,
            classes="add-proof",
            tooltip="Add a fact, number or customer story that backs this pillar",
        )

    def _line(self, proof: ProofPoint) -> ProofInput:
        return ProofInput(
            proof.text,
            save=field_saver(self.service, ProofPoint, proof.id, "text"),
            rid=proof.id,
            id=f"proof-text-{proof.id}",
            classes="proof-line",
            placeholder="Proof point, e.g. 40 customers live in under 6 weeks",
            tooltip="Proof point (alt+↑ / alt+↓ move it, alt+delete removes it)",
        )

    def _head(self, title: str) -> Content:
        flag = proof_flag_text(self.service, self.pid)
        return pillar_head(self._number, flag, pillar_words_text(title))

    def show_head(self, title: str) -> None:
        show_content(self.get_child_by_id(f"pillar-head-{self.pid}", Static), self._head(title))

    def sync(self, number: int) -> list[AwaitMount]:
        """Show the session's pillar: its number, headline, proof lines and flag."""
        self._number = number
        pillar = find_record(self.service, Pillar, self.pid)
        if pillar is None:
            return []
        title = self.get_child_by_id(f"pillar-title-{self.pid}", HeadlineInput)
        if not title.has_class("-invalid"):
            title.set_value_quietly(pillar.title)
        proofs = self.service.proof_points_for(self.pid)
        mounts = sync_lines(
            self,
            ProofInput,
            [(f"proof-text-{p.id}", lambda p=p: self._line(p)) for p in proofs],  # type: ignore[misc]
            before=self.get_child_by_id(f"pillar-add-proof-{self.pid}"),
        )
        for proof in proofs:
            try:
                line = self.get_child_by_id(f"proof-text-{proof.id}", ProofInput)
            except (NoMatches, WrongType):
                continue
            if not line.has_class("-invalid"):
                line.set_value_quietly(proof.text)
        self.show_head(title.value)
        return mounts

    @on(Input.Changed, ".pillar-title")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()
        self.show_head(event.value)


# ---------------------------------------------------------------------------
# The pane
# ---------------------------------------------------------------------------

LineKey = tuple[Kind, int]


class StoryPane(StepPane):
    STEP: ClassVar[StepId] = StepId.STORY

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        pillars = sorted_pillars(service)
        #: The line the pillar bar acts on: the last pillar line focused.
        self._line: LineKey | None = ("pillar", pillars[0].id) if pillars else None
        messages = service.session.retired_messages
        #: The retired message the retired bar acts on.
        self._retired: int | None = messages[0].id if messages else None
        #: The highlighted lines (None: not looked up yet; compose highlights the first).
        self._marked: list[Widget] | None = None
        self._pillars_list = Vertical(id="pillars-list")
        self._retired_grid = Grid(id="retired-list")

    # -- building ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        story = self.session.story
        pillars = sorted_pillars(self.service)
        yield Static(Content(HOUSE_HINT), classes="step-hint")
        yield Field(
            "Who it is for",
            SavingInput(
                story.audience,
                save=self._save_story("audience"),
                bubble_changes=False,
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
        # derived lines are drawn from the start: filled in after mounting they
        # would lay the screen out once more
        core_words = core_words_text(story.core_message)
        yield Static(
            Content(core_words),
            id="story-core-words",
            classes="word-count" + (" -warn" if core_words.startswith("⚠") else ""),
        )
        yield Static(Content("Pillars"), classes="section-head")
        count = self._count_text(pillars)
        yield Static(
            Content(count),
            id="story-pillar-count",
            classes="pillar-count" + (" -warn" if count.startswith("⚠") else ""),
        )
        with self._pillars_list:
            for number, pillar in enumerate(pillars, start=1):
                yield PillarBlock(
                    self.service, pillar, number, current=self._line == ("pillar", pillar.id)
                )
        none = self._line is None
        with Horizontal(id="pillar-bar", classes="line-bar"):
            yield Button(
                "+ Add pillar", id="add-pillar", compact=True, tooltip="Add a pillar under the roof"
            )
            # what the three buttons after it act on (fixed width: no layout when it changes)
            yield Static(self._current_text(), id="line-current", classes="line-current")
            yield Button(
                "↑",
                id="line-up",
                compact=True,
                classes="mini",
                disabled=none,
                tooltip="Move the highlighted line up (alt+↑): a pillar, or a proof point "
                "within its pillar",
            )
            yield Button(
                "↓",
                id="line-down",
                compact=True,
                classes="mini",
                disabled=none,
                tooltip="Move the highlighted line down (alt+↓)",
            )
            yield Button(
                "✕",
                id="line-remove",
                compact=True,
                classes="mini -remove",
                disabled=none,
                tooltip="Remove the highlighted line (alt+delete); a pillar goes with its "
                "proof points. Asks first.",
            )
        yield Static(Content("Retired messages"), classes="section-head")
        yield Static(Content(RETIRED_HINT), classes="step-hint")
        # (shown only with messages in it: its headings alone would read as a gap)
        self._retired_grid.display = bool(self.session.retired_messages)
        with self._retired_grid:
            yield Static(Content("What we stop saying"), classes="retired-col")
            yield Static(Content("Why it goes"), classes="retired-col")
            for message in self.session.retired_messages:
                yield from self._retired_pair(message)
        with Horizontal(id="retired-bar", classes="line-bar"):
            yield Button(
                "+ Retire a message",
                id="add-retired",
                compact=True,
                tooltip="Add a message the teams stop using",
            )
            yield Button(
                "✕ Remove",
                id="retired-remove",
                compact=True,
                classes="-remove",
                disabled=self._retired is None,
                tooltip="Take the highlighted message off the retired list (alt+delete); "
                "asks first when it has text",
            )
        yield Static(
            Content(f"Complete when there is {RULES[StepId.STORY]}."),
            classes="step-rule",
        )
        yield SignOffBar(self.service, SignOffSubject.STORY, title="Both leads sign off this story")

    def _retired_pair(self, message: RetiredMessage) -> Iterable[RetiredInput]:
        yield self._retired_line(message, "text")
        yield self._retired_line(message, "reason")

    def _retired_line(self, message: RetiredMessage, field: str) -> RetiredInput:
        rid = message.id
        text = field == "text"
        line = RetiredInput(
            getattr(message, field),
            save=field_saver(self.service, RetiredMessage, rid, field),
            rid=rid,
            id=f"retired-{field}-{rid}",
            placeholder="e.g. The cheapest tool on the market"
            if text
            else "e.g. contradicts the premium story",
            tooltip=("What we stop saying" if text else "Why it goes")
            + " (alt+delete removes the message)",
        )
        if rid == self._retired and self._marked is None:
            line.add_class("-current")  # before it is styled: no restyle
        return line

    def _save_story(self, field: str) -> Callable[[str], None]:
        def save(text: str) -> None:
            self.service.update(self.service.session.story, **{field: text})

        return save

    def _make_pillar(self, pillar: Record) -> PillarBlock:
        assert isinstance(pillar, Pillar)
        ids = [p.id for p in sorted_pillars(self.service)]
        return PillarBlock(self.service, pillar, ids.index(pillar.id) + 1)

    # -- keeping in step with the session ---------------------------------------------

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if self.is_mounted:
            self._sync()

    def _sync(self) -> list[AwaitMount]:
        """Make every list match the session; returns the pending mounts."""
        pillars = sorted_pillars(self.service)
        container = self._pillars_list
        before = {c.id for c in container.children}
        mounts = sync_rows(container, pillars, self._make_pillar, "pillar")
        for number, pillar in enumerate(pillars, start=1):
            block = container.get_child_by_id(f"pillar-{pillar.id}", PillarBlock)
            if block.id in before and block.is_mounted:
                mounts += block.sync(number)
        mounts += self._sync_retired()
        # the bars act on a line still there (the first one, when theirs went or none was)
        if self._line is None or self._record(*self._line) is None:
            self._line = ("pillar", pillars[0].id) if pillars else None
        messages = self.session.retired_messages
        if not any(m.id == self._retired for m in messages):
            self._retired = messages[0].id if messages else None
        count = self.query_one("#story-pillar-count", Static)
        text = self._count_text(pillars)
        show_text(count, text)
        count.set_class(text.startswith("⚠"), "-warn")
        story = self.session.story
        audience = self.query_one("#story-audience", SavingInput)
        if not audience.has_class("-invalid"):
            audience.set_value_quietly(story.audience)
        core = self.query_one("#story-core", SavingTextArea)
        if not core.has_class("-invalid"):
            core.set_text_quietly(story.core_message)
        self._show_core_words(core.text)
        self._mark_current()
        if mounts:
            # a new pillar's lines exist once it has composed
            self.call_after_refresh(self._mark_current)
        return mounts

    def _sync_retired(self) -> list[AwaitMount]:
        grid = self._retired_grid
        messages = self.session.retired_messages
        wanted: list[tuple[str, Callable[[], LineInput]]] = [
            (f"retired-{field}-{m.id}", lambda m=m, field=field: self._retired_line(m, field))  # type: ignore[misc]
            for m in messages
            for field in ("text", "reason")
        ]
        mounts = sync_lines(grid, RetiredInput, wanted)
        if grid.display != bool(messages):
            grid.display = bool(messages)
        for message in messages:
            for field in ("text", "reason"):
                try:
                    line = grid.get_child_by_id(f"retired-{field}-{message.id}", RetiredInput)
                except (NoMatches, WrongType):
                    continue
                if line.is_mounted and not line.has_class("-invalid"):
                    line.set_value_quietly(getattr(message, field))
        return mounts

    @staticmethod
    def _count_text(pillars: list[Pillar]) -> str:
        named = len([p for p in pillars if p.title.strip()])
        text = pillar_count_text(named)
        if len(pillars) > named:
            text += f" (+{len(pillars) - named} without a headline yet)"
        return text

    def _show_core_words(self, text: str) -> None:
        label = self.query_one("#story-core-words", Static)
        shown = core_words_text(text)
        show_text(label, shown, layout=False)
        label.set_class(shown.startswith("⚠"), "-warn")

    @on(TextArea.Changed, "#story-core")
    def _core_typing(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_core_words(event.text_area.text)

    # -- the current lines -----------------------------------------------------------

    def _record(self, kind: Kind, rid: int) -> Record | None:
        if kind == "pillar":
            return find_record(self.service, Pillar, rid)
        if kind == "proof":
            return find_record(self.service, ProofPoint, rid)
        return find_record(self.service, RetiredMessage, rid)

    def _line_widgets(self, kind: Kind, rid: int) -> list[Widget]:
        """The field(s) of a line, found through their containers (no walk of the pane)."""
        if kind == "retired":
            parent: Widget = self._retired_grid
            ids = [f"retired-text-{rid}", f"retired-reason-{rid}"]
        else:
            pid = rid
            if kind == "proof":
                proof = find_record(self.service, ProofPoint, rid)
                if proof is None:
                    return []
                pid = proof.pillar_id
            try:
                parent = self._pillars_list.get_child_by_id(f"pillar-{pid}")
            except NoMatches:
                return []
            ids = [f"pillar-title-{rid}" if kind == "pillar" else f"proof-text-{rid}"]
        found: list[Widget] = []
        for wid in ids:
            try:
                widget = parent.get_child_by_id(wid)
            except NoMatches:
                continue
            if not _pruning(widget):
                found.append(widget)
        return found

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
            marked += self._line_widgets(*self._line)
        if self._retired is not None:
            marked += self._line_widgets("retired", self._retired)
        if self._marked is None:
            self._marked = list(self.query(".-current"))
        for widget in self._marked:
            if widget not in marked:
                widget.remove_class("-current")
        for widget in marked:
            if not widget.has_class("-current"):
                widget.add_class("-current")
        self._marked = marked
        show_content(self.query_one("#line-current", Static), self._current_text(), layout=False)
        for bid in ("#line-up", "#line-down", "#line-remove"):
            button = self.query_one(bid, Button)
            if button.disabled != (self._line is None):
                button.disabled = self._line is None
        remove = self.query_one("#retired-remove", Button)
        if remove.disabled != (self._retired is None):
            remove.disabled = self._retired is None

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
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

    # -- verbs -----------------------------------------------------------------------

    def move_line(self, kind: Kind, rid: int, delta: int) -> None:
        """Move a pillar among the pillars, or a proof point within its pillar."""
        record = self._record(kind, rid)
        if record is not None and kind != "retired":
            attempt(self, self.service.move, record, delta)

    def ask_remove(self, kind: Kind, rid: int, *, refocus: bool) -> None:
        """Remove a line, asking first when it would lose text (a pillar always asks).

        *refocus*: the line has the focus; it moves to the line next to it.
        """
        record = self._record(kind, rid)
        if record is None:
            return
        typed = " ".join(
            w.value.strip() for w in self._line_widgets(kind, rid) if isinstance(w, Input)
        ).strip()

        def remove() -> None:
            self._remove(kind, rid, refocus=refocus)

        if isinstance(record, Pillar):
            n = len(self.service.proof_points_for(rid))
            title = snippet(typed or record.title)
            what = f"“{title}”" if title else "This pillar"
            confirm_then(
                self,
                "Remove this pillar?",
                f"{what} and its {n} proof point{'s' if n != 1 else ''} will be removed.",
                remove,
            )
        elif isinstance(record, ProofPoint):
            shown = snippet(typed or record.text)
            if not shown:
                remove()
                return
            confirm_then(self, "Remove this proof point?", f"“{shown}” will be removed.", remove)
        elif isinstance(record, RetiredMessage):
            if not (typed or record.text.strip() or record.reason.strip()):
                remove()
                return
            shown = snippet(record.text) or snippet(typed)
            confirm_then(
                self,
                "Remove this retired message?",
                f"“{shown}” will leave the retired list.",
                remove,
            )

    def _neighbour(self, kind: Kind, rid: int) -> tuple[LineKey | None, str]:
        """The line that becomes current when *rid* goes, and the id of what takes the focus."""
        if kind == "pillar":
            ids = [p.id for p in sorted_pillars(self.service)]
        elif kind == "proof":
            proof = find_record(self.service, ProofPoint, rid)
            if proof is None:
                return None, "add-pillar"
            ids = [p.id for p in self.service.proof_points_for(proof.pillar_id)]
            i = ids.index(rid)
            if i > 0:
                return ("proof", ids[i - 1]), f"proof-text-{ids[i - 1]}"
            if len(ids) > 1:
                return ("proof", ids[1]), f"proof-text-{ids[1]}"
            return ("pillar", proof.pillar_id), f"pillar-title-{proof.pillar_id}"
        else:
            ids = [m.id for m in self.session.retired_messages]
        i = ids.index(rid)
        others = ids[i + 1 :] + ids[:i][::-1]
        if not others:
            return None, "add-pillar" if kind == "pillar" else "add-retired"
        nid = others[0]
        if kind == "pillar":
            return ("pillar", nid), f"pillar-title-{nid}"
        return ("retired", nid), f"retired-text-{nid}"

    def _remove(self, kind: Kind, rid: int, *, refocus: bool) -> None:
        record = self._record(kind, rid)
        if record is None:
            return
        after, focus_id = self._neighbour(kind, rid)
        attempt(self, self.service.remove, record)
        if self._record(kind, rid) is not None:
            return  # refused: the reason was shown
        if kind == "retired":
            self._retired = after[1] if after else None
        else:
            self._line = after
        if refocus:
            found = self.query(f"#{focus_id}")
            if found:
                found.first().focus()
        self._sync()

    @on(Button.Pressed, "#line-up")
    def _up(self, event: Button.Pressed) -> None:
        event.stop()
        if self._line is not None:
            self.move_line(*self._line, -1)

    @on(Button.Pressed, "#line-down")
    def _down(self, event: Button.Pressed) -> None:
        event.stop()
        if self._line is not None:
            self.move_line(*self._line, 1)

    @on(Button.Pressed, "#line-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self._line is not None:
            self.ask_remove(*self._line, refocus=False)

    @on(Button.Pressed, "#retired-remove")
    def _remove_retired_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self._retired is not None:
            self.ask_remove("retired", self._retired, refocus=False)

    @on(Button.Pressed, "#add-pillar")
    async def _add_pillar(self, event: Button.Pressed) -> None:
        event.stop()
        pillar = attempt(self, self.service.add, Pillar)
        if pillar is None:
            return
        for pending in self._sync():
            await pending
        self.query_one(f"#pillar-title-{pillar.id}", HeadlineInput).focus()

    @on(Button.Pressed, ".add-proof")
    async def _add_proof(self, event: Button.Pressed) -> None:
        event.stop()
        pid = int((event.button.id or "").rsplit("-", 1)[1])
        proof = attempt(self, self.service.add, ProofPoint, pillar_id=pid)
        if proof is None:
            return
        for pending in self._sync():
            await pending
        self.query_one(f"#proof-text-{proof.id}", ProofInput).focus()

    @on(Button.Pressed, "#add-retired")
    async def _add_retired(self, event: Button.Pressed) -> None:
        event.stop()
        message = attempt(self, self.service.add, RetiredMessage)
        if message is None:
            return
        for pending in self._sync():
            await pending
        self.query_one(f"#retired-text-{message.id}", RetiredInput).focus()

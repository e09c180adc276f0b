"""Step 3, "Feedback loop, not approvals": a regular exchange where nothing is a sign-off gate.

The pane captures when and where the loop meets, what each side brings, the
ground rules, and the explicit agreement that nothing in the loop is a gate.
An item worded like an approval gate is flagged under it while it is typed.

It is cheap to mount, like the story step: the meeting is one small form
(a label and one compact field a row; the cadence is a :class:`Choice`), each
item is one compact line (:class:`ItemInput`) with no label or button of its
own, and a line's refusal reason or approval-gate flag is mounted under it
only when there is one. Under each list, one bar adds a line or moves and
removes the *current* line of that list (the one last focused, highlighted);
the keys on a line do the same (alt+↑, alt+↓, alt+delete, as for the story's
lines and the funnel's stages). The suggestions under each list add a line
with one key (Enter) or a click.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.content import Content
from textual.css.query import NoMatches, WrongType
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...form.choice import Choice
from ...form.fields import FieldSaved, SavingTextArea
from ...form.lines import LineError, LineInput, pruning, say_under, snippet
from ...sessions.errors import SessionFileError
from ...sessions.models import Cadence, FeedbackItem, FeedbackSide, SignOffSubject, StepId
from ...sessions.parse import parse_count
from ...sessions.progress import is_approval_gate
from ...sessions.service import SessionService
from ...widgets.signoff import SignOffBar
from ..base import StepPane
from ..goals.pane import attempt, confirm_then, find_record

GATE_FLAG = "⚠ reads like an approval gate — reword as feedback"
AGREEMENT_LABEL = "Nothing in this loop is a sign-off gate"
AGREED = "✔ Agreed: feedback informs, the owner of the work decides."
NOT_AGREED = (
    "○ Not agreed yet: tick it when the room agrees that feedback informs and the owner decides."
)
LISTS_HINT = (
    "Each list takes your own lines (+ Add your own) and the suggestions under it "
    "(Enter or a click adds one). On a line, alt+↑ / alt+↓ move it, alt+delete removes it."
)
MAX_BRIEF_WEEKS = 52

SALES_SUGGESTIONS = [
    "Customer stories from recent calls",
    "Objections heard in deals",
    "Reasons deals were lost",
    "Feedback on the quality of leads",
]
RULE_SUGGESTIONS = [
    "Feedback is advice: the owner of the work decides",
    "Every comment comes with a real customer example",
    "Share early, while changes are still cheap",
    "Comments come within three working days",
]

SIDE_TITLES: dict[FeedbackSide, tuple[str, str]] = {
    FeedbackSide.SALES: ("What Sales brings", "what Marketing hears from the field"),
    FeedbackSide.MARKETING: ("What Marketing brings", "what Sales hears before it goes out"),
    FeedbackSide.RULE: ("Ground rules", "how the room gives and takes feedback"),
}

#: What a line of each list is called in the bar's tooltips and the removal question.
SIDE_ITEM: dict[FeedbackSide, str] = {
    FeedbackSide.SALES: "item",
    FeedbackSide.MARKETING: "item",
    FeedbackSide.RULE: "ground rule",
}


def brief_text(weeks: int) -> str:
    unit = "week" if weeks == 1 else "weeks"
    return f"Campaign briefs {weeks} {unit} before launch"


def suggestions(side: FeedbackSide, brief_weeks: int) -> list[str]:
    if side is FeedbackSide.SALES:
        return SALES_SUGGESTIONS
    if side is FeedbackSide.MARKETING:
        return [
            brief_text(brief_weeks),
            "Drafts shared for comment",
            "The campaign calendar for the coming quarter",
            "Results of recent campaigns",
        ]
    return RULE_SUGGESTIONS


def slug(side: FeedbackSide) -> str:
    return side.value.lower()


def parse_brief_weeks(text: str) -> int:
    weeks = parse_count(text, field="Weeks before launch", allow_blank=False)
    assert weeks is not None
    if weeks > MAX_BRIEF_WEEKS:
        raise ValueError(f"Weeks before launch must be {MAX_BRIEF_WEEKS} or fewer (a year)")
    return weeks


# ---------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------


class FormLine(LineInput):
    """One compact field of the meeting form (its label is the cell beside it)."""

    KIND: ClassVar[str] = "form"
    PREFIX: ClassVar[str] = "fb-"


class AttendeesArea(SavingTextArea):
    """Who attends; a refused save says why in a line under it, as the form's lines do."""

    _leaving = False

    def on_unmount(self) -> None:
        self._leaving = True
        super().on_unmount()

    def _do_save(self) -> None:
        try:
            self._save(self.text)
        except (ValueError, SessionFileError) as exc:
            self.set_class(True, "-invalid")
            say_under(self, self, str(exc), leaving=self._leaving)
            return
        if self.has_class("-invalid"):
            self.set_class(False, "-invalid")
        say_under(self, self, None, leaving=self._leaving)
        self.post_message(FieldSaved(self))


class GateFlag(Static):
    """The approval-gate flag under an item, mounted when the item first reads like a gate."""

    def __init__(self, owner_id: str) -> None:
        super().__init__(Content(GATE_FLAG), id=f"{owner_id}-flag", classes="fb-flag")
        self.owner_id = owner_id


class ItemInput(LineInput):
    """One thing a side brings, or one ground rule; flags approval-gate wording as typed."""

    KIND: ClassVar[str] = "item"
    PREFIX: ClassVar[str] = "fb-item-"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up",
            "move_line(-1)",
            "Line up",
            id="feedback.item_up",
            tooltip="Move this line one place up in its list",
        ),
        Binding(
            "alt+down",
            "move_line(1)",
            "Line down",
            id="feedback.item_down",
            tooltip="Move this line one place down in its list",
        ),
        Binding(
            "alt+delete",
            "remove_line",
            "Remove line",
            id="feedback.item_remove",
            tooltip="Remove this line (asks first when it has text)",
        ),
    ]

    def __init__(
        self, service: SessionService, item: FeedbackItem, *, current: bool, wid: str
    ) -> None:
        gate = is_approval_gate(item.text)
        classes = "fb-item" + (" -gate" if gate else "") + (" -current" if current else "")
        super().__init__(
            item.text,
            save=self._save_text,
            rid=item.id,
            bubble_changes=False,
            id=wid,
            classes=classes,
            placeholder="say it as something one side gives the other",
            tooltip="alt+↑ / alt+↓ move this line, alt+delete removes it",
        )
        self.service = service
        self.side = item.side

    def _save_text(self, text: str) -> None:
        item = find_record(self.service, FeedbackItem, self.rid)
        if item is not None:  # removed meanwhile: nothing to save into
            self.service.update(item, text=text)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.show_flag(event.value)

    def show_flag(self, text: str) -> None:
        """Flag *text* under the line when it reads like an approval gate."""
        gate = is_approval_gate(text)
        if self.has_class("-gate") != gate:
            self.set_class(gate, "-gate")
        parent = self.parent
        if not isinstance(parent, Widget) or not self.id:
            return
        try:
            flag: GateFlag | None = parent.get_child_by_id(f"{self.id}-flag", GateFlag)
        except (NoMatches, WrongType):
            flag = None
        if flag is not None and not pruning(flag):
            if flag.display != gate:
                flag.display = gate
        elif gate and not self._leaving:
            parent.mount(GateFlag(self.id), after=self)


# ---------------------------------------------------------------------------
# The pane
# ---------------------------------------------------------------------------


class FeedbackPane(StepPane):
    """Cadence, forum, what each side brings, ground rules, and the not-a-gate agreement."""

    STEP: ClassVar[StepId] = StepId.FEEDBACK

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__(service, **kwargs)
        #: The line each list's bar acts on: the one last focused (at first, the first).
        self._current: dict[FeedbackSide, int | None] = {}
        for side in FeedbackSide:
            items = self._items(side)
            self._current[side] = items[0].id if items else None

    # -- saving the loop ----------------------------------------------------------------

    def _save_loop(self, **changes: Any) -> None:
        self.service.update(self.session.feedback, **changes)

    def _save_duration(self, text: str) -> None:
        minutes = parse_count(text, field="Duration (minutes)", allow_blank=False)
        self._save_loop(duration_minutes=minutes)

    def _save_brief_weeks(self, text: str) -> None:
        weeks = parse_brief_weeks(text)
        old = self.session.feedback.brief_weeks
        self._save_loop(brief_weeks=weeks)
        if weeks != old:
            # keep the suggested brief item in step with the number of weeks
            for item in list(self.session.feedback_items):
                if item.side is FeedbackSide.MARKETING and item.text == brief_text(old):
                    self.service.update(item, text=brief_text(weeks))

    # -- building -----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        loop = self.session.feedback
        yield Static(Content("The meeting"), classes="section-title")
        with Grid(id="fb-meeting", classes="fb-form"):
            yield Static(Content("Cadence"), classes="fb-label")
            yield Choice(
                [(c.value.capitalize(), c) for c in Cadence],
                value=loop.cadence,
                save=lambda v: self._save_loop(cadence=v),
                id="fb-cadence",
                tooltip="How often the loop meets: Enter, Space or → for the next, ← back",
            )
            yield Static(Content("Duration (minutes)"), classes="fb-label")
            yield FormLine(
                str(loop.duration_minutes),
                save=self._save_duration,
                rid=0,
                id="fb-duration",
                placeholder="minutes",
            )
            yield Static(Content("Forum"), classes="fb-label")
            yield FormLine(
                loop.forum,
                save=lambda v: self._save_loop(forum=v),
                rid=0,
                id="fb-forum",
                placeholder="where and how it meets, e.g. the Tuesday pipeline call",
            )
            yield Static(Content("Attendees"), classes="fb-label")
            yield AttendeesArea(
                loop.attendees,
                save=lambda v: self._save_loop(attendees=v),
                bubble_changes=False,
                id="fb-attendees",
                classes="attendees",
                compact=True,
                placeholder="who comes: names or roles from both teams",
            )
        yield Static(Content(LISTS_HINT), classes="step-hint")
        for side in FeedbackSide:
            yield from self._compose_side(side)
        yield Checkbox(
            Content(AGREEMENT_LABEL),
            loop.not_approval_agreed,
            id="fb-agreement",
        )
        agreed = loop.not_approval_agreed
        yield Static(
            Content(AGREED if agreed else NOT_AGREED),
            id="fb-agreement-state",
            classes="fb-agreement-state" + (" -agreed" if agreed else ""),
        )
        yield SignOffBar(
            self.service, SignOffSubject.FEEDBACK, title="Both leads sign the loop off"
        )

    def _compose_side(self, side: FeedbackSide) -> ComposeResult:
        title, hint = SIDE_TITLES[side]
        s = slug(side)
        yield Static(
            Content.assemble((title, "bold $primary"), "  ", (f"({hint})", "dim")),
            classes="section-title",
        )
        if side is FeedbackSide.MARKETING:
            with Grid(id="fb-brief", classes="fb-form"):
                yield Static(Content("Briefs, weeks ahead"), classes="fb-label")
                yield FormLine(
                    str(self.session.feedback.brief_weeks),
                    save=self._save_brief_weeks,
                    rid=0,
                    id="fb-brief-weeks",
                    tooltip="How many weeks before launch campaign briefs reach Sales (0-52)",
                )
        # the lines sit in the pane itself, each list's just above its bar
        for item in self._items(side):
            yield from self._item_lines(item)
        none = self._current[side] is None
        what = SIDE_ITEM[side]
        with Horizontal(id=f"fb-bar-{s}", classes="line-bar"):
            yield Button(
                "+ Add your own",
                id=f"fb-add-{s}",
                compact=True,
                tooltip=f"Add an empty {what} to type into",
            )
            yield Button(
                "↑",
                id=f"fb-up-{s}",
                compact=True,
                classes="mini",
                disabled=none,
                tooltip=f"Move the highlighted {what} up (alt+↑)",
            )
            yield Button(
                "↓",
                id=f"fb-down-{s}",
                compact=True,
                classes="mini",
                disabled=none,
                tooltip=f"Move the highlighted {what} down (alt+↓)",
            )
            yield Button(
                "✕ Remove",
                id=f"fb-remove-{s}",
                compact=True,
                classes="-remove",
                disabled=none,
                tooltip=f"Remove the highlighted {what} (alt+delete); asks first when it has text",
            )
        options = OptionList(*self._suggestion_options(side), id=f"fb-suggest-{s}", compact=True)
        options.tooltip = "Suggestions: Enter or a click adds the highlighted one"
        yield options

    def _new_line(self, item: FeedbackItem) -> ItemInput:
        """A line for *item*, with an id no other widget has.

        A removed line stays among the pane's children a moment, and the
        session file gives a new item the id of the last one removed: such a
        line gets an id with a number after it.
        """
        wid, n = f"fb-item-{item.id}", 1
        while True:
            try:
                self.get_child_by_id(wid)
            except NoMatches:
                break
            n += 1
            wid = f"fb-item-{item.id}-{n}"
        return ItemInput(self.service, item, current=self._current[item.side] == item.id, wid=wid)

    def _item_lines(self, item: FeedbackItem) -> ComposeResult:
        line = ItemInput(
            self.service,
            item,
            current=self._current[item.side] == item.id,
            wid=f"fb-item-{item.id}",
        )
        yield line
        if line.has_class("-gate"):
            yield GateFlag(line.id or "")

    def _items(self, side: FeedbackSide) -> list[FeedbackItem]:
        return sorted(
            (i for i in self.session.feedback_items if i.side is side),
            key=lambda i: (i.position, i.id),
        )

    def _suggestion_options(self, side: FeedbackSide) -> list[Option]:
        taken = {i.text.strip().lower() for i in self._items(side)}
        options = []
        for n, text in enumerate(suggestions(side, self.session.feedback.brief_weeks)):
            added = text.lower() in taken
            mark = "✔ added" if added else "+"
            options.append(Option(Content(f"{mark} {text}"), id=str(n), disabled=added))
        return options

    # -- refreshing -----------------------------------------------------------------------

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if self.is_mounted:
            self._sync()

    def _sync(self) -> list[AwaitMount]:
        """Make the form and every list match the session; returns the pending mounts."""
        loop = self.session.feedback
        for box_id, value in (
            ("#fb-duration", str(loop.duration_minutes)),
            ("#fb-forum", loop.forum),
            ("#fb-brief-weeks", str(loop.brief_weeks)),
        ):
            box = self.query_one(box_id, FormLine)
            if not box.has_class("-invalid"):
                box.set_value_quietly(value)
        attendees = self.query_one("#fb-attendees", AttendeesArea)
        if not attendees.has_class("-invalid"):
            attendees.set_text_quietly(loop.attendees)
        self.query_one("#fb-cadence", Choice).show_value(loop.cadence)
        agreement = self.query_one("#fb-agreement", Checkbox)
        if agreement.value != loop.not_approval_agreed:
            with agreement.prevent(Checkbox.Changed):
                agreement.value = loop.not_approval_agreed
        mounts: list[AwaitMount] = []
        for side in FeedbackSide:
            mounts += self._sync_side(side)
            self._refresh_suggestions(side)
        self._show_agreement()
        return mounts

    def _show_agreement(self) -> None:
        agreed = self.session.feedback.not_approval_agreed
        state = self.query_one("#fb-agreement-state", Static)
        text = AGREED if agreed else NOT_AGREED
        if str(state.content) != text:
            state.update(Content(text))
            state.set_class(agreed, "-agreed")

    def _bar_of(self, side: FeedbackSide) -> Widget:
        """The bar under a list (its lines are the pane's children just above it)."""
        return self.get_child_by_id(f"fb-bar-{slug(side)}")

    def _line(self, rid: int) -> ItemInput | None:
        """The line showing item *rid* (the item lines are the pane's own children)."""
        for child in self.children:
            if isinstance(child, ItemInput) and child.rid == rid and not pruning(child):
                return child
        return None

    def _sync_side(self, side: FeedbackSide) -> list[AwaitMount]:
        """Add, drop and reorder the lines of one list to match the session; update the rest.

        Lines still wanted are kept as they are (nobody's typing is disturbed);
        a line's reason and flag go and move with it.
        """
        bar = self._bar_of(side)
        items = self._items(side)
        wanted = [i.id for i in items]
        keep = set(wanted)
        lines: dict[int, ItemInput] = {}
        notes: list[LineError | GateFlag] = []
        for child in list(self.children):
            if pruning(child):
                continue
            if isinstance(child, ItemInput) and child.side is side:
                if child.rid in keep and child.rid not in lines:
                    lines[child.rid] = child
                else:
                    child.remove()
            elif isinstance(child, (LineError, GateFlag)):
                notes.append(child)
        # a reason or a flag goes with its line (lines are matched by item, not by id)
        owners = {line.id: line for line in lines.values()}
        notes_of: dict[int, list[Widget]] = {}
        for note in notes:
            owner = owners.get(note.owner_id)
            if owner is not None:
                notes_of.setdefault(owner.rid, []).append(note)
            elif note.owner_id.startswith("fb-item-") and not any(
                isinstance(c, ItemInput) and c.id == note.owner_id and not pruning(c)
                for c in self.children
            ):
                note.remove()
        mounts: list[AwaitMount] = []
        for item in items:
            if item.id not in lines:
                line = self._new_line(item)
                mounts.append(self.mount(line, before=bar))
                lines[item.id] = line
                if line.has_class("-gate"):
                    mounts.append(self.mount(GateFlag(line.id or ""), before=bar))
        order = [
            c.rid
            for c in self.children
            if isinstance(c, ItemInput) and c.side is side and not pruning(c)
        ]
        if order != wanted:
            for rid in wanted:
                for widget in [lines[rid], *notes_of.get(rid, [])]:
                    self.move_child(widget, before=bar)
        for item in items:
            line = lines[item.id]
            if line.is_mounted and not line.has_class("-invalid"):
                line.set_value_quietly(item.text)
                line.show_flag(line.value)
        # the bar acts on a line still there (the first one, when its line went)
        if not any(i.id == self._current[side] for i in items):
            self._current[side] = items[0].id if items else None
        self._mark_current(side)
        return mounts

    def _mark_current(self, side: FeedbackSide) -> None:
        """Highlight the list's current line and enable its bar when there is one."""
        current = self._current[side]
        for line in self.children:
            if isinstance(line, ItemInput) and line.side is side:
                on_it = line.rid == current
                if line.has_class("-current") != on_it:
                    line.set_class(on_it, "-current")
        s = slug(side)
        for verb in ("up", "down", "remove"):
            button = self.query_one(f"#fb-{verb}-{s}", Button)
            if button.disabled != (current is None):
                button.disabled = current is None

    def _refresh_suggestions(self, side: FeedbackSide) -> None:
        option_list = self.query_one(f"#fb-suggest-{slug(side)}", OptionList)
        wanted = self._suggestion_options(side)
        now = [(str(o.prompt), o.disabled) for o in option_list.options]
        if now == [(str(o.prompt), o.disabled) for o in wanted]:
            return  # unchanged: rebuilding would cost a layout
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(wanted)
        if highlighted is not None and option_list.option_count:
            # stay where the room was, on the next suggestion still to add if there is one
            here = min(highlighted, option_list.option_count - 1)
            free = [n for n, o in enumerate(wanted) if not o.disabled]
            later = [n for n in free if n >= here]
            option_list.highlighted = later[0] if later else (free[-1] if free else here)

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, ItemInput) and self._current.get(widget.side) != widget.rid:
            self._current[widget.side] = widget.rid
            self._mark_current(widget.side)

    # -- verbs ----------------------------------------------------------------------------

    def move_line(self, kind: Any, rid: int, delta: int) -> None:
        """Move an item one place up or down within its own list."""
        item = find_record(self.service, FeedbackItem, rid)
        if item is None:
            return
        attempt(self, self.service.move, item, delta)  # within its own list (the service's rule)
        self._sync_side(item.side)

    def ask_remove(self, kind: Any, rid: int, *, refocus: bool) -> None:
        """Remove an item, asking first when it would lose text."""
        item = find_record(self.service, FeedbackItem, rid)
        if item is None:
            return
        line = self._line(rid)
        typed = line.value if line is not None else ""
        shown = snippet(typed.strip() or item.text)

        def remove() -> None:
            self._remove(rid, refocus=refocus)

        if not shown:
            remove()
            return
        what = SIDE_ITEM[item.side]
        confirm_then(self, f"Remove this {what}?", f"“{shown}” will be removed.", remove)

    def _remove(self, rid: int, *, refocus: bool) -> None:
        item = find_record(self.service, FeedbackItem, rid)
        if item is None:
            return
        side = item.side
        ids = [i.id for i in self._items(side)]
        i = ids.index(rid)
        others = ids[i + 1 : i + 2] + ids[:i][::-1]
        attempt(self, self.service.remove, item)
        if find_record(self.service, FeedbackItem, rid) is not None:
            return  # refused: the reason was shown
        self._current[side] = others[0] if others else None
        self._sync_side(side)
        self._refresh_suggestions(side)
        if refocus:
            line = self._line(others[0]) if others else None
            if line is not None:
                line.focus()
            else:
                self.query_one(f"#fb-add-{slug(side)}").focus()

    async def _add_item(self, side: FeedbackSide, text: str) -> ItemInput | None:
        item = attempt(self, self.service.add, FeedbackItem, side=side, text=text)
        if item is None:
            return None
        self._current[side] = item.id
        for pending in self._sync_side(side):
            await pending
        self._refresh_suggestions(side)
        return self._line(item.id)

    def _side_of(self, widget: Widget) -> FeedbackSide:
        return next(s for s in FeedbackSide if (widget.id or "").endswith(f"-{slug(s)}"))

    @on(Button.Pressed, ".line-bar Button")
    async def _bar(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        side = self._side_of(button)
        verb = (button.id or "").split("-")[1]
        if verb == "add":
            line = await self._add_item(side, "")
            if line is not None:
                line.focus()
                line.scroll_visible()
            return
        current = self._current[side]
        if current is None:
            return
        if verb == "up":
            self.move_line("item", current, -1)
        elif verb == "down":
            self.move_line("item", current, 1)
        elif verb == "remove":
            self.ask_remove("item", current, refocus=False)

    @on(OptionList.OptionSelected)
    async def _add_suggestion(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        side = self._side_of(event.option_list)
        index = int(event.option.id or 0)
        text = suggestions(side, self.session.feedback.brief_weeks)[index]
        if any(i.text.strip().lower() == text.lower() for i in self._items(side)):
            self.notify("Already on the list", timeout=3)
            return
        await self._add_item(side, text)

    # -- the agreement ----------------------------------------------------------------------

    @on(Checkbox.Changed, "#fb-agreement")
    def _agreement(self, event: Checkbox.Changed) -> None:
        event.stop()
        try:
            self._save_loop(not_approval_agreed=event.value)
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            with event.checkbox.prevent(Checkbox.Changed):
                event.checkbox.value = self.session.feedback.not_approval_agreed
        self._show_agreement()

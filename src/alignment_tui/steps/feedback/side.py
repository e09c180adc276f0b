"""One list of the feedback loop (what Sales brings, what Marketing brings, the ground rules).

Each list is a :class:`~alignment_tui.form.section.Section` (Ctrl+↓ / Ctrl+↑
land on its first line) that holds, in order: its lines (one
:class:`~.lines.ItemInput` each, with a flag, a reason or the workbook document
it follows under a line only when there is one), one bar that adds a line or
moves and removes the list's *current* line (the one last focused,
highlighted), and the suggestions, each added with one key (Enter) or a click. When the current line reads like an
approval gate, the bar also offers the facilitator's review of it ("Not a
gate", or "Flag again" once reviewed), as ctrl+g does on the line.

The section is the lines' owner (:class:`~alignment_tui.form.lines.LineOwner`):
alt+↑ / alt+↓ move a line within this list and alt+delete removes it through
:func:`~alignment_tui.form.removal.confirm_removal`, asking first when it has text.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from ...form.fields import read_only_session
from ...form.refusal import attempt, reason_of
from ...form.removal import confirm_removal
from ...form.section import Section
from ...sessions.models import FeedbackItem, FeedbackSide
from ...sessions.service import SessionService
from ...sessions.text import snippet
from .lines import ItemInput, find_item
from .words import GATE_BUTTON, SIDE_ITEM, SIDE_TITLES, slug, suggestions

#: The bar's buttons: verb (the button's name), label, classes, tooltip (``{what}``: a line's name).
BAR = [
    ("add", "+ Add your own", "", "Add an empty {what} to type into"),
    ("up", "↑", "mini", "Move the highlighted {what} up (alt+↑)"),
    ("down", "↓", "mini", "Move the highlighted {what} down (alt+↓)"),
    (
        "remove",
        "✕ Remove",
        "-remove",
        "Remove the highlighted {what} (alt+delete); asks first when it has text",
    ),
]


class Suggestions(OptionList):
    """What one side could bring: Enter or a click adds the highlighted one."""

    @on(events.Show)
    def _no_scroll_on_show(self, event: events.Show) -> None:
        # An OptionList scrolls to its highlight when it is shown, measuring its
        # lines: for a list below the fold, one more layout of the whole screen
        # as the step opens. These lists are short and never scrolled (they
        # grow with their suggestions), and the highlight moves into view as
        # the keys move it.
        event.prevent_default()


class SideSection(Section):
    """One side's list: its lines, the bar under them and its suggestions."""

    def __init__(self, service: SessionService, side: FeedbackSide, **kwargs: Any) -> None:
        super().__init__(SIDE_TITLES[side], id=f"fb-{slug(side)}", classes="fb-side", **kwargs)
        self.service: SessionService = service
        self.side = side
        #: The line showing each item, by item id (a line being removed is no longer here).
        self._lines: dict[int, ItemInput] = {}
        #: Numbers the lines' ids: an id is never given twice, even to a line of a re-used item id.
        self._serial = 0
        items = self.items()
        #: The item the bar acts on: the line last focused (at first, the first).
        self.current: int | None = items[0].id if items else None
        self._bar = Horizontal(classes="line-bar", id=f"fb-bar-{slug(side)}")
        label, tip = GATE_BUTTON[False]
        #: The review of the current line, shown only when that line reads like a gate.
        self._gate_button = Button(
            label,
            name="gate",
            id=f"fb-gate-{slug(side)}",
            compact=True,
            classes="fb-gate",
            tooltip=tip,
        )

    # -- building ---------------------------------------------------------------------

    def items(self) -> list[FeedbackItem]:
        """This list's items, in their order."""
        return sorted(
            (i for i in self.service.session.feedback_items if i.side is self.side),
            key=lambda i: (i.position, i.id),
        )

    def _new_line(self, item: FeedbackItem) -> ItemInput:
        self._serial += 1
        line = ItemInput(
            self.service,
            item,
            current=item.id == self.current,
            wid=f"fb-item-{slug(self.side)}-{self._serial}",
        )
        self._lines[item.id] = line
        return line

    def compose(self) -> ComposeResult:
        for item in self.items():
            line = self._new_line(item)
            yield line
            if line.flag is not None:
                yield line.flag
            if line.note is not None:
                yield line.note
        s = slug(self.side)
        what = SIDE_ITEM[self.side]
        read_only = read_only_session(self)
        with self._bar:
            for verb, label, classes, tip in BAR:
                yield Button(
                    label,
                    name=verb,
                    id=f"fb-{verb}-{s}",
                    compact=True,
                    classes=classes,
                    disabled=read_only or (verb != "add" and self.current is None),
                    tooltip=tip.format(what=what),
                )
            self._show_gate_button()
            yield self._gate_button
        options = Suggestions(
            *self._suggestion_options(),
            id=f"fb-suggest-{s}",
            compact=True,
            disabled=read_only,
        )
        options.tooltip = "Suggestions: Enter or a click adds the highlighted one"
        yield options

    def _suggestion_options(self) -> list[Option]:
        taken = {i.text.strip().lower() for i in self.items()}
        options = []
        for n, text in enumerate(suggestions(self.side, self.service.session.feedback.brief_weeks)):
            added = text.lower() in taken
            mark = "✔ added" if added else "+"
            options.append(Option(Content(f"{mark} {text}"), id=str(n), disabled=added))
        return options

    # -- following the session --------------------------------------------------------

    def line(self, rid: int) -> ItemInput | None:
        """The line showing item *rid*."""
        return self._lines.get(rid)

    def sync(self) -> AwaitMount | None:
        """Add, drop and reorder lines to match the session (their text is loaded by the pane).

        Lines still wanted are kept as they are, so nobody's typing is disturbed;
        a line's flag and reason go and move with it. Returns the mounting of new
        lines, if any, for a caller that wants to focus one.
        """
        items = self.items()
        wanted = [i.id for i in items]
        for rid in [r for r in self._lines if r not in set(wanted)]:
            line = self._lines.pop(rid)
            gone: list[Widget] = [line]
            gone += [w for w in (line.flag, line.note) if w is not None]
            reason = reason_of(line) if line.is_mounted else None
            if reason is not None:
                gone.append(reason)
            self.remove_children(gone)
        new: list[Widget] = []
        for item in items:
            if item.id not in self._lines:
                line = self._new_line(item)
                new.append(line)
                new += [w for w in (line.flag, line.note) if w is not None]
        mounting = self.mount_all(new, before=self._bar) if new else None
        live = {id(line) for line in self._lines.values()}
        order = [c.rid for c in self.children if isinstance(c, ItemInput) and id(c) in live]
        if order != wanted:
            for rid in wanted:
                line = self._lines[rid]
                reason = reason_of(line) if line.is_mounted else None
                for widget in (line, line.flag, line.note, reason):
                    if widget is not None:
                        self.move_child(widget, before=self._bar)
        if self.current not in self._lines:
            self.current = wanted[0] if wanted else None
        self.mark_current()
        self.refresh_suggestions()
        return mounting

    def mark_current(self) -> None:
        """Highlight the current line, and let the bar act only when there is one."""
        for rid, line in self._lines.items():
            on_it = rid == self.current
            if line.has_class("-current") != on_it:
                line.set_class(on_it, "-current")
        off = read_only_session(self) or self.current is None
        for button in self._bar.query(Button):
            if button.name != "add" and button.disabled != off:
                button.disabled = off
        self._show_gate_button()

    def _show_gate_button(self) -> None:
        """Offer the review of the current line when it reads like a gate (never in a read-only copy)."""
        line = self._lines.get(self.current) if self.current is not None else None
        gate, reviewed = line.gate_state if line is not None else (False, False)
        button = self._gate_button
        show = gate and not read_only_session(self)
        if button.display != show:
            button.display = show
        label, tip = GATE_BUTTON[reviewed]
        if show and str(button.label) != label:
            button.label = label
            button.tooltip = tip

    @on(ItemInput.GateChanged)
    def _gate_changed(self, event: ItemInput.GateChanged) -> None:
        event.stop()
        if event.line.rid == self.current:
            self._show_gate_button()

    def refresh_suggestions(self) -> None:
        options = self.query_one(OptionList)
        wanted = self._suggestion_options()
        now = [(str(o.prompt), o.disabled) for o in options.options]
        if now == [(str(o.prompt), o.disabled) for o in wanted]:
            return  # unchanged: rebuilding would cost a layout
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(wanted)
        if highlighted is not None and options.option_count:
            # stay where the room was, on the next suggestion still to add if there is one
            here = min(highlighted, options.option_count - 1)
            free = [n for n, o in enumerate(wanted) if not o.disabled]
            later = [n for n in free if n >= here]
            options.highlighted = later[0] if later else (free[-1] if free else here)

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, ItemInput) and self.current != widget.rid:
            self.current = widget.rid
            self.mark_current()

    # -- verbs (the lines' owner) -----------------------------------------------------

    def move_line(self, kind: Any, rid: int, delta: int) -> None:
        """Move an item one place up or down within this list (the service keeps it here)."""
        item = find_item(self.service, rid)
        if item is not None:
            attempt(self, self.service.move, item, delta)
            self.sync()

    def ask_remove(self, kind: Any, rid: int, *, refocus: bool) -> None:
        """Remove an item, asking first when it would lose text; *refocus*: focus a neighbour."""
        item = find_item(self.service, rid)
        if item is None:
            return
        line = self.line(rid)
        typed = line.value if line is not None else ""
        shown = snippet(typed.strip() or item.text)
        ids = [i.id for i in self.items()]
        i = ids.index(rid)
        neighbours = ids[i + 1 : i + 2] + ids[:i][::-1]

        def remove() -> None:
            record = find_item(self.service, rid)
            if record is not None:
                self.service.remove(record)

        def removed() -> None:
            self.current = neighbours[0] if neighbours else None
            self.sync()
            if refocus:
                target = self.line(neighbours[0]) if neighbours else None
                (target or self.query_one(f"#fb-add-{slug(self.side)}", Button)).focus()

        confirm_removal(
            self,
            what=f"this {SIDE_ITEM[self.side]}",
            detail=f"“{shown}” will be removed.",
            has_content=bool(shown),
            remove=remove,
            then=removed,
        )

    async def add_item(self, text: str) -> ItemInput | None:
        """Add an item with *text* to this list; its line, once mounted."""
        item = attempt(self, self.service.add, FeedbackItem, side=self.side, text=text)
        if item is None:
            return None
        self.current = item.id
        mounting = self.sync()
        if mounting is not None:
            await mounting
        return self.line(item.id)

    @on(Button.Pressed, ".line-bar Button")
    async def _bar_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        verb = event.button.name
        if verb == "add":
            line = await self.add_item("")
            if line is not None:
                line.focus()
            return
        current = self.current
        if current is None:
            return
        if verb == "up":
            self.move_line(ItemInput.KIND, current, -1)
        elif verb == "down":
            self.move_line(ItemInput.KIND, current, 1)
        elif verb == "remove":
            self.ask_remove(ItemInput.KIND, current, refocus=False)
        elif verb == "gate":
            line = self.line(current)
            if line is not None:
                _gate, reviewed = line.gate_state
                line.review_gate(not reviewed)

    @on(OptionList.OptionSelected)
    async def _add_suggestion(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        text = suggestions(self.side, self.service.session.feedback.brief_weeks)[index]
        if any(i.text.strip().lower() == text.lower() for i in self.items()):
            self.app.notify("Already on the list", timeout=3)
            return
        await self.add_item(text)

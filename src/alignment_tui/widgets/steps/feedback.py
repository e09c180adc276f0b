"""Step 3, "Feedback loop, not approvals": a regular exchange where nothing is a sign-off gate.

The pane captures when and where the loop meets, what each side brings, the
ground rules, and the explicit agreement that nothing in the loop is a gate.
An item worded like an approval gate is flagged beside it while it is typed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...sessions.errors import SessionFileError
from ...sessions.models import Cadence, FeedbackItem, FeedbackSide, SignOffSubject, StepId
from ...sessions.parse import parse_count
from ...sessions.progress import is_approval_gate
from ...sessions.service import SessionService
from ..fields import Field, SavingInput, SavingSelect, SavingTextArea
from ..signoff import SignOffBar
from .base import StepPane
from .crm import RemoveButton

GATE_FLAG = "⚠ reads like an approval gate — reword as feedback"
AGREEMENT_LABEL = "Nothing in this loop is a sign-off gate"
AGREED = "✔ Agreed: feedback informs, the owner of the work decides."
NOT_AGREED = (
    "○ Not agreed yet: tick it when the room agrees that feedback informs and the owner decides."
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


class ItemRow(Vertical):
    """One thing a side brings, or one ground rule; flags approval-gate wording as typed."""

    def __init__(self, service: SessionService, item: FeedbackItem) -> None:
        super().__init__(id=f"fb-item-{item.id}", classes="fb-item")
        self.service = service
        self.item_id = item.id
        self.side = item.side
        self._initial = item.text
        self._ready = False  # True once the input and flag are mounted

    def current(self) -> FeedbackItem | None:
        return next((i for i in self.service.session.feedback_items if i.id == self.item_id), None)

    def _save(self, text: str) -> None:
        item = self.current()
        if item is not None:  # removed meanwhile: nothing to save into
            self.service.update(item, text=text)

    @property
    def text_input(self) -> SavingInput:
        return self.query_one(f"#fb-item-{self.item_id}-text", SavingInput)

    def compose(self) -> ComposeResult:
        iid = self.item_id
        with Horizontal(classes="fb-item-line"):
            yield SavingInput(
                self._initial,
                save=self._save,
                placeholder="say it as something one side gives the other",
                id=f"fb-item-{iid}-text",
            )
            yield RemoveButton(
                "✕ Remove",
                question="Remove this item?",
                describe=lambda: f"“{self.text_input.value.strip()}” will be removed.",
                id=f"fb-item-{iid}-remove",
                needs_confirm=lambda: bool(self.text_input.value.strip()),
            )
        yield Static("", id=f"fb-item-{iid}-flag", classes="fb-flag", markup=False)

    def on_mount(self) -> None:
        self._ready = True
        self.update_flag(self._initial)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self._ready:
            self.update_flag(event.value)

    def update_flag(self, text: str) -> None:
        flag = self.query_one(f"#fb-item-{self.item_id}-flag", Static)
        gate = is_approval_gate(text)
        flag.update(GATE_FLAG if gate else "")
        flag.display = gate
        self.set_class(gate, "-gate")

    def refresh_row(self) -> None:
        item = self.current()
        if item is None or not self._ready:
            return
        box = self.text_input
        if not box.has_class("-invalid"):
            box.set_value_quietly(item.text)
        self.update_flag(box.value)


class FeedbackPane(StepPane):
    """Cadence, forum, what each side brings, ground rules, and the not-a-gate agreement."""

    STEP: ClassVar[StepId] = StepId.FEEDBACK

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
        with Horizontal(classes="form-row"):
            yield Field(
                "Cadence",
                SavingSelect(
                    [(c.value.capitalize(), c) for c in Cadence],
                    value=loop.cadence,
                    save=lambda v: self._save_loop(cadence=v),
                    id="fb-cadence",
                ),
            )
            yield Field(
                "Duration",
                SavingInput(
                    str(loop.duration_minutes),
                    save=self._save_duration,
                    id="fb-duration",
                ),
                hint="minutes",
            )
        yield Field(
            "Forum",
            SavingInput(
                loop.forum,
                save=lambda v: self._save_loop(forum=v),
                placeholder="e.g. the Tuesday pipeline call",
                id="fb-forum",
            ),
            hint="where and how it meets",
        )
        yield Field(
            "Attendees",
            SavingTextArea(
                loop.attendees,
                save=lambda v: self._save_loop(attendees=v),
                id="fb-attendees",
                classes="attendees",
            ),
        )
        for side in FeedbackSide:
            yield from self._compose_side(side)
        yield Checkbox(
            Content(AGREEMENT_LABEL),
            loop.not_approval_agreed,
            id="fb-agreement",
        )
        yield Static("", id="fb-agreement-state", classes="fb-agreement-state", markup=False)
        yield SignOffBar(
            self.service, SignOffSubject.FEEDBACK, title="Both leads sign the loop off"
        )

    def _compose_side(self, side: FeedbackSide) -> ComposeResult:
        title, hint = SIDE_TITLES[side]
        s = slug(side)
        yield Static(
            Content.from_markup("$t  [dim]($h)[/dim]", t=title, h=hint),
            classes="section-title",
        )
        if side is FeedbackSide.MARKETING:
            yield Field(
                "Briefs reach Sales",
                SavingInput(
                    str(self.session.feedback.brief_weeks),
                    save=self._save_brief_weeks,
                    id="fb-brief-weeks",
                ),
                hint="weeks ahead, 0-52",
                classes="fb-weeks",
            )
        with Vertical(id=f"fb-items-{s}", classes="fb-items"):
            for item in self._items(side):
                yield ItemRow(self.service, item)
        yield Static(
            Content("Suggestions: enter adds the highlighted one"),
            classes="fb-suggest-label",
        )
        yield OptionList(*self._suggestion_options(side), id=f"fb-suggest-{s}", compact=True)
        with Horizontal(classes="button-row"):
            yield Button("Add your own", id=f"fb-add-{s}", compact=True)

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
            options.append(
                Option(Content.from_markup("$m $t", m=mark, t=text), id=str(n), disabled=added)
            )
        return options

    # -- refreshing -----------------------------------------------------------------------

    _ready = False

    def refresh_from_session(self) -> None:
        if not self._ready:
            return  # on_mount shows the session as it is
        super().refresh_from_session()
        loop = self.session.feedback
        self.query_one("#fb-forum", SavingInput).set_value_quietly(loop.forum)
        self.query_one("#fb-attendees", SavingTextArea).set_text_quietly(loop.attendees)
        for box_id, value in (
            ("#fb-duration", str(loop.duration_minutes)),
            ("#fb-brief-weeks", str(loop.brief_weeks)),
        ):
            box = self.query_one(box_id, SavingInput)
            if not box.has_class("-invalid"):
                box.set_value_quietly(value)
        cadence = self.query_one("#fb-cadence", SavingSelect)
        if cadence.value != loop.cadence and not cadence.has_focus and not cadence.expanded:
            with cadence.prevent(SavingSelect.Changed):
                cadence.value = loop.cadence
        agreement = self.query_one("#fb-agreement", Checkbox)
        if agreement.value != loop.not_approval_agreed:
            with agreement.prevent(Checkbox.Changed):
                agreement.value = loop.not_approval_agreed
        for side in FeedbackSide:
            self._reconcile(side)
            self._refresh_suggestions(side)
        self._show_agreement()

    def on_mount(self) -> None:
        super().on_mount()
        self._ready = True
        self._show_agreement()

    def _show_agreement(self) -> None:
        agreed = self.session.feedback.not_approval_agreed
        state = self.query_one("#fb-agreement-state", Static)
        state.update(AGREED if agreed else NOT_AGREED)
        state.set_class(agreed, "-agreed")

    def _reconcile(self, side: FeedbackSide) -> None:
        """Add or drop rows for items added or removed elsewhere; update the rest."""
        container = self.query_one(f"#fb-items-{slug(side)}", Vertical)
        rows = {row.item_id: row for row in container.query_children(ItemRow)}
        items = self._items(side)
        ids = {i.id for i in items}
        for iid, row in rows.items():
            if iid not in ids:
                row.remove()
        for item in items:
            existing = rows.get(item.id)
            if existing is None:
                container.mount(ItemRow(self.service, item))
            else:
                existing.refresh_row()

    def _refresh_suggestions(self, side: FeedbackSide) -> None:
        option_list = self.query_one(f"#fb-suggest-{slug(side)}", OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(self._suggestion_options(side))
        if highlighted is not None and option_list.option_count:
            option_list.highlighted = min(highlighted, option_list.option_count - 1)

    # -- adding and removing --------------------------------------------------------------

    async def _add_item(self, side: FeedbackSide, text: str) -> ItemRow | None:
        try:
            item = self.service.add(FeedbackItem, side=side, text=text)
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return None
        row = ItemRow(self.service, item)
        await self.query_one(f"#fb-items-{slug(side)}", Vertical).mount(row)
        return row

    @on(Button.Pressed, ".button-row Button")
    async def _add_own(self, event: Button.Pressed) -> None:
        event.stop()
        side = next(s for s in FeedbackSide if event.button.id == f"fb-add-{slug(s)}")
        row = await self._add_item(side, "")
        if row is not None:
            row.text_input.focus()
            row.scroll_visible()

    @on(OptionList.OptionSelected)
    async def _add_suggestion(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        side = next(s for s in FeedbackSide if event.option_list.id == f"fb-suggest-{slug(s)}")
        index = int(event.option.id or 0)
        text = suggestions(side, self.session.feedback.brief_weeks)[index]
        if any(i.text.strip().lower() == text.lower() for i in self._items(side)):
            self.notify("Already on the list", timeout=3)
            return
        await self._add_item(side, text)
        self._refresh_suggestions(side)

    @on(RemoveButton.Confirmed)
    def _remove_item(self, event: RemoveButton.Confirmed) -> None:
        event.stop()
        row = next((a for a in event.button.ancestors if isinstance(a, ItemRow)), None)
        if row is None:
            return
        item = row.current()
        try:
            if item is not None:
                self.service.remove(item)
        except (ValueError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        side = row.side
        row.remove()
        self.query_one(f"#fb-add-{slug(side)}").focus()

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

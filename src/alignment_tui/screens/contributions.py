"""Room notes (F10): going through what the room sent in, one note at a time.

The list shows the new notes of the current step (``s`` shows every step's),
each with who sent it, when, and its words, literal and cut with a count
(:func:`~alignment_tui.widgets.room.note_text`). With one key the highlighted
note becomes the step's own kind of record (:func:`targets`): ``a`` accepts it
as it stands, ``e`` lets the facilitator edit the words first, ``d`` (or
Delete) dismisses it after one question. When a step offers several kinds (a
Sales or a Marketing behaviour under which goal, a proof point under which
pillar) a small chooser asks which. After each decision the cursor stays where
it was, on the next note.

A record the models refuse (an action's text is one line of at most 200
characters) is not lost: the edit dialog opens with the words and the reason
under them, and nothing is marked until a record is kept.

Above the list, the room's settings, bound as every field is: whether the
room may contribute (``o`` switches it) and how many dot votes each visitor
has (``b`` goes to it; 1 to 20, anything else refused with its reason).
``v`` copies the room's vote tally into the goals' votes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..dialogs.form_dialog import FormDialog
from ..dialogs.workbook_dialog import Choice as Entry
from ..dialogs.workbook_dialog import WorkbookDialog
from ..form.choice import Choice
from ..form.confirm import ConfirmDialog
from ..form.fields import SavingInput
from ..form.refusal import REFUSALS, say_refused, show_reason
from ..sessions.models import (
    Action,
    Behaviour,
    FeedbackItem,
    FeedbackSide,
    ProofPoint,
    Record,
    StepId,
    Team,
)
from ..sessions.text import snippet
from ..widgets.room import RoomWatch, author_line, note_text, votes_label

if TYPE_CHECKING:
    from ..sessions.contributions import Contribution
    from ..sessions.service import SessionService

#: The fewest and most dot votes a visitor may be given.
BUDGET_MIN, BUDGET_MAX = 1, 20


def parse_budget(text: str) -> int:
    """The vote budget as typed: a whole number from 1 to 20, or the reason it is not."""
    raw = str(text).strip()
    why = f"Votes each: a whole number from {BUDGET_MIN} to {BUDGET_MAX}"
    if not raw.isdigit():
        raise ValueError(f"{why} (not “{snippet(raw, 20)}”)" if raw else why)
    value = int(raw)
    if not BUDGET_MIN <= value <= BUDGET_MAX:
        raise ValueError(f"{why} ({value} is out of range)")
    return value


# -- what a note can become ----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One kind of record a note can become: its key, how the chooser names it, how to add it."""

    key: str
    title: str
    #: What the record will be, in full (beside the chooser's list).
    detail: str
    #: Adds the record made of a note's (possibly edited) words and marks the note accepted.
    accept: Callable[[Contribution, str], object]
    #: What the note became, inside the notice "Accepted as …" ("a proof point under pillar 2").
    became: str = "an action"


def _accept(
    service: SessionService, model: type[Record], *, one_line: bool = False, **fields: Any
) -> Callable[[Contribution, str], object]:
    """Accepting a note as a new *model* with *fields*: the record and the mark in one save.

    The record is put together unchecked: the service validates it like any record
    and says in one line what it refuses (an action's text is at most 200 characters).
    """

    def accept(note: Contribution, text: str) -> object:
        words = " ".join(text.split()) if one_line else text.strip()
        record = cast(Any, model).model_construct(text=words, **fields)
        return service.accept_contribution(note, record)

    return accept


def targets(service: SessionService, step: StepId) -> list[Target]:
    """What a note of *step* can become: the step's own kinds of record, an action last."""
    s = service.session
    out: list[Target] = []
    if step is StepId.GOALS:
        goals = sorted(s.goals, key=lambda g: (g.position, g.id))
        for n, goal in enumerate(goals, start=1):
            said = snippet(goal.statement, 120) or "(no statement yet)"
            for team in (Team.SALES, Team.MARKETING):
                out.append(
                    Target(
                        f"behaviour-{goal.id}-{team.value}",
                        f"Goal {n} · {team.value} behaviour",
                        f"A behaviour {team.value} commits to, under goal {n}: {said}",
                        _accept(service, Behaviour, goal_id=goal.id, team=team),
                        f"a {team.value} behaviour under goal {n}",
                    )
                )
    elif step is StepId.STORY:
        pillars = sorted(s.pillars, key=lambda p: (p.position, p.id))
        for n, pillar in enumerate(pillars, start=1):
            said = snippet(pillar.title, 120) or "(no title yet)"
            out.append(
                Target(
                    f"proof-{pillar.id}",
                    f"Pillar {n} · proof point",
                    f"A proof point under pillar {n}: {said}",
                    _accept(service, ProofPoint, pillar_id=pillar.id),
                    f"a proof point under pillar {n}",
                )
            )
    elif step is StepId.FEEDBACK:
        for side, title, detail in (
            (FeedbackSide.SALES, "Sales brings", "What Sales brings to the loop"),
            (FeedbackSide.MARKETING, "Marketing brings", "What Marketing brings to the loop"),
            (FeedbackSide.RULE, "Ground rule", "A ground rule of the loop"),
        ):
            out.append(
                Target(
                    f"feedback-{side.value}",
                    title,
                    detail,
                    _accept(service, FeedbackItem, side=side),
                    detail[:1].lower() + detail[1:],
                )
            )
    # every step's notes can become an action tagged with the step (an action is one line)
    out.append(
        Target(
            "action",
            "An action",
            f"An action tagged with {step.label} (one line, at most 200 characters)",
            _accept(service, Action, one_line=True, step=step),
        )
    )
    return out


# -- the dialogs -------------------------------------------------------------------------


class NoteEditDialog(FormDialog[str]):
    """The note's words in a text area: Accept keeps them as *target*; a refusal stays here.

    *accept* is tried with the words; what it raises (the models' reason) is shown
    under the words, which stay as typed. Dismisses with the words kept, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="room_edit.cancel", tooltip="Close; the note waits"
        ),
    ]

    def __init__(
        self, text: str, target: str, accept: Callable[[str], object], *, reason: str = ""
    ) -> None:
        super().__init__()
        self.text = text
        self.target = target
        self.accept = accept
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="room-edit-box"):
            yield Label(Content(f"Edit, then accept as: {self.target}"), id="room-edit-title")
            yield TextArea(self.text, id="room-edit-text", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="room-edit-buttons"):
                yield Button("Accept", variant="primary", id="room-edit-save", classes="form-save")
                yield Button("Cancel", id="room-edit-cancel", classes="form-cancel")

    def on_mount(self) -> None:
        area = self.query_one("#room-edit-text", TextArea)
        area.focus()
        if self.reason:
            show_reason(area, self.reason)

    @on(TextArea.Changed, "#room-edit-text")
    def _typed(self) -> None:
        area = self.query_one("#room-edit-text", TextArea)
        if area.has_class("-invalid"):
            show_reason(area, None)

    def action_save(self) -> None:
        area = self.query_one("#room-edit-text", TextArea)
        try:
            self.accept(area.text)
        except REFUSALS as exc:
            show_reason(area, " ".join(str(exc).split()))
            return
        self.dismiss(area.text)


class RoomNotesScreen(ModalScreen[None]):
    """The room's new notes, for the current step or for all; decide on each with one key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f10", "close", "Close", id="room.close", tooltip="Back to the step"),
        Binding(
            "a,enter",
            "accept",
            "Accept",
            id="room.accept",
            tooltip="Keep the highlighted note as the step's own record (asks which kind when several)",
        ),
        Binding(
            "e",
            "edit",
            "Edit first",
            id="room.edit",
            tooltip="Edit the note's words, then keep them as the step's record",
        ),
        Binding(
            "d,delete",
            "dismiss_note",
            "Dismiss",
            id="room.dismiss",
            tooltip="Set the highlighted note aside (asks first; it stays in the file as dismissed)",
        ),
        Binding(
            "s",
            "all_steps",
            "All steps",
            id="room.all_steps",
            tooltip="Show the notes of every step, or only the current step's",
        ),
        Binding(
            "o",
            "toggle_open",
            "Open/close",
            id="room.toggle_open",
            tooltip="Let the room send notes and votes, or stop it (visitors see it at once)",
        ),
        Binding(
            "b",
            "budget",
            "Votes each",
            id="room.budget",
            tooltip="How many dot votes each visitor has (1 to 20)",
        ),
        Binding(
            "v",
            "copy_votes",
            "Copy votes",
            id="room.copy_votes",
            tooltip="Copy the room's vote tally into the goals' votes (asks before replacing typed votes)",
        ),
    ]

    #: Verbs that write to the session file: a read-only copy only looks.
    WRITING = frozenset({"accept", "edit", "dismiss_note", "toggle_open", "budget", "copy_votes"})

    def __init__(
        self,
        service: SessionService,
        watch: RoomWatch,
        step: StepId,
        *,
        all_steps: bool = False,
        focus: str = "",
    ) -> None:
        super().__init__()
        #: "budget" puts the focus in the votes-each field (the palette's command), else the list.
        self.focus_on = focus
        self.service = service
        self.room = watch
        self.step = step
        self.all_steps = all_steps
        self.notes: list[Contribution] = []

    # -- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = self.service.room_settings()
        with Vertical(id="room-box"):
            yield Static("", id="room-title")
            with Horizontal(id="room-settings"):
                yield Static(Content("Contributions"), classes="room-label")
                yield Choice(
                    [("Open", True), ("Closed", False)],
                    value=settings.open,
                    read=lambda: self.service.room_settings().open,
                    save=self.service.set_contributions_open,
                    id="room-open",
                    tooltip="Space or → switches: open lets the room send notes and votes",
                )
                yield Static(Content("Votes each"), classes="room-label")
                yield SavingInput(
                    read=lambda: self.service.room_settings().vote_budget,
                    parse=parse_budget,
                    save=self.service.set_vote_budget,
                    id="room-budget",
                    compact=True,
                    tooltip="Dot votes each visitor may place on the goals (1 to 20)",
                )
            yield OptionList(id="room-notes")
            keys = (
                "Read-only copy: the notes can be read, not decided on · s all steps · Esc close"
                if self.service.readonly
                else "a accept · e edit first · d dismiss · s all steps · "
                "o open/close · b votes each · v copy votes · Esc close"
            )
            yield Static(Content(keys), id="room-keys")

    def on_mount(self) -> None:
        if self.service.readonly:
            self.query_one("#room-open", Choice).disabled = True
            self.query_one("#room-budget", SavingInput).disabled = True
        self.room.subscribe(self._room_changed)
        self.show_notes()
        if self.focus_on == "budget" and not self.service.readonly:
            self.query_one("#room-budget", SavingInput).focus()
        else:
            self.query_one("#room-notes", OptionList).focus()

    def on_unmount(self) -> None:
        self.room.unsubscribe(self._room_changed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.service.readonly and action in self.WRITING:
            return False
        if action in {"accept", "edit", "dismiss_note"} and self.note() is None:
            return None  # greyed: nothing highlighted to decide on
        return True

    # -- the list ----------------------------------------------------------------------

    def _room_changed(self) -> None:
        self.show_notes()

    def show_notes(self) -> None:
        """Read the new notes again and list them, the cursor kept on the same place."""
        step = None if self.all_steps else self.step
        notes = self.service.contributions(step=step, state="new")
        listing = self.query_one("#room-notes", OptionList)
        before = listing.highlighted
        ids = [n.id for n in notes]
        if ids != [n.id for n in self.notes] or not listing.option_count:
            self.notes = notes
            # a line between two notes (a divider is not an option: indexes stay the notes')
            options: list[Option | None] = []
            for n in notes:
                if options:
                    options.append(None)
                options.append(self._option(n))
            listing.set_options(options)
            if not notes:
                listing.set_options([Option(Content(self._empty_text()), id="none", disabled=True)])
        self.notes = notes
        if notes:
            listing.highlighted = min(before or 0, len(notes) - 1)
        self._show_title()
        self.refresh_bindings()

    def _empty_text(self) -> str:
        if self.all_steps:
            return "No new notes from the room."
        return f"No new notes for {self.step.short}. s shows every step's."

    def _option(self, note: Contribution) -> Option:
        step = note.step if self.all_steps else None
        prompt = Content.assemble(
            author_line(note.author, note.created_at, step), "\n", note_text(note.text)
        )
        return Option(prompt, id=f"note-{note.id}")

    def _show_title(self) -> None:
        where = "every step" if self.all_steps else self.step.label
        n = len(self.notes)
        waiting = f"{n} new" if n else "none new"
        tally = sum(self.room.tally.values())
        votes = f" · {votes_label(tally).removeprefix('● ')}" if tally else ""
        self.query_one("#room-title", Static).update(
            Content(f"Room notes · {where} · {waiting}{votes}")
        )

    def note(self) -> Contribution | None:
        """The highlighted note, if any."""
        if not self.is_mounted or not self.notes:
            return None
        index = self.query_one("#room-notes", OptionList).highlighted
        if index is None or not 0 <= index < len(self.notes):
            return None
        return self.notes[index]

    @on(OptionList.OptionHighlighted, "#room-notes")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#room-notes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_accept()

    # -- deciding ------------------------------------------------------------------------

    def _decided(self, message: str) -> None:
        """After a decision: the list again (the cursor on the next note) and a word."""
        self.room.read()
        self.show_notes()
        self.notify(message, timeout=3, markup=False)

    def _choose(self, note: Contribution, then: Callable[[Target], None]) -> None:
        """Ask which record *note* becomes when its step offers more than one, then *then*."""
        offered = targets(self.service, note.step)
        if len(offered) == 1:
            then(offered[0])
            return
        by_key = {t.key: t for t in offered}

        def preview(target: Target) -> Content:
            return Content.assemble(
                (target.detail, "bold"),
                "\n\n",
                author_line(note.author, note.created_at),
                "\n",
                note_text(note.text),
            )

        def chosen(key: str | None) -> None:
            if key in by_key:
                then(by_key[key])

        self.app.push_screen(
            WorkbookDialog(
                f"Accept “{snippet(note.text, 40)}” as …",
                [Entry(t.key, t.title, preview(t)) for t in offered],
                note="What should the note become in the session?",
            ),
            chosen,
        )

    def action_accept(self) -> None:
        note = self.note()
        if note is None or self.service.readonly:
            return

        def accept(target: Target) -> None:
            try:
                target.accept(note, note.text)
            except REFUSALS as exc:
                # The words do not fit the record: edit them, the reason shown; nothing lost.
                self._edit(note, target, reason=" ".join(str(exc).split()))
                return
            self._decided(f"Accepted as {target.became}")

        self._choose(note, accept)

    def action_edit(self) -> None:
        note = self.note()
        if note is None or self.service.readonly:
            return
        self._choose(note, lambda target: self._edit(note, target))

    def _edit(self, note: Contribution, target: Target, *, reason: str = "") -> None:
        def done(text: str | None) -> None:
            if text is not None:
                self._decided(f"Accepted as {target.became}")

        self.app.push_screen(
            NoteEditDialog(
                note.text, target.title, lambda text: target.accept(note, text), reason=reason
            ),
            done,
        )

    def action_dismiss_note(self) -> None:
        note = self.note()
        if note is None or self.service.readonly:
            return

        def answered(ok: bool | None) -> None:
            if not ok:
                return
            try:
                self.service.dismiss_contribution(note)
            except REFUSALS as exc:
                say_refused(self, str(exc))
                return
            self._decided("Note dismissed (kept in the file as dismissed)")

        self.app.push_screen(
            ConfirmDialog(
                "Dismiss this note?",
                f"{author_line(note.author, None).plain}: “{snippet(note.text)}” "
                "will not be used. It stays in the file, marked dismissed.",
                confirm_label="Dismiss",
                cancel_label="Keep",
                destructive=True,
            ),
            answered,
        )

    def action_all_steps(self) -> None:
        self.all_steps = not self.all_steps
        self.notes = []
        self.show_notes()

    # -- the room's settings ---------------------------------------------------------------

    def action_toggle_open(self) -> None:
        choice = self.query_one("#room-open", Choice)
        choice.action_cycle(1)
        self.notify(
            "Contributions open: the room can send notes and votes"
            if self.service.room_settings().open
            else "Contributions closed",
            timeout=3,
        )

    def action_budget(self) -> None:
        self.query_one("#room-budget", SavingInput).focus()

    @on(SavingInput.Submitted, "#room-budget")
    def _budget_done(self) -> None:
        budget = self.query_one("#room-budget", SavingInput)
        if not budget.has_class("-invalid"):
            self.query_one("#room-notes", OptionList).focus()

    def action_copy_votes(self) -> None:
        copy_votes(self, self.service, self.room)

    def action_close(self) -> None:
        self.dismiss(None)


def copy_votes(widget: Any, service: SessionService, watch: RoomWatch) -> None:
    """Copy the room's tally into the goals' votes, asking first when typed votes would change."""
    watch.read()
    tally = watch.tally
    if not tally:
        widget.notify("The room has placed no votes yet", timeout=3)
        return
    goals = service.session.goals
    replaced = [g for g in goals if g.votes and g.votes != tally.get(g.id, 0)]

    def go() -> None:
        try:
            service.copy_votes_to_goals()
        except REFUSALS as exc:
            say_refused(widget, str(exc))
            return
        widget.notify("The room's votes are now the goals' votes", timeout=3)

    if not replaced:
        go()
        return
    names = ", ".join(f"“{snippet(g.statement, 24) or 'goal'}” {g.votes}" for g in replaced[:3])
    more = f" and {len(replaced) - 3} more" if len(replaced) > 3 else ""

    def answered(ok: bool | None) -> None:
        if ok:
            go()

    widget.app.push_screen(
        ConfirmDialog(
            "Replace the votes typed in?",
            f"Votes already typed ({names}{more}) will be replaced by the room's tally.",
            confirm_label="Replace",
            cancel_label="Keep",
            destructive=True,
        ),
        answered,
    )

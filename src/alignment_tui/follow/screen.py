"""The follow view's one screen: the current step's agreement, its timer, its open actions.

Every :data:`POLL_SECONDS` a Textual timer asks the file whether anything was
committed since (:meth:`FollowSource.poll`: ``PRAGMA data_version``, no read of
the session unless it moved); there is no other loop. A change redraws only what
it touches: the step's presentation when what it shows changed (or the room moved
to another step), the actions when they did, the timer line always (cheap).

With a :class:`~.contribute.Room` (``--contribute``) the visitor can also add a note
to the step on screen (``n``) and give dot votes on the joint goals (``v`` / ``u``):
the room's state is read again only when the file changed, and the keys are greyed
out (``check_action``) the moment the facilitator closes contributions. The room
reads and writes on its own thread: the screen never waits for the file.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ..form.refusal import show_reason
from ..sessions.contributions import Contribution, ContributionRefused
from ..sessions.models import STEP_ORDER, Session, StepId
from ..sessions.text import snippet
from ..steps.funnel.chart import FunnelChart
from ..widgets.footer import KeyFooter
from .agreements import present, step_key
from .blocks import Block, Stage, StepPane, action_line, bullet_lines, line, open_actions, text
from .contribute import NOTE_KINDS, Room, Sent
from .contribute_dialogs import NameDialog, NoteDialog
from .contribute_panel import ContributePanel
from .house import MessageHouse
from .source import FollowSource
from .timer import FollowTimer

#: Seconds between two looks at the file.
POLL_SECONDS = 0.25
#: A file held this long by a save (or anything else) is mentioned, quietly.
QUIET_FOR = 3.0
#: A dot still waiting for the file after this long says "saving…" (seconds).
SAVING_AFTER = 0.3
#: Spacious below this size would leave too little of the step in view.
SPACIOUS_FROM = (100, 32)


def _shape(widget: Widget) -> tuple[Any, ...]:
    return (type(widget), frozenset(widget.classes))


def same_shape(old: list[Widget], new: list[Widget]) -> bool:
    """Whether *new* (not mounted) is built like *old* (on screen): same widgets, nested alike."""
    return [_shape(w) for w in old] == [_shape(w) for w in new]


def patch(old: Widget, new: Widget) -> None:
    """Make *old* (on screen) show what *new* (built like it, not mounted) shows."""
    if isinstance(old, Block) and isinstance(new, Block):
        old.show(new.rows)
    elif isinstance(old, MessageHouse) and isinstance(new, MessageHouse):
        old.show(new.story, new.pillars, new.proofs)
    elif isinstance(old, FunnelChart) and isinstance(new, FunnelChart):
        old.show(new.view, new.digits)
    elif isinstance(old, Static) and isinstance(new, Static) and old.content != new.content:
        old.update(new.content)


class FollowScreen(Screen[None]):
    """A read-only view of the session in *source*, following the editing copy."""

    BINDINGS = [
        Binding(
            "plus,equals_sign",
            "density('spacious')",
            "Roomier",
            id="follow_spacious",
            tooltip="More space around the text (for a projector)",
        ),
        Binding(
            "minus",
            "density('compact')",
            "Compact",
            id="follow_compact",
            tooltip="Less space around the text: more of the step in view",
        ),
        Binding(
            "n",
            "note",
            "Note",
            id="follow_note",
            tooltip="Add a note to the step on screen (a story, a complaint, a proposal …)",
        ),
        Binding(
            "v",
            "vote",
            "Vote",
            id="follow_vote",
            tooltip="Put one of your dots on the highlighted goal",
        ),
        Binding(
            "u",
            "unvote",
            "Unvote",
            id="follow_unvote",
            tooltip="Take one of your dots back from the highlighted goal",
        ),
    ]

    def __init__(self, source: FollowSource, room: Room | None = None) -> None:
        super().__init__()
        self.source = source
        #: The visitor's contributions (``--contribute``); None: the view only reads.
        self.room = room
        self._room_reads: int | None = None
        #: The room as it was when a dot was refused (the reason shows until it changes).
        self._refused_in: tuple[object, ...] | None = None
        self._room_state: tuple[object, ...] | None = None
        #: Each step's presentation, built on the room's first visit and kept (hidden while
        #: the room is elsewhere), with what it was built from.
        self._panes: dict[StepId, StepPane] = {}
        self._keys: dict[StepId, tuple[Any, ...]] = {}
        self._step: StepId | None = None
        self._actions_key: tuple[Any, ...] | None = None
        self.density: str | None = None
        #: The session last shown in full (tests wait for it; None until the first).
        self.shown: Session | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="follow-top"):
            yield Static("", id="follow-title", markup=False)
            if self.room is not None:
                yield Static("", id="follow-you", markup=False)
            yield Static("", id="follow-live", markup=False)
        yield Static("", id="follow-step", markup=False)
        yield FollowTimer(id="follow-timer")
        yield Stage(id="follow-body")
        if self.room is not None:
            yield ContributePanel(self.room, id="follow-room")
        # one block (the heading and the bullets), its words replaced at each change
        yield Vertical(Block(), id="follow-actions")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        if self.room is not None:
            self.room.listeners.append(self._show_room)
        width, height = self.app.size
        self.set_density(
            "spacious" if width >= SPACIOUS_FROM[0] and height >= SPACIOUS_FROM[1] else "compact"
        )
        if self.source.session is not None:
            self.show(self.source.session)
            self.call_after_refresh(self._build_the_others)
        self.set_interval(POLL_SECONDS, self.poll, name="follow-poll")

    def on_unmount(self) -> None:
        if self.room is not None and self._show_room in self.room.listeners:
            self.room.listeners.remove(self._show_room)

    # -- following ----------------------------------------------------------------------

    def poll(self) -> None:
        """Look at the file; redraw what changed.

        Not a coroutine: nothing here waits for a mount, so leaving (q) at any moment
        finds no redraw half done.
        """
        changed = self.source.poll()
        self._show_live()
        if changed and self.source.session is not None:
            self.show(self.source.session)
        elif self.room is not None:
            self._follow_room()

    def _show_live(self) -> None:
        waiting = self.source.waiting
        live = self.query_one("#follow-live", Static)
        if waiting is not None and time.monotonic() - waiting.since >= QUIET_FOR:
            text = Content("⟳ waiting for the file").stylize("$text-muted")
            live.tooltip = waiting.reason
        else:
            text = Content("● live").stylize("$success")
            live.tooltip = "Follows the session as it is saved (read-only)"
        self._update("#follow-live", text)

    def show(self, session: Session) -> None:
        """Show *session*: the current step's agreement, its timer and open actions."""
        meta = session.meta
        step = meta.current_step
        title = line(meta.title).stylize("bold")
        if meta.organisation.strip():
            title += Content.assemble(("  ·  ", "$text-muted"), line(meta.organisation))
        number = f"{step.number}  " if step.number else ""
        self._update("#follow-title", title)
        self._update(
            "#follow-step", Content.assemble((number, "bold $accent"), (step.label, "bold"))
        )
        self.query_one(FollowTimer).show(session)
        with self.app.batch_update():
            self._show_body(session, step)
            self._show_actions(session, step)
            if self.room is not None:
                self._follow_room()
        self.shown = session

    def _update(self, selector: str, content: Content) -> None:
        """Show *content* in the Static at *selector*, if it is not what it shows."""
        widget = self.query_one(selector, Static)
        if widget.visual != content:
            widget.update(content)

    @property
    def pane(self) -> StepPane | None:
        """The presentation of the step on screen."""
        return self._panes.get(self._step) if self._step is not None else None

    def _show_body(self, session: Session, step: StepId) -> None:
        """Show *step*'s presentation: built on the first visit, kept afterwards, so the
        room moving between steps mounts nothing new; a change of words updates the
        widgets on screen (nothing flickers); a change of shape (a goal added) rebuilds.
        Each pane scrolls on its own: shown again, it has the size it had, so the room
        coming back to a step lays out nothing anew."""
        key = step_key(session, step)
        pane = self._panes.get(step)
        if pane is None:
            pane = self._panes[step] = StepPane(*present(session, step), classes="step-pane")
            self.query_one("#follow-body", Stage).mount(pane)
        elif self._keys.get(step) != key:
            widgets = present(session, step)
            if same_shape(list(pane.children), widgets):
                for old, new in zip(pane.children, widgets, strict=True):
                    patch(old, new)
            else:
                pane.remove_children()
                pane.mount_all(widgets)
        self._keys[step] = key
        if step is not self._step:
            self._step = step
            for other, shown in self._panes.items():
                shown.display = other is step
            pane.scroll_home(animate=False)

    def _build_the_others(self) -> None:
        """Build the other steps' panes, hidden, once the first is on screen: when the
        room moves on, its next step is there already and only needs showing (and
        bringing up to date, if it changed since)."""
        session = self.source.session
        if session is None:
            return
        panes = []
        for step in STEP_ORDER:
            if step not in self._panes:
                pane = self._panes[step] = StepPane(*present(session, step), classes="step-pane")
                pane.display = False
                self._keys[step] = step_key(session, step)
                panes.append(pane)
        if panes:
            self.query_one("#follow-body", Stage).mount_all(panes)

    def _show_actions(self, session: Session, step: StepId) -> None:
        if step is StepId.WRAPUP:
            todo = []  # the wrap-up shows every open action in its own view
        else:
            todo = open_actions(session, step)
        lines = [action_line(session, a) for a in todo]
        key = (step, tuple(c.plain for c in lines))
        if key == self._actions_key:
            return
        self._actions_key = key
        box = self.query_one("#follow-actions", Vertical)
        box.display = bool(todo)
        if todo:
            box.query_one(Block).show(
                (
                    text(f"Open actions of this step ({len(todo)})", "heading"),
                    text(bullet_lines(lines), "bullets"),
                )
            )

    # -- the room (--contribute) ------------------------------------------------------

    def _follow_room(self) -> None:
        """Look at the room again when the file changed (the source read it again), or
        when the last look found the file held by a save; the room's thread reads, and
        :meth:`_show_room` shows what it brings back."""
        room = self.room
        if room is None:
            return
        if self.source.reads == self._room_reads and not room.stale:
            return
        self._room_reads = self.source.reads
        room.refresh()

    def room_changed(self) -> None:
        """Show the room as it is now (the visitor gave their name, or wrote)."""
        self._show_room()

    def _show_room(self) -> None:
        room = self.room
        if room is None:
            return
        session = self.source.session
        step = session.meta.current_step if session is not None else None
        panel = self.query_one(ContributePanel)
        if self._refused_in is not None and self._refused_in != self._room_now():
            # the room moved on since the dot was refused (the budget raised, a dot given
            # back, contributions opened, another step): the reason no longer holds
            self._refused_in = None
            show_reason(panel.goals, None)
        panel.show_room(session)
        you = (
            Content.assemble(("you: ", "$text-muted"), line(room.name).stylize("bold"))
            if room.name
            else Content("")
        )
        self._update("#follow-you", you)
        state = (room.ready, room.is_open, step)
        if state != self._room_state:
            on_goals = step is StepId.GOALS and (self._room_state or (None,) * 3)[2] != step
            self._room_state = state
            self.refresh_bindings()
            goals = panel.goals
            if on_goals and goals.display:
                goals.focus()

    def _room_now(self) -> tuple[object, ...]:
        """What a refusal of a dot depends on: the room's settings, the visitor's dots, and
        the step on screen (the reason goes with the goals when the room moves on)."""
        room, session = self.room, self.source.session
        if room is None:
            return ()
        step = session.meta.current_step if session is not None else None
        return (room.settings, tuple(room.my_votes().items()), step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("note", "vote", "unvote"):
            return True
        room = self.room
        if room is None or not room.ready:
            return False  # no keys: the view only reads (the status line says why)
        if action != "note":
            session = self.source.session
            if session is None or session.meta.current_step is not StepId.GOALS:
                return False
        return True if room.is_open else None  # closed: greyed out, and they do nothing

    def _with_name(self, then: Callable[[], None]) -> None:
        """Run *then* once the visitor has a name (asked now if they only watched so far)."""
        room = self.room
        if room is None:
            return
        if room.name:
            then()
            return

        def named(name: str | None) -> None:
            if name:
                room.name = name
                self._show_room()
                then()

        self.app.push_screen(
            NameDialog(lambda name: room.check_name(name, self.source.session)), named
        )

    def action_note(self) -> None:
        room, session = self.room, self.source.session
        if room is None or session is None:
            return
        step = session.meta.current_step

        def saved(note: Contribution | None) -> None:
            if note is not None:
                room.drafts.pop(step, None)
                self.notify(
                    f"Note given to the room: {snippet(note.text)}", markup=False, timeout=3
                )
            self._show_room()

        def keep(text: str) -> None:
            room.drafts[step] = text

        async def save(text: str) -> Contribution:
            sent = await room.send_note(step, text)
            if sent.refused is not None or sent.saved is None:
                raise ContributionRefused(sent.refused or "The note was not saved")
            return sent.saved

        def ask() -> None:
            dialog = NoteDialog(
                step,
                NOTE_KINDS[step],
                save,
                draft=room.drafts.get(step, ""),
                keep=keep,
            )
            self.app.push_screen(dialog, saved)

        self._with_name(ask)

    def action_vote(self) -> None:
        self._with_name(lambda: self._vote(up=True))

    def action_unvote(self) -> None:
        self._with_name(lambda: self._vote(up=False))

    def _vote(self, *, up: bool) -> None:
        """Put a dot on (or take one off) the highlighted goal. Dots asked for quickly
        queue on the room's thread, each its own transaction in the order pressed, and
        the core checks the budget in each: "v v" is two dots, as pressed."""
        room = self.room
        panel = self.query_one(ContributePanel)
        goal = panel.highlighted_goal()
        if room is None or goal is None:
            return
        future = room.vote(goal) if up else room.unvote(goal)
        # "saving…" only for a dot that waits for the file (a save holds it): said at
        # once, it would flash at the end of the line on every dot
        self.set_timer(SAVING_AFTER, self._show_room, name="room-saving")
        self.run_worker(self._voted(future), group="room-vote")

    async def _voted(self, future: Awaitable[Sent]) -> None:
        sent = await future
        panel = self.query_one(ContributePanel)
        if sent.refused is not None:
            show_reason(panel.goals, sent.refused)
            self._refused_in = self._room_now()
        else:
            show_reason(panel.goals, None)
            self._refused_in = None
        self._show_room()

    # -- keys ---------------------------------------------------------------------------

    def set_density(self, density: str) -> None:
        self.density = density
        self.set_class(density == "compact", "-compact")
        self.set_class(density == "spacious", "-spacious")

    def action_density(self, density: str) -> None:
        if density != self.density:
            self.set_density(density)
            self.notify("Roomier text" if density == "spacious" else "Compact text", timeout=1.5)

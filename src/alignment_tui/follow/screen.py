"""The follow view's one screen: the current step's agreement, its timer, its open actions.

Every :data:`POLL_SECONDS` a Textual timer asks the file whether anything was
committed since (:meth:`FollowSource.poll`: ``PRAGMA data_version``, no read of
the session unless it moved); there is no other loop. A change redraws only what
it touches: the step's presentation when what it shows changed (or the room moved
to another step), the actions when they did, the timer line always (cheap).
"""

from __future__ import annotations

import time
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ..sessions.models import Session, StepId
from ..steps.funnel.chart import FunnelChart
from ..widgets.footer import KeyFooter
from .agreements import present, step_key
from .blocks import Card, Columns, action_line, bullets, heading, line, open_actions
from .house import MessageHouse
from .source import FollowSource
from .timer import FollowTimer

#: Seconds between two looks at the file.
POLL_SECONDS = 0.25
#: A file held this long by a save (or anything else) is mentioned, quietly.
QUIET_FOR = 3.0
#: Spacious below this size would leave too little of the step in view.
SPACIOUS_FROM = (100, 32)


def _shape(widget: Widget) -> tuple[Any, ...]:
    parts = widget.parts if isinstance(widget, Card | Columns) else ()
    return (type(widget), frozenset(widget.classes), tuple(_shape(p) for p in parts))


def same_shape(old: list[Widget], new: list[Widget]) -> bool:
    """Whether *new* (not mounted) is built like *old* (on screen): same widgets, nested alike."""
    return [_shape(w) for w in old] == [_shape(w) for w in new]


def patch(old: Widget, new: Widget) -> None:
    """Make *old* (on screen) show what *new* (built like it, not mounted) shows."""
    if isinstance(old, Card | Columns) and isinstance(new, Card | Columns):
        for a, b in zip(old.parts, new.parts, strict=True):
            patch(a, b)
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
    ]

    def __init__(self, source: FollowSource) -> None:
        super().__init__()
        self.source = source
        #: Each step's presentation, built on the room's first visit and kept (hidden while
        #: the room is elsewhere), with what it was built from.
        self._panes: dict[StepId, Vertical] = {}
        self._keys: dict[StepId, tuple[Any, ...]] = {}
        self._step: StepId | None = None
        self._actions_key: tuple[Any, ...] | None = None
        self.density: str | None = None
        #: The session last shown in full (tests wait for it; None until the first).
        self.shown: Session | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="follow-top"):
            yield Static("", id="follow-title", markup=False)
            yield Static("", id="follow-live", markup=False)
        yield Static("", id="follow-step", markup=False)
        yield FollowTimer(id="follow-timer")
        yield VerticalScroll(id="follow-body")
        yield Vertical(id="follow-actions")
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        width, height = self.app.size
        self.set_density(
            "spacious" if width >= SPACIOUS_FROM[0] and height >= SPACIOUS_FROM[1] else "compact"
        )
        if self.source.session is not None:
            self.show(self.source.session)
        self.set_interval(POLL_SECONDS, self.poll, name="follow-poll")

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
        self.shown = session

    def _update(self, selector: str, content: Content) -> None:
        """Show *content* in the Static at *selector*, if it is not what it shows."""
        widget = self.query_one(selector, Static)
        if widget.visual != content:
            widget.update(content)

    @property
    def pane(self) -> Vertical | None:
        """The presentation of the step on screen."""
        return self._panes.get(self._step) if self._step is not None else None

    def _show_body(self, session: Session, step: StepId) -> None:
        """Show *step*'s presentation: built on the first visit, kept afterwards, so the
        room moving between steps mounts nothing new; a change of words updates the
        widgets on screen (nothing flickers); a change of shape (a goal added) rebuilds."""
        key = step_key(session, step)
        pane = self._panes.get(step)
        if pane is None:
            pane = self._panes[step] = Vertical(*present(session, step), classes="step-pane")
            self.query_one("#follow-body", VerticalScroll).mount(pane)
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
            self.query_one("#follow-body", VerticalScroll).scroll_home(animate=False)

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
        box.remove_children()
        box.display = bool(todo)
        if todo:
            box.mount_all([heading(f"Open actions of this step ({len(todo)})"), *bullets(lines)])

    # -- keys ---------------------------------------------------------------------------

    def set_density(self, density: str) -> None:
        self.density = density
        self.set_class(density == "compact", "-compact")
        self.set_class(density == "spacious", "-spacious")

    def action_density(self, density: str) -> None:
        if density != self.density:
            self.set_density(density)
            self.notify("Roomier text" if density == "spacious" else "Compact text", timeout=1.5)

"""The base of every step pane in the workshop screen.

A step pane is the form area of one step, built from the shared form layer
(:mod:`alignment_tui.form`). It is built from the session once when mounted
(``compose``) and told when the session changes (``refresh_from_session``):
it then shows the session's values in all its bound fields in one loop
(never over a field the user is in or is correcting) and updates what it
derives. It never runs SQL: it calls the :class:`SessionService` it is given.
Each pane ends with the actions tagged with its step.

Focus: when the step is shown, the focus goes where it was when the room last
left the step, else to the step's first field (:meth:`StepPane.focus_entry`),
so the next key typed after a step change lands in a field. Ctrl+↓ / Ctrl+↑
jump between the step's sections (:class:`~alignment_tui.form.section.Section`).

A read-only copy has its fields disabled, so a section often has nothing that
can take the focus: there the pane itself can take it (the arrow and page keys
then scroll it), and Ctrl+↓ / Ctrl+↑ bring the next / previous section's title
to the top of the pane, focusing what the section has that can take the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol, runtime_checkable

from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from ..form.fields import load_fields
from ..form.later import Later, build_all, later_parts
from ..form.section import Section, content_y
from ..sessions.models import Session, StepId
from ..sessions.progress import RULES, step_status
from ..sessions.service import SessionService

#: How a step's heading reads, above its status (a colour of the theme).
HEADING_STYLE = "bold $primary"


@runtime_checkable
class HoldsKeys(Protocol):
    """A screen that keeps the keys typed while a step is shown and none of its fields
    has the focus yet (a step built for the first time takes a moment), until the
    step's pane focuses its field."""

    def release_keys(self, to: Widget) -> None:
        """Give the held keys, in the order typed, to *to* (just focused)."""


def takes_text(widget: Widget) -> bool:
    """Whether a key typed into *widget* goes into a value (a text field, the counts grid)."""
    return isinstance(widget, (Input, TextArea)) or getattr(widget, "TAKES_TEXT", False)


class StepPane(VerticalScroll):
    """One step's forms. Subclasses set ``STEP`` and implement ``compose_body``."""

    STEP: ClassVar[StepId]
    can_focus = False

    DEFAULT_CSS = """
    StepPane:focus > .step-status { background: $primary 25%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+down",
            "section(1)",
            "Next section",
            key_display="^↓",
            id="step.next_section",
            tooltip="Move to the first field of the step's next section",
        ),
        Binding(
            "ctrl+up",
            "section(-1)",
            "Previous section",
            key_display="^↑",
            id="step.previous_section",
            tooltip="Move to the first field of the step's previous section",
        ),
    ]

    #: The widget that had the focus when the room last left this step.
    _last_focus: Widget | None = None

    def __init__(self, service: SessionService, **kwargs: object) -> None:
        # The "-complete" class is set here, before the pane's children are
        # styled: toggling a class on a mounted pane restyles its whole subtree
        # (hundreds of widgets on a large session).
        classes = "step-pane"
        if step_status(service.session, self.STEP).complete:
            classes += " -complete"
        super().__init__(id=f"pane-{self.STEP.value}", classes=classes, **kwargs)  # type: ignore[arg-type]
        self.service: SessionService = service
        # A read-only copy's fields are disabled: the pane takes the focus itself,
        # so its keys (sections, scrolling) work and the footer lists them.
        self.can_focus = service.readonly

    @property
    def session(self) -> Session:
        return self.service.session

    def compose(self) -> ComposeResult:
        # The step's heading and its status are one widget, the heading its first
        # line. The status is drawn from the start: filled in after mounting, it
        # would change the line's size and lay the screen out once more.
        shown, text = self._status()
        self._shown_status = shown
        yield Static(text, classes="step-status", id=f"status-{self.STEP.value}")
        yield from self.compose_body()
        if not self.STEP_ACTIONS:
            return
        # A page or more below what the step opens on: built when the room comes to it.
        yield Later(
            "Actions from this step", self._compose_actions, id=f"later-actions-{self.STEP.value}"
        )

    def _compose_actions(self) -> ComposeResult:
        from ..widgets.actions import ActionsPanel

        yield ActionsPanel(self.service, step=self.STEP, id=f"actions-{self.STEP.value}")

    def compose_body(self) -> ComposeResult:
        yield from ()

    #: Whether the step ends with a table of its own actions.
    STEP_ACTIONS: ClassVar[bool] = True

    #: Whether the focus should come here once the pane is built (it was shown before).
    _focus_when_ready = False

    def on_mount(self) -> None:
        self.update_status()
        if self._focus_when_ready:
            self._focus_when_ready = False
            self.call_after_refresh(self.focus_entry)
        self.watch(self, "scroll_y", self.reveal_later, init=False)
        self.call_after_refresh(self.reveal_later)

    # -- parts built later (form.later) --------------------------------------------------

    #: Every part is built: nothing left to look for as the pane scrolls or changes.
    _all_built = False

    def _later_parts(self) -> list[Later]:
        if self._all_built:
            return []
        parts = later_parts(self)
        self._all_built = not parts
        return parts

    def reveal_later(self) -> None:
        """Build the parts (:class:`Later`) that have come into the view.

        Not before: a part built as the step opens, even just below the view,
        costs the opening a second layout of the screen. A part built grows the
        pane, which resizes it: the parts below are looked at again then.
        """
        if not self.display or not self.is_attached:
            return
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        reach = self.scroll_y + height
        for part in self._later_parts():
            if content_y(part, self) < reach:
                part.build()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.reveal_later)

    def build_later(self) -> AwaitComplete:
        """Build every part of the step not built yet (await it to have them mounted)."""
        return build_all(self)

    def _whole_step_then(self, callback: Callable[..., object], *args: object) -> bool:
        """For a key that needs the whole step: when parts are still to build, build them
        and run *callback* once they are laid out, and say so (True)."""
        if not self._later_parts():
            return False

        async def build_then() -> None:
            await self.build_later()
            self.call_after_refresh(callback, *args)

        self.run_worker(build_then(), exclusive=True, group="whole-step")
        return True

    def action_scroll_end(self) -> None:
        """End: the end of the whole step, the parts not built yet built on the way."""
        if not self._whole_step_then(self.action_scroll_end):
            super().action_scroll_end()

    def take_focus(self) -> None:
        """The step is being shown: put the focus in it as soon as its fields are there."""
        if self.is_mounted:
            self.call_after_refresh(self.focus_entry)
        else:
            self._focus_when_ready = True

    _shown_status: tuple[bool, tuple[str, ...], str] | None = None

    def _status(self) -> tuple[tuple[bool, tuple[str, ...], str], Content]:
        """What the status shows now, and its text under the step's heading."""
        st = step_status(self.session, self.STEP)
        shown = (st.complete, tuple(st.missing), st.symbol)
        number = self.STEP.number
        heading = Content.assemble(
            (f"{number}. {self.STEP.label}" if number else self.STEP.label, HEADING_STYLE), "\n"
        )
        if st.complete:
            return shown, heading + Content.from_markup("[b]✔ Complete[/b]")
        missing = "; ".join(st.missing) if st.missing else RULES[self.STEP]
        return shown, heading + Content.from_markup(
            "[b]$mark Still needed:[/b] $missing", mark=st.symbol, missing=missing
        )

    def update_status(self) -> None:
        shown, text = self._status()
        if shown == self._shown_status:
            return  # updating the Static would cost a layout of the pane
        self._shown_status = shown
        complete = shown[0]
        status = self.query_one(f"#status-{self.STEP.value}", Static)
        # A shorter status must not pull the form up under the pointer: a save
        # made as the mouse goes down on a button (the field it leaves) would
        # move the button before the mouse comes up, and the click would land a
        # line off. The line keeps the height it had; it may grow.
        height = status.size.height
        if height > (status.styles.min_height.value if status.styles.min_height else 0):
            status.styles.min_height = height
        status.update(text)
        if self.has_class("-complete") != complete:
            self.set_class(complete, "-complete")

    def refresh_from_session(self) -> None:
        """The session changed (here or elsewhere): show it in every field, update what is derived.

        Subclasses extend this (calling it first) for what their fields do not show.
        """
        if not self.is_mounted:
            # Mounted lazily and not built yet: compose reads the session anyway.
            return
        self.update_status()
        load_fields(self)
        if self._later_parts():
            # What changed may have moved a part still to build into the view (a
            # shorter list above it).
            self.call_after_refresh(self.reveal_later)

    # -- focus -------------------------------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A pane being hidden hands the focus to a neighbour on its way out:
        # that is not where the room was.
        if self.display:
            self._last_focus = event.widget

    #: Where a step the room has not been in yet takes the focus: a CSS selector, or
    #: ``None`` for its first field that takes typed text (:func:`takes_text`).
    ENTRY: ClassVar[str | None] = None

    def entry_field(self) -> Widget | None:
        """The field the step opens in: the next key typed lands there, never nowhere.

        A choice, a list or a button comes first in some steps (the feedback
        loop's cadence, the funnel's stages), but a letter typed into one is
        lost; so the first field that takes typed text is chosen instead.
        """
        chain = self._focusable()
        if self.ENTRY is not None:
            named = [w for w in self.query(self.ENTRY) if w in chain]
            if named:
                return named[0]
        return next((w for w in chain if takes_text(w)), chain[0] if chain else None)

    def _focusable(self) -> list[Widget]:
        """The pane's widgets that can take the focus, in focus order."""
        return [w for w in self.screen.focus_chain if self in w.ancestors]

    #: Layouts waited for before taking the focus (a pane never laid out gives up).
    _layout_waits = 0

    def focus_entry(self) -> None:
        """Focus where the room was when it last left this step, else its entry field
        (:meth:`entry_field`; in a read-only copy, the pane itself).

        Textual orders the focus chain by place on the screen: asked before the
        pane's first layout (a quick run of step changes), every place is 0 and
        the first field is not first, so wait for the layout.
        """
        if not self.region and self.display and self._layout_waits < 10:
            self._layout_waits += 1
            self.call_after_refresh(self.focus_entry)
            return
        self._layout_waits = 0
        last = self._last_focus
        if last is not None and last.is_attached and last.focusable and self in last.ancestors:
            self._focus_in_view(last)
            return
        if self.service.readonly:
            # Nothing to type in: the step is read from its top, the pane's keys at hand.
            self._focus_now(self)
            return
        entry = self.entry_field()
        if entry is not None:
            self._focus_in_view(entry)

    def _focus_now(self, widget: Widget) -> None:
        """Focus *widget* now, and give it the keys typed while the step was being shown.

        ``Widget.focus`` would move the focus a moment later; set here, the keys the
        screen held (see :class:`HoldsKeys`) reach the field after its Focus event
        and before any key typed after this.
        """
        screen = self.screen
        screen.set_focus(widget, scroll_visible=False)
        if isinstance(screen, HoldsKeys):
            screen.release_keys(widget)

    def _focus_in_view(self, widget: Widget) -> None:
        """Focus *widget* and bring it into view at once.

        Textual scrolls a newly focused widget into view with an animation; a
        step being shown is a new view, not a move within one, so it opens where
        its field is (and is not laid out again at every frame of a glide).
        """
        self._focus_now(widget)

        def into_view() -> None:
            screen = self.screen
            if screen.focused is widget and not screen.can_view_entire(widget):
                screen.scroll_to_center(widget, animate=False, origin_visible=True)

        self.call_after_refresh(into_view)

    #: The section the last Ctrl+↓ / Ctrl+↑ of a read-only copy brought to the top, and
    #: the scroll position it left: while the pane stays there, that section is "here".
    _jumped: tuple[Section, float] | None = None

    def action_section(self, delta: int) -> None:
        """Ctrl+↓ / Ctrl+↑: the first field of the next / previous section.

        In a read-only copy every section counts, fields or not: its title is
        scrolled to the top of the pane.
        """
        if self._whole_step_then(self.action_section, delta):
            return  # a jump needs the whole step: it jumps once the rest is built
        sections = [s for s in self.query(Section) if s.display]
        if not sections:
            return
        focused = self.screen.focused
        read_only = self.service.readonly
        here = next(
            (i for i, s in enumerate(sections) if focused is not None and s in focused.ancestors),
            None,
        )
        if here is None and read_only and (focused is self or not self._holds(focused)):
            here = self._here_by_scroll(sections, delta)
        if here is None:
            here = -1 if delta > 0 else len(sections)
        i = here + delta
        while 0 <= i < len(sections):
            section = sections[i]
            target = section.first_focusable()
            if read_only:
                self.scroll_to(y=section.title_y(self), animate=False, immediate=True)
                self._jumped = (section, self.scroll_y)
                if target is not None:
                    # Focusing scrolls the widget to the middle, which would take the
                    # title off the top: scroll only if it is not in view below the title.
                    target.focus(scroll_visible=False)
                    bottom = content_y(target, self) + target.outer_size.height
                    if bottom > self.scroll_y + self.scrollable_content_region.height:
                        target.scroll_visible(animate=False)
                elif self.focusable:
                    self.focus(scroll_visible=False)
                return
            if target is not None:
                target.focus()
                section.scroll_visible(top=True, animate=False)
                return
            i += delta

    def _holds(self, widget: Widget | None) -> bool:
        return widget is not None and self in widget.ancestors

    def _here_by_scroll(self, sections: list[Section], delta: int) -> int:
        """Where the reader is when the focus says nothing: the section last jumped to while
        the pane has not scrolled since, else placed by the scroll position so that the
        next section is the first whose title is below the top line and the previous one
        the last whose title is above it."""
        if self._jumped is not None:
            section, scroll_y = self._jumped
            if section in sections and scroll_y == self.scroll_y:
                return sections.index(section)
        top = self.scroll_y
        titles = [s.title_y(self) for s in sections]
        if delta > 0:
            return next((i for i, y in enumerate(titles) if y > top), len(sections)) - 1
        return max((i for i, y in enumerate(titles) if y < top), default=-1) + 1

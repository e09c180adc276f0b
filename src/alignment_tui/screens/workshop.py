"""The workshop screen: step list, the current step's forms, and its guidance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Static

from .. import gcpause, internals
from ..sessions.models import STEP_ORDER, Session, StepId
from ..sessions.service import SessionService
from ..steps import StepPane, pane_class
from ..steps.guidance import guidance
from ..stylesheets import use_room
from ..widgets.footer import KeyFooter, key_for
from ..widgets.guidance import GuidanceText
from ..widgets.room import RoomWatch, waiting_summary
from ..widgets.step_list import StepList
from ..widgets.timer import StepTimer

if TYPE_CHECKING:
    from textual.widget import Widget

    from ..dialogs.export_dialog import ExportRequest


#: What an export is called in the line that says it was written.
EXPORT_NAMES = {
    "checklist": "Checklist",
    "report": "Report",
    "html": "Web page",
    "ics": "Calendar file",
    "csv": "CSV",
    "json": "JSON",
    "review": "Review pack",
    "review-html": "Review pack (web page)",
}


class WorkshopScreen(Screen[None]):
    """Where the room does its work."""

    # The step shown decides where the focus goes (``show_step``): focusing the
    # step list first, as Textual would, only to move on a moment later restyles
    # both widgets once more.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding(
            "f2,ctrl+n",
            "add_action",
            "Add action",
            id="add_action",
            priority=True,
            tooltip="Add an action tagged with the current step",
        ),
        Binding(
            "f7",
            "export",
            "Export",
            id="export",
            priority=True,
            tooltip="Export the checklist, the report, the actions as CSV or the session as JSON",
        ),
        Binding(
            "f5,ctrl+t",
            "toggle_timer",
            "Timer",
            id="toggle_timer",
            priority=True,
            tooltip="Start or pause the countdown of the current step",
        ),
        Binding(
            "f6",
            "add_minute",
            "+1 min",
            id="add_minute",
            priority=True,
            tooltip="Give the current step one more minute",
        ),
        Binding(
            "f4",
            "agenda",
            "Agenda",
            id="agenda",
            priority=True,
            tooltip="Timeboxes per step, time spent, and the plan against the workshop length",
        ),
        Binding(
            "ctrl+r",
            "review",
            "Review",
            id="review",
            priority=True,
            tooltip="The review meeting: what changed since the last review (recorded only when started)",
        ),
        Binding(
            "f3",
            "toggle_guidance",
            "Guidance",
            id="toggle_guidance",
            tooltip="Show or hide the guidance beside the forms",
        ),
        Binding(
            "f9",
            "focus_steps",
            "Steps",
            id="focus_steps",
            show=False,
            tooltip="Move the focus to the step list",
        ),
        Binding(
            "ctrl+pageup",
            "prev_step",
            "Prev step",
            id="prev_step",
            show=False,
            priority=True,
            tooltip="Go to the previous step",
        ),
        Binding(
            "ctrl+pagedown",
            "next_step",
            "Next step",
            id="next_step",
            show=False,
            priority=True,
            tooltip="Go to the next step",
        ),
        Binding(
            "f10",
            "room_notes",
            "Room notes",
            id="room_notes",
            show=False,
            priority=True,
            tooltip="The notes the room sent in (serve --contribute): accept, edit or dismiss each",
        ),
        Binding(
            "shift+f6",
            "reset_timer",
            "Reset timer",
            id="reset_timer",
            priority=True,
            show=False,
            tooltip="Start the current step's countdown again from its full timebox",
        ),
    ]

    #: Seconds the cyclic garbage collector stays paused while the screen builds.
    GC_PAUSE = 1.0
    _gc_paused = False

    def __init__(self, service: SessionService, *, read_only_reason: str = "") -> None:
        super().__init__()
        self.read_only_reason = read_only_reason
        # Building a large session's screen allocates a few hundred thousand
        # objects, and each young-generation collection rescans what was built
        # so far: ~70-140 ms of collections before the first paint. Nothing is
        # garbage yet, so the collector waits until the screen has settled, and
        # what was built is then frozen (see gcpause); unmounting unfreezes it.
        if not gcpause.is_paused():
            gcpause.pause()
            self._gc_paused = True
        # A keystroke repaints the input, not every widget beside it.
        internals.lean_repaints(self)
        self.service = service
        self._refresh_pending = False
        #: Panes that missed a change while hidden: refreshed when shown again.
        self._stale: set[str] = set()
        self._given = set()
        #: What the room sent in (notes waiting per step, votes per goal), polled from the file.
        self.room = RoomWatch(service)

    #: Verbs that change the session or its clock: a read-only copy does not offer them
    #: at all (not in the footer, the help or the palette, and their keys do nothing);
    #: greyed out they would read as "not now" (the banner at the top says why).
    WRITING_ACTIONS = frozenset(
        {
            "add_action",
            "toggle_timer",
            "add_minute",
            "reset_timer",
            "toggle_contributions",
            "room_budget",
            "copy_room_votes",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the binding; None would only grey it out.
        return not (self.service.readonly and action in self.WRITING_ACTIONS)

    @property
    def step(self) -> StepId:
        return self.service.session.meta.current_step

    def compose(self) -> ComposeResult:
        yield Header()
        if self.service.readonly:
            # One line, before anything else, so nobody types into a copy that cannot keep it.
            why = self.read_only_reason or "the file cannot be changed"
            yield Static(
                Content.from_markup(
                    "[b]Read-only[/b] — $why. You can read and export; nothing can be changed.",
                    why=why,
                ),
                id="read-only-banner",
            )
        yield StepTimer(self.service, id="step-timer")
        with Horizontal(id="workshop"):
            yield StepList(self.service.session, id="steps")
            yield ContentSwitcher(id="panes")
            with VerticalScroll(id="guidance"):
                yield GuidanceText(guidance(self.step), id="guidance-text")
        yield KeyFooter(own_row=True)

    def on_mount(self) -> None:
        meta = self.service.session.meta
        self.title = meta.title
        ro = " · read-only" if self.service.readonly else ""
        self.sub_title = f"{meta.organisation}{ro}" if meta.organisation else ro.strip(" ·")
        self._plain_sub_title = self.sub_title
        self.service.subscribe(self._on_session_changed)
        self.room.subscribe(self._show_room)
        self._show_room()
        # Visitors write to the file from their own processes: a look at its change
        # counter each second tells when to count their notes again (no busy loop).
        self.set_interval(RoomWatch.INTERVAL, self.room.poll, name="room-watch")
        self.show_step(self.step, save=False)
        self._fit_guidance()
        if self._gc_paused:
            self.app.set_timer(self.GC_PAUSE, self._resume_gc)

    def _resume_gc(self) -> None:
        if self._gc_paused:
            self._gc_paused = False
            gcpause.resume()

    def on_unmount(self) -> None:
        self._resume_gc()
        gcpause.thaw()  # this screen's widgets were frozen with the rest: collectable again
        self.service.unsubscribe(self._on_session_changed)
        self.room.unsubscribe(self._show_room)

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Skip the restyle of the whole screen when it first shows.

        Every widget was styled as it mounted a moment ago (and a theme change
        restyles every screen itself), so the first restyle only repeats that
        work. Later resumes (back from a dialog) restyle as usual.
        """
        if not self._resumed:
            self._resumed = True
            internals.skip_first_restyle(event)

    # -- steps -----------------------------------------------------------------

    def pane(self, step: StepId) -> StepPane:
        switcher = self.query_one("#panes", ContentSwitcher)
        pane_id = f"pane-{step.value}"
        found = switcher.query(f"#{pane_id}")
        if found:
            return found.first(StepPane)
        use_room(self.app, step.value)
        pane = pane_class(step)(self.service)
        switcher.mount(pane)
        return pane

    def show_step(self, step: StepId, *, save: bool = True) -> None:
        pane = self.pane(step)
        self.query_one("#panes", ContentSwitcher).current = f"pane-{step.value}"
        if pane.id in self._stale:
            self._stale.discard(pane.id)
            if pane.is_mounted:
                pane.refresh_from_session()
        if save:
            self.service.set_step(step)
        self.query_one(StepList).set_current(step)
        self.query_one("#guidance-text", GuidanceText).show(guidance(step))
        for timer in self.query(StepTimer):
            timer.enter_step(step)
        # The next key typed after a step change (ctrl+pagedown, the step list,
        # the palette) lands in the step's field, not nowhere. A read-only copy
        # has no field to type in: the pane itself takes the keys (arrows scroll
        # it, Ctrl+↓/↑ jump section by section), read from its top.
        if self.service.readonly:
            pane.scroll_home(animate=False)
        # Until the pane focuses its field (a step built for the first time takes a
        # moment), no field has the focus: the keys typed meanwhile are held for it,
        # and the step left behind gets none of them.
        self._held = []
        self.set_focus(None)
        pane.take_focus()

    #: Printable keys typed since a step was shown and before its field took the
    #: focus; ``None`` when no step is being shown.
    _held: list[events.Key] | None = None
    #: Held keys given back to a widget: if it does not use one, it stops here, so
    #: that it does not reach the app and get sent round again.
    _given: set[events.Key] = set()

    def on_key(self, event: events.Key) -> None:
        if event in self._given:
            self._given.discard(event)
            event.stop()
        elif self._held is not None and self.focused is None and event.is_printable:
            self._held.append(event)
            event.stop()
            event.prevent_default()

    def release_keys(self, to: Widget) -> None:
        """Give the keys held while the step was shown to *to*, its field just focused."""
        held, self._held = self._held or [], None
        for key in held:
            given = events.Key(key.key, key.character)
            self._given.add(given)
            to.post_message(given)

    def on_descendant_focus(self) -> None:
        # The focus came another way (a click) while keys were held: they go there.
        if self._held is not None and self.focused is not None:
            self.release_keys(self.focused)

    @on(StepList.StepChosen)
    def _step_chosen(self, event: StepList.StepChosen) -> None:
        self.show_step(event.step)

    def action_next_step(self) -> None:
        i = STEP_ORDER.index(self.step)
        self.show_step(STEP_ORDER[min(i + 1, len(STEP_ORDER) - 1)])

    def action_prev_step(self) -> None:
        i = STEP_ORDER.index(self.step)
        self.show_step(STEP_ORDER[max(i - 1, 0)])

    def action_focus_steps(self) -> None:
        self.query_one(StepList).focus()

    #: Below this width the guidance panel would squeeze the forms to a
    #: sliver, so F3 shows the guidance full size in the help screen instead.
    GUIDANCE_MIN_WIDTH = 110

    #: Whether the room wants the guidance beside the forms (F3), when there is room for it.
    _guidance_wanted = True

    def _fit_guidance(self) -> None:
        panel = self.query_one("#guidance")
        show = self._guidance_wanted and self.size.width >= self.GUIDANCE_MIN_WIDTH
        if panel.display != show:
            panel.display = show

    def on_resize(self) -> None:
        # A terminal narrowed mid-workshop (a projector, a split screen) keeps the
        # forms usable; widened again, the guidance comes back unless F3 hid it.
        if self.is_mounted:
            self._fit_guidance()

    def action_toggle_guidance(self) -> None:
        if self.size.width < self.GUIDANCE_MIN_WIDTH:
            self.app.action_help()  # type: ignore[attr-defined]
            return
        self._guidance_wanted = not self._guidance_wanted
        self._fit_guidance()

    # -- changes -----------------------------------------------------------------

    def _on_session_changed(self, what: str) -> None:
        if what == "agenda":
            # Timeboxes and time spent (saved every few seconds while the timer
            # runs) show only in the timer and the agenda, which listen themselves.
            return
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_after_refresh(self._refresh_views)

    def _refresh_views(self) -> None:
        """After a saved change: the step list and the visible pane only.

        Hidden panes are refreshed when they are shown again; every
        ``ActionsPanel`` (and ``SignOffBar``) listens to the service itself.
        Walking the DOM with ``query`` would visit every form widget, so the
        panes are taken from the switcher's children.
        """
        self._refresh_pending = False
        self.query_one(StepList).refresh_steps(self.service.session)
        switcher = self.query_one("#panes", ContentSwitcher)
        for pane in switcher.children:
            if not isinstance(pane, StepPane):
                continue
            if pane.id != switcher.current:
                self._stale.add(pane.id or "")
            elif pane.is_mounted:
                # A pane mounted lazily may still be composing: it reads the
                # session when it mounts, so only refresh the ones that are ready.
                pane.refresh_from_session()

    # -- the room's contributions ---------------------------------------------------

    def _show_room(self) -> None:
        """The notes waiting: beside each step and, in all, in the header (nothing when none)."""
        self.query_one(StepList).set_waiting(self.room.counts)
        summary = waiting_summary(self.room.counts, key_for(self, "room_notes"))
        plain = self._plain_sub_title
        # first: a long title cuts the end of the header, and the organisation can wait
        sub_title = f"{summary} · {plain}" if plain and summary else (summary or plain)
        if self.sub_title != sub_title:
            self.sub_title = sub_title

    def action_room_notes(self, all_steps: bool = False, focus: str = "") -> None:
        """F10: the room's new notes for this step (*all_steps*: every step's)."""
        import sqlite3

        from ..form.refusal import say_refused
        from .contributions import RoomNotesScreen

        try:
            self.service.room_settings()
        except sqlite3.Error:
            # an older file opened read-only was not updated, and has no place for them
            say_refused(self, "This copy of the session has no room notes (read-only, older file)")
            return
        self.room.read()
        self.app.push_screen(
            RoomNotesScreen(self.service, self.room, self.step, all_steps=all_steps, focus=focus)
        )

    def action_room_budget(self) -> None:
        """The room notes, with the focus in the field of dots each visitor has."""
        self.action_room_notes(focus="budget")

    def action_toggle_contributions(self) -> None:
        """Open contributions to the room, or close them (visitors see it at once)."""
        from ..form.refusal import attempt

        is_open = not self.service.room_settings().open
        if attempt(self, self.service.set_contributions_open, is_open) is None:
            return
        self.notify(
            "Contributions open: the room can send notes and votes"
            if is_open
            else "Contributions closed: the room can only watch",
            timeout=3,
        )

    def action_copy_room_votes(self) -> None:
        """The room's dots become the goals' votes (asking before replacing votes typed in)."""
        from .contributions import copy_votes

        copy_votes(self, self.service, self.room)

    # -- verbs -------------------------------------------------------------------

    def action_add_action(self) -> None:
        from ..dialogs.action_dialog import ActionDialog

        def done(result: object) -> None:
            if result is not None:
                self.notify("Action added")

        self.app.push_screen(ActionDialog(self.service, step=self.step), done)

    def action_export(self, fmt: str = "checklist") -> None:
        from ..dialogs.export_dialog import ExportDialog

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_export(request)

        self.app.push_screen(ExportDialog(self.service.path, fmt=fmt), chosen)

    def run_export(self, request: ExportRequest) -> None:
        """Render in a thread; write without overwriting unless asked; say where it went."""
        session = self.service.session.model_copy(deep=True)
        self._export_worker(session, request)

    @work(thread=True, exclusive=True, group="export")
    def _export_worker(self, session: Session, request: ExportRequest) -> None:
        from ..sessions.export import render, write_export

        try:
            if request.clipboard or request.path is None:
                text = render(session, request.fmt, facilitator=request.facilitator)
                self.app.call_from_thread(self.app.copy_to_clipboard, text)
                message = (
                    f"{EXPORT_NAMES.get(request.fmt, request.fmt)} copied to the clipboard "
                    "(if the terminal allows)"
                )
            else:
                write_export(
                    session,
                    request.fmt,
                    request.path,
                    force=request.overwrite,
                    facilitator=request.facilitator,
                )
                message = f"{EXPORT_NAMES.get(request.fmt, request.fmt)} written to {request.path}"
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(
                self.notify, f"Export failed: {exc}", severity="error", timeout=8
            )
            return
        self.app.call_from_thread(self.notify, message, timeout=8)

    def action_review(self) -> None:
        from .review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.service))

    # -- keeping time and quitting (time-keeping engineer) ----------------------------

    @property
    def timer(self) -> StepTimer:
        return self.query_one(StepTimer)

    def action_toggle_timer(self) -> None:
        self.timer.toggle()
        # The toast says what the timer's line says (one description of its state).
        self.notify(self.timer.summary(), timeout=2, markup=False)

    def action_add_minute(self) -> None:
        self.timer.add_minute()
        self.notify(f"One more minute: {self.timer.summary()}", timeout=2, markup=False)

    def action_reset_timer(self) -> None:
        self.timer.reset()
        self.notify(f"Back to the full timebox: {self.timer.summary()}", timeout=2, markup=False)

    def action_agenda(self) -> None:
        from ..dialogs.agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(self.service))

    def flush_fields(self) -> None:
        """Save whatever is still waiting in a self-saving field, on every open screen."""
        from ..form.fields import flush_fields

        for screen in self.app.screen_stack:
            flush_fields(screen)

    def request_quit(self) -> None:
        """Ctrl+q: save what is pending, then ask before ending the workshop."""
        from ..form.confirm import ConfirmDialog

        if getattr(self, "_asking_quit", False):
            return
        self.flush_fields()
        self.timer.save()
        self._asking_quit = True

        def answered(end: bool | None) -> None:
            self._asking_quit = False
            if end:
                self.flush_fields()
                self.timer.save_all()
                self.app.exit()

        if self.service.readonly:
            # Closing a copy that was only read ends nothing: the editing copy goes on.
            dialog = ConfirmDialog(
                "Close this read-only copy?",
                "This copy was read-only: nothing in it was changed. "
                "The session is as the editing copy saved it.",
                confirm_label="Close",
                cancel_label="Keep reading",
            )
        else:
            dialog = ConfirmDialog(
                "End the workshop?",
                "Everything is saved; you can resume any time. "
                "Press y to end it, n or Escape to keep working.",
                confirm_label="End workshop",
                cancel_label="Keep working",
                destructive=True,
            )
        self.app.push_screen(dialog, answered)

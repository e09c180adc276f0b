"""Set-up: the session's details and the people in the room.

Two sections (Ctrl+↓ / Ctrl+↑ jump between them):

* **Session** — title, organisation, date, facilitator and workshop length,
  bound fields that save as they are typed (:mod:`.details`);
* **People** — the participants as a record list beside one editor
  (:mod:`.people`): ↑/↓ choose a person, Enter edits them, Insert adds one,
  Delete removes the highlighted one (asking first; the actions they own
  become unowned). One Sales lead and one Marketing lead at most: the core
  refuses a second one and the reason shows under the Lead field.

In a read-only session every field is disabled and the list's keys and the
Add / Remove buttons are greyed out.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ...form.fields import read_only_session
from ...form.records import RecordEditor, RecordList
from ...form.section import Section
from ...sessions.models import Participant, StepId
from ..base import StepPane
from .details import compose_details
from .people import compose_person_fields, leads_note, people_list, person_editor


class SetupPane(StepPane):
    STEP: ClassVar[StepId] = StepId.SETUP

    people: RecordList[Participant]
    editor: RecordEditor[Participant]

    def compose_body(self) -> ComposeResult:
        read_only = read_only_session(self)
        with Section("Session", id="setup-session"):
            yield from compose_details(self.service)
        with Section("People", id="setup-people-section"):
            yield Static(
                "One Sales lead and one Marketing lead agree the goals and sign off for "
                "their teams.",
                classes="setup-hint",
            )
            self.leads = Static(leads_note(self.session), id="setup-leads", classes="setup-hint")
            yield self.leads
            self.people = people_list(self.service)
            yield self.people
            with Horizontal(classes="setup-buttons"):
                self.add_button = Button(
                    "Add person", id="setup-add-person", compact=True, disabled=read_only
                )
                yield self.add_button
                self.remove_button = Button(
                    "Remove",
                    id="setup-remove-person",
                    compact=True,
                    disabled=read_only or self.people.key is None,
                )
                yield self.remove_button
            self.editor = person_editor(self.service, self.people.key)
            with self.editor:
                yield from compose_person_fields(self.editor)

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        if not self.is_mounted:
            return
        self.people.sync()
        self.leads.update(leads_note(self.session))
        self._update_remove()
        meta = self.session.meta
        screen = self.screen
        screen.title = meta.title
        ro = " · read-only" if self.service.readonly else ""
        screen.sub_title = f"{meta.organisation}{ro}" if meta.organisation else ro.strip(" ·")

    def _update_remove(self) -> None:
        disabled = read_only_session(self) or self.people.key is None
        if self.remove_button.disabled != disabled:
            self.remove_button.disabled = disabled

    # -- the people list and its editor ------------------------------------------------

    @on(RecordList.Highlighted, "#setup-people")
    def _highlighted(self, event: RecordList.Highlighted) -> None:
        event.stop()
        self.editor.show(event.key)
        self._update_remove()

    @on(RecordList.Chosen, "#setup-people")
    def _chosen(self, event: RecordList.Chosen) -> None:
        event.stop()
        self.editor.focus_first(select_all=event.added)

    @on(Button.Pressed, "#setup-add-person")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.people.add()

    @on(Button.Pressed, "#setup-remove-person")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.people.ask_remove()

"""The story's messages: drafts started from the workbook's templates, filled from the house.

A template (an elevator line, an e-mail opener, a first-call talk track, a
website headline) names the house's parts; "New draft…" (N on the list or
its buttons, or the button) shows each template filled from this session's
house before the room picks one. The pick becomes a
:class:`~alignment_tui.sessions.models.MessageDraft` with the filled text,
which is then the room's own: its title, who it is for (the story's audience
to begin with) and its text are edited beside the list, as any record list of
the form layer (↑ ↓ choose, Enter edits, Delete removes, asking first;
Alt+↑ / Alt+↓ move). A part the house does not have yet shows as
``[pillar 3]`` in the draft, and the editor names what is still to write.

A read-only copy shows the drafts and offers no new one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from ...form.fields import SavingInput, SavingTextArea, TitledField, read_only_session
from ...form.records import BarButton, Column, RecordEditor, RecordForm, RecordList, RecordSource
from ...form.refusal import attempt
from ...form.row import FieldRow
from ...form.section import Section
from ...sessions.models import MessageDraft
from ...sessions.service import SessionService
from ...sessions.text import one_line, snippet
from ..base import takes_text
from .house import show_content, sorted_pillars

if TYPE_CHECKING:
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice
    from ...sessions.workbook import MessageTemplate
    from ...widgets.workbook_offer import Question

DRAFTS_HINT = (
    "Turn the house into words the teams use: start a draft from a template, "
    "then make it sound like you."
)

COLUMNS = [
    Column("title", "Message", min_width=12),
    Column("audience", "For", min_width=8, drop=1),
    Column("text", "Draft", min_width=10, drop=2),
]

#: A part of the house a draft still waits for, as the workbook fills it in.
MISSING = re.compile(r"\[(core message|audience|pillar \d|proof point \d)\]")

#: The longest a short field (title, audience) may be.
SHORT = 200


def house_parts(service: SessionService) -> dict[str, str]:
    """The house's parts by the names a template uses (only those written)."""
    story = service.session.story
    parts = {"core": one_line(story.core_message), "audience": one_line(story.audience)}
    for n, pillar in enumerate(sorted_pillars(service)[:4], start=1):
        parts[f"pillar{n}"] = one_line(pillar.title)
        proofs = [p for p in service.proof_points_for(pillar.id) if p.text.strip()]
        if proofs:
            parts[f"proof{n}"] = one_line(proofs[0].text)
    return parts


def missing_text(text: str) -> str:
    """What a draft still waits for from the house, or "" when nothing."""
    parts = list(dict.fromkeys(m.group(1) for m in MISSING.finditer(text)))
    return f"⚠ Still to write in the house: {', '.join(parts)}" if parts else ""


def sorted_drafts(service: SessionService) -> list[MessageDraft]:
    return sorted(service.session.message_drafts, key=lambda d: (d.position, d.id))


def draft_cells(draft: MessageDraft, _number: int) -> dict[str, str | Content]:
    return {
        "title": one_line(draft.title) or "(untitled)",
        "audience": one_line(draft.audience) or "—",
        "text": one_line(" ".join(draft.text.split())),
    }


def template_choice(template: MessageTemplate, parts: dict[str, str]) -> WorkbookChoice:
    """A template as the chooser shows it: what it is for, then the draft it would make."""
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice
    from ...sessions import workbook

    filled = workbook.fill_message(template, parts)
    lines = [
        Content.from_markup("[b]$title[/b]", title=template.title),
        Content(""),
        Content(template.use),
        Content(""),
        Content.assemble(("As it would read from this house:", "$text-muted")),
        Content(filled),
    ]
    missing = missing_text(filled)
    if missing:
        lines += [Content(""), Content.assemble((missing, "$warning"))]
    return WorkbookChoice(template.key, template.title, Content("\n").join(lines))


class DraftEditor(RecordEditor[MessageDraft]):
    """The highlighted draft: its title, who it is for and its text.

    Its fields are mounted when a first draft is shown: most stories have none
    when the step opens.
    """

    WHEN_SHOWN = True

    def __init__(self, service: SessionService, key: int | None, **kwargs: Any) -> None:
        self.service = service
        #: The templates' titles by key (None: not read yet).
        self._titles: dict[str, str] | None = None
        super().__init__(self._lookup, service.update, key, **kwargs)

    def _lookup(self, key: int) -> MessageDraft | None:
        return next((d for d in self.service.session.message_drafts if d.id == key), None)

    def compose(self) -> ComposeResult:
        yield Static("", id="draft-head", classes="draft-head")
        with FieldRow(classes="draft-row"):
            yield TitledField(
                "Title",
                SavingInput(
                    read=self.get("title"),
                    parse=str.strip,
                    save=self.setter("title"),
                    id="draft-title",
                    compact=True,
                    bubble_changes=False,
                    placeholder="e.g. Elevator line",
                ),
            )
            yield TitledField(
                "For whom",
                SavingInput(
                    read=self.get("audience"),
                    parse=str.strip,
                    save=self.setter("audience"),
                    id="draft-audience",
                    compact=True,
                    bubble_changes=False,
                    placeholder="e.g. finance directors",
                ),
            )
        yield TitledField(
            "Text",
            SavingTextArea(
                read=self.get("text"),
                save=self.setter("text"),
                id="draft-text",
                bubble_changes=False,
            ),
            classes="draft-text-field",
        )
        yield Static("", id="draft-missing", classes="draft-missing")

    def on_mount(self) -> None:
        self.show_derived()

    def _template_title(self, key: str) -> str:
        """The title of the template *key* (the workbook is read once, when first needed)."""
        if not key:
            return ""
        if self._titles is None:
            from ...sessions import workbook

            self._titles = {t.key: t.title for t in workbook.load().message_templates()}
        return self._titles.get(key, key)

    def show_derived(self) -> None:
        """The heading (which draft, from which template) and what it still waits for."""
        if not self.built:
            return
        drafts = sorted_drafts(self.service)
        ids = [d.id for d in drafts]
        draft = self.record()
        head = ""
        if draft is not None and draft.id in ids:
            head = f"Draft {ids.index(draft.id) + 1} of {len(ids)}"
            source = self._template_title(draft.template)
            if source:
                head += f", from the template “{snippet(source, 40)}”"
        show_content(self.query_one("#draft-head", Static), Content(head), layout=False)
        missing = missing_text(draft.text) if draft is not None else ""
        line = self.query_one("#draft-missing", Static)
        show_content(line, Content(missing))
        if line.display != bool(missing):
            line.display = bool(missing)


class DraftsSection(RecordForm[DraftEditor], Section):
    """The message drafts beside one editor, and the way to start one from a template."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "new_draft",
            "New draft…",
            id="story.new_draft",
            tooltip="Start a message from one of the workbook's templates, filled from this house",
        ),
    ]

    def __init__(self, service: SessionService, **kwargs: Any) -> None:
        super().__init__("Messages", **kwargs)
        self.service = service
        self.records: RecordList[MessageDraft] = RecordList(
            RecordSource(
                records=lambda: sorted_drafts(self.service),
                key=lambda d: d.id,
                cells=draft_cells,
                remove=service.remove,
                move=service.move,
                describe=self._describe,
            ),
            COLUMNS,
            empty="No drafts yet: “New draft…” starts one from a template.",
            id="drafts-list",
        )
        self.editor = DraftEditor(service, self.records.key, id="draft-editor")

    def compose(self) -> ComposeResult:
        yield Static(Content(DRAFTS_HINT), classes="step-hint")
        yield self.records
        with Horizontal(id="drafts-bar", classes="line-bar"):
            new = Button(
                "+ New draft…",
                id="draft-new",
                compact=True,
                tooltip="Start a message from a template, filled from this house (N)",
            )
            new.display = not read_only_session(self)
            yield new
            yield self.record_bar(
                BarButton(
                    "up", "↑", "draft-up", "Move the highlighted draft up (Alt+↑ in the list)"
                ),
                BarButton(
                    "down", "↓", "draft-down", "Move the highlighted draft down (Alt+↓ in the list)"
                ),
                BarButton(
                    "remove",
                    "✕ Remove",
                    "draft-remove",
                    "Remove the highlighted draft (Delete in the list; asks first)",
                ),
            )
        yield self.editor

    def _describe(self, draft: MessageDraft) -> tuple[str, str, bool]:
        name = snippet(draft.title) or "this draft"
        return f"the draft “{name}”", "Its text is removed from the session.", True

    def sync(self) -> None:
        """The session changed: the list shows it (the pane reloads the editor's fields)."""
        self.sync_records()

    # -- a new draft ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_draft":
            # not offered in a read-only copy, nor while a key would type into a field
            focused = self.screen.focused
            return not read_only_session(self) and not (focused and takes_text(focused))
        return True

    @on(Button.Pressed, "#draft-new")
    def _new_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_new_draft()

    def action_new_draft(self) -> None:
        """Choose a template; the draft it makes from this house is added and shown."""
        if read_only_session(self):
            return
        from ...sessions import workbook
        from ...widgets.workbook_offer import Question, offer, read_workbook  # (only when asked)

        parts = house_parts(self.service)

        def question(template: MessageTemplate, chosen: bool) -> Question | None:
            if chosen:
                return None
            return Question(
                "Start a message from this template?",
                f"“{template.title}” is added as a draft, filled from this session's house.",
                "Add it",
            )

        offer(
            self,
            {t.key: t for t in read_workbook(self).message_templates()},
            title="Start a message from a template",
            note="Filled from this session's house; a part not written yet shows in "
            "brackets. Edit the draft freely after.",
            nothing="The workbook has no message template",
            choice=lambda template: template_choice(template, parts),
            question=question,
            apply=lambda t: self._add(t, workbook.fill_message(t, house_parts(self.service))),
        )

    def _add(self, template: MessageTemplate, text: str) -> None:
        audience = one_line(self.service.session.story.audience).strip()[:SHORT]
        draft = attempt(
            self,
            self.service.add,
            MessageDraft,
            template=template.key,
            title=template.title[:SHORT],
            audience=audience,
            text=text,
        )
        if draft is None:
            return
        self.records.point_at(draft.id)
        self.editor.show(draft.id)
        self.sync_records()
        self.editor.after_built(self._into_words)

    def _into_words(self) -> None:
        """Straight into the new draft's words: the room makes the draft its own."""
        self.editor.query_one("#draft-text").focus()
        self.call_after_refresh(self.editor.scroll_visible, top=True, animate=False)


__all__ = ["DraftEditor", "DraftsSection", "house_parts", "missing_text"]

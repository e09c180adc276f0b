"""Add or edit one action: what, which step, who owns it, when it is due, where it stands,
and (optionally) which joint goal or funnel stage it is meant to improve ("Aims at").

``ActionDialog(service, step=..., action=None)`` is a typed modal: it saves
through the service (``add_action`` or ``update``) and dismisses with the saved
:class:`Action`, or with ``None`` when cancelled. A refused value is named under
its field (the form layer's one reason line) and everything typed stays where
it was. Enter in a text field or the Save button saves; escape cancels.

What is typed is kept as a draft in the session file while the dialog is open
(at least once a second, like every field), so an app killed with the dialog
open loses nothing: the next Add action (or edit of the same action) starts
from the draft and says so. Saving or cancelling forgets it.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from ..form.fields import Field, SaveTimer
from ..form.refusal import show_reason
from ..form.row import FieldRow
from ..sessions.errors import SessionFileError
from ..sessions.models import STEP_ORDER, Action, ActionStatus, Session, StepId
from ..sessions.parse import parse_date
from ..sessions.service import SessionService, target_label
from .form_dialog import FormDialog

#: The owner choice that means "nobody yet" (ids start at 1).
NOBODY = 0

STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.DOING: "Doing",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}

DUE_HINT = "YYYY-MM-DD, today, +2w"


def step_options() -> list[tuple[Any, StepId]]:
    out: list[tuple[Any, StepId]] = []
    for step in STEP_ORDER:
        label = f"{step.number}. {step.short}" if step.number else step.short
        out.append((Content(label), step))
    return out


def owner_options(session: Session) -> list[tuple[Any, int]]:
    """Participants by name, after "nobody yet"; labels are Content so names stay literal."""
    people = sorted(session.participants, key=lambda p: p.name.lower())
    return [(Content("nobody yet"), NOBODY)] + [
        (Content(f"{p.name} ({p.team.value})"), p.id) for p in people
    ]


#: The "Aims at" choice that means "not said".
NO_TARGET = "none"
#: The "Aims at" choice that keeps a removed target's name (offered only then).
GONE_TARGET = "gone"


def target_options(session: Session, gone: str = "") -> list[tuple[Any, str]]:
    """ "—", each joint goal, each funnel stage (labels are Content: names stay literal);
    with *gone* (a removed target's name), that name marked "(removed)" after "—"."""
    out: list[tuple[Any, str]] = [(Content("—"), NO_TARGET)]
    if gone:
        out.append((Content(f"{gone} (removed)"), GONE_TARGET))
    goals = sorted(session.goals, key=lambda g: (g.position, g.id))
    out += [(Content(target_label(g)), f"goal:{g.id}") for g in goals]
    stages = sorted(session.funnel_stages, key=lambda st: (st.position, st.id))
    out += [(Content(target_label(st)), f"stage:{st.id}") for st in stages]
    return out


def target_value(action: Action | None) -> str:
    """The "Aims at" choice for *action* as it is saved."""
    if action is None:
        return NO_TARGET
    if action.target_goal_id is not None:
        return f"goal:{action.target_goal_id}"
    if action.target_stage_id is not None:
        return f"stage:{action.target_stage_id}"
    return GONE_TARGET if action.target_gone else NO_TARGET


def target_fields(choice: str) -> dict[str, Any]:
    """What saving *choice* writes to the action (nothing for a kept removed target)."""
    if choice == GONE_TARGET:
        return {}
    kind, _, ident = choice.partition(":")
    return {
        "target_goal_id": int(ident) if kind == "goal" else None,
        "target_stage_id": int(ident) if kind == "stage" else None,
        "target_gone": "",
    }


class ActionDialog(SaveTimer, FormDialog[Action]):
    """Add an action (``action=None``) or edit one."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="action_dialog_cancel",
            tooltip="Close without saving",
        ),
    ]

    def __init__(
        self, service: SessionService, *, step: StepId, action: Action | None = None
    ) -> None:
        super().__init__()
        self.service = service
        self.step = step
        self.editing = action
        #: What the action aimed at before its goal or stage was removed ("" if nothing).
        self.gone = action.target_gone if action is not None else ""
        #: The draft's name in the session file: one for a new action, one per action edited.
        self.draft_name = "action-new" if action is None else f"action-{action.id}"
        self.draft = service.draft(self.draft_name)

    # -- building ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        a = self.editing
        session = self.service.session
        owner = a.owner_id if a is not None and session.participant(a.owner_id) else NOBODY
        with VerticalScroll(id="action-box"):
            title = "Edit action" if a is not None else "Add an action"
            yield Label(Content(title), id="action-title")
            yield Field(
                "What will be done",
                Input(
                    a.text if a is not None else "",
                    placeholder="e.g. Give Lena read-only access to the CRM",
                    id="action-text",
                ),
                id="field-action-text",
            )
            with FieldRow(classes="action-row"):
                yield Field(
                    "Step",
                    Select(
                        step_options(),
                        value=a.step if a is not None else self.step,
                        allow_blank=False,
                        id="action-step",
                    ),
                    id="field-action-step",
                )
                yield Field(
                    "Owner",
                    Select(
                        owner_options(session),
                        value=owner,
                        allow_blank=False,
                        id="action-owner",
                    ),
                    id="field-action-owner",
                )
                yield Field(
                    "Status",
                    Select(
                        [(Content(label), s) for s, label in STATUS_LABELS.items()],
                        value=a.status if a is not None else ActionStatus.OPEN,
                        allow_blank=False,
                        id="action-status",
                    ),
                    id="field-action-status",
                )
            options = target_options(session, self.gone)
            chosen = target_value(a)
            # After the due date in the Tab order, so the keys to reach the due date
            # stay as they were; the buttons stand on their own line under both.
            with FieldRow(classes="action-row"):
                yield Field(
                    "Due date",
                    Input(
                        a.due.isoformat() if a is not None and a.due else "",
                        placeholder=DUE_HINT,
                        id="action-due",
                    ),
                    hint=DUE_HINT,
                    id="field-action-due",
                )
                yield Field(
                    "Aims at",
                    Select(
                        options,
                        value=chosen if chosen in {v for _label, v in options} else NO_TARGET,
                        allow_blank=False,
                        id="action-target",
                    ),
                    hint="goal or funnel stage",
                    id="field-action-target",
                )
            with Horizontal(id="action-buttons"):
                yield Button("Save", variant="primary", id="action-save", classes="form-save")
                yield Button("Cancel", id="action-cancel", classes="form-cancel")
            yield Static("", id="action-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#action-error", Static).display = False
        if self.draft:
            self._restore(self.draft)
        self.query_one("#action-text", Input).focus()
        # Changes made while the dialog builds are its own values, not typing.
        self.call_after_refresh(self._arm_draft)

    # -- the draft -----------------------------------------------------------------------

    _draft_armed = False

    def _arm_draft(self) -> None:
        self._draft_armed = True

    def _typed(self) -> dict[str, str]:
        out = {
            "text": self.query_one("#action-text", Input).value,
            "due": self.query_one("#action-due", Input).value,
        }
        for name in ("step", "owner", "status", "target"):
            value = self.query_one(f"#action-{name}", Select).value
            if value is not Select.NULL:
                out[name] = str(value.value if isinstance(value, StepId | ActionStatus) else value)
        return out

    def _restore(self, draft: dict[str, str]) -> None:
        self.query_one("#action-text", Input).value = draft.get("text", "")
        self.query_one("#action-due", Input).value = draft.get("due", "")
        # Each choice only from the values it offers now (a person may have been removed).
        offered: dict[str, dict[str, Any]] = {
            "step": {s.value: s for _label, s in step_options()},
            "owner": {str(pid): pid for _label, pid in owner_options(self.service.session)},
            "status": {s.value: s for s in STATUS_LABELS},
            "target": {v: v for _label, v in target_options(self.service.session, self.gone)},
        }
        for name, values in offered.items():
            if draft.get(name) in values:
                self.query_one(f"#action-{name}", Select).value = values[draft[name]]
        note = self.query_one("#action-error", Static)
        note.update(Content("Restored what was typed here before the app closed."))
        note.display = True

    @on(Input.Changed)
    @on(Select.Changed)
    def _draft_changed(self) -> None:
        if self._draft_armed:
            self._schedule()

    def _do_save(self) -> None:
        self.service.save_draft(self.draft_name, self._typed())

    def _forget_draft(self) -> None:
        self.cancel()
        self.service.drop_draft(self.draft_name)

    def action_cancel(self) -> None:
        self._forget_draft()
        super().action_cancel()

    # -- errors ----------------------------------------------------------------------

    def _field_error(self, widget_id: str, message: str | None) -> None:
        show_reason(self.query_one(f"#{widget_id}"), message)

    def _general_error(self, message: str | None) -> None:
        error = self.query_one("#action-error", Static)
        error.update(Content(message or ""))
        error.display = message is not None

    @on(Input.Changed, "#action-text")
    def _text_changed(self) -> None:
        self._field_error("action-text", None)

    @on(Input.Changed, "#action-due")
    def _due_changed(self) -> None:
        self._field_error("action-due", None)

    # -- saving ------------------------------------------------------------------------

    def action_save(self) -> None:
        """Check every field, name what is wrong next to it, save only when all is well."""
        text_input = self.query_one("#action-text", Input)
        due_input = self.query_one("#action-due", Input)
        errors: dict[str, str] = {}
        text = " ".join(text_input.value.split())
        if not text:
            errors["action-text"] = "Say what will be done (the text is required)"
        due = None
        try:
            due = parse_date(due_input.value, field="Due date")
        except ValueError as exc:
            errors["action-due"] = str(exc)
        for widget_id in ("action-text", "action-due"):
            self._field_error(widget_id, errors.get(widget_id))
        self._general_error(None)
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return

        step = self._select_value("#action-step", self.step)
        owner = self._select_value("#action-owner", NOBODY)
        status = self._select_value("#action-status", ActionStatus.OPEN)
        target = self._select_value("#action-target", NO_TARGET)
        fields: dict[str, Any] = {
            "owner_id": owner or None,
            "due": due,
            "status": status,
            **target_fields(target),
        }
        try:
            if self.editing is None:
                saved = self.service.add_action(text, step, **fields)
            else:
                current = next(
                    (a for a in self.service.session.actions if a.id == self.editing.id), None
                )
                if current is None:
                    self._general_error("This action was removed meanwhile; cancel to close")
                    return
                saved = self.service.update(current, text=text, step=step, **fields)
        except (ValueError, SessionFileError) as exc:
            self._show_refusal(str(exc))
            return
        self._forget_draft()
        self.dismiss(saved)

    def _select_value(self, selector: str, default: Any) -> Any:
        value = self.query_one(selector, Select).value
        return default if value is Select.NULL else value

    def _show_refusal(self, message: str) -> None:
        """Put the service's one-line reason under the field it names."""
        low = message.lower()
        target: str | None = None
        for name in ("text", "due", "owner", "status", "target"):
            if low.startswith(name):
                target = f"action-{name}"
        if target is None:
            self._general_error(message)
            return
        self._field_error(target, message)
        self.query_one(f"#{target}").focus()


__all__ = ["ActionDialog", "owner_options", "step_options", "target_options"]

"""A sign-off bar: where the Sales lead and the Marketing lead put their names to something.

``SignOffBar(service, subject)`` shows one line per lead with the state of
their sign-off in words and a symbol (never colour alone):

* ``○ missing`` - not signed yet;
* ``✔ signed by NAME at TIME`` - signed, and nothing changed since;
* ``⚠ changed since sign-off — sign again`` - signed, then edited.

Each line has a *Sign* button (reads *Sign again* after a change; always as
wide as that, so both rows' buttons line up) and a *Withdraw* button; the line
naming the lead stays one line, a long name cut with "…". The bar listens to the service itself, so it refreshes
after every saved change anywhere in the session (the fingerprint of the
subject decides whether a sign-off still holds); a pane that wants an
immediate refresh can call :meth:`SignOffBar.refresh_state`.

Button ids are ``sign-<subject>-<role>`` and ``unsign-<subject>-<role>``
(e.g. ``sign-story-sales``), the state line is ``signoff-<subject>-<role>``
and the line naming the lead ``signoff-lead-<subject>-<role>``, so tests and
keymaps can reach them.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from ..sessions.errors import SessionFileError
from ..sessions.models import LeadRole, SignOffSubject, Team
from ..sessions.service import SessionService

ROLE_TEAM: dict[LeadRole, Team] = {LeadRole.SALES: Team.SALES, LeadRole.MARKETING: Team.MARKETING}


def describe_signoff(service: SessionService, subject: SignOffSubject, role: LeadRole) -> str:
    """The state of one lead's sign-off, in words, starting with a symbol."""
    state = service.signoff_state(subject, role)
    record = service.signoff(subject, role)
    if state == "missing" or record is None:
        return "○ missing"
    when = record.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if state == "changed":
        return f"⚠ changed since sign-off by {record.name} ({when}) — sign again"
    return f"✔ signed by {record.name} at {when}"


class SignOffBar(Vertical):
    """The two leads' sign-off of *subject*, with buttons to sign and withdraw."""

    DEFAULT_CSS = """
    SignOffBar {
        height: auto;
        border: round $panel;
        border-title-color: $text-muted;
        padding: 0 1;
        margin: 1 0;
    }
    SignOffBar > .signoff-row {
        height: auto;
    }
    SignOffBar .signoff-lead {
        width: 1fr;
        height: 1;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    SignOffBar .signoff-who {
        width: 1fr;
        height: auto;
        padding: 0 0 0 2;
    }
    SignOffBar .signoff-who.-signed {
        color: $success;
    }
    SignOffBar .signoff-who.-changed {
        color: $warning;
        text-style: bold;
    }
    SignOffBar .signoff-who.-missing {
        color: $text-muted;
    }
    SignOffBar Button {
        margin-left: 1;
        min-width: 6;
        width: auto;
    }
    SignOffBar Button.signoff-sign {
        width: 12;
    }
    SignOffBar.-all-signed {
        border: round $success;
    }
    """

    def __init__(
        self,
        service: SessionService,
        subject: SignOffSubject,
        *,
        title: str = "Sign-off by both leads",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("id", f"signoff-{subject.value}")
        super().__init__(**kwargs)
        self.service = service
        self.subject = subject
        self.border_title = title
        self._pending = False

    def _rid(self, kind: str, role: LeadRole) -> str:
        return f"{kind}-{self.subject.value}-{role.value}"

    def compose(self) -> ComposeResult:
        # Each line is drawn with its text from the start: filled in after
        # mounting, the lines would change size and lay the screen out again.
        for role in (LeadRole.SALES, LeadRole.MARKETING):
            who, text, state = self._texts(role)
            with Horizontal(classes="signoff-row"):
                yield Static(
                    Content(who), classes="signoff-lead", id=self._rid("signoff-lead", role)
                )
                # As wide as "Sign again" whatever it reads: a Button's label does not
                # lay it out again, so an auto width would keep showing "Sign".
                yield Button(
                    "Sign",
                    id=self._rid("sign", role),
                    compact=True,
                    variant="primary",
                    classes="signoff-sign",
                )
                yield Button("Withdraw", id=self._rid("unsign", role), compact=True)
            yield Static(
                Content(text), classes=f"signoff-who -{state}", id=self._rid("signoff", role)
            )

    def on_mount(self) -> None:
        self.service.subscribe(self._changed)
        self.refresh_state()

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._changed)

    def _changed(self, _what: str) -> None:
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._refresh_later)

    def _refresh_later(self) -> None:
        self._pending = False
        if self.is_attached:
            self.refresh_state()

    def _texts(self, role: LeadRole) -> tuple[str, str, str]:
        """The lead line, the sign-off line and the state of *role*'s sign-off."""
        team = ROLE_TEAM[role]
        lead = self.service.session.lead(team)
        state = self.service.signoff_state(self.subject, role)
        who = f"{team.value} lead: {lead.name}" if lead else f"{team.value} lead: none yet"
        text = describe_signoff(self.service, self.subject, role)
        if lead is None and state == "missing":
            text = "○ missing — no lead marked yet (see Set-up)"
        return who, text, state

    def refresh_state(self) -> None:
        """Show each lead's current state (call after a change you want shown now)."""
        all_signed = True
        readonly = self.service.readonly
        for role in (LeadRole.SALES, LeadRole.MARKETING):
            team = ROLE_TEAM[role]
            lead = self.service.session.lead(team)
            who, text, state = self._texts(role)
            lead_line = self.query_one(f"#{self._rid('signoff-lead', role)}", Static)
            if str(lead_line.content) != who:
                lead_line.update(Content(who))
            line = self.query_one(f"#{self._rid('signoff', role)}", Static)
            if str(line.content) != text:
                line.update(Content(text))
            for cls in ("-signed", "-changed", "-missing"):
                line.set_class(cls == f"-{state}", cls)
            sign = self.query_one(f"#{self._rid('sign', role)}", Button)
            label = "Sign again" if state == "changed" else "Sign"
            if str(sign.label) != label:
                sign.label = Content(label)
            sign.disabled = readonly or lead is None
            sign.tooltip = (
                f"Record that the {team.value} lead agrees with this now"
                if lead
                else f"Mark a {team.value} lead in Set-up first"
            )
            unsign = self.query_one(f"#{self._rid('unsign', role)}", Button)
            unsign.disabled = readonly or state == "missing"
            unsign.tooltip = f"Withdraw the {team.value} lead's sign-off"
            all_signed = all_signed and state == "signed"
        self.set_class(all_signed, "-all-signed")

    def _role_of(self, button: Button) -> LeadRole:
        return LeadRole((button.id or "").rsplit("-", 1)[-1])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button = event.button
        bid = button.id or ""
        if not bid.endswith(tuple(f"-{self.subject.value}-{r.value}" for r in LeadRole)):
            return
        event.stop()
        role = self._role_of(button)
        try:
            if bid.startswith("sign-"):
                self.service.sign(self.subject, role)
            elif bid.startswith("unsign-"):
                self.service.unsign(self.subject, role)
        except (ValueError, SessionFileError) as exc:
            self.app.notify(str(exc), severity="error", timeout=6)
        self.refresh_state()

"""Pieces of the follow view's presentation: text made safe, cards, sign-offs, actions.

Typed text always goes through :func:`para` / :func:`line` (``Content`` built from
the text, never markup; control characters shown as ``sessions.text`` says), so a
``[bold]`` or an escape sequence typed in the workshop shows as typed.
"""

from __future__ import annotations

import datetime as dt

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ..sessions import clock
from ..sessions.models import (
    STEP_ORDER,
    Action,
    ActionStatus,
    LeadRole,
    Session,
    SignOffSubject,
    StepId,
    Team,
)
from ..sessions.signoff import find_signoff, signoff_state
from ..sessions.text import one_line, visible

#: Shown for anything nobody has set yet.
NOT_AGREED = "not agreed yet"


def line(text: str) -> Content:
    """Typed *text* on one line (breaks and controls shown as symbols)."""
    return Content(one_line(text))


def block(text: str) -> Content:
    """Typed *text* with its own line breaks (controls shown as symbols)."""
    return Content(visible(text))


def date(value: dt.date | None, missing: str = "no date yet") -> str:
    return value.isoformat() if value else missing


def para(content: Content | str, *classes: str) -> Static:
    """A paragraph: *content* as it is (a ``str`` is plain text, never markup)."""
    shown = content if isinstance(content, Content) else Content(content)
    return Static(shown, markup=False, classes=" ".join(("para", *classes)))


def heading(text: str | Content) -> Static:
    return para(text if isinstance(text, Content) else Content(text), "heading")


def muted(text: str | Content) -> Static:
    return para(text, "muted")


def label_value(label: str, value: Content | str, missing: str = NOT_AGREED) -> Static:
    """``Label: value`` on one paragraph; an empty value reads *missing*, muted."""
    shown = value if isinstance(value, Content) else line(value)
    if not shown.plain.strip():
        shown = Content(missing).stylize("$text-muted")
    return para(Content.assemble((f"{label}: ", "bold"), shown))


def bullet_lines(items: list[Content], empty: str = "none yet") -> Content:
    """One line per item, each after a bullet; *empty* (muted) when there is none."""
    if not items:
        return Content(empty).stylize("$text-muted")
    return Content("\n").join(Content.assemble("• ", item) for item in items)


def bullets(items: list[Content], empty: str = "none yet") -> list[Static]:
    """The items as one paragraph of bulleted lines (one widget, however many items: a
    step is rebuilt at each change, and every widget costs its mount and layout)."""
    return [para(bullet_lines(items, empty), "bullets")]


class Card(Vertical):
    """A framed group of paragraphs (a goal, a grant, a hand-over …)."""

    DEFAULT_CSS = """
    Card {
        height: auto;
    }
    """

    def __init__(self, *parts: Widget, classes: str | None = None) -> None:
        super().__init__(*parts, classes=classes)
        #: The widgets it was built with (the screen updates them in place).
        self.parts = parts


class Columns(Horizontal):
    """Side by side, each child an equal share of the width."""

    DEFAULT_CSS = """
    Columns {
        height: auto;
    }
    Columns > * {
        width: 1fr;
    }
    """

    def __init__(self, *parts: Widget, classes: str | None = None) -> None:
        super().__init__(*parts, classes=classes)
        self.parts = parts


#: The colour of each team's column heading.
TEAM_STYLE = {"sales": "$primary", "marketing": "$secondary", "other": "$text-muted"}


def column(title: str, items: list[Content], empty: str, team: str) -> Static:
    """A titled column of bulleted lines (one widget), its title in *team*'s colour."""
    heading = Content(title).stylize(f"bold {TEAM_STYLE[team]}")
    return para(heading + Content("\n") + bullet_lines(items, empty), "column")


# -- sign-offs -------------------------------------------------------------------------

STATE_MARK = {"signed": "✔", "changed": "✎", "missing": "○"}


def signoff_line(session: Session, subject: SignOffSubject, what: str = "Agreed") -> Static:
    """Where both leads stand on *subject*: signed, changed since, or not yet."""
    parts: list[Content | tuple[str, str] | str] = [(f"{what} by the leads: ", "bold")]
    for i, (role, team) in enumerate(
        ((LeadRole.SALES, Team.SALES), (LeadRole.MARKETING, Team.MARKETING))
    ):
        if i:
            parts.append("  ·  ")
        state = signoff_state(session, subject, role)
        so = find_signoff(session, subject, role)
        lead = session.lead(team)
        name = so.name if so else (lead.name if lead else f"{team.value} lead")
        words = {
            "signed": "signed",
            "changed": "changed since sign-off",
            "missing": "not yet",
        }[state]
        style = {"signed": "$success", "changed": "$warning", "missing": "$text-muted"}[state]
        parts += [(STATE_MARK[state] + " ", style), line(name), (f" {words}", style)]
    return para(Content.assemble(*parts), "signoff")


# -- actions ---------------------------------------------------------------------------

STATUS_MARK = {ActionStatus.OPEN: "☐", ActionStatus.DOING: "◐"}


def open_actions(session: Session, step: StepId | None) -> list[Action]:
    """The open actions of *step* (every step's for None), soonest due first."""
    today = clock.today()
    todo = [a for a in session.open_actions() if step is None or a.step is step]
    return sorted(
        todo, key=lambda a: (a.due is None, a.due or today, STEP_ORDER.index(a.step), a.id)
    )


def action_line(session: Session, action: Action, with_step: bool = False) -> Content:
    today = clock.today()
    owner = session.owner_name(action)
    tail: list[Content | tuple[str, str] | str] = [
        "  — ",
        line(owner) if owner else ("no owner yet", "$text-muted"),
        " · ",
        ("due " + action.due.isoformat()) if action.due else ("no date yet", "$text-muted"),
    ]
    if action.due is not None and action.due < today:
        tail.append(("  ⚠ overdue", "bold $error"))
    if with_step:
        tail.append((f"  ({action.step.short})", "$text-muted"))
    return Content.assemble(
        (STATUS_MARK.get(action.status, "☐") + " ", "bold"), line(action.text), *tail
    )

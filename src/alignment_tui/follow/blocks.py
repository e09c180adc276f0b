"""Pieces of the follow view's presentation: text made safe, cards, sign-offs, actions.

Typed text always goes through :func:`para` / :func:`line` (``Content`` built from
the text, never markup; control characters shown as ``sessions.text`` says), so a
``[bold]`` or an escape sequence typed in the workshop shows as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.style import Style
from textual.widget import Widget

from ..form.columns import cell
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


@dataclass(frozen=True, eq=False)
class Text:
    """A paragraph of a block: *content* wrapped to the block's width, every line after
    *indent* cells (the wrapped ones too)."""

    content: Content
    indent: int = 0
    #: In the theme's muted text colour, as the block's CSS resolves it (a Content span
    #: of ``$text-muted`` does not blend the way CSS does in every theme).
    muted: bool = False


@dataclass(frozen=True, eq=False)
class Cols:
    """Paragraphs side by side, each column an equal share of the width, *gap* cells
    after each."""

    columns: tuple[tuple[Row, ...], ...]
    gap: int = 3


Row = Text | Cols

#: The look each paragraph class gives its words (the styles sit under the text's own).
CLASS_STYLE = {"heading": "bold $primary", "title": "bold"}
#: Paragraph classes drawn in the muted text colour.
MUTED = frozenset({"muted", "facts"})
#: Cells before each line of a paragraph of these classes.
CLASS_INDENT = {"bullets": 2}


def signature(rows: Sequence[Row]) -> tuple[object, ...]:
    """What *rows* draw: their words *and* styles (``Content`` equality is the words only)."""
    out: list[object] = []
    for row in rows:
        if isinstance(row, Text):
            out.append((row.content.plain, tuple(row.content.spans), row.indent, row.muted))
        else:
            out.append((row.gap, tuple(signature(c) for c in row.columns)))
    return tuple(out)


def draw(
    rows: Sequence[Row], width: int, muted: Style | None = None, above: int = 0
) -> list[Content]:
    """*rows* as lines of at most *width* cells (*muted*: the muted rows' style; *above*:
    blank lines before each row of columns)."""
    lines: list[Content] = []
    for row in rows:
        if isinstance(row, Text):
            pad = Content(" " * row.indent)
            words = row.content
            if row.muted and muted is not None:
                words = words.stylize_before(muted)
            for part in words.wrap(max(1, width - row.indent)):
                lines.append(pad + part if row.indent else part)
            continue
        if not row.columns:
            continue
        lines += [Content("")] * above
        k = len(row.columns)
        widths = [width // k] * k
        widths[-1] += width - sum(widths)
        cells = [
            draw(c, max(1, w - row.gap), muted) for c, w in zip(row.columns, widths, strict=True)
        ]
        for y in range(max((len(c) for c in cells), default=0)):
            lines.append(
                Content.assemble(
                    *(
                        cell(c[y] if y < len(c) else Content(""), w)
                        for c, w in zip(cells, widths, strict=True)
                    )
                )
            )
    return lines


class Block(Widget):
    """One widget for a whole block of the presentation (a paragraph, a card, columns):
    its paragraphs drawn as lines at the widget's width. A step changing its words
    updates the block in place; a widget per line would cost a mount and a layout each."""

    #: block--muted: the colour of muted rows; block--columns: its top padding is the
    #: blank lines above a row of columns (the stylesheet gives more when roomier).
    COMPONENT_CLASSES = {"block--muted", "block--columns"}
    DEFAULT_CSS = """
    Block {
        height: auto;
    }
    Block > .block--muted {
        color: $text-muted;
    }
    """

    def __init__(self, *rows: Row, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.rows: tuple[Row, ...] = rows
        self._signature = signature(rows)
        self._drawn: tuple[tuple[int, Style, int], list[Content]] | None = None

    def show(self, rows: Sequence[Row]) -> None:
        """Draw *rows* instead (nothing happens when they draw the same)."""
        new = signature(rows)
        if new != self._signature:
            self.rows, self._signature, self._drawn = tuple(rows), new, None
            self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        # the muted colour as the theme has it now (F8 changes it), the space above
        # columns as the density has it now (+ and -)
        muted = Style(foreground=self.get_visual_style("block--muted").foreground)
        above = self.get_component_styles("block--columns").padding.top
        key = (width, muted, above)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, draw(self.rows, width, muted, above))
        return self._drawn[1]

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width or 80))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    @property
    def plain(self) -> str:
        """The words of every row (columns one after the other), for tests."""
        return "\n".join(_plain(self.rows))


def _plain(rows: Sequence[Row]) -> list[str]:
    out: list[str] = []
    for row in rows:
        if isinstance(row, Text):
            out.append(row.content.plain)
        else:
            for column in row.columns:
                out += _plain(column)
    return out


def text(content: Content | str, *classes: str) -> Text:
    """A paragraph's row: *content* (a ``str`` is plain text, never markup) with the look
    of *classes*."""
    shown = content if isinstance(content, Content) else Content(content)
    for name in classes:
        if name in CLASS_STYLE:
            shown = shown.stylize_before(CLASS_STYLE[name])
    indent = max((CLASS_INDENT.get(name, 0) for name in classes), default=0)
    return Text(shown, indent, muted=not MUTED.isdisjoint(classes))


def para(content: Content | str, *classes: str) -> Block:
    """A paragraph: *content* as it is (a ``str`` is plain text, never markup)."""
    return Block(text(content, *classes), classes=" ".join(("para", *classes)))


def heading(text: str | Content) -> Block:
    return para(text if isinstance(text, Content) else Content(text), "heading")


def muted(text: str | Content) -> Block:
    return para(text, "muted")


def label_value(label: str, value: Content | str, missing: str = NOT_AGREED) -> Block:
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


def bullets(items: list[Content], empty: str = "none yet") -> list[Block]:
    """The items as one paragraph of bulleted lines (one widget, however many items)."""
    return [para(bullet_lines(items, empty), "bullets")]


def _rows(parts: Sequence[Block]) -> tuple[Row, ...]:
    return tuple(row for part in parts for row in part.rows)


class Card(Block):
    """A framed group of paragraphs (a goal, a grant, a hand-over …), drawn as one block."""

    def __init__(self, *parts: Block, classes: str | None = None) -> None:
        super().__init__(*_rows(parts), classes=classes)


class Columns(Block):
    """Blocks side by side, each an equal share of the width (one row of a card, or a
    block of its own)."""

    def __init__(self, *parts: Block, classes: str | None = None) -> None:
        super().__init__(Cols(tuple(part.rows for part in parts)), classes=classes)


class StepPane(VerticalScroll, can_focus=False):
    """One step's presentation, scrolling on its own. It never takes the focus: moving
    the focus from pane to pane at each step change would restyle both."""


#: The keys that scroll the step on screen: (key, what it does, its description).
SCROLL_KEYS = (
    ("up", "up", "Scroll up"),
    ("down", "down", "Scroll down"),
    ("pageup", "page_up", "Page up"),
    ("pagedown", "page_down", "Page down"),
    ("home", "home", "To the top"),
    ("end", "end", "To the end"),
)


class Stage(Vertical, can_focus=True):
    """The steps' panes, one shown at a time; the keys scroll the one shown."""

    BINDINGS = [
        Binding(
            key,
            f"scroll_pane('{how}')",
            words,
            show=False,
            id=f"follow_scroll_{how}",
            tooltip=f"{words}: the step on screen",
        )
        for key, how, words in SCROLL_KEYS
    ]

    @property
    def shown(self) -> StepPane | None:
        return next((c for c in self.query_children(StepPane) if c.display), None)

    def action_scroll_pane(self, how: str) -> None:
        pane = self.shown
        if pane is None:
            return
        {
            "up": pane.scroll_up,
            "down": pane.scroll_down,
            "page_up": pane.scroll_page_up,
            "page_down": pane.scroll_page_down,
            "home": pane.scroll_home,
            "end": pane.scroll_end,
        }[how](animate=False)


#: The colour of each team's column heading.
TEAM_STYLE = {"sales": "$primary", "marketing": "$secondary", "other": "$text-muted"}


def column(title: str, items: list[Content], empty: str, team: str) -> Block:
    """A titled column of bulleted lines, its title in *team*'s colour."""
    heading = Content(title).stylize(f"bold {TEAM_STYLE[team]}")
    return para(heading + Content("\n") + bullet_lines(items, empty), "column")


# -- sign-offs -------------------------------------------------------------------------

STATE_MARK = {"signed": "✔", "changed": "✎", "missing": "○"}


def signoff_line(session: Session, subject: SignOffSubject, what: str = "Agreed") -> Block:
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

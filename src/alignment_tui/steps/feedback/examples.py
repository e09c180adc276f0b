"""Start the loop from one of the workbook's example agreements.

The chooser (:class:`~alignment_tui.dialogs.workbook_dialog.WorkbookDialog`)
shows each example whole; the one chosen fills the cadence, the length, the
forum, the attendees, the brief weeks and the three lists in one save
(:meth:`~alignment_tui.sessions.service.SessionService.save_together`), so the
file never holds half an example. When the loop already has words in it, the
room is asked first, told what would be replaced. The example's weekday and
start time fill only a day or a time the room has not set; one the room set,
the time zone, the first date and the "not a gate" agreement are the room's own
and stay (the question says which, and so does a note after a fill nobody was
asked about). Everything filled in stays editable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from ...form.refusal import REFUSALS, say_refused
from ...sessions.models import (
    FeedbackItem,
    FeedbackSide,
    LeadRole,
    Record,
    Session,
    SignOffSubject,
)
from ...sessions.service import SessionService
from ...sessions.text import snippet
from .documents import note_text
from .words import SIDE_TITLES

if TYPE_CHECKING:
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice
    from ...sessions.workbook import LoopExample
    from ...widgets.workbook_offer import Question

CHOOSER_TITLE = "Start the loop from an example"
CHOOSER_NOTE = (
    "It fills the meeting and the three lists, and a day and time where none is set yet; "
    "a day or time the room set, the time zone and the agreement stay. Change anything after."
)
CONFIRM_TITLE = "Replace the loop with this example?"


def _lists(example: LoopExample) -> dict[FeedbackSide, list[str]]:
    return {
        FeedbackSide.SALES: list(example.sales_brings),
        FeedbackSide.MARKETING: list(example.marketing_brings),
        FeedbackSide.RULE: list(example.rules),
    }


def example_choice(example: LoopExample) -> WorkbookChoice:
    """An example as the chooser shows it: what it is for, the meeting, then the three lists."""
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice

    lines = [Content.assemble((example.title, "bold"))]
    if example.about:
        lines += [Content(""), Content(example.about)]
    weeks = example.brief_weeks
    meeting = [("Meets", f"{example.cadence.value}, {example.duration_minutes} minutes")]
    when = _when(example)
    if when:
        meeting.append(("When", f"{when}, where the room has set no day or time"))
    meeting += [
        ("Forum", example.forum),
        ("Who comes", example.attendees),
        ("Briefs", f"{weeks} week{'' if weeks == 1 else 's'} before launch"),
    ]
    lines.append(Content(""))
    lines += [Content.assemble((label, "bold"), " ", text) for label, text in meeting]
    for side, texts in _lists(example).items():
        lines += [Content(""), Content.assemble((SIDE_TITLES[side], "bold"))]
        for text in texts:
            lines.append(Content.assemble("• ", text))
            if text in example.documents:
                lines.append(Content(f"  {note_text(example.documents[text])}"))
    return WorkbookChoice(example.key, example.title, Content("\n").join(lines))


def _when(example: LoopExample) -> str:
    """When *example* suggests the loop meets ("Tuesdays at 16:00"), or "" when it does not say."""
    day = f"{example.weekday.value}s" if example.weekday else ""
    time = f"at {example.start_time.strftime('%H:%M')}" if example.start_time else ""
    return " ".join(p for p in (day, time) if p)


#: What a part of the meeting is called, and how its value is said.
Said = tuple[str, str]


def schedule_outcome(session: Session, example: LoopExample) -> tuple[list[Said], list[Said]]:
    """What *example* does to the meeting's day and time: (what it fills, what the room keeps).

    Each as (its name, its value in words): ("day", "Tuesdays"), ("time", "09:00").
    A day or a time the room set is never replaced; one equal to the example's is
    neither filled nor kept.
    """
    loop = session.feedback
    fills: list[Said] = []
    keeps: list[Said] = []
    if example.weekday is not None:
        if loop.weekday is None:
            fills.append(("day", f"{example.weekday.value}s"))
        elif loop.weekday is not example.weekday:
            keeps.append(("day", f"{loop.weekday.value}s"))
    if example.start_time is not None:
        if loop.start_time is None:
            fills.append(("time", example.start_time.strftime("%H:%M")))
        elif loop.start_time != example.start_time:
            keeps.append(("time", loop.start_time.strftime("%H:%M")))
    return fills, keeps


def _names(said: list[Said]) -> str:
    return " and ".join(name for name, _ in said)


def _values(said: list[Said]) -> str:
    return " at ".join(value for _, value in said)


def kept_note(keeps: list[Said]) -> str:
    """The note after a fill that kept the room's own day or time."""
    return f"Kept the {_names(keeps)} the room set ({_values(keeps)})."


def written_items(session: Session) -> list[FeedbackItem]:
    """The loop's items that have words in them."""
    return [i for i in session.feedback_items if i.text.strip()]


def has_content(session: Session) -> bool:
    """Whether choosing an example would replace something the room wrote."""
    loop = session.feedback
    return bool(loop.forum.strip() or loop.attendees.strip() or written_items(session))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def replaced_detail(service: SessionService, example: LoopExample) -> str:
    """What the room would lose to *example*, in its words (typed text only as a snippet)."""
    session = service.session
    loop = session.feedback
    parts: list[str] = []
    if loop.forum.strip():
        parts.append(f"the forum “{snippet(loop.forum)}”")
    if loop.attendees.strip():
        parts.append("the attendees")
    items = written_items(session)
    sales = sum(1 for i in items if i.side is FeedbackSide.SALES)
    marketing = sum(1 for i in items if i.side is FeedbackSide.MARKETING)
    rules = sum(1 for i in items if i.side is FeedbackSide.RULE)
    if sales:
        parts.append(_count(sales, "thing Sales brings", "things Sales brings"))
    if marketing:
        parts.append(_count(marketing, "thing Marketing brings", "things Marketing brings"))
    if rules:
        parts.append(_count(rules, "ground rule", "ground rules"))
    what = _joined(parts)
    text = (
        f"{what[:1].upper()}{what[1:]} will be replaced by “{snippet(example.title)}”, "
        "with its cadence, length and brief weeks. "
    ) + schedule_sentence(session, example)
    if any(service.signoff_state(SignOffSubject.FEEDBACK, r) == "signed" for r in LeadRole):
        text += " Both leads will need to sign the loop off again."
    return text


def schedule_sentence(session: Session, example: LoopExample) -> str:
    """The confirmation's words on the meeting's day and time, the time zone and the agreement."""
    fills, keeps = schedule_outcome(session, example)
    said = []
    if fills:
        said.append(f"It sets the {_names(fills)} nobody has agreed yet: {_values(fills)}.")
    if keeps:
        verb = "stay" if len(keeps) > 1 else "stays"
        said.append(
            f"The {_names(keeps)} the room set ({_values(keeps)}) {verb}, and so do "
            "the time zone, first meeting and the agreement."
        )
    else:
        said.append("The time zone, first meeting and the agreement stay as they are.")
    return " ".join(said)


def example_records(session: Session, example: LoopExample) -> tuple[list[Record], list[Record]]:
    """What saving *example* writes (the loop and its new items) and removes (the old items)."""
    loop = session.feedback.model_copy(
        update={
            "cadence": example.cadence,
            "forum": example.forum,
            "duration_minutes": example.duration_minutes,
            "attendees": example.attendees,
            "brief_weeks": example.brief_weeks,
            # a day or time the room set stays; the example fills only what is not set
            "weekday": session.feedback.weekday or example.weekday,
            "start_time": session.feedback.start_time or example.start_time,
        }
    )
    upserts: list[Record] = [loop]
    next_id = session.next_id("feedback_items")
    for side, texts in _lists(example).items():
        for position, text in enumerate(texts, 1):
            upserts.append(
                FeedbackItem(
                    id=next_id,
                    side=side,
                    position=position,
                    text=text,
                    document=example.documents.get(text, ""),
                )
            )
            next_id += 1
    deletes: list[Record] = list(session.feedback_items)
    return upserts, deletes


def offer_examples(widget: Widget, service: SessionService, then: Callable[[], object]) -> None:
    """Let the room choose an example; save it (asking first over written content), then *then*."""
    from ...widgets.workbook_offer import Question, offer, read_workbook  # (only when asked)

    def apply(example: LoopExample) -> None:
        _fills, keeps = schedule_outcome(service.session, example)
        upserts, deletes = example_records(service.session, example)
        try:
            service.save_together(upserts, deletes)
        except REFUSALS as exc:  # a read-only file, a file that cannot be written: nothing saved
            say_refused(widget, str(exc))
            return
        then()
        if keeps:  # asked or not, the room hears that its own day or time stayed
            widget.app.notify(kept_note(keeps), timeout=6)

    def question(example: LoopExample, chosen: bool) -> Question | None:
        if has_content(service.session):
            return Question(
                CONFIRM_TITLE, replaced_detail(service, example), "Replace", destructive=True
            )
        if chosen:
            return None
        return Question(
            "Start from this example?",
            f"“{example.title}” fills the meeting, what each side brings and the ground "
            "rules; edit them after as the room agrees.",
            "Use it",
        )

    offer(
        widget,
        {e.key: e for e in read_workbook(widget).loop_examples()},
        title=CHOOSER_TITLE,
        note=CHOOSER_NOTE,
        nothing="The workbook has no example agreements",
        choice=example_choice,
        question=question,
        apply=apply,
    )

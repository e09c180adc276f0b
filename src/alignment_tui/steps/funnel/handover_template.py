"""The hand-over template of the workbook: what it fills, how the room sees it, what it asks.

Ctrl+L in the hand-over section (see :mod:`.handovers`) offers the workbook's
hand-over templates through :func:`~alignment_tui.widgets.workbook_offer.offer`;
this module says what a template fills (every answer, as a draft), how it reads
in the chooser, and what the room is asked before it replaces written words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...sessions.models import Handover
from .tables import num_text

if TYPE_CHECKING:
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice
    from ...sessions.workbook import HandoverTemplate
    from ...widgets.workbook_offer import Question

#: The agreement's fields a template fills, in the order the editor shows them.
TEMPLATE_FIELDS = (
    "qualifies",
    "response_hours",
    "follow_up_attempts",
    "return_reasons",
    "returned_handling",
    "escalate_to",
    "volume_commitment",
)


def has_words(h: Handover | None) -> bool:
    """Whether the agreement holds anything the room typed (a template would replace it)."""
    if h is None:
        return False
    texts = (h.qualifies, h.return_reasons, h.returned_handling, h.escalate_to, h.volume_commitment)
    return (
        any(t.strip() for t in texts)
        or h.response_hours is not None
        or h.follow_up_attempts is not None
    )


def filled(h: Handover, template: HandoverTemplate) -> Handover:
    """*h* with every field of the agreement taken from *template*, as a draft."""
    update = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
    return h.model_copy(update={**update, "draft": True})


def template_preview(template: HandoverTemplate) -> Content:
    """A template as the room reads it before choosing: each question and its answer."""
    lines = [Content.from_markup("[b]$title[/b]", title=template.title)]
    if template.about:
        lines += [Content(""), Content(template.about)]
    for label, value in (
        ("What qualifies a lead", template.qualifies),
        ("Response time", f"{num_text(template.response_hours)} hours"),
        ("Follow-up attempts", str(template.follow_up_attempts)),
        ("Reasons to send one back", template.return_reasons),
        ("What happens to returned leads", template.returned_handling),
        ("Escalate to", template.escalate_to),
        ("Volume commitment", template.volume_commitment),
    ):
        lines += [Content(""), Content.assemble((label, "bold")), Content(value)]
    return Content("\n").join(lines)


def template_choice(template: HandoverTemplate) -> WorkbookChoice:
    from ...dialogs.workbook_dialog import Choice as WorkbookChoice

    return WorkbookChoice(template.key, template.title, template_preview(template))


def template_question(
    template: HandoverTemplate, where: str, written: bool, chosen: bool
) -> Question | None:
    """What to ask before *template* fills *where*: nothing when the room chose it over an
    empty agreement; whether to fill when it was not chosen (the only template); whether
    to replace when the agreement has words in it."""
    from ...widgets.workbook_offer import Question  # (its dialog: only when asked)

    if chosen and not written:
        return None
    if written:
        return Question(
            "Replace this hand-over agreement?",
            f"“{template.title}” replaces every answer of {where}: what is typed "
            "there now is lost. Edit it after as the room agrees.",
            "Replace",
            destructive=True,
        )
    return Question(
        "Fill this hand-over from the template?",
        f"“{template.title}” fills every answer of {where}. Edit it after as the room agrees.",
        "Fill",
    )


__all__ = [
    "TEMPLATE_FIELDS",
    "filled",
    "has_words",
    "template_choice",
    "template_preview",
    "template_question",
]

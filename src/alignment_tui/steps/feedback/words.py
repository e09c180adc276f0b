"""What the feedback step says: titles, suggestions, the agreement, and the brief weeks' rule."""

from __future__ import annotations

from ...sessions.models import FeedbackSide
from ...sessions.parse import parse_count

GATE_FLAG = "⚠ reads like an approval gate — reword it (ctrl+g: not a gate)"
GATE_REVIEWED = "✔ reviewed: not a gate (ctrl+g flags it again)"
#: The bar's button for the list's highlighted line: (label, tooltip) before and after the review.
GATE_BUTTON = {
    False: ("✔ Not a gate", "The highlighted line is feedback, not an approval gate (ctrl+g)"),
    True: ("⚠ Flag again", "Take back the review of the highlighted line (ctrl+g)"),
}
AGREEMENT_LABEL = "Nothing in this loop is a sign-off gate"
AGREED = "✔ Agreed: feedback informs, the owner of the work decides."
NOT_AGREED = (
    "○ Not agreed yet: tick it when the room agrees that feedback informs and the owner decides."
)
LISTS_HINT = (
    "Type your own lines (+ Add your own) or add a suggestion (Enter or a click). "
    "On a line: alt+↑ / alt+↓ move it, alt+delete removes it, "
    "ctrl+f picks the document it follows (a campaign brief, a customer story)."
)
MAX_BRIEF_WEEKS = 52

SALES_SUGGESTIONS = [
    "Customer stories from recent calls",
    "Objections heard in deals",
    "Reasons deals were lost",
    "Feedback on the quality of leads",
]
RULE_SUGGESTIONS = [
    "Feedback is advice: the owner of the work decides",
    "Every comment comes with a real customer example",
    "Share early, while changes are still cheap",
    "Comments come within three working days",
]

#: Each list's section title (the landmark Ctrl+↓ / Ctrl+↑ jump to).
SIDE_TITLES: dict[FeedbackSide, str] = {
    FeedbackSide.SALES: "What Sales brings (heard in the field)",
    FeedbackSide.MARKETING: "What Marketing brings (before it goes out)",
    FeedbackSide.RULE: "Ground rules (how feedback is given and taken)",
}

#: What a line of each list is called in the bar's tooltips and the removal question.
SIDE_ITEM: dict[FeedbackSide, str] = {
    FeedbackSide.SALES: "item",
    FeedbackSide.MARKETING: "item",
    FeedbackSide.RULE: "ground rule",
}


def brief_text(weeks: int) -> str:
    unit = "week" if weeks == 1 else "weeks"
    return f"Campaign briefs {weeks} {unit} before launch"


def suggestions(side: FeedbackSide, brief_weeks: int) -> list[str]:
    """The lines offered under *side*'s list (Marketing's first one follows the brief weeks)."""
    if side is FeedbackSide.SALES:
        return SALES_SUGGESTIONS
    if side is FeedbackSide.MARKETING:
        return [
            brief_text(brief_weeks),
            "Drafts shared for comment",
            "The campaign calendar for the coming quarter",
            "Results of recent campaigns",
        ]
    return RULE_SUGGESTIONS


def slug(side: FeedbackSide) -> str:
    """The side's name in widget ids (``fb-add-sales``)."""
    return side.value.lower()


def parse_duration(text: str) -> int:
    minutes = parse_count(text, field="Duration (minutes)", allow_blank=False, example=45)
    assert minutes is not None  # a blank is refused above
    return minutes


def parse_brief_weeks(text: str) -> int:
    # Named as the field's label in pane.py names it.
    weeks = parse_count(text, field="Briefs, weeks ahead", allow_blank=False, example=4)
    assert weeks is not None  # a blank is refused above
    if weeks > MAX_BRIEF_WEEKS:
        raise ValueError(f"Briefs, weeks ahead must be {MAX_BRIEF_WEEKS} or fewer (a year)")
    return weeks

"""The approval-gate check: fair to feedback worded with a "not", firm on real gates.

Each row is a line a sales or marketing team could write into its feedback
agreement, marked as a gate (one side has to say yes before the other may act)
or not. A flagged item can be marked as reviewed by the facilitator; the
review holds only for the words that were reviewed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alignment_tui.sessions.demo import demo_session
from alignment_tui.sessions.export import render
from alignment_tui.sessions.models import (
    FeedbackItem,
    FeedbackLoop,
    FeedbackSide,
    LeadRole,
    Session,
    SessionMeta,
    SignOff,
    SignOffSubject,
    StepId,
)
from alignment_tui.sessions.progress import gate_open, is_approval_gate, step_status
from alignment_tui.sessions.service import SessionService
from alignment_tui.sessions.signoff import fingerprint, signoff_state
from conftest import PinnedClock

DAY = dt.date(2026, 11, 20)
AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
GATE = True
FEEDBACK = False

PHRASINGS: list[tuple[str, bool]] = [
    # -- gates ---------------------------------------------------------------------------
    ("Sales must approve every campaign before launch", GATE),
    ("Nothing launches until sales says yes", GATE),
    ("Sales needs to OK every campaign", GATE),
    ("The sales director must sign off each e-mail send", GATE),
    ("Sales has the final say on campaign messaging", GATE),
    ("All webinar topics need sign-off from the sales lead", GATE),
    ("Marketing has to approve any deck sales shows to a customer", GATE),
    ("The head of sales can veto a launch", GATE),
    ("Nothing goes out without a call with the account team", GATE),
    ("Nothing goes out to customers without the sales lead's OK", GATE),
    ("Campaigns get the green light from sales before they run", GATE),
    ("Sales gatekeeps which leads marketing may contact", GATE),
    ("No campaign goes live until sales signs it off", GATE),
    ("Landing pages wait until the sales lead gives the go-ahead", GATE),
    ("Each campaign is a gate the sales lead opens", GATE),
    ("Marketing OKs every talk track before sales uses it", GATE),
    ("Sales can block a campaign it does not like", GATE),
    ("Briefs are approved by the account executives", GATE),
    ("Once sales gives the OK, the e-mail is scheduled", GATE),
    ("Ads run only after sales approval", GATE),
    ("Sales gets the last word on pricing pages", GATE),
    ("Copy is held until sales approves it", GATE),
    ("Sales must say yes to every new offer", GATE),
    ("Campaigns never go out without sales approval", GATE),
    ("Sales okays the tone of each newsletter", GATE),
    # -- feedback, not gates -------------------------------------------------------------
    ("Feedback, not approval: the owner decides", FEEDBACK),
    ("No sign-off needed before launch", FEEDBACK),
    ("Nothing here is a gate", FEEDBACK),
    ("This is input, not an approval", FEEDBACK),
    ("Comments are advice and never a gate", FEEDBACK),
    ("Marketing launches without approval from sales", FEEDBACK),
    ("There is no need for sales to approve campaigns", FEEDBACK),
    ("Sales does not sign off campaigns; it comments on them", FEEDBACK),
    ("Nobody can veto a launch", FEEDBACK),
    ("Feedback is advice: the campaign owner has the final say", FEEDBACK),
    ("Sales comments, marketing decides", FEEDBACK),
    ("Marketing investigates why deals were lost", FEEDBACK),
    ("We navigate objections together in the weekly call", FEEDBACK),
    ("Team leads delegate the follow-up to an account manager", FEEDBACK),
    ("Marketing aggregates the lost reasons each quarter", FEEDBACK),
    ("Sales propagates customer quotes into the shared folder", FEEDBACK),
    ("Leads from gated content go straight to sales", FEEDBACK),
    ("Drafts are shared early, rather than for approval", FEEDBACK),
    ("Customer stories from recent calls", FEEDBACK),
    ("Campaign briefs four weeks before launch", FEEDBACK),
    ("Sales cannot block a launch; it gives feedback", FEEDBACK),
    ("It's OK to disagree: the owner of the work decides", FEEDBACK),
    ("Feedback doesn't need anyone's sign-off", FEEDBACK),
    ("No approvals in this loop, only comments", FEEDBACK),
]


def test_the_table_is_big_enough_and_balanced() -> None:
    assert len(PHRASINGS) >= 40
    assert len({text for text, _ in PHRASINGS}) == len(PHRASINGS)
    gates = sum(1 for _, gate in PHRASINGS if gate)
    assert 15 <= gates <= len(PHRASINGS) - 15


@pytest.mark.parametrize(("text", "gate"), PHRASINGS, ids=[t for t, _ in PHRASINGS])
def test_each_phrasing_is_read_as_gate_or_not(text: str, gate: bool) -> None:
    assert is_approval_gate(text) is gate


def test_case_spacing_and_curly_apostrophes_do_not_matter() -> None:
    assert is_approval_gate("  SALES   MUST\tAPPROVE every campaign ")
    assert not is_approval_gate("Feedback doesn’t need anyone’s sign-off")
    assert not is_approval_gate("")


def _session(*items: FeedbackItem) -> Session:
    """A feedback loop complete but for its items' wording."""
    return Session(
        meta=SessionMeta(
            title="Review", facilitator="Fran", workshop_date=DAY, created_at=AT, updated_at=AT
        ),
        feedback=FeedbackLoop(forum="Tuesday call", not_approval_agreed=True),
        feedback_items=[
            FeedbackItem(id=1, side=FeedbackSide.SALES, text="Customer stories"),
            FeedbackItem(id=2, side=FeedbackSide.MARKETING, text="Briefs early"),
            *items,
        ],
    )


def test_a_reviewed_item_no_longer_keeps_the_step_incomplete() -> None:
    flagged = FeedbackItem(id=3, side=FeedbackSide.RULE, text="Sales signs off the calendar")
    status = step_status(_session(flagged), StepId.FEEDBACK)
    assert gate_open(flagged)
    assert status.missing == ["1 item(s) worded as approval gates to reword"]
    reviewed = flagged.model_copy(update={"gate_reviewed": True})
    assert not gate_open(reviewed)
    assert is_approval_gate(reviewed.text)  # still reads like one: the UI and report say so
    assert step_status(_session(reviewed), StepId.FEEDBACK).complete


def test_the_gate_review_is_no_part_of_what_the_leads_signed() -> None:
    flagged = FeedbackItem(id=3, side=FeedbackSide.RULE, text="Sales signs off the calendar")
    session = _session(flagged)
    session.signoffs.append(
        SignOff(
            id=1,
            subject=SignOffSubject.FEEDBACK,
            role=LeadRole.SALES,
            name="Sam",
            signed_at=AT,
            fingerprint=fingerprint(session, SignOffSubject.FEEDBACK),
        )
    )
    session.feedback_items[-1] = flagged.model_copy(update={"gate_reviewed": True})
    assert signoff_state(session, SignOffSubject.FEEDBACK, LeadRole.SALES) == "signed"


def test_the_review_holds_for_the_words_reviewed_only(session_file: Path) -> None:
    """Saved in the file; edited words need a new review; other changes keep it."""
    svc = SessionService.open(session_file)
    try:
        item = svc.add(FeedbackItem, side=FeedbackSide.RULE, text="Sales signs off the calendar")
        item = svc.update(item, gate_reviewed=True)
        item = svc.update(item, position=5)  # moved: still the same words
        assert item.gate_reviewed
        item = svc.update(item, text="Sales signs off the calendar")  # the same words
        assert item.gate_reviewed
    finally:
        svc.close()
    svc = SessionService.open(session_file)
    try:
        (item,) = svc.session.feedback_items
        assert item.gate_reviewed
        item = svc.update(item, text="Sales signs off every calendar")
        assert not item.gate_reviewed and gate_open(item)
    finally:
        svc.close()
    svc = SessionService.open(session_file)
    try:
        assert not svc.session.feedback_items[0].gate_reviewed
    finally:
        svc.close()


def test_the_report_says_which_flagged_items_were_reviewed(clock: PinnedClock) -> None:
    session = demo_session()
    gate = next(i for i in session.feedback_items if is_approval_gate(i.text))
    flagged = f"- {gate.text} — ⚠ reads like an approval gate"
    assert flagged in render(session, "report")
    session.feedback_items[session.feedback_items.index(gate)] = gate.model_copy(
        update={"gate_reviewed": True}
    )
    report = render(session, "report")
    assert f"- {gate.text} (reviewed: not a gate)" in report
    assert flagged not in report
    assert "worded as approval gates" not in report

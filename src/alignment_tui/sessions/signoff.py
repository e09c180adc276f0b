"""Sign-offs: what a lead's sign-off covers, and whether it still holds.

A sign-off stores a fingerprint of the content it covered; when the content
changes, the sign-off reads "changed since sign-off" until signed again.
Imports neither textual nor rich.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from .models import LeadRole, Session, SignOff, SignOffSubject

SignOffState = Literal["missing", "signed", "changed"]

#: The loop's meeting fields added in schema 3 (see :func:`fingerprint`).
LOOP_FIELDS_SINCE_V3 = ("weekday", "start_time", "time_zone", "first_meeting")


def fingerprint(session: Session, subject: SignOffSubject) -> str:
    """A short hash of the content a sign-off of *subject* covers."""
    s = session
    parts: list[Any]
    if subject is SignOffSubject.STORY:
        parts = [s.story.model_dump(mode="json", exclude={"id"})]
        parts += [p.model_dump(mode="json") for p in sorted(s.pillars, key=lambda p: p.id)]
        parts += [p.model_dump(mode="json") for p in sorted(s.proof_points, key=lambda p: p.id)]
        parts += [r.model_dump(mode="json") for r in sorted(s.retired_messages, key=lambda r: r.id)]
    elif subject is SignOffSubject.GOALS:
        parts = [
            g.model_dump(mode="json", exclude={"votes", "position"})
            for g in sorted(s.goals, key=lambda g: g.id)
        ]
        parts += [b.model_dump(mode="json") for b in sorted(s.behaviours, key=lambda b: b.id)]
    else:
        loop = s.feedback.model_dump(mode="json", exclude={"id"})
        for name in LOOP_FIELDS_SINCE_V3:
            # Left out while unset, so a sign-off given before the schedule had
            # fields still holds after the upgrade.
            if loop.get(name) in (None, ""):
                loop.pop(name, None)
        parts = [loop]
        parts += [
            # the facilitator's gate review is no part of what the leads agreed; the
            # document an item follows is (schema 4), left out while there is none so a
            # sign-off given before the upgrade still holds
            i.model_dump(
                mode="json",
                exclude={"position", "gate_reviewed", *(() if i.document else ("document",))},
            )
            for i in sorted(s.feedback_items, key=lambda i: i.id)
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def find_signoff(session: Session, subject: SignOffSubject, role: LeadRole) -> SignOff | None:
    for so in session.signoffs:
        if so.subject is subject and so.role is role:
            return so
    return None


def signoff_state(session: Session, subject: SignOffSubject, role: LeadRole) -> SignOffState:
    """'missing', 'signed', or 'changed' (edited since the sign-off)."""
    so = find_signoff(session, subject, role)
    if so is None:
        return "missing"
    return "signed" if so.fingerprint == fingerprint(session, subject) else "changed"

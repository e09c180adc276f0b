"""The feedback loop's agreed settings: what counts as agreed when the file holds defaults.

Moved here from :mod:`.export` (which re-exports both names) so that the review
figures (:mod:`.review`) use the same rule without importing the exporter.

Imports neither textual nor rich.
"""

from __future__ import annotations

from .models import Cadence, FeedbackLoop, Session, SignOffSubject


def _loop_written(session: Session) -> bool:
    """The room has worked on the loop: a forum or attendees typed, an item written, or a
    lead's sign-off of it."""
    fb = session.feedback
    return bool(
        fb.forum.strip()
        or fb.attendees.strip()
        or any(i.text.strip() for i in session.feedback_items)
        or any(so.subject is SignOffSubject.FEEDBACK for so in session.signoffs)
    )


def loop_settings(session: Session) -> tuple[Cadence | None, int | None, int | None]:
    """The loop's cadence, length (minutes) and brief lead time (weeks), each ``None``
    while nobody has set it.

    The session file keeps a default in each of these fields and no mark of who
    set it, so a blank session holds "fortnightly, 45 minutes, briefs 4 weeks before
    launch" that nobody agreed. The rule: a value counts as set when it differs from
    its default (someone changed it), or when the room has worked on the loop (see
    :func:`_loop_written`: a forum or attendees typed, an item written, a sign-off),
    since then the defaults were in front of the room and left as they were.
    """
    fb = session.feedback
    written = _loop_written(session)
    fields = FeedbackLoop.model_fields

    def kept(name: str) -> bool:
        return written or getattr(fb, name) != fields[name].default

    return (
        fb.cadence if kept("cadence") else None,
        fb.duration_minutes if kept("duration_minutes") else None,
        fb.brief_weeks if kept("brief_weeks") else None,
    )

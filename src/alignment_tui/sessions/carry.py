"""The next workshop, started from an earlier one.

What the room agreed is carried over: the people, the joint goals and their
behaviours, the story, CRM access, the feedback loop, the funnel's stages and
its hand-over agreements, the plan behind "what it takes", and the actions
still open. What belonged to that day stays behind: funnel counts (a new
period starts), closed actions, sign-offs (the leads confirm again), time
spent, reviews and the next-review date.

The earlier session is only read; nothing here writes to it. This module
imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt

from .models import ActionStatus, Session, new_session

#: Actions carried into the next workshop: the ones nobody closed.
STILL_OPEN = frozenset({ActionStatus.OPEN, ActionStatus.DOING})


def next_workshop(
    previous: Session,
    *,
    title: str | None = None,
    workshop_date: dt.date | None = None,
    facilitator: str | None = None,
) -> Session:
    """A new session that starts where *previous* left off (see the module's docstring)."""
    meta = previous.meta
    fresh = new_session(
        (title if title is not None else meta.title).strip(),
        organisation=meta.organisation,
        workshop_date=workshop_date,
        facilitator=meta.facilitator if facilitator is None else facilitator,
    )
    carried = previous.model_copy(
        update={
            "meta": fresh.meta,
            "signoffs": [],
            "funnel_periods": fresh.funnel_periods,
            "funnel_counts": [],
            "actions": [a for a in previous.actions if a.status in STILL_OPEN],
            "agenda": fresh.agenda,
            "reviews": [],
            "goal_values": [],
            "handover_figures": [],
            "loop_meetings": [],
        },
        deep=True,
    )
    # Validated whole, as a file read from disk would be: what is carried must
    # hold together on its own (every reference points at something carried).
    return Session.model_validate(carried.model_dump())

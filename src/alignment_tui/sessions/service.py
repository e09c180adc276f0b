"""The one service between the screens and the session file.

Screens and widgets never touch SQL: they ask this object to add, update or
remove records. Each call validates through the pydantic models, updates the
in-memory :class:`Session` and writes the change to the file in one
transaction (autosave). A refused change raises :class:`ChangeRefused` with a
one-line reason and leaves both the memory and the file as they were.

Imports neither textual nor rich.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from . import clock
from .contributions import (
    MAX_ACCEPTED_AS,
    MAX_VOTE_BUDGET,
    MIN_VOTE_BUDGET,
    Contribution,
    ContributionKind,
    ContributionState,
    RoomSettings,
    decide,
    read_contributions,
    read_settings,
    read_vote_tally,
    read_waiting_counts,
)
from .errors import ReadOnlySession, describe_validation_error
from .models import (
    ATTR_BY_MODEL,
    COLLECTIONS,
    SINGLETONS,
    Action,
    ActionStatus,
    Behaviour,
    CrmGrant,
    FeedbackItem,
    FunnelCount,
    FunnelPeriod,
    FunnelStage,
    Goal,
    GoalValue,
    Handover,
    HandoverFigure,
    LeadRole,
    LoopMeeting,
    Owner,
    Participant,
    Pillar,
    ProofPoint,
    Record,
    Review,
    Session,
    SessionMeta,
    SignOff,
    SignOffSubject,
    StepId,
    Team,
    now,
)
from .parse import parse_number
from .signoff import SignOffState, find_signoff, fingerprint, signoff_state
from .store import SessionStore

R = TypeVar("R", bound=Record)

#: The singleton record classes (meta, story, crm, feedback, funnel plan).
SINGLETON_MODELS: set[type[Record]] = {m for _attr, m in SINGLETONS}


class ChangeRefused(ValueError):
    """A change the models refuse; ``str(exc)`` names the field and the reason."""


Listener = Callable[[str], None]


class SessionService:
    """An open session: the in-memory truth plus its file."""

    def __init__(self, store: SessionStore, session: Session) -> None:
        self.store = store
        self.session = session
        self._listeners: list[Listener] = []
        #: ``PRAGMA data_version`` at the last :meth:`room_changed`.
        self._room_version: int | None = None

    # -- opening and closing ---------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, force: bool = False) -> SessionService:
        store = SessionStore.open(Path(path), readonly=readonly, force=force, lock=False)
        try:
            session = store.load()
            store.acquire()
        except BaseException:
            store.close()
            raise
        return cls(store, session)

    @classmethod
    def create(cls, path: Path, session: Session) -> SessionService:
        store = SessionStore.create(Path(path), session)
        return cls(store, store.load())

    def close(self) -> None:
        """Close the file, leaving the summary the start screen lists (see ``SessionStore.close``)."""
        self.store.close(self.session)

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    # -- change notification ---------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, what: str) -> None:
        for listener in list(self._listeners):
            listener(what)

    # -- generic record operations ---------------------------------------------

    def _validate(self, model: type[R], data: dict[str, Any]) -> R:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ChangeRefused(describe_validation_error(exc)) from exc

    def _touch(self, meta: SessionMeta | None = None) -> SessionMeta:
        """*meta* (default: the session's) stamped with the time of this save, and kept."""
        meta = (meta or self.session.meta).model_copy(update={"updated_at": now()})
        self.session.meta = meta
        return meta

    def _write(self, upserts: list[Record], deletes: list[Record] = []) -> None:  # noqa: B006
        """Save *upserts* and *deletes* in one transaction, with the session's time of change.

        A new session meta among *upserts* is the one stamped and written: stamping the
        old one after it would write its old values back over the new.
        """
        if self.readonly:
            raise ReadOnlySession("This session is open read-only; the change was not saved")
        metas = [r for r in upserts if isinstance(r, SessionMeta)]
        others = [r for r in upserts if not isinstance(r, SessionMeta)]
        self.store.apply(
            upserts=[*others, self._touch(metas[-1] if metas else None)], deletes=deletes
        )

    def _check_rules(self, record: Record) -> None:
        """Rules across records that the whole-session check would refuse on reopening."""
        if isinstance(record, Participant) and record.is_lead:
            other = self.session.lead(record.team)
            if other is not None and other.id != record.id:
                raise ChangeRefused(
                    f"Lead: {other.name} is already the {record.team.value} lead "
                    "(only one per team); unmark them first"
                )
        why = _review_rules(self.session, record)
        if why is not None:
            raise ChangeRefused(why)

    def add(self, model: type[R], **fields: Any) -> R:
        """Create a record of *model* with a fresh id, save it and return it."""
        attr = ATTR_BY_MODEL[model]
        items: list[Record] = getattr(self.session, attr)
        fields.setdefault("id", self.session.next_id(attr))
        if "position" in model.model_fields and "position" not in fields:
            fields["position"] = max((getattr(r, "position", 0) for r in items), default=0) + 1
        record = self._validate(model, fields)
        self._check_rules(record)
        self._write([record])
        items.append(record)
        self._notify(attr)
        return record

    def update(self, record: R, **changes: Any) -> R:
        """Validate *changes* to *record*, save and return the new record."""
        model = type(record)
        attr = ATTR_BY_MODEL[model]
        data = record.model_dump()
        data.update(changes)
        new = self._validate(model, data)
        if new == record:
            return record
        if (
            isinstance(record, FeedbackItem)
            and isinstance(new, FeedbackItem)
            and new.text != record.text
            and "gate_reviewed" not in changes
        ):
            # the facilitator's review that the item is not a gate was of its old words
            new = new.model_copy(update={"gate_reviewed": False})
        if isinstance(new, Handover) and new.draft and "draft" not in changes:
            # a template's draft the room changed is the room's agreement now
            new = new.model_copy(update={"draft": False})
        if isinstance(record, Action) and isinstance(new, Action):
            new = cast(Any, _action_history(record, new, changes))
        self._check_rules(new)
        if model is SessionMeta:
            if self.readonly:
                raise ReadOnlySession("This session is open read-only; the change was not saved")
            new = new.model_copy(update={"updated_at": now()})
            self.store.save(new)
            self.session.meta = new  # type: ignore[assignment]
        elif model in SINGLETON_MODELS:
            self._write([new])
            setattr(self.session, attr, new)
        else:
            self._write([new])
            items: list[Record] = getattr(self.session, attr)
            for i, r in enumerate(items):
                if r.id == record.id:
                    items[i] = new
                    break
        self._notify(attr)
        return new

    def update_meta(self, **changes: Any) -> SessionMeta:
        return self.update(self.session.meta, **changes)

    def remove(self, record: Record) -> None:
        """Delete *record* and whatever hangs off it."""
        deletes: list[Record] = [record]
        upserts: list[Record] = []
        s = self.session
        if isinstance(record, Goal):
            deletes += [b for b in s.behaviours if b.goal_id == record.id]
            deletes += [v for v in s.goal_values if v.goal_id == record.id]
            upserts += targets_removed(s, [record])
        elif isinstance(record, Pillar):
            deletes += [p for p in s.proof_points if p.pillar_id == record.id]
        elif isinstance(record, FunnelStage):
            deletes += [c for c in s.funnel_counts if c.stage_id == record.id]
            gone_handovers = [h for h in s.handovers if h.to_stage_id == record.id]
            deletes += gone_handovers
            deletes += figures_of(s, gone_handovers)
            upserts += targets_removed(s, [record])
        elif isinstance(record, Handover):
            deletes += figures_of(s, [record])
        elif isinstance(record, FunnelPeriod):
            deletes += [c for c in s.funnel_counts if c.period_id == record.id]
            upserts += [
                r.model_copy(update={"period_id": None})
                for r in s.reviews
                if r.period_id == record.id
            ]
        elif isinstance(record, Review):
            deletes += [v for v in s.goal_values if v.review_id == record.id]
            deletes += [f for f in s.handover_figures if f.review_id == record.id]
        elif isinstance(record, Participant):
            upserts += [
                a.model_copy(update={"owner_id": None})
                for a in s.actions
                if a.owner_id == record.id
            ]
            upserts += [
                g.model_copy(update={"participant_id": None})
                for g in s.crm_grants
                if g.participant_id == record.id
            ]
        self._write(upserts, deletes)
        gone = {(type(r), r.id) for r in deletes}
        for attr, _model in COLLECTIONS:
            items: list[Record] = getattr(s, attr)
            items[:] = [r for r in items if (type(r), r.id) not in gone]
        for new in upserts:
            items = getattr(s, ATTR_BY_MODEL[type(new)])
            for i, r in enumerate(items):
                if r.id == new.id:
                    items[i] = new
        self._notify(ATTR_BY_MODEL[type(record)])
        for attr in sorted({ATTR_BY_MODEL[type(r)] for r in upserts}):
            self._notify(attr)

    def move(self, record: R, delta: int) -> None:
        """Move a positioned record up (-1) or down (+1) among its siblings.

        Siblings are the records of its kind in the same list: a proof point's
        pillar, a feedback item's side (what Sales brings, what Marketing brings,
        the ground rules are three lists).
        """
        attr = ATTR_BY_MODEL[type(record)]
        siblings: list[Any] = sorted(getattr(self.session, attr), key=lambda r: (r.position, r.id))
        if isinstance(record, ProofPoint):
            siblings = [p for p in siblings if p.pillar_id == record.pillar_id]
        elif isinstance(record, FeedbackItem):
            siblings = [i for i in siblings if i.side is record.side]
        idx = next(i for i, r in enumerate(siblings) if r.id == record.id)
        new_idx = idx + delta
        if not 0 <= new_idx < len(siblings):
            return
        siblings.insert(new_idx, siblings.pop(idx))
        renumbered = [r.model_copy(update={"position": i}) for i, r in enumerate(siblings, 1)]
        self._write(list(renumbered))
        by_id = {r.id: r for r in renumbered}
        items: list[Any] = getattr(self.session, attr)
        items[:] = [by_id.get(r.id, r) for r in items]
        self._notify(attr)

    # -- workshop verbs ----------------------------------------------------------

    def set_step(self, step: StepId) -> None:
        """Make *step* the room's current step (saved, so the session resumes there).

        A read-only copy cannot save it, but the step being read still moves (only in
        memory): next and previous step count from the step on screen.
        """
        if self.session.meta.current_step is step:
            return
        if self.readonly:
            self.session.meta = self.session.meta.model_copy(update={"current_step": step})
        else:
            self.update_meta(current_step=step)

    def set_action_status(self, action: Action, status: ActionStatus) -> Action:
        return self.update(action, status=status)

    def toggle_action(self, action: Action) -> Action:
        status = ActionStatus.OPEN if action.done else ActionStatus.DONE
        return self.update(action, status=status)

    def set_count(
        self, stage_id: int, period_id: int, *, count: Any = ..., target: Any = ...
    ) -> FunnelCount:
        existing = self.session.count_for(stage_id, period_id)
        changes: dict[str, Any] = {}
        if count is not ...:
            changes["count"] = count
        if target is not ...:
            changes["target"] = target
        if existing is None:
            return self.add(FunnelCount, stage_id=stage_id, period_id=period_id, **changes)
        return self.update(existing, **changes)

    def handover_for(self, to_stage_id: int) -> Handover:
        """The hand-over agreement into *to_stage_id*, created when first asked for."""
        for h in self.session.handovers:
            if h.to_stage_id == to_stage_id:
                return h
        return self.add(Handover, to_stage_id=to_stage_id)

    def behaviours_for(self, goal_id: int, team: Team) -> list[Behaviour]:
        return [b for b in self.session.behaviours if b.goal_id == goal_id and b.team is team]

    def grants_for(self, participant_id: int) -> list[CrmGrant]:
        return [g for g in self.session.crm_grants if g.participant_id == participant_id]

    # -- sign-offs ---------------------------------------------------------------

    def fingerprint(self, subject: SignOffSubject) -> str:
        return fingerprint(self.session, subject)

    def signoff(self, subject: SignOffSubject, role: LeadRole) -> SignOff | None:
        return find_signoff(self.session, subject, role)

    def sign(self, subject: SignOffSubject, role: LeadRole, name: str | None = None) -> SignOff:
        """Record that the lead of *role* signs *subject* off now."""
        team = Team.SALES if role is LeadRole.SALES else Team.MARKETING
        if name is None:
            lead = self.session.lead(team)
            if lead is None:
                raise ChangeRefused(f"No {team.value} lead: mark one in Set-up first")
            name = lead.name
        fields = {
            "subject": subject,
            "role": role,
            "name": name,
            "signed_at": now(),
            "fingerprint": self.fingerprint(subject),
        }
        existing = self.signoff(subject, role)
        if existing is not None:
            return self.update(existing, **fields)
        return self.add(SignOff, **fields)

    def unsign(self, subject: SignOffSubject, role: LeadRole) -> None:
        existing = self.signoff(subject, role)
        if existing is not None:
            self.remove(existing)

    def signoff_state(self, subject: SignOffSubject, role: LeadRole) -> SignOffState:
        """'missing', 'signed' or 'changed' (edited since the sign-off)."""
        return signoff_state(self.session, subject, role)

    # -- convenience -------------------------------------------------------------

    def save_draft(self, name: str, data: dict[str, str]) -> None:
        """Keep what is typed in open dialog *name* (not part of the session; see the store)."""
        self.store.save_draft(name, data)

    def draft(self, name: str) -> dict[str, str] | None:
        return self.store.read_draft(name)

    def drop_draft(self, name: str) -> None:
        self.store.drop_draft(name)

    def save_together(self, upserts: list[Record], deletes: list[Record] | None = None) -> None:
        """Save *upserts* and remove *deletes* in one transaction: all of them, or none.

        For a change that is one thing to the room but several records to the
        file (an example agreement filling the loop and its items, a template
        filling a hand-over). Each upsert is validated again as its model, so a
        record built by hand cannot slip past the rules; a singleton (the loop,
        the story …) replaces the session's one, any other record replaces the
        one with its id or is added.
        """
        deletes = list(deletes or [])
        checked: list[Record] = []
        for record in upserts:
            model = type(record)
            checked.append(self._validate(model, record.model_dump()))
        for record in checked:
            self._check_rules(record)
        self._write(checked, deletes)
        s = self.session
        # a meta saved here is in the session already, with its time of change
        checked = [s.meta if isinstance(r, SessionMeta) else r for r in checked]
        touched: set[str] = set()
        gone = {(type(r), r.id) for r in deletes}
        for attr, _model in COLLECTIONS:
            items: list[Record] = getattr(s, attr)
            if any((type(r), r.id) in gone for r in items):
                items[:] = [r for r in items if (type(r), r.id) not in gone]
                touched.add(attr)
        singletons = {model: attr for attr, model in SINGLETONS}
        for record in checked:
            attr = ATTR_BY_MODEL[type(record)]
            touched.add(attr)
            if type(record) in singletons:
                setattr(s, attr, record)
                continue
            items = getattr(s, attr)
            for i, r in enumerate(items):
                if r.id == record.id:
                    items[i] = record
                    break
            else:
                items.append(record)
        for attr in sorted(touched):
            self._notify(attr)

    def why_stages_are_kept(self) -> str | None:
        """Why the funnel's stages cannot be replaced whole now (None: they can).

        Counts, targets and written hand-over agreements belong to the stages
        they were entered for; replacing the stages would lose them.
        """
        s = self.session
        if any(c.count is not None or c.target is not None for c in s.funnel_counts):
            return "The funnel has counts or targets: a preset only fills an empty funnel"
        if any(
            h.qualifies.strip()
            or h.return_reasons.strip()
            or h.returned_handling.strip()
            or h.response_hours is not None
            for h in s.handovers
        ):
            return "A hand-over agreement is written: a preset only fills an empty funnel"
        return None

    def replace_stages(self, stages: list[tuple[str, Owner]]) -> list[FunnelStage]:
        """Put *stages* (name, owner; top first) in place of the funnel's stages, in one save.

        Refused (:meth:`why_stages_are_kept`) while anything hangs off the stages.
        """
        why = self.why_stages_are_kept()
        if why is not None:
            raise ChangeRefused(why)
        s = self.session
        first = max((r.id for r in s.funnel_stages), default=0) + 1
        new = [
            self._validate(
                FunnelStage, {"id": first + n, "position": n + 1, "name": name, "owner": owner}
            )
            for n, (name, owner) in enumerate(stages)
        ]
        gone: list[Record] = [*s.funnel_stages, *s.funnel_counts, *s.handovers]
        gone += figures_of(s, s.handovers)
        unaimed = targets_removed(s, s.funnel_stages)
        self._write([*new, *unaimed], gone)
        s.funnel_stages[:] = new
        s.funnel_counts[:] = []
        s.handovers[:] = []
        s.handover_figures[:] = []
        by_id = {a.id: a for a in unaimed}
        s.actions[:] = [by_id.get(a.id, a) for a in s.actions]
        self._notify("funnel_stages")
        if unaimed:
            self._notify("actions")
        return new

    def add_action(self, text: str, step: StepId, **fields: Any) -> Action:
        fields.setdefault("created_at", now())
        if fields.get("status") in (ActionStatus.DONE, "done"):
            fields.setdefault("done_on", clock.today())
        return self.add(Action, text=text, step=step, **fields)

    # -- reviews (issue 13) ------------------------------------------------------
    #
    # A review is recorded only by start_review(): looking (the review screen opened
    # read-only, the queries in .review) never writes. Everything a review holds is
    # set through the methods below; each is one transaction and refuses bad input
    # with ChangeRefused (one line). The read-only figures for the screen and the
    # pack are in :mod:`.review` (pure functions over ``service.session``).

    def review_on(self, day: dt.date) -> Review | None:
        """The review recorded on *day*, if any."""
        return next((r for r in self.session.reviews if r.held_on == day), None)

    def latest_review(self) -> Review | None:
        """The most recent review recorded (by date), if any."""
        return max(self.session.reviews, key=lambda r: (r.held_on, r.id), default=None)

    def start_review(
        self,
        held_on: dt.date | None = None,
        *,
        period_id: int | None = None,
        new_period: str | None = None,
    ) -> Review:
        """Record a review held on *held_on* (default: today), in one transaction.

        It looks at funnel period *period_id*, or at a new period labelled
        *new_period* (created in the same save, starting that day), or else at
        the latest period. Refused when a review is already recorded that day
        (continue that one: :meth:`review_on`) or when *period_id* does not exist.
        """
        s = self.session
        day = held_on or clock.today()
        if self.review_on(day) is not None:
            raise ChangeRefused(f"A review on {day.isoformat()} is already recorded")
        upserts: list[Record] = []
        if new_period is not None:
            if period_id is not None:
                raise ChangeRefused("Choose an existing period or a new one, not both")
            label = " ".join(new_period.split())
            if any(p.label.casefold() == label.casefold() for p in s.funnel_periods):
                raise ChangeRefused(f"Period: {label!r} already exists")
            period = self._validate(
                FunnelPeriod,
                {
                    "id": s.next_id("funnel_periods"),
                    "position": max((p.position for p in s.funnel_periods), default=0) + 1,
                    "label": label,
                    "starts": day,
                },
            )
            upserts.append(period)
            period_id = period.id
        elif period_id is None:
            periods = s.sorted_periods()
            period_id = periods[-1].id if periods else None
        elif all(p.id != period_id for p in s.funnel_periods):
            raise ChangeRefused(f"Period {period_id} does not exist")
        review = self._validate(
            Review, {"id": s.next_id("reviews"), "held_on": day, "period_id": period_id}
        )
        upserts.append(review)
        # validated above (the period may be new in this same save, so not save_together)
        self._write(upserts)
        for record in upserts:
            getattr(s, ATTR_BY_MODEL[type(record)]).append(record)
        for record in upserts:
            self._notify(ATTR_BY_MODEL[type(record)])
        return review

    def _review(self, review: Review | int) -> Review:
        rid = review if isinstance(review, int) else review.id
        for r in self.session.reviews:
            if r.id == rid:
                return r
        raise ChangeRefused("That review is no longer recorded")

    def set_review_notes(self, review: Review | int, notes: str) -> Review:
        return self.update(self._review(review), notes=notes)

    def set_next_review(self, review: Review | int, day: dt.date | str | None) -> Review:
        """The next review's date agreed at *review*; the session's next review follows
        it when *review* is the latest one (both in one save)."""
        current = self._review(review)
        new = self._validate(Review, {**current.model_dump(), "next_review": day})
        upserts: list[Record] = [new]
        latest = self.latest_review()
        if latest is not None and latest.id == current.id:
            upserts.append(self.session.meta.model_copy(update={"next_review": new.next_review}))
        self.save_together(upserts)
        return new

    def set_review_period(self, review: Review | int, period_id: int | None) -> Review:
        return self.update(self._review(review), period_id=period_id)

    def goal_value(self, review: Review | int, goal_id: int) -> GoalValue | None:
        rid = review if isinstance(review, int) else review.id
        return next(
            (v for v in self.session.goal_values if v.review_id == rid and v.goal_id == goal_id),
            None,
        )

    def set_goal_value(
        self, review: Review | int, goal: Goal | int, value: str | float | None
    ) -> GoalValue | None:
        """Where *goal*'s measure stood at *review*: a number, or a short text.

        A string that reads as a number (``1,200``, ``4.5``, ``31%``, ``-2``) is
        kept as one; any other words as text; blank (or None) removes the value.
        Returns the value kept (None when removed).
        """
        current = self._review(review)
        goal_id = goal if isinstance(goal, int) else goal.id
        if all(g.id != goal_id for g in self.session.goals):
            raise ChangeRefused("That goal is no longer there")
        number, text = _number_or_text(value)
        existing = self.goal_value(current, goal_id)
        if number is None and not text:
            if existing is not None:
                self.remove(existing)
            return None
        fields = {"value": number, "text": text}
        if existing is None:
            return self.add(GoalValue, review_id=current.id, goal_id=goal_id, **fields)
        return self.update(existing, **fields)

    def handover_figure(self, review: Review | int, handover_id: int) -> HandoverFigure | None:
        rid = review if isinstance(review, int) else review.id
        return next(
            (
                f
                for f in self.session.handover_figures
                if f.review_id == rid and f.handover_id == handover_id
            ),
            None,
        )

    def set_handover_figures(
        self,
        review: Review | int,
        handover: Handover | int,
        *,
        response_hours: Any = ...,
        returned_pct: Any = ...,
    ) -> HandoverFigure | None:
        """The response time achieved (hours) and the share of leads returned (%) at a
        hand-over, measured at *review*; a figure left out is kept, None clears it; with
        both cleared the record goes. Strings are read as numbers (``"20,5"``, ``"12%"``)."""
        current = self._review(review)
        hid = handover if isinstance(handover, int) else handover.id
        if all(h.id != hid for h in self.session.handovers):
            raise ChangeRefused("That hand-over is no longer there")
        existing = self.handover_figure(current, hid)
        fields: dict[str, Any] = {
            "response_hours": existing.response_hours if existing else None,
            "returned_pct": existing.returned_pct if existing else None,
        }
        for name, raw, label in (
            ("response_hours", response_hours, "Response time (hours)"),
            ("returned_pct", returned_pct, "Leads returned (%)"),
        ):
            if raw is ...:
                continue
            if isinstance(raw, str):
                try:
                    raw = parse_number(raw.strip().removesuffix("%"), field=label)
                except ValueError as exc:
                    raise ChangeRefused(str(exc)) from None
            fields[name] = raw
        if fields["response_hours"] is None and fields["returned_pct"] is None:
            if existing is not None:
                self.remove(existing)
            return None
        if existing is None:
            return self.add(HandoverFigure, review_id=current.id, handover_id=hid, **fields)
        return self.update(existing, **fields)

    def link_action(
        self, action: Action, *, goal_id: int | None = None, stage_id: int | None = None
    ) -> Action:
        """Say which goal or funnel stage *action* is meant to improve (one at most;
        neither: no target). A name kept from a removed target is dropped."""
        if goal_id is not None and stage_id is not None:
            raise ChangeRefused("An action aims at one goal or one funnel stage, not both")
        if goal_id is not None and all(g.id != goal_id for g in self.session.goals):
            raise ChangeRefused("That goal is no longer there")
        if stage_id is not None and all(st.id != stage_id for st in self.session.funnel_stages):
            raise ChangeRefused("That funnel stage is no longer there")
        return self.update(action, target_goal_id=goal_id, target_stage_id=stage_id, target_gone="")

    def add_loop_meeting(self, held_on: dt.date | str, notes: str = "") -> LoopMeeting:
        """Record that the feedback loop met on *held_on* (once per day)."""
        meeting = self._validate(LoopMeeting, {"held_on": held_on, "notes": notes})
        if any(m.held_on == meeting.held_on for m in self.session.loop_meetings):
            raise ChangeRefused(f"A meeting on {meeting.held_on.isoformat()} is already recorded")
        return self.add(LoopMeeting, held_on=meeting.held_on, notes=meeting.notes)

    def proof_points_for(self, pillar_id: int) -> list[ProofPoint]:
        return sorted(
            (p for p in self.session.proof_points if p.pillar_id == pillar_id),
            key=lambda p: (p.position, p.id),
        )

    # -- contributions from the room (issue 14) -----------------------------------
    #
    # Visitors write notes and dots into their own table from their own processes
    # (:class:`.contributions.ContributionBox`); nothing here is part of
    # ``self.session``: every query reads the file afresh (a few indexed rows), so
    # opening a session never waits for the room's notes. The facilitator's writes
    # (settings, decisions) are short transactions like every save.

    def room_settings(self) -> RoomSettings:
        """Whether contributions are open, and the dots per visitor."""
        return read_settings(self.store.conn)

    def _set_room(self, column: str, value: int) -> None:
        if self.readonly:
            raise ReadOnlySession("This session is open read-only; the change was not saved")
        with self.store.transaction():
            self.store.conn.execute(f"UPDATE room SET [{column}] = ? WHERE id = 1", (value,))
        self._notify("room")

    def set_contributions_open(self, is_open: bool) -> None:
        """Open or close contributions (visitors see it on their next poll)."""
        self._set_room("contributions_open", 1 if is_open else 0)

    def set_vote_budget(self, n: int | str) -> None:
        """Dots per visitor, 1 to 20; dots already placed stay when it is lowered."""
        try:
            budget = int(str(n).strip())
        except ValueError:
            raise ChangeRefused("Dots per visitor must be a whole number") from None
        if not MIN_VOTE_BUDGET <= budget <= MAX_VOTE_BUDGET:
            raise ChangeRefused(f"Dots per visitor must be {MIN_VOTE_BUDGET} to {MAX_VOTE_BUDGET}")
        self._set_room("vote_budget", budget)

    def room_changed(self) -> bool:
        """Whether another process committed to the file since the last call (a visitor's
        note or dot): one ``PRAGMA data_version``, cheap enough for a timer."""
        version = int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])
        seen, self._room_version = self._room_version, version
        return seen is not None and seen != version

    def contributions(
        self,
        step: StepId | None = None,
        state: ContributionState | str | None = ContributionState.NEW,
        *,
        kind: ContributionKind | str | None = ContributionKind.NOTE,
    ) -> list[Contribution]:
        """Contributions in the order they arrived, fresh from the file: by default the
        new notes (of *step*, or every step); ``None`` for any state or kind."""
        return read_contributions(self.store.conn, step=step, state=state, kind=kind)

    def new_contributions_since(self, after_id: int) -> list[Contribution]:
        """Every note and dot that arrived after id *after_id* (0: all), any state; the
        last one's id is the next call's *after_id*."""
        return read_contributions(self.store.conn, state=None, kind=None, after_id=after_id)

    def waiting_counts(self) -> dict[StepId, int]:
        """New notes per step (steps without any left out)."""
        return read_waiting_counts(self.store.conn)

    def vote_tally(self) -> dict[int, int]:
        """Dots per goal id, for the goals there are (goals without dots left out)."""
        goals = {g.id for g in self.session.goals}
        return {g: n for g, n in read_vote_tally(self.store.conn).items() if g in goals}

    def dismiss_contribution(self, c: Contribution) -> None:
        """Set *c* aside: it stays in the file, marked dismissed."""
        self._mark(c, ContributionState.DISMISSED, "")

    def mark_accepted(self, c: Contribution, as_what: str) -> None:
        """Mark *c* accepted as *as_what* ("behaviour 12") once its record is made.

        Prefer :meth:`accept_contribution`, which makes the record in the same save.
        """
        self._mark(c, ContributionState.ACCEPTED, _as_what(as_what))

    def _mark(self, c: Contribution, state: ContributionState, accepted_as: str) -> None:
        if self.readonly:
            raise ReadOnlySession("This session is open read-only; the change was not saved")
        with self.store.transaction():
            if not decide(self.store.conn, c.id, state, accepted_as):
                raise ChangeRefused("That contribution was already dealt with")
        self._notify("contributions")

    def accept_contribution(self, c: Contribution, record: R, as_what: str = "") -> R:
        """Add *record* (made from *c*: a behaviour, a feedback item, a proof point, an
        action …) and mark *c* accepted, in one save: both, or neither.

        *record* is new: it gets the next id of its kind (and, for a positioned
        kind whose position was not given, the place after the last); it is
        validated like any record. *as_what* defaults to "<kind> <id>".
        """
        if c.kind is not ContributionKind.NOTE:
            raise ChangeRefused("A dot is counted in the tally, not accepted as a record")
        model = type(record)
        if model in SINGLETON_MODELS or model not in ATTR_BY_MODEL:
            raise ChangeRefused(
                "A contribution becomes a record of a list (a behaviour, an action …)"
            )
        attr = ATTR_BY_MODEL[model]
        items: list[Record] = getattr(self.session, attr)
        data = record.model_dump()
        data["id"] = self.session.next_id(attr)
        if "position" in model.model_fields and "position" not in record.model_fields_set:
            data["position"] = max((getattr(r, "position", 0) for r in items), default=0) + 1
        if isinstance(record, Action) and record.created_at is None:
            data["created_at"] = now()
        new = self._validate(model, data)
        self._check_rules(new)
        why = _missing_reference(self.session, new)
        if why is not None:
            raise ChangeRefused(why)
        label = _as_what(as_what) or f"{_KIND_NAMES.get(attr, attr)} {new.id}"

        def mark(conn: Any) -> None:
            if not decide(conn, c.id, ContributionState.ACCEPTED, label):
                raise ChangeRefused("That contribution was already dealt with")

        if self.readonly:
            raise ReadOnlySession("This session is open read-only; the change was not saved")
        self.store.apply(upserts=[new, self._touch()], also=mark)
        items.append(new)
        self._notify(attr)
        self._notify("contributions")
        return new

    def copy_votes_to_goals(self) -> list[Goal]:
        """Set every goal's votes to the room's tally (a goal without dots gets 0), in
        one save; the goals changed. Refused while the room has placed no dot."""
        tally = self.vote_tally()
        if not tally:
            raise ChangeRefused("No dots from the room yet")
        changed = [
            g.model_copy(update={"votes": min(tally.get(g.id, 0), 10_000)})
            for g in self.session.goals
            if g.votes != tally.get(g.id, 0)
        ]
        if changed:
            self.save_together(list(changed))
        return changed


#: How an accepted contribution's record is named in ``accepted_as`` ("behaviour 12").
_KIND_NAMES: dict[str, str] = {
    "behaviours": "behaviour",
    "feedback_items": "feedback item",
    "proof_points": "proof point",
    "pillars": "pillar",
    "actions": "action",
    "goals": "goal",
    "retired_messages": "retired message",
    "message_drafts": "message draft",
    "participants": "participant",
}


def _as_what(text: str) -> str:
    """``accepted_as`` as kept: one line, at most :data:`MAX_ACCEPTED_AS` characters."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_ACCEPTED_AS else line[: MAX_ACCEPTED_AS - 1] + "…"


def _missing_reference(s: Session, record: Record) -> str | None:
    """Why *record* points at something the session lacks (the whole-session check
    would refuse the file on reopening), or None."""
    if isinstance(record, Behaviour) and all(g.id != record.goal_id for g in s.goals):
        return "That goal is no longer there"
    if isinstance(record, ProofPoint) and all(p.id != record.pillar_id for p in s.pillars):
        return "That pillar is no longer there"
    if isinstance(record, Action) and record.owner_id is not None:
        if all(p.id != record.owner_id for p in s.participants):
            return "That owner is no longer a participant"
    return None


def figures_of(session: Session, handovers: list[Handover]) -> list[Record]:
    """The review figures of *handovers* (they go with their agreement)."""
    ids = {h.id for h in handovers}
    return [f for f in session.handover_figures if f.handover_id in ids]


def target_label(target: Goal | FunnelStage) -> str:
    """How an action's target reads once it is gone: "Goal: Grow …", "Stage: Enquiry"."""
    kind, name = ("Goal", target.statement) if isinstance(target, Goal) else ("Stage", target.name)
    text = f"{kind}: " + " ".join(name.split())
    return text if len(text) <= 200 else text[:199] + "…"


def targets_removed(session: Session, removed: list[Goal] | list[FunnelStage]) -> list[Action]:
    """The actions aimed at *removed* goals or stages, their target turned into a remembered name.

    The decision for a target that is removed: the link is cleared (nothing points
    at a record that is gone, so the file stays valid) and the action keeps what
    it aimed at as text (``target_gone``), so a review can still say why it was taken.
    """
    changed: list[Action] = []
    for target in removed:
        field = "target_goal_id" if isinstance(target, Goal) else "target_stage_id"
        for a in session.actions:
            if getattr(a, field) == target.id:
                changed.append(
                    a.model_copy(update={field: None, "target_gone": target_label(target)})
                )
    return changed


#: Reads as a number: digits with separators, an optional sign and per cent sign.
_NUMBER_RE = re.compile(r"^[-+]?\s*\d[\d.,\s\u00a0\u202f_']*%?$")


def _number_or_text(value: str | float | None) -> tuple[float | None, str]:
    """A goal's measured value as typed: (number, "") or (None, text); blank: (None, "")."""
    if value is None:
        return None, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), ""
    raw = " ".join(str(value).split())
    if not raw:
        return None, ""
    if _NUMBER_RE.match(raw):
        negative = raw.startswith("-")
        try:
            number = parse_number(raw.lstrip("+-").removesuffix("%"), field="Value")
        except ValueError as exc:
            raise ChangeRefused(str(exc)) from None
        assert number is not None
        return (-number if negative else number), ""
    return None, raw


def _action_history(old: Action, new: Action, changes: dict[str, Any]) -> Action:
    """*new* with what a review needs to know: the first due date and the day it was
    moved (a due date moved later, or away, counts as a slip), and the day it was done."""
    update: dict[str, Any] = {}
    today = clock.today()
    # a due date changed on the day the action was written is a correction, not a move
    added_today = old.created_at is not None and old.created_at.astimezone().date() == today
    moved = new.due != old.due and old.due is not None and not added_today
    if moved and "first_due" not in changes:
        if new.first_due is None:
            update["first_due"] = old.due
        update["due_moved_on"] = today
    if new.done and not old.done and "done_on" not in changes:
        update["done_on"] = today
    elif not new.done and old.done and "done_on" not in changes:
        update["done_on"] = None
    return new.model_copy(update=update) if update else new


def _review_rules(s: Session, record: Record) -> str | None:
    """Why *record* (schema 5's) would not hold together with *s*, or None: what points
    somewhere must point at something there, one value per goal and review, one figure
    per hand-over and review (the whole-session check would refuse the file otherwise)."""
    if isinstance(record, Action):
        if record.target_goal_id is not None and all(
            g.id != record.target_goal_id for g in s.goals
        ):
            return "That goal is no longer there"
        if record.target_stage_id is not None and all(
            st.id != record.target_stage_id for st in s.funnel_stages
        ):
            return "That funnel stage is no longer there"
    elif isinstance(record, Review):
        if record.period_id is not None and all(p.id != record.period_id for p in s.funnel_periods):
            return "That funnel period is no longer there"
    elif isinstance(record, GoalValue):
        if all(r.id != record.review_id for r in s.reviews):
            return "That review is no longer recorded"
        if all(g.id != record.goal_id for g in s.goals):
            return "That goal is no longer there"
        if any(
            v.review_id == record.review_id and v.goal_id == record.goal_id and v.id != record.id
            for v in s.goal_values
        ):
            return "This goal already has a value at this review"
    elif isinstance(record, HandoverFigure):
        if all(r.id != record.review_id for r in s.reviews):
            return "That review is no longer recorded"
        if all(h.id != record.handover_id for h in s.handovers):
            return "That hand-over is no longer there"
        if any(
            f.review_id == record.review_id
            and f.handover_id == record.handover_id
            and f.id != record.id
            for f in s.handover_figures
        ):
            return "This hand-over already has figures at this review"
    return None

"""Which items each plan gives the staff worklist, whose they are, and their deadlines. Pure.

`portal.services.worklist` reads the rows into the plain facts below (one query per table);
this module turns facts into items (`portal.rules.worklist` orders and counts them):

- whoever leads a plan: call the first meeting (initiated; before discharge right when the
  individual is ready, after discharge within 3 calendar days [003][004]); the re-assessment
  before the return home while deferred [002]; a follow-up from 14 days before it is due,
  once the plan is established; the individual's requests and coordinator wishes; consent
  withdrawals still in force. A closed plan gives only the withdrawal that may have closed it.
- the unit: a withdrawal of its own consent; a needs-assessment unit, the re-assessment.
- the receiver of a handover: accept it (acknowledged on weekdays like a message [003]).
- staff called to a meeting: acknowledge the call.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from portal.rules import worklist as rules
from portal.rules.coordinator_wish import is_open
from portal.rules.deadlines import acknowledgement_due
from portal.rules.follow_up import is_established
from portal.rules.vocabulary import (
    ConsentStatus,
    MeetingKind,
    PlanContext,
    PlanState,
    RequestKind,
)
from portal.rules.worklist import ItemKind, ItemRole, WorkItem

Detail = dict[str, object]  # what the row shows beside the item (unit name, meeting time …)
Found = list[tuple[WorkItem, Detail]]


@dataclass(frozen=True)
class FollowUpFact:
    id: int
    due_on: date


@dataclass(frozen=True)
class RequestFact:
    id: int
    kind: RequestKind
    created_at: datetime
    due_at: datetime  # the acknowledgement deadline stored with it


@dataclass(frozen=True)
class WishFact:
    id: int
    created_at: datetime
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class ConsentFact:
    id: int
    unit_id: int
    unit_name: str
    status: ConsentStatus
    effective_at: datetime
    recorded_at: datetime
    handled_at: datetime | None


@dataclass(frozen=True)
class AssignmentFact:
    id: int
    staff_id: int
    appointed_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class PlanWork:
    """One plan's facts for the worklist."""

    plan_id: int
    state: PlanState
    context: PlanContext
    created_at: datetime
    ready_for_discharge_at: datetime | None = None
    reassess_before_home_on: date | None = None
    open_follow_ups: tuple[FollowUpFact, ...] = ()
    follow_up_booked: bool = False  # a follow-up meeting is called and still ahead
    open_requests: tuple[RequestFact, ...] = ()  # not yet acknowledged
    wishes: tuple[WishFact, ...] = ()
    assignments: tuple[AssignmentFact, ...] = ()
    consent: tuple[ConsentFact, ...] = ()  # in the order recorded


@dataclass(frozen=True)
class CallFact:
    """A call to a meeting still ahead that the staff member has not acknowledged."""

    participant_id: int
    plan_id: int
    staff_id: int | None
    unit_name: str
    meeting_kind: MeetingKind
    starts_at: datetime
    since: datetime  # when the invitation went out
    due_at: datetime | None


def withdrawals_in_force(consent: Iterable[ConsentFact]) -> list[ConsentFact]:
    """Unhandled withdrawals that are still the unit's latest word."""
    latest: dict[int, ConsentFact] = {}
    for fact in sorted(consent, key=lambda f: (f.effective_at, f.id)):
        latest[fact.unit_id] = fact
    return [
        f for f in latest.values() if f.status is ConsentStatus.WITHDRAWN and f.handled_at is None
    ]


@dataclass(frozen=True)
class ToAcknowledge:
    """Something sent to a staff member (or a unit) that they acknowledge by a deadline."""

    kind: ItemKind
    role: ItemRole
    plan_id: int
    object_id: int
    staff_id: int | None
    since: datetime  # when it was sent
    due_at: datetime | None  # None: no deadline


def _acknowledgement(
    sent: ToAcknowledge, now: datetime, detail: Detail | None = None
) -> tuple[WorkItem, Detail]:
    """The one item-builder for what is acknowledged: a handover, a call, a withdrawal."""
    item = rules.make_item(
        sent.kind,
        sent.role,
        plan_id=sent.plan_id,
        object_id=sent.object_id,
        staff_id=sent.staff_id,
        since=sent.since,
        now=now,
        deadline=rules.at_time(sent.due_at) if sent.due_at else None,
    )
    return item, detail or {}


def _withdrawal(
    fact: ConsentFact, plan_id: int, role: ItemRole, staff_id: int | None, now: datetime
) -> tuple[WorkItem, Detail]:
    """A withdrawal is a message to the units: acknowledged on weekdays like one [003]."""
    sent = ToAcknowledge(
        ItemKind.CONSENT_WITHDRAWN,
        role,
        plan_id,
        fact.id,
        staff_id,
        since=fact.recorded_at,
        due_at=acknowledgement_due(fact.recorded_at),
    )
    return _acknowledgement(sent, now, {"unit_name": fact.unit_name})


def _reassessment(work: PlanWork, role: ItemRole, staff_id: int | None, now: datetime) -> WorkItem:
    assert work.reassess_before_home_on is not None
    return rules.make_item(
        ItemKind.SHORT_TERM_REASSESSMENT,
        role,
        plan_id=work.plan_id,
        object_id=work.plan_id,
        staff_id=staff_id,
        since=work.created_at,
        now=now,
        deadline=rules.end_of_day(work.reassess_before_home_on),
    )


def _awaits_reassessment(work: PlanWork) -> bool:
    return work.state is PlanState.DEFERRED and work.reassess_before_home_on is not None


def calls_for_first_meeting(state: PlanState) -> bool:
    """Initiated: a deferred plan first needs its re-assessment, which ends the deferral and
    names who calls [002] (portal.rules.invitation.FIRST_FROM)."""
    return state is PlanState.INITIATED


def three_days_from(
    state: PlanState, context: PlanContext, ready_for_discharge_at: datetime | None
) -> datetime | None:
    """When the first meeting must be called within three calendar days of ready-for-discharge
    [003][004], the moment they count from: after discharge, while nobody has been called.
    None otherwise (before discharge the SIP is held right when the individual is ready)."""
    if not calls_for_first_meeting(state) or context is not PlanContext.AFTER_DISCHARGE:
        return None
    return ready_for_discharge_at


def _invitation(work: PlanWork, staff_id: int, now: datetime) -> WorkItem:
    """After discharge: at the latest 3 calendar days after ready-for-discharge [003][004].
    Before discharge: the SIP is held right when the individual is ready [003]."""
    ready = work.ready_for_discharge_at if calls_for_first_meeting(work.state) else None
    if work.context is PlanContext.BEFORE_DISCHARGE and ready is not None:
        return rules.make_item(
            ItemKind.INVITATION_DUE,
            ItemRole.LEADS,
            plan_id=work.plan_id,
            object_id=work.plan_id,
            staff_id=staff_id,
            since=work.created_at,
            now=now,
            deadline=rules.at_time(ready),
        )
    return rules.invitation_item(
        plan_id=work.plan_id,
        staff_id=staff_id,
        since=work.created_at,
        ready_for_discharge_at=three_days_from(
            work.state, work.context, work.ready_for_discharge_at
        ),
        now=now,
    )


def leader_items(work: PlanWork, staff_id: int, now: datetime) -> Found:
    """The items of the person who leads the plan."""
    if work.state is PlanState.CLOSED:  # only the withdrawal that may have closed it
        found = message_items(work, staff_id, now)
        return [f for f in found if f[0].kind is ItemKind.CONSENT_WITHDRAWN]
    found: Found = []
    if calls_for_first_meeting(work.state):
        found.append((_invitation(work, staff_id, now), {}))
    if _awaits_reassessment(work):
        found.append((_reassessment(work, ItemRole.LEADS, staff_id, now), {}))
    if is_established(work.state):
        for follow_up in work.open_follow_ups:
            if rules.follow_up_is_due(follow_up.due_on, now):
                item = rules.make_item(
                    ItemKind.FOLLOW_UP_DUE,
                    ItemRole.LEADS,
                    plan_id=work.plan_id,
                    object_id=follow_up.id,
                    staff_id=staff_id,
                    since=work.created_at,
                    now=now,
                    deadline=rules.end_of_day(follow_up.due_on),
                )
                detail = {
                    "follow_up_on": follow_up.due_on,
                    "follow_up_booked": work.follow_up_booked,
                }
                found.append((item, detail))
    return found + message_items(work, staff_id, now)


def message_items(work: PlanWork, staff_id: int, now: datetime) -> Found:
    """What the individual (or the units) sent the person who leads the plan."""
    found: Found = []
    common = {"plan_id": work.plan_id, "staff_id": staff_id, "now": now}
    for request in work.open_requests:
        item = rules.make_item(
            ItemKind.REQUEST,
            ItemRole.LEADS,
            object_id=request.id,
            since=request.created_at,
            deadline=rules.at_time(request.due_at),
            **common,  # type: ignore[arg-type]
        )
        found.append((item, {"request_kind": request.kind}))
    appointed = [a.appointed_at for a in work.assignments]
    last_appointed = max(appointed) if appointed else None
    for wish in work.wishes:
        if is_open(wish.created_at, wish.withdrawn_at, last_appointed):
            item = rules.make_item(
                ItemKind.COORDINATOR_WISH,
                ItemRole.LEADS,
                object_id=wish.id,
                since=wish.created_at,
                **common,  # type: ignore[arg-type]
            )
            found.append((item, {}))
    for fact in withdrawals_in_force(work.consent):
        found.append(_withdrawal(fact, work.plan_id, ItemRole.LEADS, staff_id, now))
    return found


def unit_items(work: PlanWork, unit_id: int, needs_assessment: bool, now: datetime) -> Found:
    """The items of a unit as a whole: its own consent withdrawn; for a needs-assessment
    unit, the re-assessment before the return home [002]."""
    found: Found = [
        _withdrawal(fact, work.plan_id, ItemRole.UNIT, None, now)
        for fact in withdrawals_in_force(work.consent)
        if fact.unit_id == unit_id
    ]
    if _awaits_reassessment(work) and needs_assessment:
        found.append((_reassessment(work, ItemRole.UNIT, None, now), {}))
    return found


def handover_items(work: PlanWork, staff_ids: Collection[int], now: datetime) -> Found:
    """Accept the coordinator's role: the receiver's, by the weekday deadline [003]."""
    return [
        _acknowledgement(
            ToAcknowledge(
                ItemKind.HANDOVER,
                ItemRole.INCOMING,
                work.plan_id,
                assignment.id,
                assignment.staff_id,
                since=assignment.appointed_at,
                due_at=acknowledgement_due(assignment.appointed_at),
            ),
            now,
        )
        for assignment in work.assignments
        if assignment.accepted_at is None
        and assignment.ended_at is None
        and assignment.staff_id in staff_ids
    ]


def call_items(calls: Iterable[CallFact], now: datetime) -> Found:
    """Acknowledge a call to a meeting, by the deadline set when it was sent [003]."""
    return [
        _acknowledgement(
            ToAcknowledge(
                ItemKind.MEETING_ACKNOWLEDGEMENT,
                ItemRole.CALLED,
                call.plan_id,
                call.participant_id,
                call.staff_id,
                since=call.since,
                due_at=call.due_at,
            ),
            now,
            {
                "unit_name": call.unit_name,
                "meeting_kind": call.meeting_kind,
                "meeting_starts_at": call.starts_at,
            },
        )
        for call in calls
    ]

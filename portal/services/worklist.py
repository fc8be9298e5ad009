"""The staff worklist, loaded with a bounded number of queries however long it is.

Queries: find the plans that may give items (a few), then load those plans and everything
the items need in one query per table. Items are built by `portal.rules.worklist`; only plans
the viewer may see are shown (`portal.rules.access`), except that a unit whose consent was
withdrawn is told so with nothing beyond the individual's name ([003]).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal import db
from portal.models import (
    Account,
    ConsentEvent,
    CoordinatorAssignment,
    CoordinatorWish,
    FollowUp,
    Goal,
    Intervention,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanRequest,
    PlanUnit,
    PlanVersion,
    Staff,
    Unit,
)
from portal.rules import worklist as rules
from portal.rules.access import PlanFacts, Viewer, leads_plan, may_view_plan
from portal.rules.consent import ConsentRecord
from portal.rules.deadlines import acknowledgement_due, days_until
from portal.rules.follow_up import is_established
from portal.rules.participation import make_plan_facts
from portal.rules.vocabulary import (
    AccountKind,
    ConsentStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanContext,
    PlanState,
    RequestKind,
    UnitKind,
)
from portal.rules.worklist import ItemKind, ItemRole, WorkItem

T = TypeVar("T")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    """One line of the worklist, with what the page shows (no lazy loading in templates)."""

    item: WorkItem
    plan_number: str
    individual_name: str
    masked_pin: str
    limited: bool  # only what may be shared without consent: no link to the plan
    owner_name: str  # '' when the item is the unit's
    days_left: int | None
    state: PlanState
    unit_name: str = ""
    meeting_kind: MeetingKind | None = None
    meeting_starts_at: datetime | None = None
    request_kind: RequestKind | None = None
    follow_up_on: date | None = None
    follow_up_booked: bool = False


@dataclass(frozen=True)
class Worklist:
    rows: list[Row]
    summary: rules.Summary  # of every item, before the filters
    unit: Unit  # the viewer's unit
    whole_unit: bool
    unlisted: int = 0  # plans whose items could not be made: logged, the rest still shown


@dataclass
class _Loaded:
    """Everything about the candidate plans, one query per table."""

    plans: dict[int, Plan]
    facts: dict[int, PlanFacts] = field(default_factory=dict)
    assignments: dict[int, list[CoordinatorAssignment]] = field(default_factory=dict)
    consent_events: dict[int, list[tuple[ConsentEvent, str]]] = field(default_factory=dict)
    follow_ups: dict[int, list[FollowUp]] = field(default_factory=dict)
    booked_follow_ups: set[int] = field(default_factory=set)
    requests: dict[int, list[PlanRequest]] = field(default_factory=dict)
    wishes: dict[int, list[CoordinatorWish]] = field(default_factory=dict)


def _group(rows: list[tuple[int, T]]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def _staff_in_scope(me: Staff, whole_unit: bool) -> dict[int, Staff]:
    if not whole_unit:
        return {me.id: me}
    found = db.session().scalars(sa.select(Staff).where(Staff.unit_id == me.unit_id))
    return {s.id: s for s in found}


def _called(staff_ids: list[int], now: datetime) -> list[tuple[MeetingParticipant, Meeting, str]]:
    """Invitations to meetings still ahead that these staff have not acknowledged yet."""
    statement = (
        sa.select(MeetingParticipant, Meeting, sa.func.coalesce(Unit.name, ""))
        .join(Meeting, MeetingParticipant.meeting_id == Meeting.id)
        .outerjoin(Unit, MeetingParticipant.unit_id == Unit.id)
        .where(
            MeetingParticipant.staff_id.in_(staff_ids),
            MeetingParticipant.role == ParticipantRole.CALLED,
            MeetingParticipant.acknowledged_at.is_(None),
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.invited_at.is_not(None),
            Meeting.starts_at > now,
        )
    )
    return [(p, m, u) for p, m, u in db.session().execute(statement)]


def _candidate_plan_ids(staff_ids: list[int], unit: Unit) -> set[int]:
    session = db.session()
    assigned = sa.select(CoordinatorAssignment.plan_id).where(
        CoordinatorAssignment.staff_id.in_(staff_ids), CoordinatorAssignment.ended_at.is_(None)
    )
    unhandled = sa.select(ConsentEvent.plan_id).where(
        ConsentEvent.status == ConsentStatus.WITHDRAWN, ConsentEvent.handled_at.is_(None)
    )
    # The plans these staff lead, found by index (convener, assignment), then filtered: a
    # closed plan stays while a withdrawal waits: withdrawing all consent closes it [004],
    # and whoever led it must still act on the withdrawal.
    mine = sa.union(
        sa.select(Plan.id.label("id")).where(Plan.convener_id.in_(staff_ids)), assigned
    ).subquery()
    waiting = sa.exists(unhandled.where(ConsentEvent.plan_id == Plan.id))
    led = (
        sa.select(Plan.id)
        .join(mine, mine.c.id == Plan.id)
        .where(sa.or_(Plan.state != PlanState.CLOSED, waiting))
    )
    ids = set(session.scalars(led))
    withdrawn = unhandled.where(ConsentEvent.unit_id == unit.id)
    ids |= set(session.scalars(withdrawn))
    if unit.kind is UnitKind.NEEDS_ASSESSMENT:
        deferred = sa.select(Plan.id).where(
            Plan.state == PlanState.DEFERRED,
            Plan.reassess_before_home_on.is_not(None),
            Plan.id.in_(sa.select(ConsentEvent.plan_id).where(ConsentEvent.unit_id == unit.id)),
        )
        ids |= set(session.scalars(deferred))
    return ids


def _units(plan_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """(unit, how) per plan: called to a meeting, with an intervention, or added."""
    called = (
        sa.select(Meeting.plan_id, MeetingParticipant.unit_id, sa.literal("called"))
        .join(Meeting, MeetingParticipant.meeting_id == Meeting.id)
        .where(Meeting.plan_id.in_(plan_ids), MeetingParticipant.unit_id.is_not(None))
    )
    intervening = (
        sa.select(PlanVersion.plan_id, Intervention.unit_id, sa.literal("intervening"))
        .join(Goal, Intervention.goal_id == Goal.id)
        .join(PlanVersion, Goal.version_id == PlanVersion.id)
        .where(PlanVersion.plan_id.in_(plan_ids))
    )
    added = sa.select(PlanUnit.plan_id, PlanUnit.unit_id, sa.literal("added")).where(
        PlanUnit.plan_id.in_(plan_ids)
    )
    units: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for plan_id, unit_id, how in db.session().execute(sa.union(called, intervening, added)):
        units[plan_id].append((unit_id, str(how)))
    return units


def _load(plan_ids: set[int], now: datetime) -> _Loaded:
    session = db.session()
    ids = sorted(plan_ids)
    plans = session.scalars(
        sa.select(Plan).options(joinedload(Plan.individual)).where(Plan.id.in_(ids))
    ).all()
    loaded = _Loaded(plans={p.id: p for p in plans})
    assignments = session.scalars(
        sa.select(CoordinatorAssignment)
        .where(CoordinatorAssignment.plan_id.in_(ids))
        .order_by(CoordinatorAssignment.id)
    ).all()
    loaded.assignments = _group([(a.plan_id, a) for a in assignments])
    events = session.execute(
        sa.select(ConsentEvent, Unit.name)
        .join(Unit, ConsentEvent.unit_id == Unit.id)
        .where(ConsentEvent.plan_id.in_(ids))
        .order_by(ConsentEvent.id)
    ).all()
    loaded.consent_events = _group([(e.plan_id, (e, name)) for e, name in events])
    open_follow_ups = session.scalars(
        sa.select(FollowUp).where(FollowUp.plan_id.in_(ids), FollowUp.done_at.is_(None))
    ).all()
    loaded.follow_ups = _group([(f.plan_id, f) for f in open_follow_ups])
    loaded.booked_follow_ups = set(
        session.scalars(
            sa.select(Meeting.plan_id).where(
                Meeting.plan_id.in_(ids),
                Meeting.kind == MeetingKind.FOLLOW_UP,
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at >= now,
            )
        )
    )
    requests = session.scalars(
        sa.select(PlanRequest).where(
            PlanRequest.plan_id.in_(ids), PlanRequest.acknowledged_at.is_(None)
        )
    ).all()
    loaded.requests = _group([(r.plan_id, r) for r in requests])
    wishes = session.scalars(
        sa.select(CoordinatorWish).where(
            CoordinatorWish.plan_id.in_(ids), CoordinatorWish.withdrawn_at.is_(None)
        )
    ).all()
    loaded.wishes = _group([(w.plan_id, w) for w in wishes])
    units = _units(ids)
    for plan in plans:
        loaded.facts[plan.id] = _facts(plan, loaded, units.get(plan.id, []))
    return loaded


def _facts(plan: Plan, loaded: _Loaded, units: list[tuple[int, str]]) -> PlanFacts:
    """The same facts as `viewers.plan_facts` (portal.rules.participation.make_plan_facts),
    from rows already loaded."""
    events = [e for e, _name in loaded.consent_events.get(plan.id, [])]
    return make_plan_facts(
        individual_id=plan.individual_id,
        state=plan.state,
        convener_id=plan.convener_id,
        assignments=loaded.assignments.get(plan.id, []),
        called_units=[u for u, how in units if how == "called"],
        intervening_units=[u for u, how in units if how == "intervening"],
        added_units=[u for u, how in units if how == "added"],
        consent=[ConsentRecord(e.unit_id, e.status, e.effective_at) for e in events],
    )


def _withdrawals_in_force(loaded: _Loaded, plan_id: int) -> list[tuple[ConsentEvent, str]]:
    """Unhandled withdrawals that are still the unit's latest word."""
    events = loaded.consent_events.get(plan_id, [])
    latest: dict[int, tuple[ConsentEvent, str]] = {}
    for event, name in sorted(events, key=lambda pair: (pair[0].effective_at, pair[0].id)):
        latest[event.unit_id] = (event, name)
    return [
        (e, n)
        for e, n in latest.values()
        if e.status is ConsentStatus.WITHDRAWN and e.handled_at is None
    ]


_Found = list[tuple[WorkItem, dict[str, object]]]


def _withdrawal(
    event: ConsentEvent, unit_name: str, role: ItemRole, staff_id: int | None, now: datetime
) -> tuple[WorkItem, dict[str, object]]:
    """A withdrawal is a message to the units: acknowledged on weekdays like one [003]."""
    item = rules.make_item(
        ItemKind.CONSENT_WITHDRAWN,
        role,
        plan_id=event.plan_id,
        object_id=event.id,
        staff_id=staff_id,
        since=event.recorded_at,
        now=now,
        deadline=rules.at_time(acknowledgement_due(event.recorded_at)),
    )
    return item, {"unit_name": unit_name}


def _reassessment(plan: Plan, role: ItemRole, staff_id: int | None, now: datetime) -> WorkItem:
    assert plan.reassess_before_home_on is not None
    return rules.make_item(
        ItemKind.SHORT_TERM_REASSESSMENT,
        role,
        plan_id=plan.id,
        object_id=plan.id,
        staff_id=staff_id,
        since=plan.created_at,
        now=now,
        deadline=rules.end_of_day(plan.reassess_before_home_on),
    )


def _calls_for_meeting(plan: Plan) -> bool:
    """Initiated: a deferred plan first needs its re-assessment, which ends the deferral and
    names who calls [002] (portal.rules.invitation.FIRST_FROM)."""
    return plan.state is PlanState.INITIATED


_WITHDRAWN = ItemKind.CONSENT_WITHDRAWN


def _invitation(plan: Plan, staff_id: int, now: datetime) -> WorkItem:
    """After discharge: at the latest 3 calendar days after ready-for-discharge [003][004].
    Before discharge: the SIP is held right when the individual is ready [003]."""
    ready = plan.ready_for_discharge_at if plan.state is PlanState.INITIATED else None
    if plan.context is PlanContext.BEFORE_DISCHARGE and ready is not None:
        return rules.make_item(
            ItemKind.INVITATION_DUE,
            ItemRole.LEADS,
            plan_id=plan.id,
            object_id=plan.id,
            staff_id=staff_id,
            since=plan.created_at,
            now=now,
            deadline=rules.at_time(ready),
        )
    after_discharge = plan.context is PlanContext.AFTER_DISCHARGE
    return rules.invitation_item(
        plan_id=plan.id,
        staff_id=staff_id,
        since=plan.created_at,
        ready_for_discharge_at=ready if after_discharge else None,
        now=now,
    )


def _plan_work(plan: Plan, loaded: _Loaded, staff_id: int, now: datetime) -> _Found:
    """The items of the person who leads the plan."""
    if plan.state is PlanState.CLOSED:  # only the withdrawal that may have closed it
        return [f for f in _messages(plan, loaded, staff_id, now) if f[0].kind is _WITHDRAWN]
    found: _Found = []
    common = {"plan_id": plan.id, "staff_id": staff_id, "now": now}
    if _calls_for_meeting(plan):
        found.append((_invitation(plan, staff_id, now), {}))
    if plan.state is PlanState.DEFERRED and plan.reassess_before_home_on is not None:
        found.append((_reassessment(plan, ItemRole.LEADS, staff_id, now), {}))
    if is_established(plan.state):
        for follow_up in loaded.follow_ups.get(plan.id, []):
            if rules.follow_up_is_due(follow_up.due_on, now):
                item = rules.make_item(
                    ItemKind.FOLLOW_UP_DUE,
                    ItemRole.LEADS,
                    object_id=follow_up.id,
                    since=plan.created_at,
                    deadline=rules.end_of_day(follow_up.due_on),
                    **common,
                )
                booked = plan.id in loaded.booked_follow_ups
                found.append((item, {"follow_up_on": follow_up.due_on, "follow_up_booked": booked}))
    return found + _messages(plan, loaded, staff_id, now)


def _messages(plan: Plan, loaded: _Loaded, staff_id: int, now: datetime) -> _Found:
    """What the individual (or the units) sent the person who leads the plan."""
    found: _Found = []
    common = {"plan_id": plan.id, "staff_id": staff_id, "now": now}
    for request in loaded.requests.get(plan.id, []):
        item = rules.make_item(
            ItemKind.REQUEST,
            ItemRole.LEADS,
            object_id=request.id,
            since=request.created_at,
            deadline=rules.at_time(request.acknowledgement_due_at),
            **common,
        )
        found.append((item, {"request_kind": request.kind}))
    appointed = [a.appointed_at for a in loaded.assignments.get(plan.id, [])]
    last_appointed = max(appointed) if appointed else None
    for wish in loaded.wishes.get(plan.id, []):
        if rules.wish_is_open(wish.created_at, wish.withdrawn_at, last_appointed):
            item = rules.make_item(
                ItemKind.COORDINATOR_WISH,
                ItemRole.LEADS,
                object_id=wish.id,
                since=wish.created_at,
                **common,
            )
            found.append((item, {}))
    for event, unit_name in _withdrawals_in_force(loaded, plan.id):
        found.append(_withdrawal(event, unit_name, ItemRole.LEADS, staff_id, now))
    return found


def _unit_work(plan: Plan, loaded: _Loaded, unit: Unit, now: datetime) -> _Found:
    """The items of the viewer's unit as a whole."""
    found: _Found = [
        _withdrawal(event, unit_name, ItemRole.UNIT, None, now)
        for event, unit_name in _withdrawals_in_force(loaded, plan.id)
        if event.unit_id == unit.id
    ]
    deferred = plan.state is PlanState.DEFERRED and plan.reassess_before_home_on is not None
    if deferred and unit.kind is UnitKind.NEEDS_ASSESSMENT:
        found.append((_reassessment(plan, ItemRole.UNIT, None, now), {}))
    return found


def _handovers(plan: Plan, loaded: _Loaded, staff: dict[int, Staff], now: datetime) -> _Found:
    found: _Found = []
    for assignment in loaded.assignments.get(plan.id, []):
        waiting = assignment.accepted_at is None and assignment.ended_at is None
        if waiting and assignment.staff_id in staff:
            item = rules.make_item(
                ItemKind.HANDOVER,
                ItemRole.INCOMING,
                plan_id=plan.id,
                object_id=assignment.id,
                staff_id=assignment.staff_id,
                since=assignment.appointed_at,
                now=now,
                deadline=rules.at_time(acknowledgement_due(assignment.appointed_at)),
            )
            found.append((item, {}))
    return found


def _call_work(calls: list[tuple[MeetingParticipant, Meeting, str]], now: datetime) -> _Found:
    found: _Found = []
    for participant, meeting, unit_name in calls:
        due = participant.acknowledgement_due_at
        item = rules.make_item(
            ItemKind.MEETING_ACKNOWLEDGEMENT,
            ItemRole.CALLED,
            plan_id=meeting.plan_id,
            object_id=participant.id,
            staff_id=participant.staff_id,
            since=meeting.invited_at or meeting.created_at,
            now=now,
            deadline=rules.at_time(due) if due else None,
        )
        detail = {
            "unit_name": unit_name,
            "meeting_kind": meeting.kind,
            "meeting_starts_at": meeting.starts_at,
        }
        found.append((item, detail))
    return found


def _staff_viewer(member: Staff) -> Viewer:
    return Viewer(0, AccountKind.STAFF, staff_id=member.id, unit_id=member.unit_id)


def _everything(
    loaded: _Loaded,
    staff: dict[int, Staff],
    unit: Unit,
    calls: list,
    now: datetime,
    skipped: set[int],
) -> _Found:
    """Leaders' items first, so one item per row is kept, in the leader's name."""
    found: _Found = []
    for plan in loaded.plans.values():
        facts = loaded.facts[plan.id]
        for member in staff.values():
            if leads_plan(_staff_viewer(member), facts):
                found += _safely(plan.id, skipped, _plan_work, plan, loaded, member.id, now)
    for plan in loaded.plans.values():
        found += _safely(plan.id, skipped, _handovers, plan, loaded, staff, now)
        found += _safely(plan.id, skipped, _unit_work, plan, loaded, unit, now)
    return found + _call_work(calls, now)


def _safely(plan_id: int, skipped: set[int], work: Callable[..., _Found], *args: Any) -> _Found:
    """One plan's items; a plan whose stored data cannot be turned into items is logged
    (its id and the error's type, no content) and left out, so the rest is still shown."""
    try:
        return work(*args)
    except Exception as error:
        logger.warning("worklist: plan id=%s left out (%s)", plan_id, type(error).__name__)
        skipped.add(plan_id)
        return []


def _row(
    item: WorkItem,
    detail: dict[str, object],
    loaded: _Loaded,
    limited: bool,
    staff: dict[int, Staff],
    now: datetime,
) -> Row:
    plan = loaded.plans[item.plan_id]
    owner = staff.get(item.staff_id) if item.staff_id is not None else None
    deadline = item.deadline
    return Row(
        item=item,
        plan_number=plan.number,
        individual_name=plan.individual.name,
        masked_pin=plan.individual.masked_pin,
        limited=limited,
        owner_name=owner.name if owner else "",
        days_left=days_until(deadline.day, now) if deadline else None,
        state=plan.state,
        **detail,  # type: ignore[arg-type]
    )


def load_worklist(
    *,
    account: Account,
    now: datetime,
    kinds: frozenset[ItemKind] | None = None,
    roles: frozenset[ItemRole] | None = None,
    whole_unit: bool = False,
) -> Worklist:
    """The viewer's worklist (or their whole unit's), most urgent first, then filtered."""
    me = account.staff
    if me is None:
        raise ValueError("only staff have a worklist")
    viewer = Viewer(account.id, AccountKind.STAFF, staff_id=me.id, unit_id=me.unit_id)
    unit = db.session().get(Unit, me.unit_id)
    assert unit is not None
    staff = _staff_in_scope(me, whole_unit)
    calls = _called(sorted(staff), now)
    plan_ids = _candidate_plan_ids(sorted(staff), unit) | {m.plan_id for _p, m, _u in calls}
    loaded = _load(plan_ids, now)
    visible: _Found = []
    limited: set[tuple[ItemKind, int]] = set()
    skipped: set[int] = set()
    for item, detail in _everything(loaded, staff, unit, calls, now, skipped):
        if may_view_plan(viewer, loaded.facts[item.plan_id]):
            visible.append((item, detail))
        elif item.kind is ItemKind.CONSENT_WITHDRAWN and item.role is ItemRole.UNIT:
            visible.append((item, detail))
            limited.add(item.key)
    details = {item.key: detail for item, detail in reversed(visible)}
    items = rules.by_urgency(rules.unique(item for item, _detail in visible))
    rows = []
    for i in rules.select(items, kinds, roles):
        rows += _safely(
            i.plan_id, skipped, _one_row, i, details[i.key], loaded, limited, staff, now
        )
    return Worklist(rows, rules.summarise(items), unit, whole_unit, len(skipped))


def _one_row(
    item: WorkItem,
    detail: dict[str, object],
    loaded: _Loaded,
    limited: set[tuple[ItemKind, int]],
    staff: dict[int, Staff],
    now: datetime,
) -> list[Row]:
    return [_row(item, detail, loaded, item.key in limited, staff, now)]

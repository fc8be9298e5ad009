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
from portal.rules import worklist_items as items
from portal.rules.access import PlanFacts, Viewer, leads_plan, may_view_plan
from portal.rules.consent import ConsentRecord
from portal.rules.deadlines import days_until
from portal.rules.follow_up import open_follow_ups
from portal.rules.participation import make_plan_facts
from portal.rules.vocabulary import (
    AccountKind,
    ConsentStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanState,
    RequestKind,
    UnitKind,
)
from portal.rules.worklist import ItemKind, ItemRole, WorkItem
from portal.rules.worklist_items import Found as _Found

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
    follow_ups = session.scalars(sa.select(FollowUp).where(FollowUp.plan_id.in_(ids))).all()
    loaded.follow_ups = _group([(f.plan_id, f) for f in follow_ups])
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


def _work(plan: Plan, loaded: _Loaded) -> items.PlanWork:
    """The plan's rows as the plain facts portal.rules.worklist_items reads."""
    return items.PlanWork(
        plan_id=plan.id,
        state=plan.state,
        context=plan.context,
        created_at=plan.created_at,
        ready_for_discharge_at=plan.ready_for_discharge_at,
        reassess_before_home_on=plan.reassess_before_home_on,
        open_follow_ups=tuple(
            items.FollowUpFact(f.id, f.due_on)
            for f in open_follow_ups(loaded.follow_ups.get(plan.id, []))
        ),
        follow_up_booked=plan.id in loaded.booked_follow_ups,
        open_requests=tuple(
            items.RequestFact(r.id, r.kind, r.created_at, r.acknowledgement_due_at)
            for r in loaded.requests.get(plan.id, [])
        ),
        wishes=tuple(
            items.WishFact(w.id, w.created_at, w.withdrawn_at)
            for w in loaded.wishes.get(plan.id, [])
        ),
        assignments=tuple(
            items.AssignmentFact(a.id, a.staff_id, a.appointed_at, a.accepted_at, a.ended_at)
            for a in loaded.assignments.get(plan.id, [])
        ),
        consent=tuple(
            items.ConsentFact(
                e.id, e.unit_id, name, e.status, e.effective_at, e.recorded_at, e.handled_at
            )
            for e, name in loaded.consent_events.get(plan.id, [])
        ),
    )


def _call_facts(calls: list[tuple[MeetingParticipant, Meeting, str]]) -> list[items.CallFact]:
    return [
        items.CallFact(
            participant_id=p.id,
            plan_id=m.plan_id,
            staff_id=p.staff_id,
            unit_name=unit_name,
            meeting_kind=m.kind,
            starts_at=m.starts_at,
            since=m.invited_at or m.created_at,
            due_at=p.acknowledgement_due_at,
        )
        for p, m, unit_name in calls
    ]


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
    """Leaders' items first, so one item per row is kept, in the leader's name. Which items
    arise is portal.rules.worklist_items'; who leads is portal.rules.access'."""
    found: _Found = []
    work = {plan_id: _work(plan, loaded) for plan_id, plan in loaded.plans.items()}
    for plan_id in loaded.plans:
        for member in staff.values():
            if leads_plan(_staff_viewer(member), loaded.facts[plan_id]):
                found += _safely(
                    plan_id, skipped, items.leader_items, work[plan_id], member.id, now
                )
    assessing = unit.kind is UnitKind.NEEDS_ASSESSMENT
    for plan_id in loaded.plans:
        found += _safely(plan_id, skipped, items.handover_items, work[plan_id], staff, now)
        found += _safely(plan_id, skipped, items.unit_items, work[plan_id], unit.id, assessing, now)
    return found + items.call_items(_call_facts(calls), now)


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

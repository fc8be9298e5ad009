"""The staff worklist, loaded with a bounded number of queries however long it is.

Two statements (ADR 0113): the invitations with the plans that may give items, then
everything the items need of those plans, one part per table, with the unread messages.
Items are built by `portal.rules.worklist`; only plans the viewer may see are shown
(`portal.rules.access`), except that a unit whose consent was withdrawn is told so with
nothing beyond the individual's name ([003]).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from portal import db
from portal.models import (
    Account,
    ConsentEvent,
    CoordinatorAssignment,
    CoordinatorWish,
    FollowUp,
    Individual,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanRequest,
    Staff,
    Unit,
)
from portal.rules import worklist as rules
from portal.rules import worklist_items as items
from portal.rules.access import PlanFacts, Viewer, leads_plan, may_view_plan
from portal.rules.consent import ConsentRecord
from portal.rules.deadlines import days_until
from portal.rules.follow_up import open_follow_ups
from portal.rules.identity import mask_pin
from portal.rules.names import full_name
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
from portal.services import notifications
from portal.services.bundle import Bundle
from portal.services.viewers import fact_parts

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
    # The staff member's unread messages with their plans' numbers, newest first
    # (notifications.by_plan): read with the candidate plans' parts, alone when there are none.
    news: list[tuple[Any, str]] = field(default_factory=list)


@dataclass
class _Loaded:
    """Everything about the candidate plans, one part of the read per table, as rows of the
    columns the items need (the statements below name them)."""

    plans: dict[int, Any]
    calls: list[Any] = field(default_factory=list)  # invitations not yet acknowledged
    facts: dict[int, PlanFacts] = field(default_factory=dict)
    assignments: dict[int, list[Any]] = field(default_factory=dict)
    consent_events: dict[int, list[Any]] = field(default_factory=dict)
    follow_ups: dict[int, list[Any]] = field(default_factory=dict)
    requests: dict[int, list[Any]] = field(default_factory=dict)
    wishes: dict[int, list[Any]] = field(default_factory=dict)
    news: list[tuple[Any, str]] = field(default_factory=list)  # Worklist.news


def _group(rows: list[tuple[int, T]]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


# Every statement is built once, at import, with its values bound per request: building a
# statement costs more CPU than running it on a small list (ADR 0097). They select columns,
# not entities: the items need a few facts per row, and Core rows cost less than objects.
_STAFF_IDS = sa.bindparam("staff_ids", expanding=True)
_PLAN_IDS = sa.bindparam("plan_ids", expanding=True)
_NOW = sa.bindparam("now")
_UNIT = sa.bindparam("unit_id")

_UNIT_STAFF = sa.select(Staff.id, Staff.given_name, Staff.family_name).where(Staff.unit_id == _UNIT)

# Invitations to meetings still ahead that these staff have not acknowledged yet.
_IS_CALLED = (
    MeetingParticipant.staff_id.in_(_STAFF_IDS),
    MeetingParticipant.role == ParticipantRole.CALLED,
    MeetingParticipant.acknowledged_at.is_(None),
    Meeting.status == MeetingStatus.PLANNED,
    Meeting.invited_at.is_not(None),
    Meeting.starts_at > _NOW,
)
_CALLED = (
    sa.select(
        MeetingParticipant.id,
        MeetingParticipant.staff_id,
        MeetingParticipant.acknowledgement_due_at,
        Meeting.plan_id,
        Meeting.kind,
        Meeting.starts_at,
        Meeting.invited_at,
        Meeting.created_at,
        sa.func.coalesce(Unit.name, "").label("unit_name"),
    )
    .join(Meeting, MeetingParticipant.meeting_id == Meeting.id)
    .outerjoin(Unit, MeetingParticipant.unit_id == Unit.id)
    .where(*_IS_CALLED)
)


def _candidates(assessing: bool) -> sa.CompoundSelect:
    """The plans that may give items: those the staff lead, found by index (convener,
    assignment), then filtered; a withdrawal of the unit's consent waiting; the plans of the
    meetings they are called to; for a needs-assessment unit, a deferred plan it was asked
    about. One UNION, so `_plans` joins it to the plans by primary key: an OR of two IN
    lists there made PostgreSQL filter every plan of the region (ADR 0100).
    A closed plan stays while a withdrawal waits: withdrawing all consent closes it [004],
    and whoever led it must still act on the withdrawal."""
    unhandled = sa.select(ConsentEvent.plan_id).where(
        ConsentEvent.status == ConsentStatus.WITHDRAWN, ConsentEvent.handled_at.is_(None)
    )
    assigned = sa.select(CoordinatorAssignment.plan_id).where(
        CoordinatorAssignment.staff_id.in_(_STAFF_IDS), CoordinatorAssignment.ended_at.is_(None)
    )
    mine = sa.union(
        sa.select(Plan.id.label("id")).where(Plan.convener_id.in_(_STAFF_IDS)), assigned
    ).subquery()
    waiting = sa.exists(unhandled.where(ConsentEvent.plan_id == Plan.id))
    led = (
        sa.select(Plan.id)
        .join(mine, mine.c.id == Plan.id)
        .where(sa.or_(Plan.state != PlanState.CLOSED, waiting))
    )
    called = (
        sa.select(Meeting.plan_id)
        .join_from(MeetingParticipant, Meeting, MeetingParticipant.meeting_id == Meeting.id)
        .where(*_IS_CALLED)
    )
    found = [led, unhandled.where(ConsentEvent.unit_id == _UNIT), called]
    if assessing:
        found.append(
            sa.select(Plan.id).where(
                Plan.state == PlanState.DEFERRED,
                Plan.reassess_before_home_on.is_not(None),
                Plan.id.in_(sa.select(ConsentEvent.plan_id).where(ConsentEvent.unit_id == _UNIT)),
            )
        )
    return sa.union(*found)


def _plans(assessing: bool) -> sa.Select:
    """The candidate plans with their individual and whether a follow-up meeting is booked."""
    booked = sa.exists().where(
        Meeting.plan_id == Plan.id,
        Meeting.kind == MeetingKind.FOLLOW_UP,
        Meeting.status == MeetingStatus.PLANNED,
        Meeting.starts_at >= _NOW,
    )
    return (
        sa.select(
            Plan.id,
            Plan.number,
            Plan.state,
            Plan.context,
            Plan.created_at,
            Plan.ready_for_discharge_at,
            Plan.reassess_before_home_on,
            Plan.individual_id,
            Plan.convener_id,
            Individual.given_name,
            Individual.family_name,
            Individual.personal_identity_number,
            booked.label("follow_up_booked"),
        )
        .join(Individual, Plan.individual_id == Individual.id)
        .where(Plan.id.in_(_candidates(assessing)))
    )


# What may give items, in one statement (services.bundle, ADR 0113): the invitations and the
# candidate plans, whose UNION finds the invitations' plans by the same conditions.
_FOUND = {
    assessing: Bundle({"calls": (_CALLED, ()), "plans": (_plans(assessing), ("id",))})
    for assessing in (False, True)
}
# Everything the items need of the plans found, one part per table, bound with their ids,
# and the staff member's unread messages (ADR 0111). Not in the statement above: bound with
# ids found inside it, PostgreSQL re-planned the whole read on every request (ADR 0113).
_ASSIGNMENTS = sa.select(
    CoordinatorAssignment.plan_id,
    CoordinatorAssignment.id,
    CoordinatorAssignment.staff_id,
    CoordinatorAssignment.appointed_at,
    CoordinatorAssignment.accepted_at,
    CoordinatorAssignment.ended_at,
).where(CoordinatorAssignment.plan_id.in_(_PLAN_IDS))
# The unit's name by primary key for each event (a unit is required): joined, PostgreSQL
# hashed every unit of the region for a few dozen events (ADR 0100).
_UNIT_NAME = sa.select(Unit.name).where(Unit.id == ConsentEvent.unit_id).scalar_subquery()
_CONSENT_EVENTS = sa.select(
    ConsentEvent.plan_id,
    ConsentEvent.id,
    ConsentEvent.unit_id,
    _UNIT_NAME.label("unit_name"),
    ConsentEvent.status,
    ConsentEvent.effective_at,
    ConsentEvent.recorded_at,
    ConsentEvent.handled_at,
).where(ConsentEvent.plan_id.in_(_PLAN_IDS))
_FOLLOW_UPS = sa.select(FollowUp.plan_id, FollowUp.id, FollowUp.due_on, FollowUp.done_at).where(
    FollowUp.plan_id.in_(_PLAN_IDS)
)
_REQUESTS = sa.select(
    PlanRequest.plan_id,
    PlanRequest.id,
    PlanRequest.kind,
    PlanRequest.created_at,
    PlanRequest.acknowledgement_due_at,
).where(PlanRequest.plan_id.in_(_PLAN_IDS), PlanRequest.acknowledged_at.is_(None))
_WISHES = sa.select(CoordinatorWish.plan_id, CoordinatorWish.id, CoordinatorWish.created_at).where(
    CoordinatorWish.plan_id.in_(_PLAN_IDS), CoordinatorWish.withdrawn_at.is_(None)
)
# The units taking part (called to a meeting, with an intervention, or added; each unit once
# a plan): the access facts' own parts (services.viewers), for the plans found.
_UNITS = {
    name: part
    for name, part in fact_parts(lambda column: column.in_(_PLAN_IDS)).items()
    if name in ("facts_called", "facts_intervening", "facts_added")
}
_OF_PLANS = Bundle(
    {
        "assignments": (_ASSIGNMENTS, ("id",)),
        "consent_events": (_CONSENT_EVENTS, ("id",)),
        "follow_ups": (_FOLLOW_UPS, ()),
        "requests": (_REQUESTS, ()),
        "wishes": (_WISHES, ()),
        **_UNITS,
        # not of the plans: the staff member's unread messages, in the same round trip
        "news": notifications.UNREAD_BY_PLAN,
    }
)


def _rows(statement: sa.Executable, **values: Any) -> list[Any]:
    """Core rows in the request's transaction (no ORM entities to build)."""
    return list(db.session().connection().execute(statement, values))


def _staff_in_scope(me: Staff, whole_unit: bool) -> dict[int, str]:
    """The staff whose items are shown, by id, with their names."""
    if not whole_unit:
        return {me.id: me.name}
    found = _rows(_UNIT_STAFF, unit_id=me.unit_id)
    return {s.id: full_name(s.given_name, s.family_name) for s in found}


def _load(staff_ids: list[int], unit: Unit, now: datetime, account_id: int) -> _Loaded:
    connection = db.session().connection()
    bound = {"staff_ids": staff_ids, "unit_id": unit.id, "now": now}
    found = _FOUND[unit.kind is UnitKind.NEEDS_ASSESSMENT].read(connection, bound)
    plans = found["plans"]
    loaded = _Loaded(plans={p.id: p for p in plans}, calls=found["calls"])
    # With no plan found, this reads only the messages (an empty IN is false).
    parts = _OF_PLANS.read(connection, {"plan_ids": list(loaded.plans), "account_id": account_id})
    loaded.news = notifications.by_plan(parts["news"])
    loaded.assignments = _group([(a.plan_id, a) for a in parts["assignments"]])
    loaded.consent_events = _group([(e.plan_id, e) for e in parts["consent_events"]])
    loaded.follow_ups = _group([(f.plan_id, f) for f in parts["follow_ups"]])
    loaded.requests = _group([(r.plan_id, r) for r in parts["requests"]])
    loaded.wishes = _group([(w.plan_id, w) for w in parts["wishes"]])
    units = {how: _group(parts[f"facts_{how}"]) for how in ("called", "intervening", "added")}
    for plan in plans:
        loaded.facts[plan.id] = _facts(
            plan, loaded, {how: found.get(plan.id, []) for how, found in units.items()}
        )
    return loaded


def _facts(plan: Any, loaded: _Loaded, units: dict[str, list[int]]) -> PlanFacts:
    """The same facts as `viewers.plan_facts` (portal.rules.participation.make_plan_facts),
    from rows already loaded."""
    return make_plan_facts(
        individual_id=plan.individual_id,
        state=plan.state,
        convener_id=plan.convener_id,
        assignments=loaded.assignments.get(plan.id, []),
        called_units=units["called"],
        intervening_units=units["intervening"],
        added_units=units["added"],
        consent=[
            ConsentRecord(e.unit_id, e.status, e.effective_at)
            for e in loaded.consent_events.get(plan.id, [])
        ],
    )


def _work(plan: Any, loaded: _Loaded) -> items.PlanWork:
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
        follow_up_booked=bool(plan.follow_up_booked),
        open_requests=tuple(
            items.RequestFact(r.id, r.kind, r.created_at, r.acknowledgement_due_at)
            for r in loaded.requests.get(plan.id, [])
        ),
        wishes=tuple(
            items.WishFact(w.id, w.created_at, None)  # only those not withdrawn
            for w in loaded.wishes.get(plan.id, [])
        ),
        assignments=tuple(
            items.AssignmentFact(a.id, a.staff_id, a.appointed_at, a.accepted_at, a.ended_at)
            for a in loaded.assignments.get(plan.id, [])
        ),
        consent=tuple(
            items.ConsentFact(
                e.id, e.unit_id, e.unit_name, e.status, e.effective_at, e.recorded_at, e.handled_at
            )
            for e in loaded.consent_events.get(plan.id, [])
        ),
    )


def _call_facts(calls: list[Any]) -> list[items.CallFact]:
    return [
        items.CallFact(
            participant_id=c.id,
            plan_id=c.plan_id,
            staff_id=c.staff_id,
            unit_name=c.unit_name,
            meeting_kind=c.kind,
            starts_at=c.starts_at,
            since=c.invited_at or c.created_at,
            due_at=c.acknowledgement_due_at,
        )
        for c in calls
    ]


def _everything(
    loaded: _Loaded,
    staff: dict[int, str],
    unit: Unit,
    calls: list[Any],
    now: datetime,
    skipped: set[int],
) -> _Found:
    """Leaders' items first, so one item per row is kept, in the leader's name. Which items
    arise is portal.rules.worklist_items'; who leads is portal.rules.access'."""
    found: _Found = []
    work = {plan_id: _work(plan, loaded) for plan_id, plan in loaded.plans.items()}
    viewers = [Viewer(0, AccountKind.STAFF, staff_id=s, unit_id=unit.id) for s in staff]
    for plan_id in loaded.plans:
        for member in viewers:
            if leads_plan(member, loaded.facts[plan_id]):
                found += _safely(
                    plan_id, skipped, items.leader_items, work[plan_id], member.staff_id, now
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
    staff: dict[int, str],
    now: datetime,
) -> Row:
    plan = loaded.plans[item.plan_id]
    deadline = item.deadline
    return Row(
        item=item,
        plan_number=plan.number,
        individual_name=full_name(plan.given_name, plan.family_name),
        masked_pin=mask_pin(plan.personal_identity_number),  # Individual.masked_pin
        limited=limited,
        owner_name=staff.get(item.staff_id, "") if item.staff_id is not None else "",
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
    loaded = _load(sorted(staff), unit, now, account.id)
    calls = loaded.calls
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
    return Worklist(rows, rules.summarise(items), unit, whole_unit, len(skipped), loaded.news)


def _one_row(
    item: WorkItem,
    detail: dict[str, object],
    loaded: _Loaded,
    limited: set[tuple[ItemKind, int]],
    staff: dict[int, str],
    now: datetime,
) -> list[Row]:
    return [_row(item, detail, loaded, item.key in limited, staff, now)]

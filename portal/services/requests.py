"""What the individual asks of the coordinator, and whom they wish as coordinator.

A request gets its acknowledgement deadline from the weekday rule of [003]; the coordinator
(or the convener, until one is appointed) is notified, and the request is on their worklist.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import (
    Account,
    CoordinatorAssignment,
    CoordinatorWish,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanRequest,
    Staff,
)
from portal.models.audit_types import EventType
from portal.rules import coordinator_wish as wish_rules
from portal.rules.deadlines import acknowledgement_due
from portal.rules.vocabulary import RequestKind
from portal.services import audit
from portal.services.notifications import notify_leader
from portal.timeutil import now

# The staff plan page's two statements, built once with the plan's id bound (ADR 0098).
_REQUESTS_OF = (
    sa.select(PlanRequest)
    .where(PlanRequest.plan_id == sa.bindparam("plan_id"))
    .order_by(PlanRequest.created_at.desc())
)
_WISHES = sa.select(CoordinatorWish).where(
    CoordinatorWish.plan_id == sa.bindparam("plan_id"), CoordinatorWish.withdrawn_at.is_(None)
)


def requests_of(plan: Plan) -> list[PlanRequest]:
    return list(db.session().scalars(_REQUESTS_OF, {"plan_id": plan.id}))


# What the home page shows of each request still waiting for an answer, as Core rows (ADR
# 0108): a part of the home page's bundle (services.bundle, ADR 0111), built once.
_UNANSWERED = sa.select(
    PlanRequest.plan_id,
    PlanRequest.kind,
    PlanRequest.created_at,
    PlanRequest.acknowledgement_due_at,
).where(
    PlanRequest.plan_id.in_(sa.bindparam("waiting_plan_ids", expanding=True)),
    PlanRequest.acknowledged_at.is_(None),
)
UNANSWERED = (_UNANSWERED, ("-created_at",))  # newest first


def unanswered_values(plan_ids: list[int]) -> dict[str, object]:
    """What UNANSWERED is bound with: the requests of these plans."""
    return {"waiting_plan_ids": list(plan_ids)}


def unanswered_from(rows: list, plan_ids: list[int]) -> dict[int, list]:
    """UNANSWERED's rows by plan, a list (perhaps empty) for each of `plan_ids`."""
    found: dict[int, list] = {plan_id: [] for plan_id in plan_ids}
    for item in rows:
        found[item.plan_id].append(item)
    return found


def send_request(
    *, plan: Plan, kind: RequestKind, message: str, by: Account, on_behalf_of: int | None
) -> PlanRequest:
    sent = now()
    request = PlanRequest(
        plan=plan,
        kind=kind,
        message=message,
        written_by_account_id=by.id,
        on_behalf_of_individual=on_behalf_of is not None,
        created_at=sent,
        acknowledgement_due_at=acknowledgement_due(sent),
    )
    session = db.session()
    session.add(request)
    session.flush()
    audit.record(
        session,
        type=EventType.REQUEST_SEND,
        by=by,
        subject_individual_id=plan.individual_id,
        on_behalf_of=on_behalf_of,
        object_type="plan_request",
        object_id=request.id,
        detail=kind.value,
    )
    notify_leader(plan, f"request.{kind.value}")
    session.commit()
    return request


def staff_known_to_plan(plan: Plan) -> list[Staff]:
    """Whom the individual can choose among: called to a meeting, responsible for an
    intervention, the convener, or coordinator before."""
    session = db.session()
    ids = set(
        session.scalars(
            sa.select(MeetingParticipant.staff_id)
            .join(Meeting)
            .where(Meeting.plan_id == plan.id, MeetingParticipant.staff_id.is_not(None))
        )
    )
    ids |= {i.responsible_id for v in plan.versions for g in v.goals for i in g.interventions}
    ids |= {a.staff_id for a in plan.coordinator_assignments} | {plan.convener_id}
    ids.discard(None)
    staff = session.scalars(sa.select(Staff).where(Staff.id.in_(ids))).all()
    return sorted(staff, key=lambda s: (s.family_name, s.given_name))


def current_wish(plan: Plan) -> CoordinatorWish | None:
    """portal.rules.coordinator_wish.current_wish, for a stored plan."""
    wishes = db.session().scalars(_WISHES, {"plan_id": plan.id})
    return wish_rules.current_wish(wishes)


def appointed_after(plan: Plan, wish: CoordinatorWish) -> CoordinatorAssignment | None:
    """The outcome (portal.rules.coordinator_wish.outcome): a coordinator who took office
    since the wish was made, if any."""
    return wish_rules.outcome(wish.created_at, plan.coordinator_assignments)


def wish_coordinator(
    *,
    plan: Plan,
    staff: Staff | None,
    description: str,
    reason: str,
    by: Account,
    on_behalf_of: int | None,
) -> CoordinatorWish:
    session = db.session()
    earlier = current_wish(plan)
    if earlier is not None:
        earlier.withdrawn_at = now()
    wish = CoordinatorWish(
        plan=plan,
        staff_id=staff.id if staff else None,
        description=description,
        reason=reason,
        written_by_account_id=by.id,
        on_behalf_of_individual=on_behalf_of is not None,
        created_at=now(),
    )
    session.add(wish)
    session.flush()
    audit.record(
        session,
        type=EventType.COORDINATOR_WISH,
        by=by,
        subject_individual_id=plan.individual_id,
        on_behalf_of=on_behalf_of,
        object_type="coordinator_wish",
        object_id=wish.id,
    )
    notify_leader(plan, "coordinator.wish")
    session.commit()
    return wish

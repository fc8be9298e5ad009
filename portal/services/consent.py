"""The individual (or a legal representative) gives or withdraws consent per unit, or for all.

Every change is one transaction: the consent events, the audit events, a notification to the
coordinator (or the convener, until one is appointed), and — when no consent remains — the
plan's closing, which withdrawing all consent means [004].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal import db
from portal.models import Account, ConsentEvent, Plan, PlanUnit, Unit
from portal.models.audit_types import EventType
from portal.rules.consent import (
    ConsentRecord,
    all_withdrawn,
    consent_may_change,
    current_consent,
    in_force_per_unit,
)
from portal.rules.vocabulary import CloseReason, ConsentMethod, ConsentStatus
from portal.services import audit
from portal.services.errors import NotAllowedError
from portal.services.notifications import notify_leader
from portal.services.plan_units import added_units
from portal.services.plans import close_plan_now
from portal.services.viewers import plan_facts
from portal.timeutil import now


@dataclass(frozen=True)
class UnitConsent:
    unit: Unit
    status: ConsentStatus | None  # None: never asked for this unit
    since: datetime | None
    method: ConsentMethod | None
    recorded_by: Account | None
    recorded_at: datetime | None = None
    added: PlanUnit | None = None  # added to the plan as a step of its own: by whom, when


def units_of(plan: Plan) -> list[Unit]:
    """The units taking part: asked for consent, called to a meeting, or with an intervention."""
    ids = plan_facts(plan).participating_unit_ids  # portal.rules.participation
    units = db.session().scalars(sa.select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda unit: unit.name)


def consent_overview(plan: Plan) -> list[UnitConsent]:
    added = added_units(plan.id)
    by_id = sorted(plan.consent_events, key=lambda e: e.id)  # the order they were recorded
    latest = in_force_per_unit(by_id, lambda e: e.effective_at)
    return [
        UnitConsent(
            unit=unit,
            status=latest[unit.id].status if unit.id in latest else None,
            since=latest[unit.id].effective_at if unit.id in latest else None,
            method=latest[unit.id].method if unit.id in latest else None,
            recorded_by=latest[unit.id].recorded_by if unit.id in latest else None,
            recorded_at=latest[unit.id].recorded_at if unit.id in latest else None,
            added=added.get(unit.id),
        )
        for unit in units_of(plan)
    ]


def change_consent(
    *,
    plan: Plan,
    units: list[Unit],
    status: ConsentStatus,
    by: Account,
    on_behalf_of: int | None = None,
) -> bool:
    """Give or withdraw consent digitally for these units. Returns True if the plan closed."""
    if not consent_may_change(plan.state):
        raise NotAllowedError("a closed plan's consent cannot change")
    session = db.session()
    moment = now()
    for unit in units:
        event = ConsentEvent(
            plan=plan,
            unit=unit,
            status=status,
            method=ConsentMethod.DIGITAL,
            effective_at=moment,
            recorded_by=by,
            on_behalf_of_individual=on_behalf_of is not None,
        )
        session.add(event)
        session.flush()
        audit.record(
            session,
            type=EventType.CONSENT_GIVE
            if status is ConsentStatus.GIVEN
            else EventType.CONSENT_WITHDRAW,
            by=by,
            subject_individual_id=plan.individual_id,
            on_behalf_of=on_behalf_of,
            object_type="consent_event",
            object_id=event.id,
            detail=f"unit={unit.id}",
        )
    notify_leader(plan, f"consent.{status.value}")
    current = current_consent(
        ConsentRecord(e.unit_id, e.status, e.effective_at) for e in plan.consent_events
    )
    closed = status is ConsentStatus.WITHDRAWN and all_withdrawn(current)
    if closed:
        close_plan_now(plan, CloseReason.CONSENT_WITHDRAWN, by)
    session.commit()
    return closed

"""When and by whom a deferral during a short-term stay ended [002] (from the audit log).

The deferral ends only by the recorded re-assessment (services.plans.reassess_after_short_term_stay),
which writes a `plan.reassess` event; the plan pages show the newest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal import db
from portal.models import AuditEvent, Plan
from portal.models.audit_types import EventType
from portal.rules.closing import ReassessOutcome


@dataclass(frozen=True)
class DeferralEnded:
    at: datetime
    by_name: str
    by_unit: str
    outcome: ReassessOutcome | None


# Built once, the plan's id bound per call: the plan pages ask on every request (ADR 0098).
_NEWEST_REASSESSMENT = (
    sa.select(AuditEvent)
    .where(
        AuditEvent.type == EventType.PLAN_REASSESS.value,
        AuditEvent.object_type == "plan",
        AuditEvent.object_id == sa.bindparam("plan_id"),
    )
    .order_by(AuditEvent.id.desc())
    .limit(1)
)


def deferral_ended(plan: Plan) -> DeferralEnded | None:
    """The newest re-assessment that ended a deferral of this plan, if there was one."""
    event = db.session().scalar(_NEWEST_REASSESSMENT, {"plan_id": plan.id})
    if event is None:
        return None
    known = {o.value: o for o in ReassessOutcome}
    return DeferralEnded(event.at, event.actor_name, event.actor_unit, known.get(event.detail))

"""Adding a unit to the plan as taking part: a step of its own, by whoever leads the plan.

Consent can be recorded by staff only for units already taking part, so a unit joins the plan
first, visibly: the step is audited, shown on the individual's consent page, and the
individual (and relatives who may see the plan) are told (ADR 0045).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import db
from portal.models import Account, Plan, PlanUnit, Unit
from portal.models.audit_types import EventType
from portal.services import audit, offered
from portal.services.notifications import notify_individual_side
from portal.services.plans import PlanInputError


def add_unit(*, plan: Plan, unit: Unit, by: Account) -> PlanUnit:
    """Add a unit not yet taking part; only whoever leads the plan, only from the offered list."""
    if unit.id not in {u.id for u in offered.units_to_add(plan, by)}:
        raise PlanInputError(
            "add_unit", _l("Bara den som leder planen lägger till en enhet som inte redan deltar.")
        )
    session = db.session()
    added = PlanUnit(plan_id=plan.id, unit_id=unit.id, added_by_account_id=by.id)
    session.add(added)
    session.flush()
    audit.record(
        session,
        type=EventType.PLAN_UNIT_ADD,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan_unit",
        object_id=added.id,
        detail=f"unit={unit.id}",
    )
    notify_individual_side(plan, "plan.unit_added")
    session.commit()
    return added


def added_units(plan_id: int) -> dict[int, PlanUnit]:
    """Units added as a step of their own, by unit id (who added them, and when)."""
    rows = db.session().scalars(sa.select(PlanUnit).where(PlanUnit.plan_id == plan_id))
    return {row.unit_id: row for row in rows}

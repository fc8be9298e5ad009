"""The lists staff forms offer, read from the database and cut by `portal.rules.offered`.

Views render their choices from these functions and services accept only what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from portal import db
from portal.models import Account, Organisation, Plan, Staff, Unit
from portal.rules import offered as rules
from portal.rules.access import PlanFacts
from portal.services.viewers import plan_facts, viewer_for

StaffRule = Callable[[PlanFacts, Iterable[rules.StaffFact]], frozenset[int]]


def _staff(
    facts: PlanFacts, also: Iterable[int | None] = ()
) -> dict[int, tuple[Staff, rules.StaffFact]]:
    """Staff of the plan's units and the named people, with what the rules need to know."""
    ids = {
        i
        for i in (facts.convener_id, facts.coordinator_id, facts.incoming_coordinator_id, *also)
        if i
    }
    disabled = sa.exists().where(Account.staff_id == Staff.id, Account.disabled_at.is_not(None))
    rows = db.session().execute(
        sa.select(Staff, Organisation.principal, Unit.kind, disabled)
        .join(Unit, Staff.unit_id == Unit.id)
        .join(Organisation, Unit.organisation_id == Organisation.id)
        .where(sa.or_(Staff.unit_id.in_(facts.participating_unit_ids), Staff.id.in_(ids)))
    )
    return {
        staff.id: (
            staff,
            rules.StaffFact(staff.id, staff.unit_id, principal, staff.profession, kind, not off),
        )
        for staff, principal, kind, off in rows
    }


def _by_unit_and_name(people: Iterable[Staff]) -> list[Staff]:
    return sorted(people, key=lambda s: (s.unit.name, s.family_name, s.given_name, s.id))


def staff_offered(plan: Plan, rule: StaffRule) -> list[Staff]:
    facts = plan_facts(plan)
    found = _staff(facts)
    chosen = rule(facts, [fact for _staff, fact in found.values()])
    return _by_unit_and_name(found[i][0] for i in chosen)


def callable_staff(plan: Plan) -> list[Staff]:
    """Staff who may be called to a meeting of this plan."""
    return staff_offered(plan, rules.callable_staff)


def conveners(plan: Plan, by: Account) -> list[Staff]:
    """Who may convene a meeting of this plan, when `by` calls it."""
    facts = plan_facts(plan)
    found = _staff(facts, [by.staff_id])
    chosen = rules.conveners(facts, [fact for _staff, fact in found.values()], by.staff_id)
    return _by_unit_and_name(found[i][0] for i in chosen)


def coordinators(plan: Plan) -> list[Staff]:
    """Who may be appointed coordinator at the meeting or handed the role."""
    return staff_offered(plan, rules.coordinators)


def health_care_conveners(plan: Plan) -> list[Staff]:
    return staff_offered(plan, rules.health_care_conveners)


def health_centre_conveners(plan: Plan) -> list[Staff]:
    return staff_offered(plan, rules.health_centre_conveners)


def _units(ids: Iterable[int]) -> list[Unit]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(
        db.session().scalars(sa.select(Unit).where(Unit.id.in_(wanted)).order_by(Unit.name))
    )


def _all_unit_ids() -> list[int]:
    return list(db.session().scalars(sa.select(Unit.id)))


def consent_units(plan: Plan, by: Account) -> list[Unit]:
    """The units `by` may record consent for on this plan (none unless they lead it)."""
    facts = plan_facts(plan)
    return _units(rules.consent_units(viewer_for(by), facts, facts.participating_unit_ids))


def units_to_add(plan: Plan, by: Account) -> list[Unit]:
    """The units `by` may add to this plan as taking part (none unless they lead it)."""
    return _units(rules.units_to_add(viewer_for(by), plan_facts(plan), _all_unit_ids()))

"""What each staff form offers, and so the only values its POST accepts. Pure.

One function per list. The view renders its choices from it and the service refuses any value
outside it, so a form can never offer one list while the server checks another (issue 11,
point 6). Staff whose account is disabled are never offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.rules.access import (
    PlanFacts,
    Viewer,
    leads_plan,
    staff_may_record_consent,
    taking_part_with_consent,
)
from portal.rules.closing import HEALTH_CARE_PROFESSIONS
from portal.rules.coordinator import ELIGIBLE_PRINCIPALS
from portal.rules.vocabulary import PlanState, Principal, Profession, UnitKind


@dataclass(frozen=True)
class StaffFact:
    id: int
    unit_id: int
    principal: Principal
    profession: Profession
    unit_kind: UnitKind
    active: bool  # the account is not disabled


def sharing_unit_ids(plan: PlanFacts) -> frozenset[int]:
    """Units taking part in the plan and covered by the individual's consent [003]."""
    return taking_part_with_consent(plan)


def callable_staff(plan: PlanFacts, staff: Iterable[StaffFact]) -> frozenset[int]:
    """Who may be called to a meeting: staff of the units taking part with consent."""
    units = sharing_unit_ids(plan)
    return frozenset(s.id for s in staff if s.active and s.unit_id in units)


def conveners(
    plan: PlanFacts, staff: Iterable[StaffFact], by_staff_id: int | None
) -> frozenset[int]:
    """Who may convene a meeting: the one calling it, the plan's convener, or callable staff."""
    staff = list(staff)
    own = {by_staff_id, plan.convener_id}
    return callable_staff(plan, staff) | {s.id for s in staff if s.active and s.id in own}


def coordinators(plan: PlanFacts, staff: Iterable[StaffFact]) -> frozenset[int]:
    """Who may be appointed (at the meeting) or handed the role: a named staff member of a
    region or municipality [000][003] at a unit taking part with consent, or whoever leads the
    plan now — the coordinator must be able to see the plan."""
    units = sharing_unit_ids(plan)
    leaders = {plan.convener_id, plan.coordinator_id, plan.incoming_coordinator_id}
    return frozenset(
        s.id
        for s in staff
        if s.active
        and s.principal in ELIGIBLE_PRINCIPALS
        and (s.unit_id in units or s.id in leaders)
    )


def health_care_conveners(plan: PlanFacts, staff: Iterable[StaffFact]) -> frozenset[int]:
    """After a short-term stay, when the remaining need is only health care: the health-care
    staff among those who may be called [002]."""
    staff = [s for s in staff if s.profession in HEALTH_CARE_PROFESSIONS]
    return callable_staff(plan, staff)


def health_centre_conveners(plan: PlanFacts, staff: Iterable[StaffFact]) -> frozenset[int]:
    """When the plan changed (home or special housing instead): the health centre [002]."""
    staff = [s for s in staff if s.unit_kind is UnitKind.HEALTH_CENTRE]
    return callable_staff(plan, staff)


def consent_units(viewer: Viewer, plan: PlanFacts, unit_ids: Iterable[int]) -> frozenset[int]:
    """Units whose consent staff may write down: only whoever leads the plan, only for units
    already taking part (adding one is its own step, `units_to_add`)."""
    return frozenset(u for u in unit_ids if staff_may_record_consent(viewer, plan, u))


def units_to_add(viewer: Viewer, plan: PlanFacts, unit_ids: Iterable[int]) -> frozenset[int]:
    """Units whoever leads the plan may add as taking part: those not taking part yet."""
    if not leads_plan(viewer, plan) or plan.state is PlanState.CLOSED:
        return frozenset()
    return frozenset(u for u in unit_ids if u not in plan.participating_unit_ids)

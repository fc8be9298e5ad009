"""The offered lists (`portal.rules.offered`): one rule per form choice, used to render the
choices and to check the post."""

from __future__ import annotations

from portal.rules import offered
from portal.rules.access import PlanFacts, Viewer
from portal.rules.vocabulary import AccountKind, PlanState, Principal, Profession, UnitKind

CONSENTED, CALLED_NO_CONSENT, OUTSIDE = 1, 2, 3
PLAN = PlanFacts(
    individual_id=9,
    state=PlanState.INVITED,
    convener_id=10,
    coordinator_id=None,
    incoming_coordinator_id=None,
    participating_unit_ids=frozenset({CONSENTED, CALLED_NO_CONSENT}),
    consented_unit_ids=frozenset({CONSENTED}),
)


def _staff(id: int, unit: int, *, active: bool = True, principal=Principal.REGION, **kw):
    return offered.StaffFact(
        id,
        unit,
        principal,
        kw.get("profession", Profession.DISTRICT_NURSE),
        kw.get("kind", UnitKind.HEALTH_CENTRE),
        active,
    )


STAFF = [
    _staff(10, OUTSIDE),  # the convener, whose unit is not in the plan
    _staff(11, CONSENTED),
    _staff(12, CONSENTED, active=False),  # has left
    _staff(13, CALLED_NO_CONSENT),
    _staff(14, OUTSIDE),
    _staff(15, CONSENTED, profession=Profession.NEEDS_ASSESSOR, kind=UnitKind.NEEDS_ASSESSMENT),
]
LEADER = Viewer(1, AccountKind.STAFF, staff_id=10, unit_id=OUTSIDE)
OTHER = Viewer(2, AccountKind.STAFF, staff_id=11, unit_id=CONSENTED)


def test_called_staff_are_active_staff_of_units_taking_part_with_consent() -> None:
    assert offered.callable_staff(PLAN, STAFF) == {11, 15}


def test_conveners_add_the_caller_and_the_plans_convener() -> None:
    assert offered.conveners(PLAN, STAFF, by_staff_id=14) == {10, 11, 14, 15}
    assert 12 not in offered.conveners(PLAN, STAFF, by_staff_id=12), "a disabled caller"


def test_coordinators_are_public_active_staff_with_consent_or_who_lead() -> None:
    private = offered.StaffFact(
        16, CONSENTED, "private", Profession.DISTRICT_NURSE, UnitKind.HEALTH_CENTRE, True
    )  # type: ignore[arg-type]
    assert offered.coordinators(PLAN, [*STAFF, private]) == {10, 11, 15}


def test_re_assessment_conveners_are_cut_from_the_called() -> None:
    assert offered.health_care_conveners(PLAN, STAFF) == {11}
    assert offered.health_centre_conveners(PLAN, STAFF) == {11}


def test_only_the_leader_records_consent_for_units_taking_part_and_adds_the_others() -> None:
    units = [CONSENTED, CALLED_NO_CONSENT, OUTSIDE]
    assert offered.consent_units(LEADER, PLAN, units) == {CONSENTED, CALLED_NO_CONSENT}
    assert offered.units_to_add(LEADER, PLAN, units) == {OUTSIDE}
    assert offered.consent_units(OTHER, PLAN, units) == set()
    assert offered.units_to_add(OTHER, PLAN, units) == set()
    closed = PlanFacts(**{**PLAN.__dict__, "state": PlanState.CLOSED})
    assert offered.units_to_add(LEADER, closed, units) == set()

"""Object-level access: who may see, prepare, consent, sign — row by row."""

from __future__ import annotations

import pytest

from portal.rules.access import (
    PlanFacts,
    Viewer,
    leads_plan,
    may_change_consent,
    may_change_plan_consent,
    may_prepare,
    may_read_preparation,
    may_see_meeting_content,
    may_see_meeting_dates,
    may_view_plan,
)
from portal.rules.vocabulary import AccountKind, PlanState, Scope

PLAN = PlanFacts(
    individual_id=1,
    state=PlanState.ESTABLISHED,
    convener_id=10,
    coordinator_id=11,
    incoming_coordinator_id=None,
    participating_unit_ids=frozenset({100, 101}),
    consented_unit_ids=frozenset({100}),
)
SELF = Viewer(1, AccountKind.INDIVIDUAL, individual_id=1)
STRANGER = Viewer(2, AccountKind.INDIVIDUAL, individual_id=2)
CONVENER = Viewer(3, AccountKind.STAFF, staff_id=10, unit_id=999)
COORDINATOR = Viewer(4, AccountKind.STAFF, staff_id=11, unit_id=998)
CONSENTED_UNIT = Viewer(5, AccountKind.STAFF, staff_id=12, unit_id=100)
UNCONSENTED_UNIT = Viewer(6, AccountKind.STAFF, staff_id=13, unit_id=101)
OTHER_UNIT = Viewer(7, AccountKind.STAFF, staff_id=14, unit_id=102)


def relative(*scopes: Scope) -> Viewer:
    return Viewer(8, AccountKind.RELATIVE, scopes_for={1: frozenset(scopes)})


REPRESENTATIVE = Viewer(
    9, AccountKind.RELATIVE, scopes_for={1: frozenset(Scope)}, representative_for=frozenset({1})
)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (SELF, True),
        (STRANGER, False),
        (CONVENER, True),
        (COORDINATOR, True),
        (CONSENTED_UNIT, True),
        (UNCONSENTED_UNIT, False),
        (OTHER_UNIT, False),
        (relative(Scope.VIEW_PLAN), True),
        (relative(Scope.MEETING_DATES), False),
        (relative(Scope.PREPARE), False),
        (REPRESENTATIVE, True),
    ],
)
def test_may_view_plan(viewer: Viewer, expected: bool) -> None:
    assert may_view_plan(viewer, PLAN) is expected


def test_meeting_dates_scope_sees_dates_only() -> None:
    dates_only = relative(Scope.MEETING_DATES)
    assert may_see_meeting_dates(dates_only, PLAN) and not may_view_plan(dates_only, PLAN)
    assert not may_see_meeting_dates(relative(), PLAN)


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        ((Scope.VIEW_PLAN,), True),
        ((Scope.MEETING_DATES,), False),
        ((Scope.PREPARE,), False),
        ((Scope.MEETING_DATES, Scope.PREPARE), False),
    ],
)
def test_a_meetings_purpose_and_who_is_called_follow_the_plan_scope(
    scopes: tuple[Scope, ...], expected: bool
) -> None:
    """When and where is for whoever sees the dates; why and who is plan content."""
    assert may_see_meeting_content(relative(*scopes), PLAN) is expected
    assert may_see_meeting_dates(relative(*scopes), PLAN)
    assert may_see_meeting_content(SELF, PLAN)


def test_consent_is_never_an_ordinary_relatives() -> None:
    assert may_change_consent(SELF, 1)
    assert may_change_consent(REPRESENTATIVE, 1)
    assert not may_change_consent(relative(*Scope), 1)
    assert not may_change_consent(CONVENER, 1)
    assert not may_change_consent(STRANGER, 1)


def test_consent_on_a_plan_changes_only_while_it_is_open() -> None:
    from dataclasses import replace

    closed = replace(PLAN, state=PlanState.CLOSED)
    assert may_change_plan_consent(SELF, PLAN) and may_change_plan_consent(REPRESENTATIVE, PLAN)
    assert not may_change_plan_consent(SELF, closed)
    assert not may_change_plan_consent(relative(*Scope), PLAN)


def test_preparation_is_read_by_staff_only_when_shared_and_consented() -> None:
    assert may_prepare(relative(Scope.PREPARE), PLAN) and not may_prepare(
        relative(Scope.VIEW_PLAN), PLAN
    )
    assert not may_read_preparation(CONSENTED_UNIT, PLAN, shared=False, unit_id=100)
    assert may_read_preparation(CONSENTED_UNIT, PLAN, shared=True, unit_id=100)
    assert not may_read_preparation(UNCONSENTED_UNIT, PLAN, shared=True, unit_id=101)


def test_the_coordinator_leads_once_appointed() -> None:
    # Who signs: portal/rules/signing.py (tests/unit/rules/test_signing.py).
    assert leads_plan(COORDINATOR, PLAN) and not leads_plan(CONVENER, PLAN)
    before = PlanFacts(**{**PLAN.__dict__, "coordinator_id": None})
    assert leads_plan(CONVENER, before)
    closed = PlanFacts(**{**PLAN.__dict__, "state": PlanState.CLOSED})
    assert not may_prepare(SELF, closed)

"""Who may close and why, who starts a new episode, who re-asks after a short-term stay."""

from __future__ import annotations

import pytest

from portal.rules.access import PlanFacts, Viewer
from portal.rules.closing import (
    ReassessOutcome,
    close_reasons_for,
    first_meeting_held,
    held_first_meeting,
    may_call_after_stay,
    may_close,
    may_defer,
    may_start_new_episode,
    reassess_outcomes_for,
)
from portal.rules.vocabulary import (
    AccountKind,
    CloseReason,
    MeetingKind,
    MeetingStatus,
    PlanState,
    Profession,
    UnitKind,
)

CONVENER, COORDINATOR, OTHER = 1, 2, 3


def _staff(staff_id: int) -> Viewer:
    return Viewer(account_id=staff_id, kind=AccountKind.STAFF, staff_id=staff_id, unit_id=9)


def _plan(state: PlanState, coordinator: int | None) -> PlanFacts:
    return PlanFacts(
        individual_id=5,
        state=state,
        convener_id=CONVENER,
        coordinator_id=coordinator,
        incoming_coordinator_id=None,
        participating_unit_ids=frozenset({9}),
        consented_unit_ids=frozenset({9}),
    )


def test_closing_is_for_the_coordinator_once_appointed() -> None:
    plan = _plan(PlanState.FOLLOWING_UP, COORDINATOR)
    assert may_close(_staff(COORDINATOR), plan)
    assert not may_close(_staff(CONVENER), plan)
    assert not may_close(_staff(OTHER), plan)
    assert close_reasons_for(_staff(CONVENER), plan, True) == frozenset()


def test_closing_is_for_the_convener_before_a_coordinator_exists() -> None:
    plan = _plan(PlanState.INVITED, None)
    assert may_close(_staff(CONVENER), plan)
    assert not may_close(_staff(OTHER), plan)


def test_closing_a_closed_plan_is_not_offered() -> None:
    assert not may_close(_staff(COORDINATOR), _plan(PlanState.CLOSED, COORDINATOR))


def test_deceased_is_offered_only_to_the_coordinator() -> None:
    assert CloseReason.DECEASED in close_reasons_for(
        _staff(COORDINATOR), _plan(PlanState.ESTABLISHED, COORDINATOR), True
    )
    convener_reasons = close_reasons_for(_staff(CONVENER), _plan(PlanState.INVITED, None), False)
    assert CloseReason.DECEASED not in convener_reasons
    assert CloseReason.NO_LONGER_NEEDED in convener_reasons


def test_a_held_first_meeting_counts_before_the_record_is_made() -> None:
    assert first_meeting_held(PlanState.INVITED, True)
    assert first_meeting_held(PlanState.ESTABLISHED, False)
    assert not first_meeting_held(PlanState.INVITED, False)
    reasons = close_reasons_for(_staff(CONVENER), _plan(PlanState.INVITED, None), True)
    assert CloseReason.ONLY_SOCIAL_INTERVENTIONS in reasons


def test_a_first_meeting_is_held_only_by_its_own_status() -> None:
    from types import SimpleNamespace as Row

    held = Row(kind=MeetingKind.FIRST, status=MeetingStatus.HELD)
    planned = Row(kind=MeetingKind.FIRST, status=MeetingStatus.PLANNED)
    follow_up = Row(kind=MeetingKind.FOLLOW_UP, status=MeetingStatus.HELD)
    assert held_first_meeting([planned, held])
    assert not held_first_meeting([planned, follow_up])
    assert not held_first_meeting([])


@pytest.mark.parametrize("kind", list(UnitKind))
def test_a_new_episode_is_started_by_a_health_centre(kind: UnitKind) -> None:
    assert may_start_new_episode(kind) is (kind is UnitKind.HEALTH_CENTRE)


def test_defer_only_from_initiated_by_the_leader_or_a_needs_assessor() -> None:
    initiated = _plan(PlanState.INITIATED, None)
    assert may_defer(_staff(CONVENER), initiated, Profession.DISTRICT_NURSE)
    assert may_defer(_staff(OTHER), initiated, Profession.NEEDS_ASSESSOR)
    assert not may_defer(_staff(OTHER), initiated, Profession.UNIT_MANAGER)
    assert not may_defer(_staff(CONVENER), _plan(PlanState.INVITED, None), None)


def test_reassess_answers_per_profession() -> None:
    assert reassess_outcomes_for(Profession.NEEDS_ASSESSOR) == tuple(ReassessOutcome)
    assert reassess_outcomes_for(Profession.NURSE) == (ReassessOutcome.HEALTH_CARE_ONLY,)
    assert reassess_outcomes_for(Profession.UNIT_MANAGER) == ()


@pytest.mark.parametrize(
    ("outcome", "profession", "unit", "expected"),
    [
        (ReassessOutcome.NEED_REMAINS, Profession.NEEDS_ASSESSOR, UnitKind.NEEDS_ASSESSMENT, True),
        (ReassessOutcome.NEED_REMAINS, Profession.NURSE, UnitKind.SHORT_TERM_STAY, False),
        (ReassessOutcome.HEALTH_CARE_ONLY, Profession.NURSE, UnitKind.SHORT_TERM_STAY, True),
        (ReassessOutcome.HEALTH_CARE_ONLY, Profession.NEEDS_ASSESSOR, UnitKind.NEEDS_ASSESSMENT, False),
        (ReassessOutcome.PLAN_CHANGED, Profession.DISTRICT_NURSE, UnitKind.HEALTH_CENTRE, True),
        (ReassessOutcome.PLAN_CHANGED, Profession.NURSE, UnitKind.SHORT_TERM_STAY, False),
        (ReassessOutcome.NO_NEED, Profession.NEEDS_ASSESSOR, UnitKind.NEEDS_ASSESSMENT, False),
    ],
)  # fmt: skip
def test_who_calls_after_the_stay(
    outcome: ReassessOutcome, profession: Profession, unit: UnitKind, expected: bool
) -> None:
    assert may_call_after_stay(outcome, profession, unit) is expected

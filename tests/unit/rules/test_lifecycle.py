"""Every transition of the plan's lifecycle, allowed and forbidden, against an explicit table."""

from __future__ import annotations

import itertools

import pytest

from portal.rules.lifecycle import (
    ForbiddenTransitionError,
    can_transition,
    close_reasons_allowed,
    is_active,
    transition,
)
from portal.rules.vocabulary import CloseReason, PlanState

N, D, V, E, F, C = (
    PlanState.INITIATED,
    PlanState.DEFERRED,
    PlanState.INVITED,
    PlanState.ESTABLISHED,
    PlanState.FOLLOWING_UP,
    PlanState.CLOSED,
)

ALLOWED = {
    (N, V), (N, D), (N, C),
    (D, N), (D, V), (D, C),  # D → N: re-activated after the short-term stay [002]
    (V, V), (V, E), (V, C),
    (E, F), (E, C),
    (F, F), (F, E), (F, C),
}  # fmt: skip


@pytest.mark.parametrize(("current", "wanted"), list(itertools.product(PlanState, repeat=2)))
def test_lifecycle_transition_matches_the_table(current: PlanState, wanted: PlanState) -> None:
    expected = (current, wanted) in ALLOWED
    assert can_transition(current, wanted) is expected
    if expected:
        assert transition(current, wanted) is wanted
    else:
        with pytest.raises(ForbiddenTransitionError) as raised:
            transition(current, wanted)
        assert raised.value.current is current and raised.value.wanted is wanted


def test_lifecycle_closed_is_final_and_the_only_inactive_state() -> None:
    assert [s for s in PlanState if not is_active(s)] == [C]
    assert not any(can_transition(C, s) for s in PlanState)


def test_lifecycle_deferred_plan_is_never_established_without_an_invitation() -> None:
    assert not can_transition(D, E) and not can_transition(D, F)


def test_close_reasons_only_social_interventions_needs_a_first_meeting() -> None:
    assert CloseReason.ONLY_SOCIAL_INTERVENTIONS not in close_reasons_allowed(V, False)
    assert CloseReason.ONLY_SOCIAL_INTERVENTIONS in close_reasons_allowed(E, True)
    assert CloseReason.CONSENT_WITHDRAWN in close_reasons_allowed(N, False)
    assert CloseReason.DECEASED in close_reasons_allowed(D, False)
    assert close_reasons_allowed(C, True) == frozenset()


def test_close_reasons_replaced_by_new_plan_is_never_chosen_on_the_close_form() -> None:
    for state in PlanState:
        for held in (False, True):
            assert CloseReason.REPLACED_BY_NEW_PLAN not in close_reasons_allowed(state, held)


def test_close_reasons_goals_met_and_home_health_ended_need_a_plan_made_at_a_meeting() -> None:
    before = close_reasons_allowed(V, False)
    assert CloseReason.GOALS_MET not in before and CloseReason.HOME_HEALTH_ENDED not in before
    after = close_reasons_allowed(F, True)
    assert {CloseReason.GOALS_MET, CloseReason.HOME_HEALTH_ENDED} <= after

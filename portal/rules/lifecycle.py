"""The plan's life as a state machine. Pure.

initiated → invited → established → following up → closed, and deferred while a short-term
stay lasts [002]: the wish for a SIP stays recorded, and the needs assessor re-asks before the
return home (need remains → invited; need gone → closed). Closed is final: a new hospital
episode with changed needs starts a new plan [000].
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.rules.vocabulary import CloseReason, PlanState

S = PlanState

TRANSITIONS: Mapping[PlanState, frozenset[PlanState]] = {
    S.INITIATED: frozenset({S.INVITED, S.DEFERRED, S.CLOSED}),
    S.DEFERRED: frozenset({S.INVITED, S.CLOSED}),
    S.INVITED: frozenset({S.INVITED, S.ESTABLISHED, S.CLOSED}),
    S.ESTABLISHED: frozenset({S.FOLLOWING_UP, S.CLOSED}),
    S.FOLLOWING_UP: frozenset({S.FOLLOWING_UP, S.ESTABLISHED, S.CLOSED}),
    S.CLOSED: frozenset(),
}


class ForbiddenTransitionError(ValueError):
    def __init__(self, current: PlanState, wanted: PlanState) -> None:
        super().__init__(f"a plan cannot go from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


def can_transition(current: PlanState, wanted: PlanState) -> bool:
    return wanted in TRANSITIONS[current]


def transition(current: PlanState, wanted: PlanState) -> PlanState:
    if not can_transition(current, wanted):
        raise ForbiddenTransitionError(current, wanted)
    return wanted


def is_active(state: PlanState) -> bool:
    return state is not S.CLOSED


def close_reasons_allowed(state: PlanState, first_meeting_held: bool) -> frozenset[CloseReason]:
    """Why a plan in this state may be closed ([000], [004])."""
    if state is S.CLOSED:
        return frozenset()
    reasons = set(CloseReason) - {CloseReason.ONLY_SOCIAL_INTERVENTIONS}
    if first_meeting_held:
        reasons.add(CloseReason.ONLY_SOCIAL_INTERVENTIONS)
    else:
        reasons -= {CloseReason.GOALS_MET, CloseReason.HOME_HEALTH_ENDED}
    return frozenset(reasons)

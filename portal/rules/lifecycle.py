"""The plan's life as a state machine. Pure.

initiated → invited → established → following up → closed, and deferred while a short-term
stay lasts [002]: the wish for a SIP stays recorded, and the needs assessor re-asks before the
return home (need remains → initiated again, with a new convener who calls the SIP at home;
need gone → closed). Closed is final: a new hospital episode with changed needs starts a new
plan [000], which may close the earlier one as "replaced by a new plan".
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.rules.vocabulary import CloseReason, PlanState

S = PlanState

TRANSITIONS: Mapping[PlanState, frozenset[PlanState]] = {
    S.INITIATED: frozenset({S.INVITED, S.DEFERRED, S.CLOSED}),
    S.DEFERRED: frozenset({S.INITIATED, S.INVITED, S.CLOSED}),
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
    """The reasons a person may choose to close a plan in this state ([000], [004]).

    Goals met and home health ended need a plan made at a first meeting; only social
    interventions may close it after the first meeting [000]. "Replaced by a new plan" is never
    chosen here: only starting a new plan for a new hospital episode sets it.
    """
    if state is S.CLOSED:
        return frozenset()
    reasons = set(CloseReason) - {
        CloseReason.ONLY_SOCIAL_INTERVENTIONS,
        CloseReason.REPLACED_BY_NEW_PLAN,
    }
    if first_meeting_held:
        reasons.add(CloseReason.ONLY_SOCIAL_INTERVENTIONS)
    else:
        reasons -= {CloseReason.GOALS_MET, CloseReason.HOME_HEALTH_ENDED}
    return frozenset(reasons)

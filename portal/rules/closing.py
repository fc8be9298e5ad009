"""Who may close a plan and why, who starts a new episode, and the short-term-stay routine. Pure.

- Closing [000][004]: whoever leads the plan closes it — the coordinator, or the convener until
  a coordinator is appointed [003]. Only the coordinator closes a plan because the individual
  has died [000]. The reasons offered depend on the plan's state (`lifecycle`).
- A new hospital episode with changed needs starts a new plan, handled by the care contact in
  primary care [000]: staff of a health centre start it and become its convener.
- Short-term stay [002]: the plan waits (deferred) while the stay lasts; before the return home
  the needs assessor re-asks. When the remaining need is health care only, the health-care
  staff member who noticed it calls, and may record that answer too.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from portal.rules.access import PlanFacts, Viewer, leads_plan
from portal.rules.follow_up import MeetingRow, is_established
from portal.rules.lifecycle import can_transition, close_reasons_allowed
from portal.rules.vocabulary import (
    CloseReason,
    MeetingKind,
    MeetingStatus,
    PlanState,
    Profession,
    UnitKind,
)

# Who may call the SIP after a short-term stay when the remaining need is health care only [002].
HEALTH_CARE_PROFESSIONS: frozenset[Profession] = frozenset(
    {
        Profession.DISTRICT_NURSE,
        Profession.NURSE,
        Profession.OCCUPATIONAL_THERAPIST,
        Profession.PHYSIOTHERAPIST,
        Profession.PHYSICIAN,
    }
)


class ReassessOutcome(StrEnum):
    NEED_REMAINS = "need_remains"  # the needs assessor calls a SIP at home after the stay
    HEALTH_CARE_ONLY = "health_care_only"  # the health-care staff who noticed it calls
    NO_NEED = "no_need"  # no remaining need for coordination: no invitation [002]
    NOT_WANTED = "not_wanted"  # the individual no longer wants a SIP
    PLAN_CHANGED = "plan_changed"  # home or special housing instead: the health centre re-asks


def held_first_meeting(meetings: Iterable[MeetingRow]) -> bool:
    """A first meeting of the plan is held (its record may still be pending)."""
    return any(m.kind is MeetingKind.FIRST and m.status is MeetingStatus.HELD for m in meetings)


def first_meeting_held(state: PlanState, held_first_meeting: bool) -> bool:
    """The plan was made at a first meeting (or the first meeting is held, record pending)."""
    return held_first_meeting or is_established(state)


def may_close(viewer: Viewer, plan: PlanFacts) -> bool:
    return plan.state is not PlanState.CLOSED and leads_plan(viewer, plan)


def close_reasons_for(
    viewer: Viewer, plan: PlanFacts, held_first_meeting: bool
) -> frozenset[CloseReason]:
    """The reasons this staff member may choose now ([000]: a death is closed by the coordinator)."""
    if not may_close(viewer, plan):
        return frozenset()
    reasons = close_reasons_allowed(plan.state, first_meeting_held(plan.state, held_first_meeting))
    if plan.coordinator_id is None or viewer.staff_id != plan.coordinator_id:
        reasons -= {CloseReason.DECEASED}
    return reasons


def may_start_new_episode(unit_kind: UnitKind | None) -> bool:
    """The care contact in primary care handles the SIP after a new hospital episode [000]."""
    return unit_kind is UnitKind.HEALTH_CENTRE


def may_defer(viewer: Viewer, plan: PlanFacts, profession: Profession | None) -> bool:
    """The plan waits during a short-term stay: recorded by whoever leads it or a needs assessor."""
    if not can_transition(plan.state, PlanState.DEFERRED):
        return False
    return leads_plan(viewer, plan) or profession is Profession.NEEDS_ASSESSOR


def reassess_outcomes_for(profession: Profession | None) -> tuple[ReassessOutcome, ...]:
    """The answers this staff member may record before the return home [002]."""
    if profession is Profession.NEEDS_ASSESSOR:
        return tuple(ReassessOutcome)
    if profession in HEALTH_CARE_PROFESSIONS:
        return (ReassessOutcome.HEALTH_CARE_ONLY,)
    return ()


def may_reassess(state: PlanState, profession: Profession | None) -> bool:
    """The answer before the return home is recorded while the plan waits [002]."""
    return state is PlanState.DEFERRED and bool(reassess_outcomes_for(profession))


def may_call_after_stay(outcome: ReassessOutcome, profession: Profession, unit: UnitKind) -> bool:
    """Who becomes the convener for each answer that keeps the plan going [002]."""
    if outcome is ReassessOutcome.NEED_REMAINS:
        return profession is Profession.NEEDS_ASSESSOR
    if outcome is ReassessOutcome.HEALTH_CARE_ONLY:
        return profession in HEALTH_CARE_PROFESSIONS
    if outcome is ReassessOutcome.PLAN_CHANGED:
        return unit is UnitKind.HEALTH_CENTRE
    return False

"""Object-level permissions: may this person see or change this plan? Pure.

The facts come from `portal.services.viewers` (which reads the database); the answers are here.
Staff see a plan only if they convene it, coordinate it, or work at a unit that takes part
AND is covered by the individual's consent. Relatives act within the scopes granted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.rules.consent import consent_may_change
from portal.rules.vocabulary import AccountKind, PlanState, Scope


@dataclass(frozen=True)
class Viewer:
    account_id: int
    kind: AccountKind
    individual_id: int | None = None
    staff_id: int | None = None
    unit_id: int | None = None
    # For a relative: individual id -> scopes granted (a representative holds every scope).
    scopes_for: Mapping[int, frozenset[Scope]] = field(default_factory=dict)
    representative_for: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PlanFacts:
    individual_id: int
    state: PlanState
    convener_id: int
    coordinator_id: int | None  # the active coordinator
    incoming_coordinator_id: int | None  # a handover awaiting acceptance
    participating_unit_ids: frozenset[int]
    consented_unit_ids: frozenset[int]


def _has_scope(viewer: Viewer, individual_id: int, scope: Scope) -> bool:
    return scope in viewer.scopes_for.get(individual_id, frozenset())


def is_self(viewer: Viewer, individual_id: int) -> bool:
    return viewer.kind is AccountKind.INDIVIDUAL and viewer.individual_id == individual_id


def is_representative(viewer: Viewer, individual_id: int) -> bool:
    return viewer.kind is AccountKind.RELATIVE and individual_id in viewer.representative_for


def taking_part_with_consent(plan: PlanFacts) -> frozenset[int]:
    """The units taking part whose consent is in force (portal.rules.participation)."""
    return plan.participating_unit_ids & plan.consented_unit_ids


def staff_may_view(viewer: Viewer, plan: PlanFacts) -> bool:
    if viewer.kind is not AccountKind.STAFF or viewer.staff_id is None:
        return False
    if viewer.staff_id in (plan.convener_id, plan.coordinator_id, plan.incoming_coordinator_id):
        return True
    return viewer.unit_id in taking_part_with_consent(plan)


def may_view_plan(viewer: Viewer, plan: PlanFacts) -> bool:
    """See the plan's content: goals, interventions, versions, the signed PDF."""
    if viewer.kind is AccountKind.STAFF:
        return staff_may_view(viewer, plan)
    return is_self(viewer, plan.individual_id) or _has_scope(
        viewer, plan.individual_id, Scope.VIEW_PLAN
    )


def may_see_meeting_dates(viewer: Viewer, plan: PlanFacts) -> bool:
    if may_view_plan(viewer, plan):
        return True
    return _has_scope(viewer, plan.individual_id, Scope.MEETING_DATES) or _has_scope(
        viewer, plan.individual_id, Scope.PREPARE
    )


def may_see_meeting_content(viewer: Viewer, plan: PlanFacts) -> bool:
    """A meeting's purpose and who is called and invited are plan content: whoever may see the
    plan. Meeting dates alone (or preparing) tell when, how and where, nothing more."""
    return may_view_plan(viewer, plan)


def may_prepare(viewer: Viewer, plan: PlanFacts) -> bool:
    """Write the preparation for a meeting (the individual, or a relative with that scope)."""
    if plan.state is PlanState.CLOSED:
        return False
    return is_self(viewer, plan.individual_id) or _has_scope(
        viewer, plan.individual_id, Scope.PREPARE
    )


def may_read_preparation(
    viewer: Viewer, plan: PlanFacts, shared: bool, unit_id: int | None
) -> bool:
    """Staff read a preparation only once shared, and only for units covered by consent."""
    if viewer.kind is not AccountKind.STAFF:
        return is_self(viewer, plan.individual_id) or _has_scope(
            viewer, plan.individual_id, Scope.PREPARE
        )
    return shared and staff_may_view(viewer, plan) and unit_id in plan.consented_unit_ids


def may_change_consent(viewer: Viewer, individual_id: int) -> bool:
    """Consent is the individual's own (or a legal representative's) — never a relative's."""
    return is_self(viewer, individual_id) or is_representative(viewer, individual_id)


def may_change_plan_consent(viewer: Viewer, plan: PlanFacts) -> bool:
    """Give or withdraw consent on this plan: the individual's own, never on a closed one."""
    return may_change_consent(viewer, plan.individual_id) and consent_may_change(plan.state)


def may_manage_delegations(viewer: Viewer, individual_id: int) -> bool:
    return is_self(viewer, individual_id) or is_representative(viewer, individual_id)


def may_read_access_log(viewer: Viewer, individual_id: int) -> bool:
    """'Vem har tittat på min plan?': the individual and a representative."""
    return is_self(viewer, individual_id) or is_representative(viewer, individual_id)


def may_write_requests(viewer: Viewer, plan: PlanFacts) -> bool:
    if plan.state is PlanState.CLOSED:
        return False
    return is_self(viewer, plan.individual_id) or is_representative(viewer, plan.individual_id)


def leader_id(plan: PlanFacts) -> int:
    """Who leads and documents: the coordinator, or the convener until one is appointed [003]."""
    return plan.coordinator_id if plan.coordinator_id is not None else plan.convener_id


def leads_plan(viewer: Viewer, plan: PlanFacts) -> bool:
    """Is this viewer the one who leads the plan (`leader_id`)?"""
    if viewer.kind is not AccountKind.STAFF or viewer.staff_id is None:
        return False
    return viewer.staff_id == leader_id(plan)


def may_record(viewer: Viewer, plan: PlanFacts) -> bool:
    """Document a meeting, edit the draft, follow the plan up: whoever leads an open plan."""
    return plan.state is not PlanState.CLOSED and leads_plan(viewer, plan)


def may_hand_over(viewer: Viewer, plan: PlanFacts) -> bool:
    """Hand the coordinator's role to someone else: whoever leads an open plan [003]. (After the
    first meeting only: `portal.rules.closing.first_meeting_held`, checked with the input.)"""
    return plan.state is not PlanState.CLOSED and leads_plan(viewer, plan)


def may_accept_handover(viewer: Viewer, receiver_id: int) -> bool:
    """A handover is accepted by the staff member it is handed to, and only by them."""
    return viewer.kind is AccountKind.STAFF and viewer.staff_id == receiver_id


def may_decline_handover(viewer: Viewer, plan: PlanFacts, receiver_id: int) -> bool:
    """The receiver declines it; whoever may hand over withdraws it."""
    return may_accept_handover(viewer, receiver_id) or may_hand_over(viewer, plan)


def may_acknowledge_call(viewer: Viewer, called_staff_id: int | None) -> bool:
    """Staff acknowledge their own calls to a meeting, nobody else's [003]."""
    return (
        viewer.kind is AccountKind.STAFF
        and viewer.staff_id is not None
        and viewer.staff_id == called_staff_id
    )


def may_handle_withdrawal(viewer: Viewer, plan: PlanFacts, unit_id: int) -> bool:
    """A withdrawal of consent is marked handled by the unit it concerns (which is told with
    nothing beyond the individual's name [003]) or by whoever leads the plan."""
    own_unit = viewer.kind is AccountKind.STAFF and viewer.unit_id == unit_id
    return own_unit or leads_plan(viewer, plan)


def staff_may_record_consent(viewer: Viewer, plan: PlanFacts, unit_id: int) -> bool:
    """Staff write down what the individual said only if they lead the plan, and only for a
    unit already taking part (called, with an intervention, or already in the consent list).
    Adding a unit is a step of its own (calling it), which the individual sees."""
    return leads_plan(viewer, plan) and unit_id in plan.participating_unit_ids


def may_disable_staff(
    admin: Viewer, *, admin_is_unit_admin: bool, staff_unit_id: int, staff_account_id: int
) -> bool:
    """A unit administrator disables the accounts of their own unit's staff (not their own)."""
    return (
        admin_is_unit_admin
        and admin.kind is AccountKind.STAFF
        and admin.unit_id == staff_unit_id
        and admin.account_id != staff_account_id
    )

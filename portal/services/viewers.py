"""Facts for the access rules, read from the database (see portal.rules.access)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import (
    Account,
    ConsentEvent,
    CoordinatorAssignment,
    Intervention,
    Plan,
    PlanUnit,
)
from portal.models.meetings import Meeting, MeetingParticipant
from portal.models.plans import Goal, PlanVersion
from portal.rules.access import PlanFacts, Viewer
from portal.rules.consent import ConsentRecord, current_consent
from portal.rules.participation import make_plan_facts, units_with_consent
from portal.rules.vocabulary import AccountKind, ConsentStatus, DelegationKind, Scope
from portal.services.delegations import active_delegations_for_relative
from portal.timeutil import today_stockholm


def viewer_for(account: Account) -> Viewer:
    if account.kind is AccountKind.STAFF and account.staff:
        return Viewer(
            account.id, account.kind, staff_id=account.staff_id, unit_id=account.staff.unit_id
        )
    if account.kind is AccountKind.INDIVIDUAL:
        return Viewer(account.id, account.kind, individual_id=account.individual_id)
    delegations = active_delegations_for_relative(account.relative_id, today_stockholm())
    scopes: dict[int, frozenset[Scope]] = {}
    for delegation in delegations:
        scopes[delegation.individual_id] = scopes.get(delegation.individual_id, frozenset()) | (
            delegation.scopes
        )
    representative = frozenset(
        d.individual_id for d in delegations if d.kind is DelegationKind.REPRESENTATIVE
    )
    return Viewer(account.id, account.kind, scopes_for=scopes, representative_for=representative)


def consent_by_unit(plan_id: int) -> dict[int, ConsentStatus]:
    rows = db.session().execute(
        sa.select(ConsentEvent.unit_id, ConsentEvent.status, ConsentEvent.effective_at)
        .where(ConsentEvent.plan_id == plan_id)
        .order_by(ConsentEvent.id)
    )
    return current_consent(ConsentRecord(u, s, at) for u, s, at in rows)


def units_with_consent_in_force(plan_id: int) -> frozenset[int]:
    """portal.rules.participation.units_with_consent, for a stored plan."""
    return units_with_consent(consent_by_unit(plan_id))


def participating_unit_ids(plan_id: int) -> frozenset[int]:
    """portal.rules.participation.units_taking_part, for a stored plan."""
    plan = db.session().get(Plan, plan_id)
    assert plan is not None
    return plan_facts(plan).participating_unit_ids


def plan_facts(plan: Plan) -> PlanFacts:
    return plan_facts_many([plan])[plan.id]


# The facts' three statements, built once (a statement's construction costs more CPU than
# running it on a small plan); `ids` is bound per call.
_IDS = sa.bindparam("ids", expanding=True)
_CONSENT = (
    sa.select(
        ConsentEvent.plan_id,
        ConsentEvent.unit_id,
        ConsentEvent.status,
        ConsentEvent.effective_at,
    )
    .where(ConsentEvent.plan_id.in_(_IDS))
    .order_by(ConsentEvent.id)
)
_UNITS = sa.union(  # one query: (plan, unit, how it came to take part)
    sa.select(Meeting.plan_id, MeetingParticipant.unit_id, sa.literal("called"))
    .join(MeetingParticipant)
    .where(Meeting.plan_id.in_(_IDS), MeetingParticipant.unit_id.is_not(None)),
    sa.select(PlanVersion.plan_id, Intervention.unit_id, sa.literal("intervening"))
    .select_from(Intervention)
    .join(Goal)
    .join(PlanVersion)
    .where(PlanVersion.plan_id.in_(_IDS)),
    sa.select(PlanUnit.plan_id, PlanUnit.unit_id, sa.literal("added")).where(
        PlanUnit.plan_id.in_(_IDS)
    ),
)
_ASSIGNMENTS = (
    sa.select(CoordinatorAssignment)
    .where(CoordinatorAssignment.plan_id.in_(_IDS), CoordinatorAssignment.ended_at.is_(None))
    .order_by(CoordinatorAssignment.id)
)


def plan_facts_many(plans: list[Plan]) -> dict[int, PlanFacts]:
    """PlanFacts for many plans in a fixed number of queries (lists, worklists); the facts
    themselves are put together by portal.rules.participation.make_plan_facts."""
    ids = [p.id for p in plans]
    if not ids:
        return {}
    session = db.session()
    consent_rows = session.execute(_CONSENT, {"ids": ids}).all()
    unit_rows = session.execute(_UNITS, {"ids": ids}).all()
    assignments = session.scalars(_ASSIGNMENTS, {"ids": ids}).all()
    return {
        plan.id: make_plan_facts(
            individual_id=plan.individual_id,
            state=plan.state,
            convener_id=plan.convener_id,
            assignments=[a for a in assignments if a.plan_id == plan.id],
            called_units=[u for p, u, how in unit_rows if p == plan.id and how == "called"],
            intervening_units=[
                u for p, u, how in unit_rows if p == plan.id and how == "intervening"
            ],
            added_units=[u for p, u, how in unit_rows if p == plan.id and how == "added"],
            consent=[ConsentRecord(u, s, at) for p, u, s, at in consent_rows if p == plan.id],
        )
        for plan in plans
    }

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


def participating_unit_ids(plan_id: int) -> frozenset[int]:
    session = db.session()
    called = (
        sa.select(MeetingParticipant.unit_id)
        .join(Meeting)
        .where(Meeting.plan_id == plan_id, MeetingParticipant.unit_id.is_not(None))
    )
    intervening = (
        sa.select(Intervention.unit_id)
        .join(Goal)
        .join(PlanVersion)
        .where(PlanVersion.plan_id == plan_id)
    )
    consented = sa.select(ConsentEvent.unit_id).where(ConsentEvent.plan_id == plan_id)
    added = sa.select(PlanUnit.unit_id).where(PlanUnit.plan_id == plan_id)  # a step of its own
    union = sa.union(called, intervening, consented, added)
    return frozenset(session.scalars(sa.select(union.subquery().c[0])))


def plan_facts(plan: Plan) -> PlanFacts:
    session = db.session()
    assignments = session.scalars(
        sa.select(CoordinatorAssignment).where(
            CoordinatorAssignment.plan_id == plan.id, CoordinatorAssignment.ended_at.is_(None)
        )
    ).all()
    active = next((a.staff_id for a in assignments if a.accepted_at is not None), None)
    incoming = next((a.staff_id for a in assignments if a.accepted_at is None), None)
    consent = consent_by_unit(plan.id)
    return PlanFacts(
        individual_id=plan.individual_id,
        state=plan.state,
        convener_id=plan.convener_id,
        coordinator_id=active,
        incoming_coordinator_id=incoming,
        participating_unit_ids=participating_unit_ids(plan.id),
        consented_unit_ids=frozenset(u for u, s in consent.items() if s is ConsentStatus.GIVEN),
    )


def plan_facts_many(plans: list[Plan]) -> dict[int, PlanFacts]:
    """PlanFacts for many plans in a fixed number of queries (lists, worklists)."""
    ids = [p.id for p in plans]
    if not ids:
        return {}
    session = db.session()
    consent_rows = session.execute(
        sa.select(
            ConsentEvent.plan_id,
            ConsentEvent.unit_id,
            ConsentEvent.status,
            ConsentEvent.effective_at,
        )
        .where(ConsentEvent.plan_id.in_(ids))
        .order_by(ConsentEvent.id)
    ).all()
    unit_rows = session.execute(
        sa.union(
            sa.select(Meeting.plan_id, MeetingParticipant.unit_id)
            .join(MeetingParticipant)
            .where(Meeting.plan_id.in_(ids), MeetingParticipant.unit_id.is_not(None)),
            sa.select(PlanVersion.plan_id, Intervention.unit_id)
            .select_from(Intervention)
            .join(Goal)
            .join(PlanVersion)
            .where(PlanVersion.plan_id.in_(ids)),
            sa.select(PlanUnit.plan_id, PlanUnit.unit_id).where(PlanUnit.plan_id.in_(ids)),
        )
    ).all()
    assignments = session.scalars(
        sa.select(CoordinatorAssignment).where(
            CoordinatorAssignment.plan_id.in_(ids), CoordinatorAssignment.ended_at.is_(None)
        )
    ).all()
    facts: dict[int, PlanFacts] = {}
    for plan in plans:
        consent = current_consent(
            ConsentRecord(u, s, at) for p, u, s, at in consent_rows if p == plan.id
        )
        units = {u for p, u in unit_rows if p == plan.id} | set(consent)
        mine = [a for a in assignments if a.plan_id == plan.id]
        facts[plan.id] = PlanFacts(
            individual_id=plan.individual_id,
            state=plan.state,
            convener_id=plan.convener_id,
            coordinator_id=next((a.staff_id for a in mine if a.accepted_at), None),
            incoming_coordinator_id=next((a.staff_id for a in mine if not a.accepted_at), None),
            participating_unit_ids=frozenset(units),
            consented_unit_ids=frozenset(u for u, s in consent.items() if s is ConsentStatus.GIVEN),
        )
    return facts

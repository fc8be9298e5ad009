"""Facts for the access rules, read from the database (see portal.rules.access)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

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


# The facts in one statement, built once (a statement's construction, and each execution's
# ORM set-up, cost more CPU than running it on a small plan; ADR 0096): consent events,
# the units taking part and the current coordinator assignments, each row marked with its
# kind; `ids` is bound per call. Consent events and assignments keep their order by id.
_NULL = sa.null()


def _facts(of_plans: Callable[[Any], Any]) -> sa.CompoundSelect:
    """The statement, `of_plans(column)` choosing the plans."""
    return sa.union(
        sa.select(
            sa.literal("consent").label("kind"),
            ConsentEvent.plan_id.label("plan_id"),
            ConsentEvent.unit_id.label("unit_id"),
            ConsentEvent.status.label("status"),
            ConsentEvent.effective_at.label("at"),
            # typed: PostgreSQL resolves an untyped NULL of the first branch as text
            sa.cast(_NULL, sa.Integer).label("staff_id"),
            ConsentEvent.id.label("ord"),
        ).where(of_plans(ConsentEvent.plan_id)),
        sa.select(
            sa.literal("called"),
            Meeting.plan_id,
            MeetingParticipant.unit_id,
            _NULL,
            _NULL,
            _NULL,
            _NULL,
        )
        .join(MeetingParticipant)
        .where(of_plans(Meeting.plan_id), MeetingParticipant.unit_id.is_not(None)),
        sa.select(
            sa.literal("intervening"),
            PlanVersion.plan_id,
            Intervention.unit_id,
            _NULL,
            _NULL,
            _NULL,
            _NULL,
        )
        .select_from(Intervention)
        .join(Goal)
        .join(PlanVersion)
        .where(of_plans(PlanVersion.plan_id)),
        sa.select(
            sa.literal("added"), PlanUnit.plan_id, PlanUnit.unit_id, _NULL, _NULL, _NULL, _NULL
        ).where(of_plans(PlanUnit.plan_id)),
        sa.select(
            sa.literal("assignment"),
            CoordinatorAssignment.plan_id,
            _NULL,
            _NULL,
            CoordinatorAssignment.accepted_at,
            CoordinatorAssignment.staff_id,
            CoordinatorAssignment.id,
        ).where(of_plans(CoordinatorAssignment.plan_id), CoordinatorAssignment.ended_at.is_(None)),
    ).order_by(sa.literal_column("ord"))


_FACTS = _facts(lambda column: column.in_(sa.bindparam("ids", expanding=True)))
# One plan (its pages): a plain parameter, spared the expanding IN's rewrite per execution.
_FACTS_ONE = _facts(lambda column: column == sa.bindparam("id"))


class _Assignment(NamedTuple):
    """What the facts read of a current coordinator assignment."""

    staff_id: int
    accepted_at: datetime | None
    ended_at: None = None


def plan_facts_many(plans: list[Plan]) -> dict[int, PlanFacts]:
    """PlanFacts for many plans in a fixed number of queries (lists, worklists); the facts
    themselves are put together by portal.rules.participation.make_plan_facts."""
    ids = [p.id for p in plans]
    if not ids:
        return {}
    found: dict[int, dict[str, list[Any]]] = {
        i: {"consent": [], "called": [], "intervening": [], "added": [], "assignment": []}
        for i in ids
    }
    if len(ids) == 1:
        rows = db.session().execute(_FACTS_ONE, {"id": ids[0]})
    else:
        rows = db.session().execute(_FACTS, {"ids": ids})
    for kind, plan_id, unit_id, status, at, staff_id, _ord in rows:
        if kind == "consent":
            found[plan_id][kind].append(ConsentRecord(unit_id, status, at))
        elif kind == "assignment":
            found[plan_id][kind].append(_Assignment(staff_id, at))
        else:
            found[plan_id][kind].append(unit_id)
    return {
        plan.id: make_plan_facts(
            individual_id=plan.individual_id,
            state=plan.state,
            convener_id=plan.convener_id,
            assignments=found[plan.id]["assignment"],
            called_units=found[plan.id]["called"],
            intervening_units=found[plan.id]["intervening"],
            added_units=found[plan.id]["added"],
            consent=found[plan.id]["consent"],
        )
        for plan in plans
    }

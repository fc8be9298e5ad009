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
from portal.services.bundle import Bundle
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


# The facts' parts, for one statement built once (services.bundle; a statement's construction,
# and each execution's ORM set-up, cost more CPU than running it on a small plan; ADR 0096):
# consent events and the current coordinator assignments (each in the order recorded), and
# the units taking part, each unit once a plan (called to many meetings, intervening in many
# goals and versions). A page that reads other parts of the plan bundles these with them.
FactParts = dict[str, tuple[sa.Select, tuple[str, ...]]]


def fact_parts(of_plans: Callable[[Any], Any]) -> FactParts:
    """The facts' parts (named `facts_…`), `of_plans(column)` choosing the plans."""
    return {
        "facts_consent": (
            sa.select(
                ConsentEvent.plan_id,
                ConsentEvent.id,
                ConsentEvent.unit_id,
                ConsentEvent.status,
                ConsentEvent.effective_at,
            ).where(of_plans(ConsentEvent.plan_id)),
            ("id",),
        ),
        "facts_called": (
            sa.select(Meeting.plan_id, MeetingParticipant.unit_id)
            .join(Meeting, MeetingParticipant.meeting_id == Meeting.id)
            .where(of_plans(Meeting.plan_id), MeetingParticipant.unit_id.is_not(None))
            .distinct(),
            (),
        ),
        "facts_intervening": (
            sa.select(PlanVersion.plan_id, Intervention.unit_id)
            .join(Goal, Intervention.goal_id == Goal.id)
            .join(PlanVersion, Goal.version_id == PlanVersion.id)
            .where(of_plans(PlanVersion.plan_id))
            .distinct(),
            (),
        ),
        "facts_added": (
            sa.select(PlanUnit.plan_id, PlanUnit.unit_id).where(of_plans(PlanUnit.plan_id)),
            (),
        ),
        "facts_assignments": (
            sa.select(
                CoordinatorAssignment.plan_id,
                CoordinatorAssignment.id,
                CoordinatorAssignment.staff_id,
                CoordinatorAssignment.accepted_at,
            ).where(
                of_plans(CoordinatorAssignment.plan_id), CoordinatorAssignment.ended_at.is_(None)
            ),
            ("id",),
        ),
    }


_FACTS = Bundle(fact_parts(lambda column: column.in_(sa.bindparam("ids", expanding=True))))
# One plan (its pages): a plain parameter, spared the expanding IN's rewrite per execution.
_FACTS_ONE = Bundle(fact_parts(lambda column: column == sa.bindparam("id")))


class _Assignment(NamedTuple):
    """What the facts read of a current coordinator assignment."""

    staff_id: int
    accepted_at: datetime | None
    ended_at: None = None


def facts_from(plans: list[Plan], rows: dict[str, list[Any]]) -> dict[int, PlanFacts]:
    """Each plan's PlanFacts from the rows of `fact_parts` (portal.rules.participation.
    make_plan_facts puts them together)."""
    found: dict[int, dict[str, list[Any]]] = {
        plan.id: {"consent": [], "called": [], "intervening": [], "added": [], "assignments": []}
        for plan in plans
    }
    for row in rows["facts_consent"]:
        found[row.plan_id]["consent"].append(
            ConsentRecord(row.unit_id, row.status, row.effective_at)
        )
    for row in rows["facts_assignments"]:
        found[row.plan_id]["assignments"].append(_Assignment(row.staff_id, row.accepted_at))
    for how in ("called", "intervening", "added"):
        for row in rows[f"facts_{how}"]:
            found[row.plan_id][how].append(row.unit_id)
    return {
        plan.id: make_plan_facts(
            individual_id=plan.individual_id,
            state=plan.state,
            convener_id=plan.convener_id,
            assignments=found[plan.id]["assignments"],
            called_units=found[plan.id]["called"],
            intervening_units=found[plan.id]["intervening"],
            added_units=found[plan.id]["added"],
            consent=found[plan.id]["consent"],
        )
        for plan in plans
    }


def plan_facts_many(plans: list[Plan]) -> dict[int, PlanFacts]:
    """PlanFacts for many plans in one statement (lists, worklists)."""
    if not plans:
        return {}
    connection = db.session().connection()
    if len(plans) == 1:
        rows = _FACTS_ONE.read(connection, {"id": plans[0].id})
    else:
        rows = _FACTS.read(connection, {"ids": [p.id for p in plans]})
    return facts_from(plans, rows)

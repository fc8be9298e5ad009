"""Closing a plan with a reason, and what a closed plan shows [000][004].

Whoever leads the plan closes it (the coordinator; the convener until one is appointed); only
the coordinator closes it because the individual has died [000]. Closing cancels planned
meetings, drops follow-ups not yet held and tells the individual's side — nobody after a death
(`notifications.individual_side`). Each unit documents the closing itself [004]: the closed
plan names the units that took part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import db
from portal.models import Account, AuditEvent, Plan, Unit
from portal.rules.closing import close_reasons_for, held_first_meeting
from portal.rules.participation import units_with_consent
from portal.rules.vocabulary import (
    CloseReason,
    ConsentMethod,
    ConsentStatus,
)
from portal.services.consent import units_of
from portal.services.errors import NotAllowedError
from portal.services.plans import ConsentChoice, PlanInputError, _add_consent, close_plan_now
from portal.services.viewers import consent_by_unit, plan_facts, viewer_for
from portal.timeutil import now


@dataclass(frozen=True)
class ClosedSummary:
    reason: CloseReason | None
    closed_at: datetime | None
    note: str
    closed_by: str  # name, and unit for staff; '' when not known (closed before the log)
    units: list[Unit]  # each documents the closing in its own records [004]
    closed_by_kind: str = ""  # individual, relative, staff, system; '' when not known


def _reasons_for(plan: Plan, by: Account) -> frozenset[CloseReason]:
    """The reasons `by` may choose for this plan now (empty: may not close). The pages ask
    the staff loader (`StaffPlan.close_reasons`), which asks the same rule."""
    return close_reasons_for(viewer_for(by), plan_facts(plan), held_first_meeting(plan.meetings))


def _withdraw_remaining_consent(plan: Plan, by: Account, note: str) -> None:
    """Closed because consent was withdrawn (told to staff): the consent record says so too."""
    current = consent_by_unit(plan.id)
    text = note or str(_l("Återkallat muntligt när planen avslutades."))
    given = units_with_consent(current)
    for unit_id in [u for u in current if u in given]:  # in the order they were asked
        choice = ConsentChoice(unit_id, ConsentStatus.WITHDRAWN, now(), text)
        _add_consent(plan, choice, ConsentMethod.RECORDED_BY_STAFF, by)


def close_plan(*, plan: Plan, reason: CloseReason | None, note: str, by: Account) -> Plan:
    """Close the plan with a reason this staff member may choose in its state."""
    allowed = _reasons_for(plan, by)
    if not allowed:
        raise NotAllowedError("only whoever leads the plan closes it")
    if reason is None:
        raise PlanInputError("reason", _l("Välj varför planen avslutas."))
    if reason not in allowed:
        if reason is CloseReason.DECEASED:
            raise PlanInputError(
                "reason", _l("Bara samordningsansvarig avslutar planen när personen har avlidit.")
            )
        raise PlanInputError("reason", _l("Det skälet går inte att välja för planen nu."))
    if reason is CloseReason.CONSENT_WITHDRAWN:
        _withdraw_remaining_consent(plan, by, note.strip())
    close_plan_now(plan, reason, by, note.strip())
    db.session().commit()
    return plan


def _closed_by(plan: Plan) -> tuple[str, str]:
    """Who closed the plan, from the audit log: (name and unit, kind of actor)."""
    event = db.session().scalar(
        sa.select(AuditEvent)
        .where(
            AuditEvent.type == "plan.close",
            AuditEvent.object_type == "plan",
            AuditEvent.object_id == plan.id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if event is None or not event.actor_name:
        return "", event.actor_role if event is not None else ""
    name = f"{event.actor_name}, {event.actor_unit}" if event.actor_unit else event.actor_name
    return name, event.actor_role


def closed_summary(plan: Plan) -> ClosedSummary | None:
    """Reason, date, who closed it (from the audit log) and the units that took part."""
    if plan.closed_at is None:
        return None
    closed_by, kind = _closed_by(plan)
    return ClosedSummary(
        reason=plan.close_reason,
        closed_at=plan.closed_at,
        note=plan.close_note,
        closed_by=closed_by,
        units=units_of(plan),
        closed_by_kind=kind,
    )


_NEXT_PLANS = (  # built once: the staff plan page asks on every request (ADR 0098)
    sa.select(Plan)
    .where(Plan.previous_plan_id == sa.bindparam("plan_id"))
    .order_by(Plan.created_at)
)


def next_plans(plan: Plan) -> list[Plan]:
    """Plans started for a later hospital episode, linked to this one."""
    return list(db.session().scalars(_NEXT_PLANS, {"plan_id": plan.id}))

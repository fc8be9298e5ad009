"""Staff: the plans I may see (deny by default), and one plan's overview."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import ORMOption

from portal import db
from portal.auth.permissions import allow
from portal.models import Individual, Plan
from portal.models.audit_types import EventType
from portal.rules.access import leads_plan, may_accept_handover, staff_may_view
from portal.rules.follow_up import current_follow_up, may_follow_up, version_to_follow_up
from portal.rules.invitation import to_acknowledge
from portal.rules.participation import active_assignment, waiting_assignment
from portal.rules.vocabulary import Role
from portal.services import audit
from portal.services.notifications import unread_for
from portal.services.person_view import WHOLE_PLAN
from portal.services.preparations import shared_preparation_for
from portal.services.requests import current_wish, requests_of
from portal.services.signing import signing_overview
from portal.services.viewers import plan_facts, plan_facts_many, viewer_for
from portal.web import nav
from portal.web.documents import problem_text
from portal.web.staff import blueprint

nav.register("staff.plans", _l("Planer"), 20, Role.STAFF)


def visible_plan(plan_id: int, *loads: ORMOption) -> Plan:
    """The plan, if this staff member may see it (else 404: its existence is not told);
    `loads` are loader options for what the page will show."""
    plan = db.session().scalars(sa.select(Plan).where(Plan.id == plan_id).options(*loads)).first()
    if plan is None or not staff_may_view(viewer_for(current_user), plan_facts(plan)):
        abort(404)
    return plan


def any_visible_plan_of(individual_id: int) -> Plan:
    """A plan of the individual that this staff member may see (else 404)."""
    viewer = viewer_for(current_user)
    plans = list(db.session().scalars(sa.select(Plan).where(Plan.individual_id == individual_id)))
    facts = plan_facts_many(plans)
    for plan in plans:
        if staff_may_view(viewer, facts[plan.id]):
            return plan
    abort(404)


@blueprint.get("/plans")
@allow(Role.STAFF)
def plans() -> str:
    viewer = viewer_for(current_user)
    candidates = (
        db.session()
        .scalars(
            sa.select(Plan).options(selectinload(Plan.individual)).order_by(Plan.created_at.desc())
        )
        .all()
    )
    facts = plan_facts_many(list(candidates))
    shown = [p for p in candidates if staff_may_view(viewer, facts[p.id])]
    return render_template("staff/plans.html", plans=shown)


@blueprint.get("/plans/<int:plan_id>")
@allow(Role.STAFF)
def plan(plan_id: int) -> str:
    plan = visible_plan(plan_id, *WHOLE_PLAN)
    individual: Individual = plan.individual
    audit.record_read(
        db.session(),
        type=EventType.PLAN_READ,
        by=current_user,
        subject_individual_id=individual.id,
        object_type="plan",
        object_id=plan.id,
    )
    from portal.services.letters import pending_letters_for
    from portal.services.outbox import reminders_sent
    from portal.web.staff.closing import plan_closing
    from portal.web.staff.meetings import may_change_meeting, meetings_to_call
    from portal.web.staff.short_term_stay import plan_short_term

    facts = plan_facts(plan)
    viewer = viewer_for(current_user)
    coordinator, handover = (
        active_assignment(plan.coordinator_assignments),
        waiting_assignment(plan.coordinator_assignments),
    )
    has_signed = version_to_follow_up(plan.versions) is not None
    return render_template(
        "staff/plan.html",
        plan=plan,
        individual=individual,
        facts=facts,
        leads=leads_plan(viewer, facts),
        may_follow_up=may_follow_up(viewer, facts, has_signed),
        next_follow_up=current_follow_up(plan.follow_ups),
        coordinator=coordinator,
        handover=handover,
        may_accept_handover=handover is not None and may_accept_handover(viewer, handover.staff_id),
        to_acknowledge={m.id: to_acknowledge(m.participants, m.convener_id) for m in plan.meetings},
        # What the sections decide, decided here: no template global runs a query.
        stay=plan_short_term(plan),
        closing_view=plan_closing(plan),
        kinds_to_call=meetings_to_call(plan, facts),
        changeable_meetings={m.id for m in plan.meetings if may_change_meeting(m, facts)},
        invitations=pending_letters_for(individual.id),
        signing=signing_overview(plan, current_user.staff),
        problem_text=problem_text,
        wish=current_wish(plan),
        requests=requests_of(plan),
        news=unread_for(current_user, [plan.id]),
        reminders=reminders_sent(plan.id),
        preparation=shared_preparation_for(
            viewer_for(current_user), plan, current_user.staff.unit_id
        ),
    )

"""Staff: the plans I may see (deny by default), and one plan's overview."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.permissions import allow
from portal.models import Individual, Plan, Preparation
from portal.models.audit_types import EventType
from portal.rules.follow_up import current_follow_up
from portal.rules.invitation import to_acknowledge
from portal.rules.participation import active_assignment, waiting_assignment
from portal.rules.vocabulary import Role
from portal.services import reads
from portal.services.deferrals import deferral_ended
from portal.services.letters import pending_letters_for
from portal.services.notifications import unread_for
from portal.services.outbox import reminders_sent
from portal.services.preparations import shared_preparation_for
from portal.services.requests import current_wish, requests_of
from portal.services.signing import signing_overview
from portal.services.staff_plan_view import PlanFlags
from portal.web import nav
from portal.web.documents import problem_text
from portal.web.staff import blueprint
from portal.web.staff.closing import plan_closing
from portal.web.staff.loaders import StaffPlan, load_plan_page, visible_plans
from portal.web.staff.short_term_stay import plan_short_term

nav.register("staff.plans", _l("Planer"), 20, Role.STAFF)


@blueprint.get("/plans")
@allow(Role.STAFF)
def plans() -> str:
    return render_template("staff/plans.html", plans=visible_plans(selectinload(Plan.individual)))


def _preparation(found: StaffPlan, flags: PlanFlags) -> Preparation | None:
    if not flags.may_have_preparation:
        return None
    unit_id = current_user.staff.unit_id
    return shared_preparation_for(found.viewer, found.parts, unit_id, found.facts)


@blueprint.get("/plans/<int:plan_id>")
@allow(Role.STAFF)
def plan(plan_id: int) -> str:
    found, flags = load_plan_page(plan_id)
    plan, parts, facts = found.plan, found.parts, found.facts
    individual: Individual = plan.individual

    handover = waiting_assignment(parts.coordinator_assignments)
    shown = dict(
        plan=plan,
        parts=parts,  # the plan's meetings, versions, coordinators and follow-ups, as records
        individual=individual,
        facts=facts,
        consent_not_given=flags.consent_not_given,
        # What the sections decide, decided here from the loader's facts (read once): no
        # template global runs a query, and no template works out a permission.
        leads=found.leads,
        may_follow_up=found.may_follow_up,
        next_follow_up=current_follow_up(parts.follow_ups),
        coordinator=active_assignment(parts.coordinator_assignments),
        handover=handover,
        may_accept_handover=handover is not None and found.may_accept_handover(handover.staff_id),
        to_acknowledge={
            m.id: to_acknowledge(m.participants, m.convener_id) for m in parts.meetings
        },
        stay=plan_short_term(found),
        deferral_ended=deferral_ended(plan) if flags.reassessed else None,
        closing_view=plan_closing(found, later_plans=flags.has_later_plans),
        kinds_to_call=found.kinds_to_call(),
        changeable_meetings={m.id for m in parts.meetings if found.may_change(m)},
        invitations=pending_letters_for(individual.id) if flags.may_have_invitations else [],
        signing=signing_overview(parts, current_user.staff),
        problem_text=problem_text,
        # Each statement below runs only if the plan's row says it may find something.
        wish=current_wish(plan) if flags.may_have_wish else None,
        requests=requests_of(plan) if flags.may_have_requests else [],
        news=unread_for(current_user, [plan.id]) if flags.may_have_news else [],
        reminders=reminders_sent(plan.id) if flags.may_have_reminders else [],
        preparation=_preparation(found, flags),
    )
    # Everything read first, then the read recorded: its commit ends the only transaction
    # (no second BEGIN … ROLLBACK for the reads after it on PostgreSQL, ADR 0103).
    reads.read(
        type=EventType.PLAN_READ,
        by=current_user,
        subject_individual_id=individual.id,
        object_type="plan",
        object_id=plan.id,
    )
    return render_template("staff/plan.html", **shown)

"""Staff: the plans I may see (deny by default), and one plan's overview."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
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
from portal.web import fields, nav
from portal.web.documents import problem_text
from portal.web.staff import blueprint, plan_body
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
    plan, parts = found.plan, found.parts
    individual: Individual = plan.individual

    handover = waiting_assignment(parts.coordinator_assignments)
    # What the body shows besides the plan's rows, decided here for this viewer from the
    # loader's facts (read once; no template works out a permission): the kept body's key
    # holds their digest (ADR 0120).
    answers = dict(
        consent_not_given=flags.consent_not_given,
        started=_just_started(),
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
        signing=signing_overview(parts, current_user.staff),
        # Each statement below runs only if the plan's row says it may find something.
        reminders=[
            plan_body.ReminderSent(m.sent_at, m.channel)
            for m in (reminders_sent(plan.id) if flags.may_have_reminders else [])
        ],
    )
    slots = _slots(found, flags)
    # Everything read first, then the read recorded: its commit ends the only transaction
    # (no second BEGIN … ROLLBACK for the reads after it on PostgreSQL, ADR 0103).
    reads.read(
        type=EventType.PLAN_READ,
        by=current_user,
        subject_individual_id=individual.id,
        object_type="plan",
        object_id=plan.id,
    )
    kept = plan_body.body(
        plan=plan,
        individual=individual,
        parts=parts,
        generation=flags.generation,
        locale=str(get_locale() or "sv"),
        answers=answers,
        constants={"problem_text": problem_text},
    )
    return render_template("staff/plan.html", plan=plan, body=plan_body.filled(kept, slots))


class StartedForm(fields.PortalForm):
    """`?started=1` when the start form has just started the plan: the next step first."""

    started = fields.FlagField(value="1")


def _just_started() -> bool:
    if not request.query_string:  # as nearly always: no form to build (ADR 0120)
        return False
    asked = fields.read(StartedForm, request.args)
    return not asked.problems() and bool(asked.value("started"))


def _slots(found: StaffPlan, flags: PlanFlags) -> dict[str, str]:
    """The parts of the page that come from outside the plan's rows, rendered per request
    (each only when its statement may find something, and then only when it did)."""
    plan = found.plan
    news = unread_for(current_user, [plan.id]) if flags.may_have_news else []
    wish = current_wish(plan) if flags.may_have_wish else None
    requests = requests_of(plan) if flags.may_have_requests else []
    preparation = _preparation(found, flags)
    invitations = pending_letters_for(plan.individual_id) if flags.may_have_invitations else []
    slots = {}
    if news:
        slots["news"] = render_template("staff/_plan_news.html", news=news, plan=plan)
    if wish or requests or preparation:
        slots["asked"] = render_template(
            "staff/_plan_asked.html", wish=wish, requests=requests, preparation=preparation
        )
    if invitations:
        slots["invitations"] = render_template(
            "staff/_plan_invitations.html", invitations=invitations
        )
    return slots

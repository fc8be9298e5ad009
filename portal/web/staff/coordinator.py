"""Staff: the plan's coordinator — who it is, whom the table of [000] suggests beside the
individual's wish, the full history, and handing the role over (accepted by the receiver)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models import CoordinatorAssignment, Staff
from portal.models.audit_types import EventType
from portal.rules.coordinator import HomeHealth
from portal.rules.vocabulary import Role
from portal.services import reads
from portal.services.coordinators import (
    HandoverNotAllowedError,
    accept_handover,
    coordinator_choice,
    decline_handover,
    first_meeting_held,
    hand_over,
    leader_of,
)
from portal.services.plans import PlanInputError
from portal.timeutil import today_stockholm
from portal.web import fields
from portal.web.fields import NEAR, DayField, EnumField, IdField, PortalForm, TextField
from portal.web.htmx import after_post
from portal.web.staff import blueprint
from portal.web.staff.loaders import Need, StaffPlan, load_plan, plan_access, visible_plan


class HomeHealthForm(PortalForm):
    """`?home_health=`: who gives home health care, for the table of [000]; unknown is none."""

    home_health = EnumField(HomeHealth)


def _home_health() -> HomeHealth | None:
    asked = fields.read(HomeHealthForm, request.args)
    return None if asked.problems() else asked.value("home_health")


def _page(found: StaffPlan, form: Any, errors: dict[str, str], kept: bool = False) -> str:
    plan = found.plan
    home_health = _home_health()
    choice = coordinator_choice(plan, home_health)
    pending = choice.pending
    suggested = choice.suggested
    if suggested and choice.current and choice.current.staff_id == suggested.id:
        suggested = None  # a handover goes to someone else: nothing chosen in advance
    selected = form.get("coordinator_id") or (suggested.id if suggested else "")
    return render_template(
        "staff/coordinator.html",
        plan=plan,
        choice=choice,
        selected_id=str(selected),
        leader=leader_of(plan),
        may_hand_over=found.may_hand_over,
        may_accept=pending is not None and found.may_accept_handover(pending.staff_id),
        may_decline=pending is not None and found.may_decline_handover(pending.staff_id),
        first_meeting_held=first_meeting_held(plan),
        home_health=home_health,
        home_health_values=list(HomeHealth),
        today=today_stockholm(),
        form=form,
        errors=errors,
        kept=kept,
    )


@blueprint.get("/plans/<int:plan_id>/coordinator")
@allow(Role.STAFF)
def coordinator(plan_id: int) -> str:
    found = load_plan(plan_id)
    plan = found.plan
    reads.read(
        type=EventType.COORDINATOR_READ,
        by=current_user,
        subject_individual_id=plan.individual_id,
        object_type="plan",
        object_id=plan.id,
    )
    kept = take(account_id=current_user.id, path=request.path)
    return _page(found, kept or {}, {}, kept is not None)


class HandOverForm(PortalForm):
    coordinator_id = IdField()
    effective_on = DayField(
        window=NEAR, required=True, missing=lambda: _("Skriv från vilket datum, som ÅÅÅÅ-MM-DD.")
    )
    reason = TextField(
        max=2000,
        lines=True,
        required=True,
        missing=lambda: _("Skriv varför samordningsansvaret lämnas över."),
    )


def _parse(typed: PortalForm) -> tuple[Staff | None, date | None, str, dict[str, str]]:
    errors = typed.problems()
    chosen = typed.value("coordinator_id")
    staff = db.session().get(Staff, chosen) if chosen else None
    return staff, typed.value("effective_on"), typed.value("reason") or "", errors


@blueprint.post("/plans/<int:plan_id>/coordinator", endpoint="hand_over")
@allow(Role.STAFF)
def hand_over_coordinator(plan_id: int) -> Response | tuple[str, int]:
    found = load_plan(plan_id, need=Need.HAND_OVER)
    plan = found.plan
    staff, effective_on, reason, errors = _parse(fields.read(HandOverForm, request.form))
    if not errors:
        try:
            hand_over(
                plan=plan,
                to=staff,
                reason=reason,
                effective_on=effective_on,
                by=current_user,
            )
        except PlanInputError as error:
            errors[error.field] = str(error.message)
    if errors:
        return _page(found, request.form, errors), 400
    return after_post(url_for("staff.coordinator", plan_id=plan.id))


def _waiting(assignment_id: int) -> CoordinatorAssignment:
    assignment = db.session().get(CoordinatorAssignment, assignment_id)
    if assignment is None:
        abort(404)
    visible_plan(assignment.plan_id)
    return assignment


def _refused(assignment: CoordinatorAssignment, error: PlanInputError) -> tuple[str, int]:
    return _page(plan_access(assignment.plan), {}, {"accept": str(error.message)}), 409


@blueprint.post("/coordinator-assignments/<int:assignment_id>/accept", endpoint="accept_handover")
@allow(Role.STAFF)
def accept_coordinator_handover(assignment_id: int) -> Response | tuple[str, int]:
    assignment = _waiting(assignment_id)
    try:
        accept_handover(assignment=assignment, by=current_user)
    except HandoverNotAllowedError:
        abort(403)
    except PlanInputError as error:
        return _refused(assignment, error)
    return after_post(url_for("staff.plan", plan_id=assignment.plan_id))


@blueprint.post("/coordinator-assignments/<int:assignment_id>/decline", endpoint="decline_handover")
@allow(Role.STAFF)
def decline_coordinator_handover(assignment_id: int) -> Response | tuple[str, int]:
    assignment = _waiting(assignment_id)
    try:
        decline_handover(assignment=assignment, by=current_user)
    except HandoverNotAllowedError:
        abort(403)
    except PlanInputError as error:
        return _refused(assignment, error)
    return after_post(url_for("staff.coordinator", plan_id=assignment.plan_id))

"""Whose pages these are, and what the viewer may see of them (rules in portal.rules.access)."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.models import Individual, Plan
from portal.models.audit_types import EventType
from portal.rules.access import PlanFacts, Viewer
from portal.rules.vocabulary import AccountKind
from portal.services import audit
from portal.services.viewers import plan_facts, viewer_for
from portal.web.acting import individual_in_focus


def focus_or_choose() -> Individual | Response:
    """The individual in focus; a relative who has not chosen is sent to choose."""
    individual = individual_in_focus()
    if individual is not None:
        return individual
    if current_user.kind is AccountKind.RELATIVE:
        return redirect(url_for("person.choose_person"))
    abort(403)


def on_behalf_of(individual: Individual) -> int | None:
    return individual.id if current_user.kind is AccountKind.RELATIVE else None


def viewer() -> Viewer:
    return viewer_for(current_user)


def plan_in_focus(plan_id: int, individual: Individual) -> tuple[Plan, PlanFacts]:
    plan = db.session().get(Plan, plan_id)
    if plan is None or plan.individual_id != individual.id:
        abort(404)
    return plan, plan_facts(plan)


def viewable_plan(plan_id: int) -> tuple[Individual, Plan] | Response:
    """The individual in focus and their plan, if the viewer may see the plan (else 403/404)."""
    from portal.rules.access import may_view_plan

    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    plan, facts = plan_in_focus(plan_id, individual)
    if not may_view_plan(viewer(), facts):
        abort(403)
    return individual, plan


def audit_read(individual: Individual, type: EventType, object_id: int | None = None) -> None:
    """A read of the individual's data; the object is what the type names ("plan.read": plan)."""
    audit.record_read(
        db.session(),
        type=type,
        by=current_user,
        subject_individual_id=individual.id,
        on_behalf_of=on_behalf_of(individual),
        object_type=type.value.removesuffix(".read"),
        object_id=object_id,
    )

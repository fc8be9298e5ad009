"""Frågor till samordningsansvarig, and whom I want as coordinator."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models import Individual, Plan
from portal.models.audit_types import EventType
from portal.rules.coordinator_wish import OTHER, WishProblem, problem
from portal.rules.vocabulary import RequestKind, Role
from portal.services import requests as plan_requests
from portal.services.person_view import overview
from portal.web import fields
from portal.web.fields import ChoiceField, EnumField, PortalForm, TextField
from portal.web.person import blueprint
from portal.web.person.loaders import Need, audit_read, load_plan, on_behalf_of

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)
MAX_TEXT = 2000


class RequestForm(PortalForm):
    kind = EnumField(RequestKind, required=True, missing=lambda: _("Välj vad du vill be om."))
    message = TextField(max=MAX_TEXT, lines=True)


class WishForm(PortalForm):
    """`staff` is a person's id or the word "other"; it is checked against the candidates."""

    staff = TextField(max=20)
    description = TextField(max=MAX_TEXT, lines=True)
    reason = TextField(max=MAX_TEXT, lines=True)
    back = ChoiceField(("wish", "prepare"))


def _seen(plan_id: int) -> tuple[Individual, Plan, bool] | Response:
    found = load_plan(plan_id)
    if isinstance(found, Response):
        return found
    return found.individual, found.plan, found.may_write


def _writable(plan_id: int) -> tuple[Individual, Plan] | Response:
    found = load_plan(plan_id, Need.WRITE)
    if isinstance(found, Response):
        return found
    return found.individual, found.plan


def _requests_page(individual: Individual, plan: Plan, may_write: bool, status: int = 200, **extra):
    return render_template(
        "person/requests.html",
        individual=individual,
        plan=plan,
        may_write=may_write,
        leader=overview(plan).leader,
        requests=plan_requests.requests_of(plan),
        kinds=list(RequestKind),
        values=extra.pop("values", {}),
        errors=extra.pop("errors", {}),
    ), status


@blueprint.get("/plans/<int:plan_id>/requests")
@allow(*PERSON)
def requests(plan_id: int) -> Response | tuple[str, int]:
    found = _seen(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan, may_write = found
    audit_read(individual, EventType.REQUESTS_READ, plan.id)
    return _requests_page(individual, plan, may_write)


@blueprint.post("/plans/<int:plan_id>/requests")
@allow(*PERSON)
def send_request(plan_id: int) -> Response | tuple[str, int]:
    found = _writable(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    typed = fields.read(RequestForm)
    errors = typed.problems()
    if errors:
        return _requests_page(individual, plan, True, 422, values=request.form, errors=errors)
    sent = plan_requests.send_request(
        plan=plan,
        kind=typed.value("kind"),
        message=typed.value("message") or "",
        by=current_user,
        on_behalf_of=on_behalf_of(individual),
    )
    flash(
        _("Skickat. Du får svar senast %(when)s.", when=_when(sent.acknowledgement_due_at)),
        "success",
    )
    return redirect(url_for("person.requests", plan_id=plan.id), code=303)


def _when(moment: object) -> str:
    from portal.web.context import when

    return when(moment)


@blueprint.get("/plans/<int:plan_id>/coordinator-wish")
@allow(*PERSON)
def coordinator_wish(plan_id: int) -> Response | tuple[str, int]:
    found = _seen(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan, may_write = found
    audit_read(individual, EventType.COORDINATOR_WISH_READ, plan.id)
    return _wish_page(individual, plan, may_write)


def _wish_page(individual: Individual, plan: Plan, may_write: bool, status: int = 200, **extra):
    return render_template(
        "person/coordinator_wish.html",
        individual=individual,
        plan=plan,
        may_write=may_write,
        leader=overview(plan).leader,
        **wish_context(plan),
        wish_values=extra.pop("values", {}),
        errors=extra.pop("errors", {}),
    ), status


WISH_PROBLEMS = {
    WishProblem.DESCRIBE: lambda: _(
        "Beskriv vem du önskar, till exempel ett namn eller en yrkesroll."
    ),
    WishProblem.CHOOSE: lambda: _("Välj en person, eller välj Någon annan och beskriv personen."),
}


def wish_context(plan: Plan) -> dict[str, object]:
    """What the wish section needs (templates/person/_wish_form.html), on either page."""
    wish = plan_requests.current_wish(plan)
    return {
        "wish": wish,
        "outcome": plan_requests.appointed_after(plan, wish) if wish else None,
        "candidates": plan_requests.staff_known_to_plan(plan),
    }


@blueprint.post("/plans/<int:plan_id>/coordinator-wish")
@allow(*PERSON)
def save_coordinator_wish(plan_id: int) -> Response | tuple[str, int]:
    """The one wish, from the wish page or from the preparation (`back=prepare`)."""
    found = _writable(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    typed = fields.read(WishForm)
    errors = typed.problems()
    choice = typed.value("staff") or ""
    description, reason = typed.value("description") or "", typed.value("reason") or ""
    from_preparation = typed.value("back") == "prepare"
    candidates = {str(s.id): s for s in plan_requests.staff_known_to_plan(plan)}
    if not errors and (
        found_problem := problem(choice, description, [s.id for s in candidates.values()])
    ):
        errors["description" if found_problem is WishProblem.DESCRIBE else "staff"] = WISH_PROBLEMS[
            found_problem
        ]()
    if errors and from_preparation:
        from portal.web.person.prepare import preparation_page

        typed_wish = {"staff": choice, "description": description, "reason": reason}
        return preparation_page(individual, plan, True, 422, wish_values=typed_wish, errors=errors)
    if errors:
        return _wish_page(individual, plan, True, 422, values=request.form, errors=errors)
    plan_requests.wish_coordinator(
        plan=plan,
        staff=candidates.get(choice),
        description=description if choice == OTHER else "",
        reason=reason,
        by=current_user,
        on_behalf_of=on_behalf_of(individual),
    )
    flash(
        _("Ditt önskemål är sparat. Personalen ser det när de utser samordningsansvarig."),
        "success",
    )
    if from_preparation:
        return redirect(url_for("person.prepare", plan_id=plan.id, _anchor="wish"), code=303)
    return redirect(url_for("person.coordinator_wish", plan_id=plan.id), code=303)

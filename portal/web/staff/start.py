"""Start a SIP: find or register the individual, the context, the units taking part, consent.

One page, two buttons: 'Sök' looks the identity number up (a POST, so the number never
lands in a URL or a log), 'Starta SIP' starts it. Errors come back beside the fields with
everything typed kept. After starting: the plan page, offering the invitation letter.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models import Individual
from portal.models.audit_types import EventType
from portal.rules.vocabulary import PlanContext, Role
from portal.services import reads
from portal.services.plans import PlanInputError, active_plans_of, start_plan
from portal.web import fields
from portal.web.staff import blueprint
from portal.web.staff._start_form import (
    ConsentAnswer,
    StartForm,
    all_units,
    contract_problems,
    find_person,
    person_pin,
    read_start,
)

PLAN_FIELDS = "plan_fields"  # a hidden marker: the form already showed the plan's fields
# Where a service's refusal belongs on the form.
FIELD_OF = {"ready_for_discharge_at": "ready_on", "unit": "units", "effective_at": "consent_on"}


def _looked_up(person: Individual | None) -> dict[str, Any]:
    """The person found (masked), with their active plans; the read is audited."""
    if person is None:
        return {"person": None, "active_plans": []}
    reads.read(
        type=EventType.INDIVIDUAL_LOOKUP,
        by=current_user,
        subject_individual_id=person.id,
        object_type="individual",
        object_id=person.id,
    )
    return {"person": person, "active_plans": active_plans_of(person.id)}


def _page(form: MultiDict[str, str], errors: dict[str, str], looked_up: bool, **extra: Any) -> str:
    typed = PLAN_FIELDS in form  # the plan part was on the page: keep exactly what was ticked
    chosen = form.getlist("units") if typed else [str(current_user.staff.unit_id)]
    return render_template(
        "staff/start.html",
        form=form,
        errors=errors,
        looked_up=looked_up,
        units=all_units(),
        chosen_units=set(chosen),
        contexts=list(PlanContext),
        answers=list(ConsentAnswer),
        **{"person": None, "active_plans": [], **extra},
    )


@blueprint.route("/start", methods=["GET", "POST"])
@allow(Role.STAFF)
def start() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _page(MultiDict(), {}, looked_up=False)
    typed = fields.read(StartForm, request.form)
    if typed.value_if_valid("step") != "start":
        errors: dict[str, str] = {}
        pin = person_pin(typed, errors)
        errors = contract_problems(typed) | errors
        if pin is None or errors:  # keep the rest of the form if it was already there
            shown = bool(typed.value_if_valid("plan_fields"))
            return _page(request.form, errors, looked_up=shown), 400
        return _page(request.form, {}, looked_up=True, **_looked_up(find_person(pin)))
    started, errors = read_start(typed)
    found = _looked_up(started.individual)
    if errors:
        return _page(request.form, errors, looked_up=True, **found), 400
    try:
        plan = start_plan(
            individual=started.individual,
            new_person=started.new_person,
            context=started.context,  # type: ignore[arg-type]
            ready_for_discharge_at=started.ready_for_discharge_at,
            preliminary_discharge_on=started.preliminary_discharge_on,
            convener=current_user.staff,
            by=current_user,
            consents=started.consents,
            reassess_before_home_on=started.reassess_before_home_on,
        )
    except PlanInputError as refused:
        errors = {FIELD_OF.get(refused.field, refused.field): str(refused.message)}
        return _page(request.form, errors, looked_up=True, **found), 400
    return redirect(url_for("staff.plan", plan_id=plan.id, started=1), code=303)

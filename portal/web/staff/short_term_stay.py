"""The short-term-stay routine [002]: defer the SIP during the stay, re-ask before going home.

The wish for a SIP stays recorded while the plan waits. Before the return home the needs
assessor records the answer; when the remaining need is health care only, the health-care
staff member who noticed it may record it and call the SIP.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.errors import render_error
from portal.models import Plan, Staff
from portal.rules.closing import ReassessOutcome
from portal.rules.vocabulary import Role
from portal.services import offered
from portal.services.plans import (
    PlanInputError,
    defer_for_short_term_stay,
    reassess_after_short_term_stay,
)
from portal.web import fields
from portal.web.fields import (
    COMING,
    DayField,
    EnumField,
    IdField,
    PortalForm,
    TextField,
    form_class,
)
from portal.web.htmx import after_post
from portal.web.staff import blueprint
from portal.web.staff.loaders import StaffPlan, load_plan

OUTCOME_LABELS: dict[str, object] = {
    ReassessOutcome.NEED_REMAINS.value: _l("Behovet finns kvar – jag kallar till SIP i hemmet"),
    ReassessOutcome.HEALTH_CARE_ONLY.value: _l(
        "Behovet finns kvar men gäller bara hälso- och sjukvård"
    ),
    ReassessOutcome.NO_NEED.value: _l("Inget kvarvarande behov av samordning"),
    ReassessOutcome.NOT_WANTED.value: _l("Personen vill inte längre ha en SIP"),
    ReassessOutcome.PLAN_CHANGED.value: _l(
        "Hem eller särskilt boende i stället för korttidsvistelse"
    ),
}
OUTCOME_HELP: dict[str, object] = {
    ReassessOutcome.NEED_REMAINS.value: _l(
        "Planen blir aktiv igen, efter korttidsvistelse, och du blir sammankallande."
    ),
    ReassessOutcome.HEALTH_CARE_ONLY.value: _l(
        "Den i hälso- och sjukvården som uppmärksammat behovet blir sammankallande och kallar."
    ),
    ReassessOutcome.NO_NEED.value: _l(
        "Planen avslutas: samordning behövs inte längre. Ingen kallelse skickas."
    ),
    ReassessOutcome.NOT_WANTED.value: _l("Planen avslutas: samordning önskas inte längre."),
    ReassessOutcome.PLAN_CHANGED.value: _l(
        "Hälsocentralen blir sammankallande och bedömer tillsammans med personen om SIP behövs."
    ),
}


@dataclass(frozen=True)
class ShortTermStay:
    """What the plan page's actions section needs."""

    may_defer: bool
    may_reassess: bool


def plan_short_term(found: StaffPlan) -> ShortTermStay:
    return ShortTermStay(may_defer=found.may_defer, may_reassess=found.may_reassess)


@blueprint.route("/plans/<int:plan_id>/defer", methods=["GET", "POST"])
@allow(Role.STAFF)
def defer_plan(plan_id: int) -> str | Response | tuple[str, int]:
    """POST from the plan page; GET shows the same form alone (input kept after a sign-in)."""
    found = load_plan(plan_id)
    plan = found.plan
    if not found.may_defer:
        return render_error(
            403,
            _(
                "En plan kan vänta under en korttidsvistelse innan någon kallats till mötet. "
                "Det antecknas av den som leder planen eller av biståndshandläggaren."
            ),
        )
    if request.method == "GET":
        kept = take(account_id=current_user.id, path=request.path)
        return render_template(
            "staff/defer_plan.html", plan=plan, form=kept or {}, errors={}, kept=kept is not None
        )
    typed = fields.read(DeferForm)
    errors = typed.problems()
    day = typed.value("reassess_before_home_on")
    if not errors:
        try:
            defer_for_short_term_stay(plan=plan, reassess_before_home_on=day, by=current_user)
        except PlanInputError as error:
            db.session().rollback()
            errors[error.field] = str(error.message)
    if errors:
        page = render_template("staff/defer_plan.html", plan=plan, form=request.form, errors=errors)
        return page, 400
    return after_post(url_for("staff.plan", plan_id=plan.id))


class DeferForm(PortalForm):
    reassess_before_home_on = DayField(
        window=COMING,
        required=True,
        missing=lambda: _("Skriv senaste dag för omprövning före hemgång."),
    )


def reassess_form(outcomes: tuple[ReassessOutcome, ...]) -> type[PortalForm]:
    """The answers this profession may record, and the conveners it may choose."""
    return form_class(
        "ReassessForm",
        {
            "outcome": EnumField(
                ReassessOutcome,
                only=outcomes,
                required=True,
                missing=lambda: _("Välj vad personen svarade."),
            ),
            "health_care_convener": IdField(),
            "health_centre_convener": IdField(),
            "note": TextField(max=2000, lines=True),
        },
    )


def _candidates(plan: Plan) -> dict[str, list[Staff]]:
    """The conveners each answer offers (`portal.rules.offered`), the same lists checked."""
    return {
        "health_care": offered.health_care_conveners(plan),
        "health_centre": offered.health_centre_conveners(plan),
    }


def _reassess_page(
    plan: Plan, outcomes: tuple[ReassessOutcome, ...], form: object, errors: dict, kept: bool
) -> str:
    return render_template(
        "staff/reassess.html",
        plan=plan,
        outcomes=outcomes,
        candidates=_candidates(plan),
        outcome_labels=OUTCOME_LABELS,
        outcome_help=OUTCOME_HELP,
        form=form,
        errors=errors,
        kept=kept,
    )


CONVENER_FIELDS = {
    ReassessOutcome.HEALTH_CARE_ONLY: "health_care_convener",
    ReassessOutcome.PLAN_CHANGED: "health_centre_convener",
}


CANDIDATE_LISTS = {
    ReassessOutcome.HEALTH_CARE_ONLY: "health_care",
    ReassessOutcome.PLAN_CHANGED: "health_centre",
}


def _convener(plan: Plan, outcome: ReassessOutcome, typed: PortalForm) -> Staff | None:
    """The chosen convener, only from the list the form offered (else none: refused)."""
    if outcome is ReassessOutcome.NEED_REMAINS:
        return current_user.staff  # the needs assessor calls the SIP at home [002]
    field = CONVENER_FIELDS.get(outcome)
    if field is None:
        return None
    offered = {s.id: s for s in _candidates(plan)[CANDIDATE_LISTS[outcome]]}
    chosen = typed.value(field)
    return offered.get(chosen) if chosen else None


@blueprint.route("/plans/<int:plan_id>/reassess", methods=["GET", "POST"])
@allow(Role.STAFF)
def reassess(plan_id: int) -> str | Response | tuple[str, int]:
    found = load_plan(plan_id)
    plan = found.plan
    outcomes = found.reassess_outcomes
    if not outcomes:
        return render_error(
            403,
            _(
                "Biståndshandläggaren frågar före hemgång om behovet av SIP finns kvar. "
                "Hälso- och sjukvårdspersonal kan anteckna när behovet bara gäller vård."
            ),
        )
    if not found.may_reassess:  # the plan no longer waits [002]
        return redirect(url_for("staff.plan", plan_id=plan.id), code=303)
    if request.method == "GET":
        kept = take(account_id=current_user.id, path=request.path)
        return _reassess_page(plan, outcomes, kept or {}, {}, kept is not None)
    typed = fields.read(reassess_form(outcomes), request.form)
    errors = typed.problems()
    if errors:
        return _reassess_page(plan, outcomes, request.form, errors, False), 400
    outcome = typed.value("outcome")
    try:
        reassess_after_short_term_stay(
            plan=plan,
            outcome=outcome,
            convener=_convener(plan, outcome, typed),
            note=typed.value("note") or "",
            by=current_user,
        )
    except PlanInputError as error:
        db.session().rollback()
        field = (
            CONVENER_FIELDS.get(outcome, "outcome") if error.field == "convener" else error.field
        )
        return _reassess_page(plan, outcomes, request.form, {field: error.message}, False), 400
    return after_post(url_for("staff.plan", plan_id=plan.id))

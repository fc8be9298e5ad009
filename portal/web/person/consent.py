"""Samtycke: per unit taking part, whether it may share information; give or withdraw."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models import Individual, Plan, Unit
from portal.models.audit_types import EventType
from portal.rules.vocabulary import ConsentStatus, Role
from portal.services.consent import change_consent, consent_overview, units_of
from portal.web import fields
from portal.web.fields import ChoiceField, PortalForm, TextField
from portal.web.person import blueprint
from portal.web.person.loaders import Need, audit_read, load_plan, on_behalf_of

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)


class ConsentChangeForm(PortalForm):
    """`unit` is "all" or a unit's id; `_chosen_units` answers 404 for any other."""

    action = ChoiceField(("give", "withdraw"), required=True)
    unit = TextField(max=20, required=True)


class WithdrawChoiceForm(PortalForm):
    """`?unit=` on the confirmation page: "all" (the default) or a unit's id."""

    unit = TextField(max=20)


def _changeable(plan_id: int) -> tuple[Individual, Plan] | Response:
    found = load_plan(plan_id, Need.CHANGE_CONSENT)
    if isinstance(found, Response):
        return found
    return found.individual, found.plan


def _chosen_units(plan: Plan, choice: str) -> list[Unit]:
    if not choice:
        abort(400)
    units = units_of(plan)
    if choice == "all":
        return units
    chosen = [unit for unit in units if str(unit.id) == choice]
    if not chosen:
        abort(404)
    return chosen


@blueprint.get("/plans/<int:plan_id>/consent")
@allow(*PERSON)
def consent(plan_id: int) -> str | Response:
    found = load_plan(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found.individual, found.plan
    audit_read(individual, EventType.CONSENT_READ, plan.id)
    return render_template(
        "person/consent.html",
        individual=individual,
        plan=plan,
        rows=consent_overview(plan),
        may_change=found.may_change_consent,
    )


@blueprint.get("/plans/<int:plan_id>/consent/withdraw")
@allow(*PERSON)
def confirm_withdrawal(plan_id: int) -> str | Response:
    found = _changeable(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    asked = fields.read(WithdrawChoiceForm, request.args)
    if asked.problems():
        abort(400)
    choice = asked.value("unit") or "all"
    units = _chosen_units(plan, choice)
    return render_template(
        "person/consent_withdraw.html",
        individual=individual,
        plan=plan,
        units=units,
        choice=choice,
        all_units=choice == "all",
    )


@blueprint.post("/plans/<int:plan_id>/consent")
@allow(*PERSON)
def change(plan_id: int) -> Response:
    found = _changeable(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    typed = fields.read(ConsentChangeForm)
    if typed.problems():
        abort(400)  # the page's own buttons send only these values
    give = typed.value("action") == "give"
    units = _chosen_units(plan, typed.value("unit") or "")
    closed = change_consent(
        plan=plan,
        units=units,
        status=ConsentStatus.GIVEN if give else ConsentStatus.WITHDRAWN,
        by=current_user,
        on_behalf_of=on_behalf_of(individual),
    )
    if closed:
        flash(_("Du har dragit tillbaka allt samtycke. Din SIP är avslutad."), "success")
        return redirect(url_for("person.home"), code=303)
    names = ", ".join(unit.name for unit in units)
    if give:
        flash(_("Du har gett samtycke till %(units)s.", units=names), "success")
    else:
        flash(_("Du har dragit tillbaka samtycket till %(units)s.", units=names), "success")
    return redirect(url_for("person.consent", plan_id=plan.id), code=303)

"""Staff record consent per unit (verbal, with its date) or its withdrawal; history per unit."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import ConsentEvent, Plan, Unit
from portal.models.audit_types import EventType
from portal.rules.vocabulary import ConsentMethod, ConsentStatus, PlanState, Role
from portal.services import offered, plan_units, reads
from portal.services.plans import PlanInputError, record_consent
from portal.timeutil import today_stockholm
from portal.web import fields
from portal.web.fields import PAST_ONLY, DayField, EnumField, IdField, PortalForm, TextField
from portal.web.staff import blueprint
from portal.web.staff._start_form import consent_moment
from portal.web.staff.loaders import Need, StaffPlan, load_plan

# What staff may write down; a digital consent is the individual's own act in the portal.
STAFF_STATUSES = (
    ConsentStatus.GIVEN,
    ConsentStatus.WITHDRAWN,
    ConsentStatus.REFUSED,
    ConsentStatus.CANNOT_CONSENT,
    ConsentStatus.REQUESTED,
)


def history(plan: Plan) -> list[tuple[Unit, list[ConsentEvent]]]:
    """Every event per unit, newest first; units by name. The first event is in force."""
    by_unit: dict[int, list[ConsentEvent]] = defaultdict(list)
    for event in sorted(plan.consent_events, key=lambda e: (e.effective_at, e.id), reverse=True):
        by_unit[event.unit_id].append(event)
    rows = [(events[0].unit, events) for events in by_unit.values()]
    return sorted(rows, key=lambda row: row[0].name)


def _recordable_units(plan: Plan) -> list[Unit]:
    """The units this staff member may record consent for: none unless they lead the plan."""
    return offered.consent_units(plan, current_user)


def _page(found: StaffPlan, form: MultiDict[str, str], errors: dict[str, str]) -> str:
    plan = found.plan
    reads.read(
        type=EventType.CONSENT_READ,
        by=current_user,
        subject_individual_id=plan.individual_id,
        object_type="plan",
        object_id=plan.id,
    )
    return render_template(
        "staff/consent.html",
        plan=plan,
        individual=plan.individual,
        history=history(plan),
        units=_recordable_units(plan),
        addable=offered.units_to_add(plan, current_user),
        statuses=STAFF_STATUSES,
        form=form,
        errors=errors,
        open=found.consent_may_change,
        today=today_stockholm(),
    )


class ConsentForm(PortalForm):
    unit = IdField(required=True, missing=lambda: _("Välj en enhet."))
    status = EnumField(
        ConsentStatus,
        only=STAFF_STATUSES,
        required=True,
        missing=lambda: _("Välj vad personen har sagt."),
    )
    effective_on = DayField(
        window=PAST_ONLY, required=True, missing=lambda: _("Skriv datumet då personen sa det.")
    )
    note = TextField(max=2000, lines=True)


def _checked(plan: Plan, typed: PortalForm) -> tuple[dict[str, Any], dict[str, str]]:
    errors = typed.problems()
    offered = {u.id: u for u in _recordable_units(plan)}
    unit = offered.get(typed.value("unit"))  # the same list the form offers, enforced here
    if unit is None and "unit" not in errors:
        errors["unit"] = _("Välj en enhet.")
    status, day, note = typed.value("status"), typed.value("effective_on"), typed.value("note")
    if status is ConsentStatus.CANNOT_CONSENT and not note:
        errors["note"] = _("Skriv varför personen inte kan lämna samtycke (OSL 25 kap. 13 §).")
    return {"unit": unit, "status": status, "day": day, "note": note}, errors


@blueprint.route("/plans/<int:plan_id>/consent", methods=["GET", "POST"])
@allow(Role.STAFF)
def consent(plan_id: int) -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _page(load_plan(plan_id), MultiDict(), {})
    found = load_plan(plan_id, need=Need.LEAD)
    plan = found.plan
    if not found.consent_may_change:
        return _page(found, request.form, {"status": _("Planen är avslutad.")}), 400
    typed, errors = _checked(plan, fields.read(ConsentForm, request.form))
    if errors:
        return _page(found, request.form, errors), 400
    try:
        record_consent(
            plan=plan,
            unit=typed["unit"],
            status=typed["status"],
            method=ConsentMethod.RECORDED_BY_STAFF,
            effective_at=consent_moment(typed["day"]),
            by=current_user,
            note=typed["note"],
        )
    except PlanInputError as refused:
        db.session().rollback()
        field = {"effective_at": "effective_on"}.get(refused.field, refused.field)
        return _page(found, request.form, {field: str(refused.message)}), 400
    flash(_("Samtycket är antecknat för %(unit)s.", unit=typed["unit"].name), "success")
    if plan.state is PlanState.CLOSED:
        flash(_("Inget samtycke finns kvar, så planen är avslutad."), "warning")
    return redirect(url_for("staff.consent", plan_id=plan.id), code=303)


class AddUnitForm(PortalForm):
    add_unit = IdField(required=True, missing=lambda: _("Välj en enhet."))


@blueprint.post("/plans/<int:plan_id>/units", endpoint="add_unit")
@allow(Role.STAFF)
def add_unit(plan_id: int) -> str | Response | tuple[str, int]:
    """Add a unit taking part: its own step, offered only to whoever leads the plan."""
    found = load_plan(plan_id, need=Need.LEAD)
    plan = found.plan
    typed = fields.read(AddUnitForm, request.form)
    errors = typed.problems()
    offered_units = {u.id: u for u in offered.units_to_add(plan, current_user)}
    unit = offered_units.get(typed.value("add_unit"))  # the list the form offers, enforced
    if unit is None:
        errors.setdefault("add_unit", _("Välj en enhet i listan."))
        return _page(found, request.form, errors), 400
    plan_units.add_unit(plan=plan, unit=unit, by=current_user)
    flash(
        _("%(unit)s deltar nu i planen. Den enskilde har fått ett meddelande.", unit=unit.name),
        "success",
    )
    return redirect(url_for("staff.consent", plan_id=plan.id), code=303)

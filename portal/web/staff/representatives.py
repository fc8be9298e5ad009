"""Whoever leads a plan records a legal representative (god man, förvaltare) from the court's
decision: reference, date, deciding authority, kind and a required end date. A second staff
member approves before it takes effect; then the recorder prints the representative's letter.
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.rules.letters import RepresentativeKind
from portal.rules.vocabulary import Role
from portal.services import letters
from portal.timeutil import today_stockholm
from portal.web.staff import blueprint
from portal.web.staff.account_invitations import document_labels
from portal.web.staff.plans import visible_plan

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TEXT_FIELDS = ("given_name", "family_name", "legal_reference", "deciding_authority")


def kind_labels() -> dict[str, str]:
    return {
        RepresentativeKind.GOD_MAN: _("God man"),
        RepresentativeKind.FORVALTARE: _("Förvaltare"),
    }


def _day(form: dict, name: str) -> date | None:
    text = form.get(name, "")
    try:
        return date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        return None


def _errors(form: dict) -> tuple[dict[str, str], dict]:
    required = {
        "given_name": _("Skriv förnamnet."),
        "family_name": _("Skriv efternamnet."),
        "legal_reference": _(
            "Skriv vilket beslut som ger rätten, till exempel överförmyndarens beslut med nummer."
        ),
        "deciding_authority": _("Skriv vem som beslutade, till exempel tingsrätten."),
    }
    errors = {k: v for k, v in required.items() if not form.get(k, "").strip()}
    if any(len(form.get(k, "")) > 200 for k in TEXT_FIELDS):
        errors["legal_reference"] = _("Högst 200 tecken.")
    if form.get("kind") not in kind_labels():
        errors["kind"] = _("Välj god man eller förvaltare.")
    if form.get("identity_document") not in document_labels():
        errors["identity_document"] = _("Välj vilken legitimation du såg.")
    decided, until = _day(form, "decision_date"), _day(form, "valid_until")
    if decided is None or decided > today_stockholm():
        errors.setdefault("decision_date", _("Beslutet har ett datum som har passerat."))
    if until is None or until < today_stockholm():
        errors.setdefault(
            "valid_until", _("Skriv slutdatumet i beslutet. Det kan inte ha passerat.")
        )
    return errors, {"decision_date": decided, "valid_until": until}


def _page(plan, form, errors, kept=False) -> str:  # type: ignore[no-untyped-def]
    return render_template(
        "staff/representative.html",
        plan=plan,
        form=form,
        errors=errors,
        kept=kept,
        kinds=kind_labels(),
        documents=document_labels(),
    )


@blueprint.get("/plans/<int:plan_id>/representative")
@allow(Role.STAFF)
def new_representative(plan_id: int) -> str:
    plan = visible_plan(plan_id)
    kept = take(account_id=current_user.id, path=request.path)
    return _page(plan, kept or {}, {}, kept is not None)


@blueprint.post("/plans/<int:plan_id>/representative")
@allow(Role.STAFF)
def record_representative(plan_id: int) -> Response | tuple[str, int]:
    plan = visible_plan(plan_id)
    errors, days = _errors(request.form)
    if errors:
        return _page(plan, request.form, errors), 400
    try:
        letters.record_representative(
            individual=plan.individual,
            given_name=request.form["given_name"],
            family_name=request.form["family_name"],
            kind=RepresentativeKind(request.form["kind"]),
            legal_reference=request.form["legal_reference"],
            decision_date=days["decision_date"],
            deciding_authority=request.form["deciding_authority"],
            valid_until=days["valid_until"],
            identity_document=request.form["identity_document"],
            by=current_user,
        )
    except letters.LetterRefusedError:
        db.session().rollback()
        abort(403)
    flash(
        _(
            "Den legala företrädaren är registrerad. När en kollega har godkänt det gäller det, "
            "och du kan skriva ut brevet till företrädaren."
        ),
        "success",
    )
    return redirect(url_for("staff.plan", plan_id=plan.id), code=303)

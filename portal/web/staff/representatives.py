"""Staff record a legal representative (god man, förvaltare, guardian) with the decision's reference."""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.rules.vocabulary import Role
from portal.services import access
from portal.web import fields
from portal.web.fields import DayField, PortalForm, TextField, Window
from portal.web.staff import blueprint
from portal.web.staff.account_invitations import LETTER
from portal.web.staff.plans import visible_plan

FIELDS = ("given_name", "family_name", "legal_reference")


class RepresentativeForm(PortalForm):
    given_name = TextField(max=100, required=True, missing=lambda: _("Skriv förnamnet."))
    family_name = TextField(max=100, required=True, missing=lambda: _("Skriv efternamnet."))
    legal_reference = TextField(
        max=200,
        required=True,
        missing=lambda: _(
            "Skriv vilket beslut som ger rätten, till exempel överförmyndarens beslut med nummer."
        ),
    )
    valid_until = DayField(window=Window(back=0, ahead=10))


def _errors(form: dict) -> tuple[dict[str, str], date | None]:
    typed = fields.read(RepresentativeForm, form)
    errors = typed.problems()
    until = typed.value("valid_until")
    return errors, until


@blueprint.get("/plans/<int:plan_id>/representative")
@allow(Role.STAFF)
def new_representative(plan_id: int) -> str:
    plan = visible_plan(plan_id)
    kept = take(account_id=current_user.id, path=request.path)
    return render_template(
        "staff/representative.html", plan=plan, form=kept or {}, errors={}, kept=kept is not None
    )


@blueprint.post("/plans/<int:plan_id>/representative")
@allow(Role.STAFF)
def record_representative(plan_id: int) -> Response | tuple[str, int]:
    plan = visible_plan(plan_id)
    errors, until = _errors(request.form)
    if errors:
        page = render_template(
            "staff/representative.html", plan=plan, form=request.form, errors=errors
        )
        return page, 400
    issued = access.record_representative(
        individual=plan.individual,
        given_name=request.form["given_name"].strip(),
        family_name=request.form["family_name"].strip(),
        legal_reference=request.form["legal_reference"].strip(),
        valid_until=until,
        by=current_user,
    )
    session[LETTER] = {
        "id": issued.invitation.id,
        "token": issued.token,
        "code": issued.code,
        "relative": True,
    }
    return redirect(url_for("staff.representative_letter", plan_id=plan.id), code=303)


@blueprint.get("/plans/<int:plan_id>/representative/letter")
@allow(Role.STAFF)
def representative_letter(plan_id: int) -> str | Response:
    from portal import db
    from portal.models import AccountInvitation
    from portal.web.letters import invitation_letter_context

    plan = visible_plan(plan_id)
    letter = session.get(LETTER)
    invitation = db.session().get(AccountInvitation, letter["id"]) if letter else None
    if (
        invitation is None
        or invitation.delegation is None
        or invitation.delegation.individual_id != plan.individual_id
    ):
        return redirect(url_for("staff.plan", plan_id=plan.id), code=303)
    context = invitation_letter_context(
        letter["token"], letter["code"], invitation.relative.given_name, invitation.expires_at
    )
    return render_template("staff/account_invitation_letter.html", plan=plan, **context)

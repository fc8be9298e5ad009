"""Staff create an invitation letter for an individual (also after a lost device), or revoke one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import AccountInvitation
from portal.rules.vocabulary import Role
from portal.services import invitations
from portal.web import fields
from portal.web.fields import FlagField, PortalForm
from portal.web.letters import invitation_letter_context
from portal.web.staff import blueprint
from portal.web.staff.plans import any_visible_plan_of, visible_plan

LETTER = "staff_letter"


class IdentityCheckedForm(PortalForm):
    identity_checked = FlagField()


@blueprint.get("/plans/<int:plan_id>/account-invitation")
@allow(Role.STAFF)
def new_account_invitation(plan_id: int) -> str:
    plan = visible_plan(plan_id)
    return render_template("staff/account_invitation.html", plan=plan, error=None)


@blueprint.post("/plans/<int:plan_id>/account-invitation")
@allow(Role.STAFF)
def create_account_invitation(plan_id: int) -> Response | tuple[str, int]:
    plan = visible_plan(plan_id)
    typed = fields.read(IdentityCheckedForm)
    if typed.problems() or not typed.value("identity_checked"):
        error = _("Kontrollera personens identitet och kryssa i rutan innan du skapar inbjudan.")
        return render_template("staff/account_invitation.html", plan=plan, error=error), 400
    issued = invitations.create_invitation(individual=plan.individual, by=current_user)
    session[LETTER] = {"id": issued.invitation.id, "token": issued.token, "code": issued.code}
    return redirect(url_for("staff.account_invitation_letter", plan_id=plan.id), code=303)


@blueprint.get("/plans/<int:plan_id>/account-invitation/letter")
@allow(Role.STAFF)
def account_invitation_letter(plan_id: int) -> str | Response:
    plan = visible_plan(plan_id)
    letter = session.get(LETTER)
    invitation = db.session().get(AccountInvitation, letter["id"]) if letter else None
    if invitation is None or invitation.individual_id != plan.individual_id:
        return redirect(url_for("staff.plan", plan_id=plan.id), code=303)
    context = invitation_letter_context(
        letter["token"], letter["code"], plan.individual.given_name, invitation.expires_at
    )
    return render_template("staff/account_invitation_letter.html", plan=plan, **context)


@blueprint.post("/account-invitations/<int:invitation_id>/revoke")
@allow(Role.STAFF)
def revoke_account_invitation(invitation_id: int) -> Response:
    invitation = db.session().get(AccountInvitation, invitation_id)
    if invitation is None or invitation.individual_id is None:
        abort(404)
    plan = any_visible_plan_of(invitation.individual_id)
    invitations.revoke_invitation(invitation=invitation, by=current_user)
    flash(_("Inbjudan är tillbakadragen och kan inte längre användas."), "success")
    return redirect(url_for("staff.plan", plan_id=plan.id), code=303)

"""Staff ask for a letter to the portal (also a recovery after a lost device), approve a
colleague's letter (four eyes), print it once, or revoke it.

The letter's secrets are made when it is printed and shown only in that POST's answer: not
kept in the session, not in a URL, and the page cannot be opened again.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import AccountInvitation, Plan
from portal.rules.letters import IdentityDocument
from portal.rules.vocabulary import Role
from portal.services import invitations, letters
from portal.services.invitations import IssuedInvitation
from portal.web.fields import EnumField, PortalForm, read
from portal.web.letters import invitation_letter_context
from portal.web.staff import blueprint
from portal.web.staff.loaders import any_visible_plan_of, visible_plan


def document_labels() -> dict[str, str]:
    return {
        IdentityDocument.PASSPORT: _("Pass"),
        IdentityDocument.NATIONAL_ID_CARD: _("Nationellt id-kort"),
        IdentityDocument.DRIVING_LICENCE: _("Körkort"),
        IdentityDocument.ID_CARD: _("Annat godkänt id-kort (SIS-märkt, tjänstekort)"),
    }


class AccountLetterForm(PortalForm):
    identity_document = EnumField(
        IdentityDocument,
        required=True,
        missing=lambda: _("Kontrollera personens identitet och välj vilken legitimation du såg."),
    )


def _form(plan: Plan, error: str | None) -> str:
    return render_template(
        "staff/account_invitation.html",
        plan=plan,
        error=error,
        documents=document_labels(),
        recovery=letters.has_passkey(plan.individual),
    )


def show_letter(plan: Plan, printed: IssuedInvitation) -> str:
    """The letter, once, as the answer to the POST that made its secrets."""
    invitation = printed.invitation
    person = invitation.individual or invitation.relative
    context = invitation_letter_context(
        printed.token, printed.code, person.given_name if person else "", invitation.expires_at
    )
    return render_template("staff/account_invitation_letter.html", plan=plan, **context)


@blueprint.get("/plans/<int:plan_id>/account-invitation")
@allow(Role.STAFF)
def new_account_invitation(plan_id: int) -> str:
    return _form(visible_plan(plan_id), None)


@blueprint.post("/plans/<int:plan_id>/account-invitation")
@allow(Role.STAFF)
def create_account_invitation(plan_id: int) -> Response | str | tuple[str, int]:
    plan = visible_plan(plan_id)
    typed = read(AccountLetterForm, request.form)
    errors = typed.problems()
    if errors:
        return _form(plan, errors["identity_document"]), 400
    document = typed.value("identity_document").value
    try:
        asked = letters.ask_for_account_letter(
            individual=plan.individual, identity_document=document, by=current_user
        )
    except letters.LetterRefusedError:
        db.session().rollback()
        abort(403)
    if asked.printed is None:
        flash(
            _(
                "Inbjudan väntar på att en kollega godkänner den. Sedan skriver du ut brevet. "
                "Personen har fått ett meddelande i portalen."
            ),
            "success",
        )
        return redirect(url_for("staff.plan", plan_id=plan.id), code=303)
    return show_letter(plan, asked.printed)


def _letter(invitation_id: int) -> tuple[AccountInvitation, Plan]:
    invitation = db.session().get(AccountInvitation, invitation_id)
    if invitation is None:
        abort(404)
    individual_id = invitation.individual_id or (
        invitation.delegation.individual_id if invitation.delegation else None
    )
    if individual_id is None:
        abort(404)
    return invitation, any_visible_plan_of(individual_id)


@blueprint.post("/account-invitations/<int:invitation_id>/approve")
@allow(Role.STAFF)
def approve_account_invitation(invitation_id: int) -> Response:
    invitation, plan = _letter(invitation_id)
    try:
        letters.approve_letter(invitation=invitation, by=current_user)
    except letters.LetterRefusedError:
        db.session().rollback()
        abort(403)
    flash(_("Du har godkänt inbjudan. Den som bad om den kan nu skriva ut brevet."), "success")
    return redirect(url_for("staff.plan", plan_id=plan.id), code=303)


@blueprint.post("/account-invitations/<int:invitation_id>/letter")
@allow(Role.STAFF)
def print_account_invitation(invitation_id: int) -> str:
    invitation, plan = _letter(invitation_id)
    try:
        printed = letters.print_letter(invitation=invitation, by=current_user)
    except letters.LetterRefusedError:
        db.session().rollback()
        abort(403)
    return show_letter(plan, printed)


@blueprint.post("/account-invitations/<int:invitation_id>/revoke")
@allow(Role.STAFF)
def revoke_account_invitation(invitation_id: int) -> Response:
    invitation, plan = _letter(invitation_id)
    invitations.revoke_invitation(invitation=invitation, by=current_user)
    flash(_("Inbjudan är tillbakadragen och kan inte längre användas."), "success")
    return redirect(url_for("staff.plan", plan_id=plan.id), code=303)

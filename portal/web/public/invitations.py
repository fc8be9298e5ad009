"""Redeeming an invitation: by link (QR code) or typed code, then registering a passkey.

The link is `/invitation#<token>`: the token is in the fragment, which browsers never send,
so no server or proxy log holds it. The page's script posts it (and removes it from the
address bar); without JavaScript the person types the code. Only the invitation's id is
kept in the session. Someone signed in as another person cannot redeem a letter.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.auth.passkeys import PasskeyError, registration_options, verify_registration
from portal.auth.permissions import PUBLIC, allow
from portal.auth.rate_keys import by_invitation
from portal.extensions import limiter
from portal.models import AccountInvitation
from portal.services import invitations
from portal.services.invitations import InvitationError, InvitationProblem
from portal.services.passkeys import redeem_invitation
from portal.web import fields
from portal.web.fields import PortalForm, TextField
from portal.web.public import blueprint, eid_proof
from portal.web.public.passkeys import login, posted_passkey
from portal.web.public.signed_in import land

PENDING = "pending_invitation"


class CodeForm(PortalForm):
    code = TextField(max=40)
    token = TextField(max=200)


def _problem_text(problem: InvitationProblem) -> str:
    return {
        InvitationProblem.UNKNOWN: _(
            "Vi hittar ingen inbjudan med den koden. Kontrollera koden och försök igen."
        ),
        InvitationProblem.EXPIRED: _("Inbjudan har gått ut. Be personalen om en ny inbjudan."),
        InvitationProblem.USED: _(
            "Inbjudan är redan använd. Logga in med din nyckel, eller be personalen om en ny inbjudan."
        ),
        InvitationProblem.REVOKED: _(
            "Inbjudan har dragits tillbaka. Be personalen om en ny inbjudan."
        ),
    }[problem]


def _code_limit() -> str:
    return current_app.config["CODE_RATE_LIMIT"]


def _pending() -> AccountInvitation:
    invitation = db.session().get(AccountInvitation, session.get(PENDING, 0))
    try:
        return invitations.check_usable(invitation)
    except InvitationError:
        session.pop(PENDING, None)
        raise


@blueprint.get("/invitation")
@allow(PUBLIC)
def enter_code() -> str:
    return render_template("public/invitation_code.html", code="", error=None)


@blueprint.post("/invitation")
@allow(PUBLIC)
@limiter.limit(_code_limit)
def submit_code() -> Response | tuple[str, int]:
    typed = fields.read(CodeForm, request.form)
    problems = typed.problems()
    code, token = typed.value("code") or "", typed.value("token") or ""
    try:
        if problems:  # far too long, or characters no code or token has
            raise InvitationError(InvitationProblem.UNKNOWN)
        find = invitations.find_by_token if token else invitations.find_by_code
        invitation = find(token or code)
    except InvitationError as error:
        page = render_template(
            "public/invitation_code.html",
            code=typed["code"].raw,
            error=problems.get("code") or _problem_text(error.problem),
        )
        return page, 400
    session[PENDING] = invitation.id
    return redirect(url_for("public.register_from_invitation"), code=303)


@blueprint.get("/invitation/register")
@allow(PUBLIC)
def register_from_invitation() -> str | tuple[str, int]:
    try:
        invitation = _pending()
    except InvitationError as error:
        return render_template(
            "public/invitation_problem.html", message=_problem_text(error.problem)
        ), 410
    person = invitations.person_of(invitation)
    if _eid_missing(invitation):
        return render_template(
            "public/invitation_eid.html",
            first_name=person.given_name,
            signed_in_as_other=_signed_in_as_other(invitation),
        )
    return render_template(
        "public/invitation_register.html",
        first_name=person.given_name,
        error=None,
        signed_in_as_other=_signed_in_as_other(invitation),
    )


def _eid_missing(invitation: AccountInvitation) -> bool:
    """The letter names an identity number that an e-legitimation has not yet proved."""
    return invitation.requires_eid and not eid_proof.proven_for_invitation(invitation.id)


def _signed_in_as_other(invitation: AccountInvitation) -> bool:
    """Signed in, and not as the person the letter is for (a staff member, say)."""
    if not current_user.is_authenticated:
        return False
    existing = invitations.existing_account(invitation)
    return existing is None or existing.id != current_user.id


def _refuse_other() -> tuple[str, int]:
    message = _("Brevet är till någon annan än den som är inloggad. Logga ut först.")
    return render_template("public/invitation_problem.html", message=message), 403


@blueprint.post("/invitation/register/options")
@allow(PUBLIC)
@limiter.limit(_code_limit)
@limiter.limit(_code_limit, key_func=by_invitation)
def invitation_passkey_options() -> Response | tuple[str, int]:
    try:
        invitation = _pending()
    except InvitationError:
        return Response("{}", status=410, mimetype="application/json")
    if _signed_in_as_other(invitation) or _eid_missing(invitation):
        return Response("{}", status=403, mimetype="application/json")
    existing = invitations.existing_account(invitation)
    options = registration_options(
        user_handle=invitations.user_handle(invitation),
        user_name=f"SIP Portal {invitation.id}",
        display_name=invitations.person_of(invitation).name,
        existing=[p.credential_id for p in existing.passkeys] if existing else [],
    )
    return Response(options, mimetype="application/json")


@blueprint.post("/invitation/register")
@allow(PUBLIC)
@limiter.limit(_code_limit)
@limiter.limit(_code_limit, key_func=by_invitation)
def finish_invitation() -> Response | tuple[str, int]:
    try:
        invitation = _pending()
        if _signed_in_as_other(invitation):
            return _refuse_other()
        if _eid_missing(invitation):
            message = _("Legitimera dig med e-legitimation först.")
            return render_template("public/invitation_problem.html", message=message), 403
        posted, name, problems = posted_passkey()
        credential = verify_registration(posted)
    except InvitationError as error:
        return render_template(
            "public/invitation_problem.html", message=_problem_text(error.problem)
        ), 410
    except PasskeyError:
        person = invitations.person_of(invitation)
        page = render_template(
            "public/invitation_register.html",
            first_name=person.given_name,
            error=_("Nyckeln kunde inte sparas. Försök igen."),
            signed_in_as_other=False,
        )
        return page, 400
    account = redeem_invitation(
        invitation=invitation, credential=credential, name="" if problems else name
    )
    session.pop(PENDING, None)
    eid_proof.forget()
    login(account)
    flash(_("Klart! Din nyckel är sparad. Nästa gång loggar du in med den."), "success")
    return land(None)

"""Redeeming an invitation: by link (QR code) or typed code, then registering a passkey.

The link's token leaves the URL at once: it is kept in the session and the person is sent
on to /invitation/register, so it is not left in history or shown over a shoulder.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.auth.passkeys import PasskeyError, registration_options, verify_registration
from portal.auth.permissions import PUBLIC, allow
from portal.extensions import limiter
from portal.models import AccountInvitation
from portal.services import invitations
from portal.services.invitations import InvitationError, InvitationProblem
from portal.services.passkeys import redeem_invitation
from portal.web import fields
from portal.web.fields import PortalForm, TextField
from portal.web.public import blueprint
from portal.web.public.passkeys import login, posted_passkey
from portal.web.public.signed_in import land

PENDING = "pending_invitation"


class CodeForm(PortalForm):
    code = TextField(max=40)


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


@blueprint.get("/invitation/<token>")
@allow(PUBLIC)
@limiter.limit(_code_limit)
def open_invitation(token: str) -> Response | tuple[str, int]:
    try:
        invitation = invitations.find_by_token(token)
    except InvitationError as error:
        return render_template(
            "public/invitation_problem.html", message=_problem_text(error.problem)
        ), 410
    session[PENDING] = invitation.id
    return redirect(url_for("public.register_from_invitation"), code=303)


@blueprint.get("/invitation")
@allow(PUBLIC)
def enter_code() -> str:
    return render_template("public/invitation_code.html", code="", error=None)


@blueprint.post("/invitation")
@allow(PUBLIC)
@limiter.limit(_code_limit)
def submit_code() -> Response | tuple[str, int]:
    typed = fields.read(CodeForm)
    code = request.form.get("code", "")
    try:
        if typed.problems():  # far too long or with characters no code has: not a code
            raise InvitationError(InvitationProblem.UNKNOWN)
        invitation = invitations.find_by_code(code)
    except InvitationError as error:
        page = render_template(
            "public/invitation_code.html", code=code, error=_problem_text(error.problem)
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
    return render_template(
        "public/invitation_register.html",
        first_name=person.given_name,
        error=None,
        signed_in_as_other=current_user.is_authenticated,
    )


@blueprint.post("/invitation/register/options")
@allow(PUBLIC)
@limiter.limit(_code_limit)
def invitation_passkey_options() -> Response | tuple[str, int]:
    try:
        invitation = _pending()
    except InvitationError:
        return Response("{}", status=410, mimetype="application/json")
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
def finish_invitation() -> Response | tuple[str, int]:
    try:
        invitation = _pending()
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
    login(account)
    flash(_("Klart! Din nyckel är sparad. Nästa gång loggar du in med den."), "success")
    return land(None)

"""Sign in, enrol, recover or redeem a letter with e-legitimation (BankID, Freja eID through
an OIDC broker).

Start → the broker → callback: the ID token is verified (Authlib: PKCE, state, nonce, the
signature by JWKS, issuer, audience, expiry) and its identity-number claim must match.
- From the sign-in page: an individual, or a relative/representative with an account and a
  delegation in effect, registers a passkey: a new account (individuals only), or on a lost
  device a new passkey on their account (every other session ends). No letter, no staff.
- From a letter that names an identity number (a relative's, a representative's): the claim
  must be that number before the letter can be redeemed (ADR 0041).
"""

from __future__ import annotations

import secrets

from flask import Response, abort, current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.auth import eid
from portal.auth.passkeys import PasskeyError, registration_options, verify_registration
from portal.auth.permissions import PUBLIC, allow
from portal.extensions import limiter
from portal.models import AccountInvitation, Individual, Relative
from portal.services import eid_accounts, invitations
from portal.services.invitations import InvitationError
from portal.web.fields import ChoiceField, PortalForm, read
from portal.web.public import blueprint, eid_proof
from portal.web.public.passkeys import login, posted_passkey
from portal.web.public.signed_in import land

PENDING = "pending_invitation"  # as in portal.web.public.invitations


class EidStartForm(PortalForm):
    """Whether the e-legitimation proves a letter's identity number (or signs in)."""

    purpose = ChoiceField(("invitation",), name="for")


def _limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _problem(message: str) -> str:
    return render_template("public/invitation_problem.html", message=message)


def _proven_person() -> Individual | Relative | None:
    proven = eid_proof.proven_person()
    if proven is None:
        return None
    kind, person_id = proven
    return db.session().get(Individual if kind == "individual" else Relative, person_id)


@blueprint.post("/e-id/start")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_start() -> Response:
    if not eid.configured():
        abort(404)
    session.pop(eid_proof.FOR_INVITATION, None)
    typed = read(EidStartForm, request.form)
    if typed.problems():
        abort(400)  # the page's buttons send only "invitation" or nothing
    if typed.value("purpose") == "invitation" and session.get(PENDING):
        session[eid_proof.FOR_INVITATION] = int(session[PENDING])
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return eid.client().authorize_redirect(f"{base}/e-id/callback", nonce=secrets.token_urlsafe(24))


@blueprint.get("/e-id/callback")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_callback() -> Response | tuple[str, int]:
    if not eid.configured():
        abort(404)
    for_invitation = session.pop(eid_proof.FOR_INVITATION, None)
    try:
        token = eid.client().authorize_access_token()
    except Exception:  # state, PKCE, signature, issuer, audience, expiry or nonce
        current_app.logger.warning("e-legitimation: the answer did not verify")
        return _problem(_("E-legitimationen gick inte att kontrollera. Försök igen.")), 400
    claims = token.get("userinfo") or {}
    if not claims.get("nonce"):  # Authlib checks the nonce when present; it must be
        current_app.logger.warning("e-legitimation: the ID token had no nonce")
        return _problem(_("E-legitimationen gick inte att kontrollera. Försök igen.")), 400
    claim = claims.get(current_app.config["OIDC_PIN_CLAIM"])
    if for_invitation:
        return _prove_for_invitation(int(for_invitation), claim)
    person = eid_accounts.person_for_pin(claim)
    if person is None:
        return _problem(
            _("Vi hittar ingen plan för dig i portalen. Kontakta personalen som har kallat dig.")
        ), 404
    eid_proof.remember_person(
        "individual" if isinstance(person, Individual) else "relative", person.id
    )
    return redirect("/e-id/passkey", code=303)


def _prove_for_invitation(invitation_id: int, claim: object) -> Response | tuple[str, int]:
    """The letter in this session names an identity number; the e-legitimation must be it."""
    gone = _("Inbjudan gäller inte längre. Börja om med brevet.")
    if session.get(PENDING) != invitation_id:
        return _problem(gone), 410
    try:
        invitation = invitations.check_usable(db.session().get(AccountInvitation, invitation_id))
    except InvitationError:
        return _problem(gone), 410
    by = current_user if current_user.is_authenticated else None
    if not eid_accounts.prove_for_invitation(invitation=invitation, claim=claim, by=by):
        return _problem(
            _(
                "E-legitimationen är inte för den person som brevet är till. "
                "Brevet kan bara användas av den som det är skrivet till."
            )
        ), 403
    eid_proof.remember_invitation(invitation_id)
    return redirect("/invitation/register", code=303)


@blueprint.get("/e-id/passkey")
@allow(PUBLIC)
def eid_passkey() -> str | tuple[str, int]:
    person = _proven_person()
    if person is None:
        return _problem(_("Legitimera dig igen med e-legitimation.")), 410
    return render_template(
        "public/invitation_register.html",
        first_name=person.given_name,
        error=None,
        signed_in_as_other=False,
        options_url="/e-id/passkey/options",
        action_url="/e-id/passkey",
    )


@blueprint.post("/e-id/passkey/options")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_passkey_options() -> Response:
    proven = eid_proof.proven_person()
    if proven is None:
        return Response("{}", status=410, mimetype="application/json")
    kind, person_id = proven
    options = registration_options(
        user_handle=f"sip-{kind}-{person_id}".encode(),
        user_name=f"SIP Portal e-id {kind} {person_id}",
        display_name="SIP Portal",
        existing=[],
    )
    return Response(options, mimetype="application/json")


@blueprint.post("/e-id/passkey")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_finish() -> Response | tuple[str, int]:
    person = _proven_person()
    if person is None:
        return _problem(_("Legitimera dig igen med e-legitimation.")), 410
    posted, name, problems = posted_passkey()
    if "name" in problems:
        return _problem(problems["name"]), 400
    try:
        credential = verify_registration(posted)
    except PasskeyError:
        return _problem(_("Nyckeln kunde inte sparas. Försök igen.")), 400
    try:
        account = eid_accounts.enrol_or_recover(person=person, credential=credential, name=name)
    except LookupError:
        db.session().rollback()
        return _problem(_("Legitimera dig igen med e-legitimation.")), 410
    eid_proof.forget()
    login(account)
    flash(_("Klart! Din nyckel är sparad. Nästa gång loggar du in med den."), "success")
    return land(None)

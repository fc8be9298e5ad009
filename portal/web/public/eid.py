"""Sign in, enrol or recover with e-legitimation (BankID, Freja eID through an OIDC broker).

Start → the broker → callback: the ID token is verified (Authlib) and its identity-number
claim must match a person record. Then the person registers a passkey: a new account, or on
a lost device a new passkey on their account (every other session ends). No letter, no staff.
"""

from __future__ import annotations

import secrets

from flask import Response, abort, current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _

from portal.auth import eid
from portal.auth.passkeys import PasskeyError, registration_options, verify_registration
from portal.auth.permissions import PUBLIC, allow
from portal.extensions import limiter
from portal.services.eid_accounts import enrol_or_recover, individual_for_pin
from portal.timeutil import now
from portal.web.public import blueprint
from portal.web.public.passkeys import login
from portal.web.public.signed_in import land

PROVEN = "eid_proven"
PROVEN_FOR_SECONDS = 300


def _limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _proven_individual() -> int | None:
    proven = session.get(PROVEN) or {}
    if not proven or now().timestamp() - float(proven.get("at", 0)) > PROVEN_FOR_SECONDS:
        return None
    return int(proven["individual"])


@blueprint.post("/e-id/start")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_start() -> Response:
    if not eid.configured():
        abort(404)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return eid.client().authorize_redirect(f"{base}/e-id/callback", nonce=secrets.token_urlsafe(24))


@blueprint.get("/e-id/callback")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_callback() -> Response | tuple[str, int]:
    if not eid.configured():
        abort(404)
    try:
        token = eid.client().authorize_access_token()
    except Exception:
        current_app.logger.warning("e-legitimation: the answer did not verify")
        return _problem(_("E-legitimationen gick inte att kontrollera. Försök igen.")), 400
    claims = token.get("userinfo") or {}
    individual = individual_for_pin(claims.get(current_app.config["OIDC_PIN_CLAIM"]))
    if individual is None:
        return _problem(
            _("Vi hittar ingen plan för dig i portalen. Kontakta personalen som har kallat dig.")
        ), 404
    session[PROVEN] = {"individual": individual.id, "at": now().timestamp()}
    return redirect("/e-id/passkey", code=303)


def _problem(message: str) -> str:
    return render_template("public/invitation_problem.html", message=message)


@blueprint.get("/e-id/passkey")
@allow(PUBLIC)
def eid_passkey() -> str | tuple[str, int]:
    from portal import db
    from portal.models import Individual

    individual_id = _proven_individual()
    if individual_id is None:
        return _problem(_("Legitimera dig igen med e-legitimation.")), 410
    individual = db.session().get(Individual, individual_id)
    return render_template(
        "public/invitation_register.html",
        first_name=individual.given_name if individual else "",
        error=None,
        signed_in_as_other=False,
        options_url="/e-id/passkey/options",
        action_url="/e-id/passkey",
    )


@blueprint.post("/e-id/passkey/options")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_passkey_options() -> Response:
    individual_id = _proven_individual()
    if individual_id is None:
        return Response("{}", status=410, mimetype="application/json")
    options = registration_options(
        user_handle=f"sip-individual-{individual_id}".encode(),
        user_name=f"SIP Portal e-id {individual_id}",
        display_name="SIP Portal",
        existing=[],
    )
    return Response(options, mimetype="application/json")


@blueprint.post("/e-id/passkey")
@allow(PUBLIC)
@limiter.limit(_limit)
def eid_finish() -> Response | tuple[str, int]:
    from portal import db
    from portal.models import Individual

    individual_id = _proven_individual()
    if individual_id is None:
        return _problem(_("Legitimera dig igen med e-legitimation.")), 410
    try:
        credential = verify_registration(request.form.get("credential", ""))
    except PasskeyError:
        return _problem(_("Nyckeln kunde inte sparas. Försök igen.")), 400
    individual = db.session().get(Individual, individual_id)
    assert individual is not None
    account = enrol_or_recover(
        individual=individual, credential=credential, name=request.form.get("name", "")
    )
    session.pop(PROVEN, None)
    login(account)
    flash(_("Klart! Din nyckel är sparad. Nästa gång loggar du in med den."), "success")
    return land(None)

"""Sign-in with a passkey: options (JSON) and verification (a real form POST)."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, session
from flask_babel import gettext as _
from flask_login import login_user

from portal.auth import sessions
from portal.auth.passkeys import (
    PasskeyError,
    authentication_options,
    credential_id_of,
    verify_authentication,
)
from portal.auth.permissions import PUBLIC, allow
from portal.auth.rate_keys import by_credential
from portal.extensions import limiter
from portal.services.passkeys import find_passkey, record_sign_in
from portal.web import fields
from portal.web.bodies import JsonField
from portal.web.fields import PortalForm, TextField
from portal.web.public import blueprint
from portal.web.public.signed_in import land


class PasskeyForm(PortalForm):
    """What a passkey form posts: the browser's credential (JSON) and the key's own name."""

    credential = JsonField(max=20_000, depth=8)  # a credential nests three or four deep
    name = TextField(max=100)


def posted_passkey() -> tuple[str, str, dict[str, str]]:
    """(credential, name, problems); a credential that breaks its contract is empty, which
    the WebAuthn check refuses like any other bad credential."""
    typed = fields.read(PasskeyForm)
    errors = typed.problems()
    credential = "" if "credential" in errors else typed.value("credential") or ""
    return credential, typed.value("name") or "", errors


def _limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@blueprint.post("/sign-in/passkey/options")
@allow(PUBLIC)
@limiter.limit(_limit)
def sign_in_options() -> Response:
    return Response(authentication_options(), mimetype="application/json")


@blueprint.post("/sign-in/passkey")
@allow(PUBLIC)
@limiter.limit(_limit)
@limiter.limit(_limit, key_func=by_credential)
def sign_in_with_passkey() -> Response | tuple[str, int]:
    credential, _name, _problems = posted_passkey()
    try:
        passkey = find_passkey(credential_id_of(credential))
        new_count = verify_authentication(
            credential, public_key=passkey.public_key, sign_count=passkey.sign_count
        )
    except PasskeyError as error:
        unknown = str(error) == "unknown passkey"
        message = (
            _(
                "Vi känner inte igen den nyckeln. Har du en inbjudan? Använd den för att skapa ett konto."
            )
            if unknown
            else _("Inloggningen gick inte att slutföra. Försök igen.")
        )
        return render_template("public/sign_in.html", error=message, demo_accounts=_demo()), 400
    account = record_sign_in(passkey=passkey, sign_count=new_count)
    return_to = session.pop("return_to", None)
    login(account)
    return land(return_to)


def login(account: object) -> None:
    """Start a fresh session for the account (keeps only the chosen language). A disabled
    account (a staff member who has left) is refused."""
    if not getattr(account, "is_active", False):
        abort(403)
    locale = session.get("locale")
    kept = session.get("kept_input")
    sessions.end_current("replaced")
    session.clear()
    if locale:
        session["locale"] = locale
    if kept:
        session["kept_input"] = kept
    login_user(account)  # type: ignore[arg-type]
    sessions.start(account)  # type: ignore[arg-type]


def _demo() -> list:
    from portal.web.public.demo import demo_accounts

    return demo_accounts() if current_app.config.get("DEMO") else []

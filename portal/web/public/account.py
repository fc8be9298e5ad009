"""My account (every kind): passkeys listed, added, renamed, removed; sign out everywhere."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from portal import db
from portal.auth.passkeys import PasskeyError, registration_options, verify_registration
from portal.auth.permissions import allow
from portal.models import Passkey
from portal.rules.vocabulary import Role
from portal.services import passkeys
from portal.web import nav
from portal.web.public import blueprint

SIGNED_IN = (Role.INDIVIDUAL, Role.RELATIVE, Role.STAFF)
nav.register("public.account", _l("Mitt konto"), 90, *SIGNED_IN)


def _own_passkey(passkey_id: int) -> Passkey:
    passkey = db.session().get(Passkey, passkey_id)
    if passkey is None or passkey.account_id != current_user.id:
        abort(404)
    return passkey


@blueprint.get("/account")
@allow(*SIGNED_IN)
def account() -> str:
    return render_template("public/account.html", passkeys=current_user.passkeys)


@blueprint.post("/account/passkeys/options")
@allow(*SIGNED_IN)
def new_passkey_options() -> Response:
    options = registration_options(
        user_handle=f"sip-{current_user.kind.value}-{_person_id()}".encode(),
        user_name=f"SIP Portal {current_user.id}",
        display_name=current_user.name,
        existing=[p.credential_id for p in current_user.passkeys],
    )
    return Response(options, mimetype="application/json")


def _person_id() -> int:
    return current_user.individual_id or current_user.relative_id or current_user.staff_id


@blueprint.post("/account/passkeys")
@allow(*SIGNED_IN)
def add_passkey() -> Response | tuple[str, int]:
    try:
        credential = verify_registration(request.form.get("credential", ""))
    except PasskeyError:
        flash(_("Nyckeln kunde inte sparas. Försök igen."), "error")
        return redirect(url_for("public.account"), code=303)
    passkeys.register_passkey(
        account=current_user, credential=credential, name=request.form.get("name", "")
    )
    flash(_("Den nya nyckeln är sparad."), "success")
    return redirect(url_for("public.account"), code=303)


@blueprint.post("/account/passkeys/<int:passkey_id>/rename")
@allow(*SIGNED_IN)
def rename_passkey(passkey_id: int) -> Response:
    passkeys.rename_passkey(
        passkey=_own_passkey(passkey_id), name=request.form.get("name", ""), by=current_user
    )
    flash(_("Namnet är ändrat."), "success")
    return redirect(url_for("public.account"), code=303)


@blueprint.post("/account/passkeys/<int:passkey_id>/remove")
@allow(*SIGNED_IN)
def remove_passkey(passkey_id: int) -> Response:
    try:
        passkeys.remove_passkey(passkey=_own_passkey(passkey_id), by=current_user)
    except passkeys.LastPasskeyError:
        flash(_("Du kan inte ta bort din enda nyckel. Lägg först till en ny nyckel."), "error")
        return redirect(url_for("public.account"), code=303)
    flash(_("Nyckeln är borttagen. Den kan inte längre användas för att logga in."), "success")
    return redirect(url_for("public.account"), code=303)


@blueprint.post("/account/sign-out-everywhere")
@allow(*SIGNED_IN)
def sign_out_everywhere() -> Response:
    passkeys.sign_out_everywhere(account=current_user)
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("Du är utloggad på alla enheter."), "success")
    return redirect(url_for("public.landing"), code=303)

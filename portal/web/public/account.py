"""My account (every kind): passkeys listed, added, renamed, removed; sign out everywhere."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from portal import db
from portal.auth import sessions
from portal.auth.passkeys import (
    PasskeyError,
    authentication_options,
    credential_id_of,
    registration_options,
    verify_authentication,
    verify_registration,
)
from portal.auth.permissions import allow
from portal.models import Passkey
from portal.rules.vocabulary import Role
from portal.services import passkeys
from portal.web import nav
from portal.web.public import blueprint
from portal.web.public.passkeys import posted_passkey

SIGNED_IN = (Role.INDIVIDUAL, Role.RELATIVE, Role.STAFF)
nav.register("public.account", _l("Mitt konto"), 90, *SIGNED_IN)


def _own_passkey(passkey_id: int) -> Passkey:
    passkey = db.session().get(Passkey, passkey_id)
    if passkey is None or passkey.account_id != current_user.id:
        abort(404)
    return passkey


def _not_confirmed() -> Response:
    flash(
        _("Bekräfta först med din nyckel att det är du. Sedan har du fem minuter på dig."), "error"
    )
    return redirect(url_for("public.account"), code=303)


@blueprint.get("/account")
@allow(*SIGNED_IN)
def account() -> str:
    return render_template(
        "public/account.html", passkeys=current_user.passkeys, confirmed=sessions.is_confirmed()
    )


@blueprint.post("/account/confirm/options")
@allow(*SIGNED_IN)
def confirm_options() -> Response:
    options = authentication_options(
        "confirm", allowed=[p.credential_id for p in current_user.passkeys]
    )
    return Response(options, mimetype="application/json")


@blueprint.post("/account/confirm")
@allow(*SIGNED_IN)
def confirm_with_passkey() -> Response:
    """A fresh assertion with one of the account's own passkeys, for the next five minutes."""
    credential, _name, _problems = posted_passkey()
    try:
        passkey = passkeys.find_passkey(credential_id_of(credential))
        if passkey.account_id != current_user.id:
            raise PasskeyError("another account's passkey")
        new_count = verify_authentication(
            credential,
            public_key=passkey.public_key,
            sign_count=passkey.sign_count,
            purpose="confirm",
        )
    except PasskeyError:
        flash(_("Det gick inte att bekräfta med nyckeln. Försök igen."), "error")
        return redirect(url_for("public.account"), code=303)
    passkeys.confirm_presence(
        passkey=passkey, sign_count=new_count, session_key=sessions.current_key()
    )
    flash(_("Tack, det är bekräftat. Nu kan du lägga till eller ta bort nycklar."), "success")
    return redirect(url_for("public.account"), code=303)


@blueprint.post("/account/passkeys/options")
@allow(*SIGNED_IN)
def new_passkey_options() -> Response | tuple[str, int]:
    if not sessions.is_confirmed():
        return Response("{}", status=403, mimetype="application/json")
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
    if not sessions.is_confirmed():
        return _not_confirmed()
    posted, name, problems = posted_passkey()
    if "name" in problems:
        flash(problems["name"], "error")
        return redirect(url_for("public.account"), code=303)
    try:
        credential = verify_registration(posted)
    except PasskeyError:
        flash(_("Nyckeln kunde inte sparas. Försök igen."), "error")
        return redirect(url_for("public.account"), code=303)
    passkeys.register_passkey(account=current_user, credential=credential, name=name)
    flash(_("Den nya nyckeln är sparad."), "success")
    return redirect(url_for("public.account"), code=303)


@blueprint.post("/account/passkeys/<int:passkey_id>/rename")
@allow(*SIGNED_IN)
def rename_passkey(passkey_id: int) -> Response:
    passkey = _own_passkey(passkey_id)
    _credential, name, problems = posted_passkey()
    if "name" in problems:
        flash(problems["name"], "error")
        return redirect(url_for("public.account"), code=303)
    passkeys.rename_passkey(passkey=passkey, name=name, by=current_user)
    flash(_("Namnet är ändrat."), "success")
    return redirect(url_for("public.account"), code=303)


@blueprint.post("/account/passkeys/<int:passkey_id>/remove")
@allow(*SIGNED_IN)
def remove_passkey(passkey_id: int) -> Response:
    if not sessions.is_confirmed():
        return _not_confirmed()
    try:
        passkeys.remove_passkey(
            passkey=_own_passkey(passkey_id), by=current_user, keep_session=sessions.current_key()
        )
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

"""Landing, sign-in page, sign-out, locale switch, offline page, service worker, health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from portal import db
from portal.auth import sessions
from portal.auth.permissions import PUBLIC, allow
from portal.rules.redirects import safe_next
from portal.rules.vocabulary import Role
from portal.web.fields import ChoiceField, PortalForm, TextField, read
from portal.web.public import blueprint
from portal.web.public.signed_in import home_for_current_user


class LandingForm(PortalForm):
    """`?source=pwa` when the installed app opens; anything else is an ordinary visit."""

    source = ChoiceField(("pwa",))


class NextForm(PortalForm):
    """Where to go after switching language: one line; rules.redirects decides if it stays."""

    next = TextField(max=2000)


@blueprint.get("/")
@allow(PUBLIC)
def landing() -> str | Response:
    asked = read(LandingForm, request.args)
    if current_user.is_authenticated and not asked.problems() and asked.value("source"):
        return redirect(home_for_current_user())
    return render_template("public/landing.html", home_url=home_for_current_user())


@blueprint.get("/sign-in")
@allow(PUBLIC)
def sign_in() -> str:
    from portal.web.public.demo import demo_accounts

    accounts = demo_accounts() if current_app.config.get("DEMO") else []
    return render_template("public/sign_in.html", demo_accounts=accounts)


@blueprint.post("/sign-out")
@allow(Role.INDIVIDUAL, Role.RELATIVE, Role.STAFF)
def sign_out() -> Response:
    locale = session.get("locale")
    sessions.end_current("sign_out")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    return redirect(url_for("public.landing"), code=303)


@blueprint.get("/language/<lang>")
@allow(PUBLIC)
def switch_language(lang: str) -> Response:
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            from portal.services.accounts import set_locale

            set_locale(account=current_user, locale=lang)
    asked = read(NextForm, request.args)
    return redirect(safe_next(None if asked.problems() else asked.value("next")), code=303)


@blueprint.get("/offline")
@allow(PUBLIC)
def offline() -> str:
    # The service worker keeps this page and shows it later, to someone signed in or not:
    # nothing on it may depend on the session (no "Logga in" to a signed-in person, issue 14).
    return render_template("public/offline.html", shell_only=True, acting_for=None)


@blueprint.get("/sw.js")
@allow(PUBLIC)
def service_worker() -> Response:
    response = send_from_directory(current_app.static_folder or "static", "js/sw.js")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    response.mimetype = "text/javascript"
    return response


@blueprint.get("/manifest.webmanifest")
@allow(PUBLIC)
def manifest() -> Response:
    response = send_from_directory(current_app.static_folder or "static", "manifest.webmanifest")
    response.mimetype = "application/manifest+json"
    return response


@blueprint.get("/healthz")
@allow(PUBLIC)
def healthz() -> tuple[Response, int]:
    try:
        db.session().execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: database unavailable")
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok"), 200

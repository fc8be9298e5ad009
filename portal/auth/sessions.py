"""Flask-Login wiring: loading the account, idle timeout and absolute lifetime.

The session stores `account_id:generation`; "sign out everywhere" bumps the generation so
every other session stops loading. After a timeout the person signs in again and is sent
back to where they were (`return_to`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal import db
from portal.auth.returning import remember_where, to_sign_in
from portal.extensions import login_manager
from portal.models import Account
from portal.timeutil import now

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"


@login_manager.user_loader
def load_account(user_id: str) -> Account | None:
    try:
        account_id, generation = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    account = db.session().get(Account, account_id)
    if account is None or account.session_generation != generation:
        return None
    return account


def _limits(account: Any) -> tuple[timedelta, timedelta]:
    key = "staff" if account.staff_id else "other"
    return (
        current_app.config["SESSION_IDLE"][key],
        current_app.config["SESSION_ABSOLUTE"][key],
    )


def start(account: Account) -> None:
    """Call right after login_user: stamps the session's start."""
    session.permanent = True
    stamp = now().timestamp()
    session[SIGNED_IN_AT] = stamp
    session[LAST_SEEN_AT] = stamp


def enforce_timeouts() -> Any:
    """before_request: end an idle or too old session and remember where the person was."""
    if not current_user.is_authenticated or request.endpoint in (None, "static"):
        return None
    idle, absolute = _limits(current_user)
    current = now()
    signed_in = datetime.fromtimestamp(session.get(SIGNED_IN_AT, 0), tz=current.tzinfo)
    last_seen = datetime.fromtimestamp(session.get(LAST_SEEN_AT, 0), tz=current.tzinfo)
    if current - last_seen > idle or current - signed_in > absolute:
        if request.method == "POST":
            from portal.auth.kept_input import keep

            keep(account_id=current_user.id, path=request.path, form=request.form)
        logout_user()
        keep = {k: session[k] for k in ("locale", "drafts") if k in session}
        session.clear()
        session.update(keep)
        remember_where()
        session["kept_for"] = request.path if request.method == "POST" else None
        flash(
            _("Du har varit inaktiv en stund och har loggats ut. Logga in igen för att fortsätta.")
        )
        return to_sign_in()
    session[LAST_SEEN_AT] = current.timestamp()
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.before_request(enforce_timeouts)

"""Flask-Login wiring: loading the account, idle timeout and absolute lifetime.

The cookie stores `account_id:generation` and the key of a server-side session
(`services.sign_in_sessions`): an account loads only while that session is live on the
server, so signing out, "sign out everywhere", removing a passkey, a recovery and disabling
an account end it for every copy of the cookie. After a timeout the person signs in again
and is sent back to where they were (`return_to`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy.orm import joinedload

from portal.auth.returning import remember_where, to_sign_in
from portal.extensions import login_manager
from portal.models import Account, Staff
from portal.rules.vocabulary import AccountKind
from portal.timeutil import now

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
SESSION_KEY = "sid"
# last_seen_at is written only when it has moved by this much (ADR 0096): an unchanged
# session is not saved, so most responses carry no Set-Cookie and no new signature. The idle
# timeout is then kept to this granularity, on the safe side: a session may end up to this
# much before its idle limit, never after it.
LAST_SEEN_STEP = 60.0  # seconds


# What every page reads of the account; one tuple, so its statement is built once.
_ACCOUNT_LOADS = (joinedload(Account.staff).joinedload(Staff.unit), joinedload(Account.individual))
# The same, for an account of a known kind (ADR 0096): the cookie names the kind, so an
# individual's page does not join an empty staff member and unit, nor a staff member's an
# empty individual. Only what is joined depends on it: the rows themselves, and whether the
# session is live, always come from the database, and a relation not joined loads when used
# (a many-to-one with no key, none at all). A cookie from before has no kind: all joined.
ACCOUNT_KIND = "kind"
_LOADS_BY_KIND = {
    AccountKind.INDIVIDUAL.value: (joinedload(Account.individual),),
    AccountKind.STAFF.value: (joinedload(Account.staff).joinedload(Staff.unit),),
    AccountKind.RELATIVE.value: (),
}


@login_manager.user_loader
def load_account(user_id: str) -> Account | None:
    try:
        account_id, generation = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    from portal.services.sign_in_sessions import signed_in

    # The account, what every page reads of it, and its live session: one query (ADR 0081).
    account = signed_in(
        session.get(SESSION_KEY),
        account_id=account_id,
        lifetime_of=lambda found: _limits(found)[1],
        options=_LOADS_BY_KIND.get(session.get(ACCOUNT_KIND), _ACCOUNT_LOADS),
    )
    if account is None or account.session_generation != generation or not account.is_active:
        return None
    return account


def _limits(account: Any) -> tuple[timedelta, timedelta]:
    key = "staff" if account.staff_id else "other"
    return (
        current_app.config["SESSION_IDLE"][key],
        current_app.config["SESSION_ABSOLUTE"][key],
    )


def start(account: Account) -> None:
    """Call right after login_user: starts the server-side session and stamps its start."""
    from portal.services.sign_in_sessions import start_session

    session.permanent = True
    session[SESSION_KEY] = start_session(account=account)
    session[ACCOUNT_KIND] = account.kind.value
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
        end_current("timeout")
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
    stamp = current.timestamp()
    if stamp - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_STEP:
        session[LAST_SEEN_AT] = stamp
    return None


def current_key() -> str | None:
    return session.get(SESSION_KEY)


def is_confirmed() -> bool:
    """A fresh proof on this session (a passkey assertion within five minutes), or an account
    without any passkey yet (its first one: there is nothing to take over)."""
    from portal.rules.sessions import confirmation_is_fresh
    from portal.services.sign_in_sessions import live_session

    if not current_user.passkeys:
        return True
    found = live_session(
        session.get(SESSION_KEY), account_id=current_user.id, lifetime=_limits(current_user)[1]
    )
    return found is not None and confirmation_is_fresh(found.confirmed_at, now())


def end_current(because: str = "sign_out") -> None:
    """End this browser's server-side session (sign-out, timeout)."""
    from portal.services.sign_in_sessions import end_session

    end_session(session.get(SESSION_KEY), because=because)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.before_request(enforce_timeouts)

"""Demo sign-in: one button per demo account. Its blueprint is registered only in the demo
configuration (and the suite's, which builds on it): in production the route does not exist."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, request, session
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import PUBLIC, allow
from portal.models import Account
from portal.web.fields import IdField, PortalForm, read
from portal.web.public.passkeys import login
from portal.web.public.signed_in import land

demo = Blueprint("demo", __name__)


@dataclass(frozen=True)
class DemoAccount:
    value: str
    name: str
    role: str


def demo_accounts() -> list[DemoAccount]:
    """Every account the demo data made, with a one-line description of its role."""
    from portal.services.demo_data import describe_account

    accounts = db.session().scalars(sa.select(Account).order_by(Account.id)).all()
    return [
        DemoAccount(str(a.id), a.name, describe_account(a)) for a in accounts if describe_account(a)
    ]


class DemoSignInForm(PortalForm):
    account = IdField(required=True)


@demo.post("/sign-in/demo")
@allow(PUBLIC)
def demo_sign_in() -> Response:
    if not current_app.config.get("DEMO") or current_app.config.get("ENV_NAME") == "production":
        abort(404)
    typed = read(DemoSignInForm, request.form)
    account = None if typed.problems() else db.session().get(Account, typed.value("account"))
    if account is None:
        abort(400)
    return_to = session.pop("return_to", None)
    login(account)
    return land(return_to)


@demo.get("/demo/outbox")
@allow(PUBLIC)
def demo_outbox() -> str:
    """Every outgoing message, as it would read (demo only: in production this is not found)."""
    if not current_app.config.get("DEMO") or current_app.config.get("ENV_NAME") == "production":
        abort(404)
    from flask import render_template

    from portal.message_text import render
    from portal.services import outbox

    rows = [(m, render(m.kind, m.locale, m.params)) for m in outbox.recent()]
    return render_template(
        "public/demo_outbox.html", rows=rows, smtp=bool(current_app.config.get("SMTP_URL"))
    )

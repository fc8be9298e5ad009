"""Letters and what is done with them, for the Flask client (ADR 0040, 0041): the typed code a
letter page shows, entering it, the passkey it leads to, the representative form, Bengt's
first letter and a new plan for him, and how many rows a relative holds."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Individual, Passkey, Plan, Unit
from portal.models.base import Base
from portal.rules.identity import format_pin
from portal.services.demo_world import test_pin as make_pin
from portal.services.invitations import create_invitation
from portal.timeutil import today_stockholm
from tests.support.authenticator import SoftAuthenticator
from tests.support.pages import Page, PageClient
from tests.support.passkey_flows import redeem_code

REGISTER = "/invitation/register"
BENGT_PIN = format_pin(make_pin("19460730", "983"))
BENGT_PLAN = "SIP-2026-0012"  # convened by Maria (needs assessment); Nina's unit has consent


def letter_code(page: Page) -> str:
    """The code typed from a letter ("ABCD-EFGH"), as the letter page shows it."""
    return next(t for t in page.text.split() if len(t) == 9 and t[4] == "-")


def enter_code(client: PageClient, code: str) -> None:
    client.get_page("/invitation")
    assert client.post_form("/invitation", {"code": code}).status_code == 303


def passkey_options(client: PageClient, path: str = REGISTER) -> int:
    """Ask for the options of a new passkey: the status only."""
    answer = client.client.post(f"{path}/options", headers={"X-CSRFToken": client.token()})
    return answer.status_code


def register_passkey(
    client: PageClient,
    path: str = REGISTER,
    key: SoftAuthenticator | None = None,
    name: str = "Telefon",
) -> int:
    """Make the passkey the page at `path` offers: the status of the finishing post."""
    client.get_page(path)
    options = client.client.post(f"{path}/options", headers={"X-CSRFToken": client.token()})
    assert options.status_code == 200, options.status_code
    credential = (key or SoftAuthenticator()).register(options.get_data(as_text=True))
    return client.post_form(path, {"credential": credential, "name": name}).status_code


def representative_form(pin: str, **changes: str) -> dict[str, str]:
    """A representative (förvaltare by default) whose decision names `pin`, proven by e-ID."""
    form = {
        "kind": "forvaltare",
        "given_name": "Olle",
        "family_name": "Ombud",
        "legal_reference": "Överförmyndarnämnden 2026-0101",
        "decision_date": (today_stockholm() - timedelta(days=10)).isoformat(),
        "deciding_authority": "Överförmyndarnämnden i Norrsund",
        "valid_until": (today_stockholm() + timedelta(days=365)).isoformat(),
        "personal_identity_number": format_pin(pin),
        "proof": "eid",
    }
    form.update(changes)
    return form


def held_by_relative(app: Flask, model: type[Base], **relative: str) -> int:
    """How many rows of `model` (Account, Delegation, Passkey) the relative holds."""
    statement = sa.select(sa.func.count()).select_from(model)
    owner: type[Base] = model
    if model is Passkey:
        statement, owner = statement.join(Account), Account
    with app.app_context():
        return db.session().scalar(statement.where(owner.relative.has(**relative)))  # type: ignore[attr-defined]


def bengt_with_a_passkey(app: Flask) -> tuple[SoftAuthenticator, PageClient]:
    """Bengt has redeemed his first letter and is signed in on his phone."""
    phone = PageClient(app.test_client())
    key = SoftAuthenticator()
    with app.app_context():
        bengt = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Bengt"))
        code = create_invitation(individual=bengt, by=None).code
    assert redeem_code(phone, code, key).status_code == 303
    return key, phone


def start_plan_for_bengt(app: Flask, client: PageClient) -> int:
    """A staff member starts a new plan for Bengt (he has one already): its id."""
    with app.app_context():
        unit = db.session().scalar(sa.select(Unit.id).where(Unit.name.like("Hemsjukvård%")))
    yesterday = today_stockholm() - timedelta(days=1)
    client.get_page("/staff/start")
    response = client.post_form(
        "/staff/start",
        {
            "step": "start",
            "plan_fields": "1",
            "personal_identity_number": BENGT_PIN,
            "given_name": "Bengt",
            "family_name": "Håkansson",
            "registered_address": "Åsvägen 3, Norrsund",
            "phone": "",
            "context": "after_discharge",
            "ready_on": yesterday.isoformat(),
            "ready_at": "09:30",
            "preliminary_discharge_on": today_stockholm().isoformat(),
            "units": [str(unit)],
            "consent": "verbal",
            "consent_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == "Bengt")
            .order_by(Plan.id.desc())
        )

"""Exploit 6: passkeys need user verification; challenges live on the server, are single use
and valid five minutes; adding or removing a passkey needs a fresh assertion."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Individual, Passkey, PasskeyChallenge, SignInSession
from portal.services.invitations import create_invitation
from tests.conftest import Demo
from tests.support.authenticator import SoftAuthenticator
from tests.support.pages import PageClient
from tests.support.passkey_flows import add_passkey, confirm_with, redeem_code, sign_in_with

COOKIE = "sip_session"


def _code_for(app: Flask, given_name: str = "Bengt") -> str:
    with app.app_context():
        person = db.session().scalar(
            sa.select(Individual).where(Individual.given_name == given_name)
        )
        return create_invitation(individual=person, by=None).code


def _registered(client: PageClient, app: Flask) -> SoftAuthenticator:
    key = SoftAuthenticator()
    assert redeem_code(client, _code_for(app), key).status_code == 303
    client.post_form("/sign-out")
    return key


def _passkeys(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(sa.func.count()).select_from(Passkey)) or 0


def test_a_key_without_user_verification_cannot_register(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    response = redeem_code(client, _code_for(app), SoftAuthenticator(user_verified=False))
    assert response.status_code == 400
    assert _passkeys(app) == 0


def test_a_key_without_user_verification_cannot_sign_in(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    key = _registered(client, app)
    key.user_verified = False
    assert sign_in_with(client, key).status_code == 400
    assert client.get("/me/").status_code == 302


def test_options_ask_for_user_verification(client: PageClient, app: Flask, demo: Demo) -> None:
    client.get_page("/sign-in")
    options = client.client.post(
        "/sign-in/passkey/options", headers={"X-CSRFToken": client.token()}
    )
    assert options.get_json()["userVerification"] == "required"


def test_the_challenge_is_not_in_the_cookie(client: PageClient, app: Flask, demo: Demo) -> None:
    client.get_page("/sign-in")
    options = client.client.post(
        "/sign-in/passkey/options", headers={"X-CSRFToken": client.token()}
    )
    challenge = options.get_json()["challenge"]
    with client.client.session_transaction() as session:
        assert challenge not in str(dict(session))
        assert challenge.encode() not in str(dict(session)).encode()


def test_a_captured_assertion_cannot_be_replayed_with_the_old_cookie(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    key = _registered(client, app)
    client.get_page("/sign-in")
    options = client.client.post(
        "/sign-in/passkey/options", headers={"X-CSRFToken": client.token()}
    )
    old_cookie = client.client.get_cookie(COOKIE).value
    token = client.token()
    assertion = key.assert_(options.get_data(as_text=True))
    assert client.post_form("/sign-in/passkey", {"credential": assertion}).status_code == 303
    attacker = PageClient(app.test_client())
    attacker.client.set_cookie(COOKIE, old_cookie)
    replay = attacker.client.post(
        "/sign-in/passkey", data={"csrf_token": token, "credential": assertion}
    )
    assert replay.status_code == 400
    assert attacker.get("/me/").status_code == 302


def test_a_challenge_older_than_five_minutes_is_refused(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    key = _registered(client, app)
    client.get_page("/sign-in")
    options = client.client.post(
        "/sign-in/passkey/options", headers={"X-CSRFToken": client.token()}
    )
    with app.app_context():
        session = db.session()
        for row in session.scalars(sa.select(PasskeyChallenge)):
            row.created_at = row.created_at - timedelta(minutes=5, seconds=5)
        session.commit()
    response = client.post_form(
        "/sign-in/passkey", {"credential": key.assert_(options.get_data(as_text=True))}
    )
    assert response.status_code == 400


def test_adding_a_passkey_needs_a_fresh_assertion(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    key = _registered(client, app)
    assert sign_in_with(client, key).status_code == 303
    assert add_passkey(client, SoftAuthenticator()).status_code == 403
    response = client.post_form("/account/passkeys", {"credential": "{}", "name": "x"})
    assert response.status_code == 303 and _passkeys(app) == 1
    assert confirm_with(client, key).status_code == 303
    assert add_passkey(client, SoftAuthenticator()).status_code == 303
    assert _passkeys(app) == 2


def test_removing_a_passkey_needs_a_fresh_assertion(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    key = _registered(client, app)
    assert sign_in_with(client, key).status_code == 303
    assert confirm_with(client, key).status_code == 303
    assert add_passkey(client, SoftAuthenticator()).status_code == 303
    with app.app_context():
        session = db.session()
        for row in session.scalars(sa.select(SignInSession)):
            row.confirmed_at = row.confirmed_at - timedelta(minutes=6) if row.confirmed_at else None
        session.commit()
        first = session.scalar(
            sa.select(Passkey.id).where(Passkey.credential_id == key.credential_id)
        )
    client.post_form(f"/account/passkeys/{first}/remove")
    assert _passkeys(app) == 2, "removed without a fresh assertion"
    assert confirm_with(client, key).status_code == 303
    client.post_form(f"/account/passkeys/{first}/remove")
    assert _passkeys(app) == 1


def test_another_accounts_passkey_does_not_confirm(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    mine = _registered(client, app)
    other = PageClient(app.test_client())
    theirs = SoftAuthenticator()
    assert redeem_code(other, _code_for(app, "Astrid"), theirs).status_code == 303
    assert sign_in_with(client, mine).status_code == 303
    confirm_with(client, theirs)
    assert add_passkey(client, SoftAuthenticator()).status_code == 403

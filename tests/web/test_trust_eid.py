"""E-legitimation (point 2) against a real OpenID Connect provider run as its own process:
enrol without a letter and recover after a lost device without staff. The identity-number
claim must match a person record; a forged state or a person without a record is refused."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Passkey
from portal.services.demo_world import test_pin as make_pin
from tests.support.authenticator import SoftAuthenticator
from tests.support.eid_flow import eid_app as shared_eid_app
from tests.support.oidc_provider import oidc_provider
from tests.support.pages import PageClient

BENGT = make_pin("19460730", "983")


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    users = [
        {"sub": "bengt", "personal_identity_number": BENGT},
        {"sub": "stranger", "personal_identity_number": make_pin("19500101", "990")},
    ]
    with oidc_provider(users) as url:
        yield url


@pytest.fixture
def eid_app(migrated: str, tmp_path, issuer: str) -> Iterator[Flask]:
    with shared_eid_app(migrated, tmp_path, issuer) as (app, _demo):
        yield app  # the tables are emptied afterwards, as the `app` fixture does


def _prove(client: PageClient, who: str) -> int:
    """Start, choose the user on the provider's page, come back to the callback."""
    client.get_page("/sign-in")
    start = client.post_form("/e-id/start")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    query = dict(p.split("=", 1) for p in urlsplit(authorize).query.split("&"))
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    answer = requests.post(authorize, data={"sub": who}, allow_redirects=False, timeout=10)
    callback = urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}").status_code


def _register(client: PageClient, key: SoftAuthenticator) -> int:
    client.get_page("/e-id/passkey")
    options = client.client.post("/e-id/passkey/options", headers={"X-CSRFToken": client.token()})
    return client.post_form(
        "/e-id/passkey", {"credential": key.register(options.get_data(as_text=True)), "name": "T"}
    ).status_code


def test_enrol_without_a_letter_then_recover_without_staff(eid_app: Flask) -> None:
    first = PageClient(eid_app.test_client())
    assert _prove(first, "bengt") == 303
    assert _register(first, SoftAuthenticator()) == 303
    first.get_page("/me/")
    second = PageClient(eid_app.test_client())  # a new phone: the old one is lost
    assert _prove(second, "bengt") == 303
    assert _register(second, SoftAuthenticator()) == 303
    second.get_page("/me/")
    assert first.get("/me/").status_code == 302, "the lost phone is still signed in"
    with eid_app.app_context():
        accounts = (
            db.session()
            .scalars(
                sa.select(Account).where(Account.individual.has(personal_identity_number=BENGT))
            )
            .all()
        )
        assert len(accounts) == 1
        assert (
            db.session().scalar(
                sa.select(sa.func.count())
                .select_from(Passkey)
                .where(Passkey.account_id == accounts[0].id)
            )
            == 2
        )


def test_someone_without_a_person_record_is_refused(eid_app: Flask) -> None:
    client = PageClient(eid_app.test_client())
    assert _prove(client, "stranger") == 404
    assert client.get("/e-id/passkey").status_code == 410


def test_a_forged_state_is_refused(eid_app: Flask) -> None:
    client = PageClient(eid_app.test_client())
    client.get_page("/sign-in")
    client.post_form("/e-id/start")
    assert client.get("/e-id/callback?code=x&state=forged").status_code == 400
    assert client.get("/e-id/passkey").status_code == 410

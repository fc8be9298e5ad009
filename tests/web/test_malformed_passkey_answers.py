"""A browser's passkey answer is whatever the sender makes it: one the WebAuthn library
cannot even parse (no response, a clientDataJSON that is not JSON, authenticator data or
an attestation object cut short, a CBOR byte that is no CBOR) is refused like any answer
that does not verify (400, nothing stored, no session), not a 500. Anyone can start a
ceremony (the options are public); to reach the parsing of a sign-in the sender needs only
a credential id the portal knows, such as that of their own passkey."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Individual, Passkey
from portal.services.invitations import create_invitation
from tests.conftest import Demo
from tests.support.authenticator import SoftAuthenticator, b64
from tests.support.pages import PageClient
from tests.support.passkey_flows import redeem_code


def _code_for(app: Flask) -> str:
    with app.app_context():
        bengt = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Bengt"))
        return create_invitation(individual=bengt, by=None).code


def _options(client: PageClient, path: str) -> str:
    response = client.client.post(path, headers={"X-CSRFToken": client.token()})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _broken(answer: str, how: str) -> str:
    credential = json.loads(answer)
    response = credential["response"]
    if how == "no response":
        del credential["response"]
    elif how == "client data not JSON":
        response["clientDataJSON"] = b64(b"not json")
    elif how == "authenticator data cut short":
        if "authenticatorData" in response:
            response["authenticatorData"] = b64(b"\x00" * 5)
        else:
            response["attestationObject"] = b64(b"\xa0")  # an empty CBOR map
    elif how == "not CBOR":
        response["attestationObject" if "attestationObject" in response else "signature"] = b64(
            b"\xff\xff"
        )
    return json.dumps(credential)


HOW = ["no response", "client data not JSON", "authenticator data cut short", "not CBOR"]


def _passkeys(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(sa.func.count()).select_from(Passkey)) or 0


@pytest.mark.parametrize("how", HOW)
def test_a_malformed_registration_is_refused(
    client: PageClient, app: Flask, demo: Demo, how: str
) -> None:
    client.get_page("/invitation")
    assert client.post_form("/invitation", {"code": _code_for(app)}).status_code == 303
    client.get_page("/invitation/register")
    answer = SoftAuthenticator().register(_options(client, "/invitation/register/options"))
    response = client.post_form(
        "/invitation/register", {"credential": _broken(answer, how), "name": "Telefon"}
    )
    assert response.status_code == 400, response.status_code
    assert _passkeys(app) == 0


@pytest.mark.parametrize("how", HOW)
def test_a_malformed_sign_in_with_a_known_credential_is_refused(
    client: PageClient, app: Flask, demo: Demo, how: str
) -> None:
    key = SoftAuthenticator()
    assert redeem_code(client, _code_for(app), key).status_code == 303
    client.post_form("/sign-out")
    client.get_page("/sign-in")
    answer = key.assert_(_options(client, "/sign-in/passkey/options"))
    response = client.post_form("/sign-in/passkey", {"credential": _broken(answer, how)})
    assert response.status_code == 400, response.status_code
    assert client.get("/me/").status_code == 302

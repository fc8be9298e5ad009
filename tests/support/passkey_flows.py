"""Passkey ceremonies through the Flask client with the software authenticator."""

from __future__ import annotations

from werkzeug.test import TestResponse

from tests.support.authenticator import SoftAuthenticator
from tests.support.pages import PageClient


def _json_post(client: PageClient, path: str) -> TestResponse:
    return client.client.post(path, headers={"X-CSRFToken": client.token()})


def redeem_code(client: PageClient, code: str, authenticator: SoftAuthenticator) -> TestResponse:
    """Type the letter's code, register a passkey: the answer to the final POST."""
    client.get_page("/invitation")
    response = client.post_form("/invitation", {"code": code})
    assert response.status_code == 303, response.status_code
    client.get_page("/invitation/register")
    options = _json_post(client, "/invitation/register/options")
    assert options.status_code == 200, options.status_code
    return client.post_form(
        "/invitation/register",
        {"credential": authenticator.register(options.get_data(as_text=True)), "name": "Telefon"},
    )


def sign_in_with(client: PageClient, authenticator: SoftAuthenticator) -> TestResponse:
    client.get_page("/sign-in")
    options = _json_post(client, "/sign-in/passkey/options")
    return client.post_form(
        "/sign-in/passkey", {"credential": authenticator.assert_(options.get_data(as_text=True))}
    )


def confirm_with(client: PageClient, authenticator: SoftAuthenticator) -> TestResponse:
    client.get_page("/account")
    options = _json_post(client, "/account/confirm/options")
    return client.post_form(
        "/account/confirm", {"credential": authenticator.assert_(options.get_data(as_text=True))}
    )


def add_passkey(client: PageClient, authenticator: SoftAuthenticator) -> TestResponse:
    client.get_page("/account")
    options = _json_post(client, "/account/passkeys/options")
    if options.status_code != 200:
        return options
    return client.post_form(
        "/account/passkeys",
        {"credential": authenticator.register(options.get_data(as_text=True)), "name": "Ny"},
    )

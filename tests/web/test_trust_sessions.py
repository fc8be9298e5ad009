"""Exploit 5: sessions end on the server. A cookie copied before sign-out, a session on a
lost device after its passkey is removed or after a recovery, and a session older than 12
hours no longer sign anyone in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import create_app, db
from portal.models import Individual, SignInSession
from portal.services.invitations import create_invitation
from tests.conftest import Demo, sign_in
from tests.support.authenticator import SoftAuthenticator
from tests.support.pages import PageClient
from tests.support.passkey_flows import add_passkey, confirm_with, redeem_code, sign_in_with

COOKIE = "sip_session"


def _copy_cookie(source: PageClient, target: PageClient) -> None:
    cookie = source.client.get_cookie(COOKIE)
    assert cookie is not None
    target.client.set_cookie(COOKIE, cookie.value)


def _code_for(app: Flask, given_name: str) -> str:
    with app.app_context():
        person = db.session().scalar(
            sa.select(Individual).where(Individual.given_name == given_name)
        )
        return create_invitation(individual=person, by=None).code


def test_a_cookie_copied_before_sign_out_no_longer_works(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    sign_in(client, demo, "astrid")
    client.get_page("/me/")
    thief = PageClient(app.test_client())
    _copy_cookie(client, thief)
    thief.get_page("/me/")  # the copy works while the session lives
    assert client.post_form("/sign-out").status_code == 303
    assert thief.get("/me/").status_code == 302, "the copied cookie still signs in"


def test_removing_a_passkey_ends_the_other_sessions(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    phone, laptop = SoftAuthenticator(), SoftAuthenticator()
    assert redeem_code(client, _code_for(app, "Bengt"), phone).status_code == 303
    assert confirm_with(client, phone).status_code == 303
    assert add_passkey(client, laptop).status_code == 303
    lost = PageClient(app.test_client())
    assert sign_in_with(lost, phone).status_code == 303
    lost.get_page("/me/")
    with app.app_context():
        from portal.models import Passkey

        phone_key = db.session().scalar(
            sa.select(Passkey.id).where(Passkey.credential_id == phone.credential_id)
        )
    assert sign_in_with(client, laptop).status_code == 303
    assert confirm_with(client, laptop).status_code == 303
    assert client.post_form(f"/account/passkeys/{phone_key}/remove").status_code == 303
    assert lost.get("/me/").status_code == 302, "the lost device is still signed in"
    client.get_page("/me/")  # the session that removed it goes on


def test_a_recovery_ends_every_session_of_the_account(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    lost_device = SoftAuthenticator()
    assert redeem_code(client, _code_for(app, "Bengt"), lost_device).status_code == 303
    client.get_page("/me/")
    recovering = PageClient(app.test_client())
    assert redeem_code(recovering, _code_for(app, "Bengt"), SoftAuthenticator()).status_code == 303
    assert client.get("/me/").status_code == 302, "the lost device's session outlived the recovery"
    recovering.get_page("/me/")


@pytest.mark.parametrize(("name", "hours"), [("astrid", 12.1), ("eva", 10.1)])
def test_absolute_lifetime_is_kept_on_the_server(
    client: PageClient, app: Flask, demo: Demo, name: str, hours: float
) -> None:
    sign_in(client, demo, name)
    client.get("/")
    with app.app_context():
        session = db.session()
        for row in session.scalars(sa.select(SignInSession)):
            row.started_at = row.started_at - timedelta(hours=hours)
        session.commit()
    assert client.get("/me/" if name == "astrid" else "/staff/plans").status_code == 302


def test_no_absolute_lifetime_is_longer_than_twelve_hours(app: Flask) -> None:
    assert max(app.config["SESSION_ABSOLUTE"].values()) <= timedelta(hours=12)
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=12)


def test_production_cookie_has_the_host_prefix(
    monkeypatch: pytest.MonkeyPatch, migrated: str, tmp_path
) -> None:
    monkeypatch.setenv("SIP_CONFIG", "production")
    production = create_app(
        {
            "DATABASE_URL": migrated,
            "SECRET_KEY": "x" * 40,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    response = production.test_client().get(
        "/language/en?next=/", base_url="https://sip.example.se"
    )
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-sip_session="), header
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
    assert "HttpOnly" in header

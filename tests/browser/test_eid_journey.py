"""Real Chromium through a real OpenID Connect provider (oidc-provider-mock, its own process):
Bengt enrols with e-legitimation and a passkey, loses his phone, and recovers the same way —
no letter, no staff."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal import db
from portal.models import Passkey
from portal.services.demo_world import test_pin as make_pin
from tests.browser.conftest import add_virtual_authenticator, assert_accessible
from tests.support.eid_flow import oidc_config
from tests.support.live_app import live_app
from tests.support.oidc_provider import oidc_provider


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider(
        [{"sub": "bengt", "personal_identity_number": make_pin("19460730", "983")}]
    ) as url:
        yield url


@pytest.fixture
def app(migrated: str, tmp_path: os.PathLike[str], live_port: int, issuer: str) -> Iterator[Flask]:
    with live_app(migrated, tmp_path, live_port, **oidc_config(issuer)) as made:
        yield made


def _through_eid(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/sign-in")
    assert_accessible(page)
    page.get_by_role("button", name="Legitimera dig med e-legitimation").click()
    page.get_by_role("button", name="bengt", exact=True).click()  # the provider's own page
    expect(page.locator("h1")).to_have_text("Välkommen, Bengt")
    assert_accessible(page)
    page.get_by_label("Vad vill du kalla nyckeln?").fill("Telefon")
    page.get_by_role("button", name="Skapa min nyckel").click()
    expect(page.get_by_text("Din nyckel är sparad")).to_be_visible()


def test_enrol_and_recover_with_e_legitimation(
    page: Page, browser: Browser, live_server: str, app: Flask, demo
) -> None:
    add_virtual_authenticator(page)
    _through_eid(page, live_server)
    new_phone = browser.new_context(locale="sv-SE").new_page()
    add_virtual_authenticator(new_phone)
    _through_eid(new_phone, live_server)
    page.reload()
    expect(page.get_by_role("link", name="Logga in").first).to_be_visible()
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Passkey)) == 2

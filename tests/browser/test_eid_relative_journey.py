"""Real Chromium through a real OpenID Connect provider (oidc-provider-mock, its own process):
Astrid invites her son Lars with his identity number; Lars opens the letter's link, proves
with e-legitimation that he is the one it names, and makes a passkey. He loses his phone and
comes back with e-legitimation alone — no letter, no staff — and the old phone is signed out."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.models import Passkey
from portal.rules.identity import format_pin
from portal.services.demo_world import test_pin as make_pin
from tests.browser.conftest import add_virtual_authenticator, assert_accessible, demo_sign_in
from tests.support.eid_flow import oidc_config
from tests.support.letters import held_by_relative
from tests.support.live_app import live_app

LARS = make_pin("19720505", "996")


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    from tests.support.oidc_provider import oidc_provider

    with oidc_provider([{"sub": "lars", "personal_identity_number": LARS}]) as url:
        yield url


@pytest.fixture
def app(migrated: str, tmp_path: os.PathLike[str], live_port: int, issuer: str) -> Iterator[Flask]:
    with live_app(migrated, tmp_path, live_port, **oidc_config(issuer)) as made:
        yield made


def _lars_passkeys(app: Flask) -> int:
    return held_by_relative(app, Passkey, given_name="Lars")


def test_a_relative_enrols_with_the_letter_and_e_legitimation_then_recovers(
    page: Page, browser: Browser, live_server: str, app: Flask, demo
) -> None:
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    page.get_by_role("link", name="Närstående").click()
    page.get_by_label("Förnamn").fill("Lars")
    page.get_by_label("Efternamn").fill("Lindqvist")
    page.get_by_label("Personens personnummer").fill(format_pin(LARS))
    page.get_by_label("Se min plan").check()
    assert_accessible(page)
    page.get_by_role("button", name="Skapa inbjudan").click()
    expect(page.locator("h1")).to_have_text("Inbjudan till Lars Lindqvist")
    link = page.get_by_role("link", name="Länk till inbjudan").get_attribute("href")

    phone = browser.new_context(locale="sv-SE").new_page()
    add_virtual_authenticator(phone)
    phone.goto(link)
    expect(phone.locator("h1")).to_have_text("Välkommen, Lars")
    expect(phone.get_by_role("button", name="Skapa min nyckel")).to_have_count(0)
    assert_accessible(phone)
    phone.get_by_role("button", name="Legitimera dig med e-legitimation").click()
    phone.get_by_role("button", name="lars", exact=True).click()  # the provider's own page
    expect(phone.locator("h1")).to_have_text("Välkommen, Lars")
    assert_accessible(phone)
    phone.get_by_role("button", name="Skapa min nyckel").click()
    expect(phone.get_by_text("Du agerar för Astrid Lindqvist")).to_be_visible()
    assert _lars_passkeys(app) == 1

    new_phone = browser.new_context(locale="sv-SE").new_page()  # the first one is lost
    add_virtual_authenticator(new_phone)
    new_phone.goto(f"{live_server}/sign-in")
    new_phone.get_by_role("button", name="Legitimera dig med e-legitimation").click()
    new_phone.get_by_role("button", name="lars", exact=True).click()
    expect(new_phone.locator("h1")).to_have_text("Välkommen, Lars")
    new_phone.get_by_label("Vad vill du kalla nyckeln?").fill("Ny telefon")
    new_phone.get_by_role("button", name="Skapa min nyckel").click()
    expect(new_phone.get_by_text("Din nyckel är sparad")).to_be_visible()
    expect(new_phone.get_by_text("Du agerar för Astrid Lindqvist")).to_be_visible()
    assert_accessible(new_phone)
    phone.reload()
    expect(phone.get_by_role("link", name="Logga in").first).to_be_visible()
    assert _lars_passkeys(app) == 2
    phone.context.close()
    new_phone.context.close()

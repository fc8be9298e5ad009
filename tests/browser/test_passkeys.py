"""Passkeys in real Chromium with a virtual authenticator: register, sign out, sign in."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from portal import db
from portal.models import Individual, Passkey, Staff
from portal.services.invitations import create_invitation
from tests.browser.conftest import add_virtual_authenticator, assert_accessible
from tests.conftest import Demo


def _invite(app: Flask, *, individual: str | None = None, staff: str | None = None) -> str:
    with app.app_context():
        session = db.session()
        if individual:
            person = session.scalar(
                sa.select(Individual).where(Individual.given_name == individual)
            )
            issued = create_invitation(individual=person, by=None)
        else:
            person = session.scalar(sa.select(Staff).where(Staff.given_name == staff))
            issued = create_invitation(staff=person, by=None)
        return issued.token


def _register(page: Page, live_server: str, token: str) -> None:
    page.goto(f"{live_server}/invitation#{token}")  # the letter's link: token in the fragment
    expect(page.locator("h1")).to_contain_text("Välkommen")
    assert token not in page.url, "the token stayed in the address bar"
    assert_accessible(page)
    page.get_by_label("Vad vill du kalla nyckeln?").fill("Min telefon")
    page.get_by_role("button", name="Skapa min nyckel").click()
    expect(page.get_by_text("Din nyckel är sparad")).to_be_visible()
    assert_accessible(page)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Logga ut", exact=True).click()
    expect(page.locator(".site-header").get_by_role("link", name="Logga in")).to_be_visible()


def _sign_in(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/sign-in")
    assert_accessible(page)
    page.get_by_role("button", name="Logga in med nyckel").click()
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_be_visible()


def test_individual_redeems_invitation_registers_and_signs_in_again(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    add_virtual_authenticator(page)
    _register(page, live_server, _invite(app, individual="Bengt"))
    _sign_out(page)
    _sign_in(page, live_server)
    page.get_by_role("link", name="Mitt konto").click()
    expect(page.get_by_role("heading", name="Min telefon")).to_be_visible()
    expect(page.get_by_text("Inloggad som Bengt Håkansson.")).to_be_visible()
    assert_accessible(page)


def test_used_invitation_is_refused_in_plain_words(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    add_virtual_authenticator(page)
    token = _invite(app, individual="Bengt")
    _register(page, live_server, token)
    _sign_out(page)
    page.goto(f"{live_server}/invitation#{token}")
    expect(page.locator("#code-error")).to_contain_text("Inbjudan är redan använd")
    assert_accessible(page)


def test_staff_signs_in_with_a_passkey_and_cannot_remove_the_last_one(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    add_virtual_authenticator(page)
    _register(page, live_server, _invite(app, staff="Maria"))
    _sign_out(page)
    _sign_in(page, live_server)
    page.goto(f"{live_server}/account")
    expect(page.get_by_text("Det här är din enda nyckel")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Ta bort nyckeln"))).to_have_count(0)
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Passkey)) == 1


def test_unknown_passkey_gets_a_plain_answer(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    add_virtual_authenticator(page)
    _register(page, live_server, _invite(app, individual="Bengt"))
    _sign_out(page)
    with app.app_context():
        db.session().execute(sa.delete(Passkey))
        db.session().commit()
    page.goto(f"{live_server}/sign-in")
    page.get_by_role("button", name="Logga in med nyckel").click()
    expect(page.get_by_text("Vi känner inte igen den nyckeln")).to_be_visible()
    assert_accessible(page)


def test_cancelled_passkey_prompt_says_so_and_lets_the_person_try_again(
    page: Page, live_server: str, demo: Demo
) -> None:
    # The person presses "Avbryt" in the phone's own prompt: the browser rejects
    # with NotAllowedError, exactly as Chromium does for a dismissed dialog.
    page.add_init_script(
        "navigator.credentials.get = () => Promise.reject("
        "new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'))"
    )
    page.goto(f"{live_server}/sign-in")
    page.get_by_role("button", name="Logga in med nyckel").click()
    status = page.locator("[data-passkey-status]").first
    expect(status).to_contain_text("Du avbröt")
    expect(page.get_by_role("button", name="Logga in med nyckel")).to_be_enabled()
    assert page.url.endswith("/sign-in")


def test_adding_a_passkey_asks_for_a_fresh_assertion_first(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    add_virtual_authenticator(page)
    _register(page, live_server, _invite(app, individual="Bengt"))
    page.goto(f"{live_server}/account")
    expect(page.get_by_role("button", name="Lägg till nyckel")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Bekräfta med min nyckel").click()
    expect(page.get_by_text("Tack, det är bekräftat")).to_be_visible()
    expect(page.get_by_role("button", name="Lägg till nyckel")).to_be_visible()
    assert_accessible(page)

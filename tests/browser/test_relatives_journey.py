"""Real Chromium: a relative is invited with one scope, sees only that, and loses it at once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal import db
from portal.models import Individual, Plan
from portal.rules.vocabulary import PlanState
from tests.browser.conftest import add_virtual_authenticator, assert_accessible, demo_sign_in
from tests.conftest import Demo


def test_relative_with_meeting_dates_only_then_revoked(
    page: Page, browser: Browser, live_server: str, app: Flask, demo: Demo
) -> None:
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    assert_accessible(page)
    page.get_by_role("link", name="Närstående").click()
    assert_accessible(page)
    page.get_by_label("Förnamn").fill("Lars")
    page.get_by_label("Efternamn").fill("Lindqvist")
    page.get_by_label("Få mina mötestider").check()
    page.get_by_role("button", name="Skapa inbjudan").click()
    expect(page.locator("h1")).to_have_text("Inbjudan till Lars Lindqvist")
    assert_accessible(page)
    link = page.get_by_role("link", name="Länk till inbjudan").get_attribute("href")

    relative = browser.new_context(locale="sv-SE").new_page()
    add_virtual_authenticator(relative)
    relative.goto(link)
    expect(relative.locator("h1")).to_have_text("Välkommen, Lars")
    relative.get_by_role("button", name="Skapa min nyckel").click()
    expect(relative.get_by_text("Du agerar för Astrid Lindqvist")).to_be_visible()
    expect(relative.get_by_text("Nästa möte")).to_be_visible()
    expect(relative.get_by_role("link", name="Se hela planen")).to_have_count(0)
    assert_accessible(relative)
    with app.app_context():
        plan_id = db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == "Astrid", Plan.state != PlanState.CLOSED)
        )
    response = relative.goto(f"{live_server}/me/plans/{plan_id}")
    assert response is not None and response.status == 403
    assert_accessible(relative)

    page.goto(f"{live_server}/me/relatives")
    page.get_by_role("link", name="Ta bort Lars Lindqvist").click()
    expect(page.locator("h1")).to_have_text("Ta bort Lars Lindqvist?")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ta bort Lars Lindqvist").click()
    expect(page.get_by_text("Lars Lindqvist kan inte längre se")).to_be_visible()
    relative.goto(f"{live_server}/me/")
    expect(relative.locator("h1")).to_have_text("Vem vill du hjälpa?")
    expect(relative.get_by_text("Ingen har gett dig rätt")).to_be_visible()
    expect(relative.get_by_text("Nästa möte")).to_have_count(0)
    assert_accessible(relative)
    relative.context.close()


def test_staff_sees_only_plans_of_their_units(page: Page, live_server: str, demo: Demo) -> None:
    demo_sign_in(page, live_server, "Peter Strand")
    page.goto(f"{live_server}/staff/plans")
    expect(page.locator("h1")).to_have_text("Planer du har tillgång till")
    expect(page.get_by_role("link", name="SIP-2026-0004")).to_be_visible()
    expect(page.get_by_text("Bengt Håkansson")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="SIP-2026-0004").click()
    expect(page.get_by_text("Gunnel Ek, 19381102-****")).to_be_visible()
    assert_accessible(page)

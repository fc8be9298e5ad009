"""Real Chromium on a phone-sized screen: the individual prepares, shares, reads her plan,
withdraws one unit's consent, asks her coordinator and takes the meeting to her calendar; a
relative does the same within her scopes and is stopped outside them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from portal import db
from portal.models import Individual, Plan, Preparation
from portal.rules.vocabulary import PlanState
from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.conftest import Demo

PHONE = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    """No sideways scrolling on a 360 px screen, also with the text at 200 %."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.evaluate("document.documentElement.style.fontSize = ''")
    assert overflow <= 1, f"{page.url}: {overflow}px sideways at 360 px and 200 %"


def _checked(page: Page) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    _fits(page)


def _plan_of(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


def test_the_individual_from_preparing_to_her_calendar(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    page.set_viewport_size(PHONE)
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    expect(page.get_by_text("Ditt första SIP-möte är")).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Förbered dig inför mötet").first.click()
    _checked(page)
    page.get_by_label("Vad är viktigt för dig?").fill("")
    page.get_by_label("Vad är viktigt för dig?").press_sequentially("Att få bo kvar hemma.")
    expect(page.get_by_text("Utkastet sparades")).to_be_visible()
    page.get_by_role("button", name="Spara och dela med mötet").click()
    expect(page.get_by_text("Sparat och delat.")).to_be_visible()
    expect(page.get_by_label("Vad är viktigt för dig?")).to_have_value("Att få bo kvar hemma.")
    _checked(page)
    with app.app_context():
        shared = db.session().scalar(sa.select(Preparation).where(Preparation.plan_id == plan_id))
        assert shared.what_matters == "Att få bo kvar hemma." and shared.shared_at

    page.get_by_role("link", name="Tillbaka till Min SIP").click()
    page.get_by_role("link", name="Se hela planen").click()
    _checked(page)

    page.get_by_role("link", name="Se och ändra vilka enheter").click()
    _checked(page)
    withdraw = page.get_by_role("link", name=re.compile("^Dra tillbaka samtycket till")).first
    unit = withdraw.inner_text().removeprefix("Dra tillbaka samtycket till ")
    withdraw.click()
    expect(page.get_by_text("Du kan ge samtycke igen när du vill.")).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Ja, dra tillbaka samtycket").click()
    expect(page.get_by_role("button", name=f"Ge samtycke till {unit}")).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Tillbaka till planen").click()
    page.get_by_role("link", name=re.compile("^Be om en uppföljning tidigare")).click()
    _checked(page)
    page.get_by_label("Byta samordningsansvarig").check()
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_text(re.compile("^Skickat. Du får svar senast"))).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Tillbaka till planen").click()
    page.get_by_role("link", name="Säg vem du vill ha som samordningsansvarig").click()
    _checked(page)
    page.get_by_label("Någon annan", exact=True).check()
    page.get_by_label("Om någon annan: vem?").fill("Min distriktssköterska Lena")
    page.get_by_role("button", name="Spara mitt önskemål").click()
    expect(page.get_by_text("Min distriktssköterska Lena")).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Min SIP").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Lägg till i kalendern").first.click()
    event = download.value.path().read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in event and "TZID=Europe/Stockholm" in event
    assert "Astrid" not in event, "the calendar gets no names"

    page.get_by_role("link", name="Kalender").first.click()
    _checked(page)
    page.get_by_role("button", name=re.compile("Skapa en privat länk")).click()
    expect(page.get_by_text("Din privata länk är klar.")).to_be_visible()
    _checked(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_of_the_individual_passes_axe(
    page: Page, live_server: str, app: Flask, demo: Demo, lang: str
) -> None:
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    for path in (
        "/me/",
        f"/me/plans/{plan_id}",
        f"/me/plans/{plan_id}/prepare",
        f"/me/plans/{plan_id}/consent",
        f"/me/plans/{plan_id}/consent/withdraw?unit=all",
        f"/me/plans/{plan_id}/requests",
        f"/me/plans/{plan_id}/coordinator-wish",
        "/me/calendar",
        "/me/relatives",
        "/me/access-log",
    ):
        page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        _checked(page)


def test_a_relative_within_and_outside_her_scopes(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    page.set_viewport_size(PHONE)
    astrid_plan, gunnel_plan = _plan_of(app, "Astrid"), _plan_of(app, "Gunnel")
    demo_sign_in(page, live_server, "Karin Lindqvist")
    expect(page.get_by_text("Du agerar för Astrid Lindqvist")).to_be_visible()
    _checked(page)

    page.goto(f"{live_server}/me/plans/{astrid_plan}/prepare")
    page.get_by_label("Vilka vill Astrid ska vara med?").fill("Jag, Karin, vill vara med.")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Senast ändrat av Karin Lindqvist för Astrid")).to_be_visible()
    _checked(page)

    page.goto(f"{live_server}/me/plans/{astrid_plan}/consent")
    expect(page.get_by_text("Bara Astrid själv, eller en god man eller förvaltare")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Dra tillbaka"))).to_have_count(0)
    _checked(page)

    response = page.goto(f"{live_server}/me/plans/{gunnel_plan}")
    assert response is not None and response.status == 404
    _checked(page)


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable by Tab on {page.url}")


def test_prepare_and_ask_by_keyboard_alone(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
    _tab_to(page, "#topics")
    page.keyboard.type("Trygghetslarmet")
    _tab_to(page, "button[value=share]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Sparat och delat.")).to_be_visible()
    expect(page.get_by_label("Vad vill du prata om på mötet?")).to_have_value(
        re.compile("Trygghetslarmet$")
    )

    page.goto(f"{live_server}/me/plans/{plan_id}/requests")
    _tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("^Skickat. Du får svar senast"))).to_be_visible()

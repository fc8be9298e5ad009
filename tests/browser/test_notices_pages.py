"""Reaching people in a real browser: the notices page (with its push button shown by
static/js/push.js under the CSP), the demo outbox and the failed-messages page pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.conftest import Demo


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_notices_page_passes_axe_and_confirms_by_keyboard(
    page: Page, live_server: str, demo: Demo, lang: str
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    demo_sign_in(page, live_server, "Karin")
    page.goto(f"{live_server}/account/notices?lang={lang}")
    expect(page.locator("#push")).to_be_visible()  # the script ran: no CSP violation
    page.get_by_label(
        "E-postadress eller mobilnummer" if lang == "sv" else "E-mail address or mobile number"
    ).fill("karin@example.se")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=code]")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    assert not [e for e in errors if "Content Security Policy" in e]


def test_demo_outbox_and_failed_messages_pass_axe(page: Page, live_server: str, demo: Demo) -> None:
    page.goto(f"{live_server}/demo/outbox")
    expect(page.locator("h1")).to_have_text("Demo: utkorgen")
    assert_accessible(page)
    demo_sign_in(page, live_server, "Ylva")
    page.goto(f"{live_server}/staff/admin/outbox")
    expect(page.locator("h1")).to_have_text("Meddelanden som inte kom fram")
    assert_accessible(page)

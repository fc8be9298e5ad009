"""The shell in a real browser: accessible, readable at 360 px, keyboard first, installable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.layout import screenshot
from tests.conftest import Demo


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", ["/", "/sign-in", "/offline", "/finns-inte"])
def test_public_pages_pass_axe(
    page: Page, live_server: str, demo: Demo, path: str, lang: str
) -> None:
    page.goto(f"{live_server}{path}?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)


def test_pages_fit_a_360px_screen_at_200_percent_zoom(
    page: Page, live_server: str, demo: Demo
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/sign-in")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    screenshot(page, Path("/tmp/sip-sign-in-360.png"), full_page=True)
    assert overflow <= 1, f"horizontal scrolling of {overflow}px at 360px and 200% text"


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page: Page, live_server: str) -> None:
    page.goto(live_server)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_demo_sign_in_by_keyboard_alone(page: Page, live_server: str, demo: Demo) -> None:
    page.goto(f"{live_server}/sign-in")
    button = page.get_by_role("button", name=re.compile("Eva Sjöberg"))
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_service_worker_registers_and_serves_the_offline_page(page: Page, live_server: str) -> None:
    page.goto(live_server)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto(f"{live_server}/sign-in")
    expect(page.locator("h1")).to_have_text(re.compile("inte ansluten"))
    page.context.set_offline(False)


def test_no_content_security_policy_violations(page: Page, live_server: str, demo: Demo) -> None:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/sign-in")
    page.wait_for_load_state("networkidle")
    assert not [m for m in messages if "Content Security Policy" in m], messages
    assert page.evaluate("typeof window.htmx") == "object", "htmx loaded from static/"

"""Real Chromium: the coordinator signs the plan; the god man downloads it and checks that it is genuine."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from portal import db
from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.browser.layout import screenshot
from tests.conftest import Demo
from tests.support.plans import gunnel_version


def test_coordinator_signs_and_the_representative_downloads_and_verifies(
    page: Page, live_server: str, app: Flask, demo: Demo, tmp_path: Path
) -> None:
    demo_sign_in(page, live_server, "Fatima Al-Hassan")
    page.get_by_role("link", name="Planer").first.click()
    page.get_by_role("link", name=re.compile("SIP-2026-0004")).click()
    expect(page.get_by_role("heading", name="Planens versioner")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Läs igenom och signera version 2").click()
    expect(page.locator("h1")).to_have_text("Läs igenom och signera version 2")
    preview = page.get_by_role("region", name="Planen som den signeras")
    expect(preview.get_by_role("heading", name="Vem gör vad")).to_be_visible()
    assert_accessible(page)
    screenshot(page, tmp_path / "signing-preview.png", full_page=True)
    page.get_by_role("button", name="Jag har läst planen – signera version 2").click()
    expect(page.get_by_text("Version 2 är signerad")).to_be_visible()
    expect(page.get_by_role("link", name="Läs igenom och signera version 2")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut", exact=True).click()

    demo_sign_in(page, live_server, "Per Andersson")
    page.goto(f"{live_server}/me/")
    page.get_by_role("link", name="Se hela planen").click()
    expect(page.get_by_role("heading", name="Den signerade planen")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner version 2 (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Så kontrollerar du att planen är äkta").click()
    assert_accessible(page)
    page.get_by_label("Planen som PDF").set_input_files(saved)
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("h1")).to_have_text("Filen är äkta och oförändrad")
    expect(page.get_by_text("Sjuksköterska, ÄlSa-teamet Norrsund")).to_be_visible()
    assert_accessible(page)

    with app.app_context():
        code = gunnel_version(db.session()).verification_code
    page.goto(f"{live_server}/verify/{code}")  # where the QR code on the plan leads
    expect(page.locator("h1")).to_have_text("Planen är äkta")
    expect(page.locator("main").get_by_text("Gunnel")).to_have_count(0)  # only the banner says it
    assert_accessible(page)

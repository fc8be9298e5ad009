"""Real Chromium: nothing typed in the preparation is lost (ADR 0070).

Typing and leaving the page at once, leaving a field, sharing and editing again, and trying
to leave while offline: the text is in the database afterwards, or the page asks first.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal import db
from portal.models import Individual, Plan, Preparation
from portal.rules.vocabulary import PlanState
from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.conftest import Demo

PHONE = {"width": 360, "height": 740}


def _plan_of(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


def _saved(app: Flask, plan_id: int) -> dict[str, str]:
    with app.app_context():
        found = db.session().scalar(sa.select(Preparation).where(Preparation.plan_id == plan_id))
        return {"topics": found.topics, "what_matters": found.what_matters} if found else {}


def test_typing_and_leaving_at_once_keeps_the_text(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    page.set_viewport_size(PHONE)
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
    box = page.get_by_label("Vad vill du prata om på mötet?")
    box.click()
    asked: list[str] = []

    def leave(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.accept()  # "Lämna sidan"

    page.on("dialog", leave)
    page.keyboard.type("Trygghetslarmet piper på natten")
    # At once: no pause, no blur, no Spara; the save is still pending, so the page asks.
    page.get_by_role("link", name="Tillbaka till Min SIP").click()
    page.wait_for_url(f"{live_server}/me/")
    assert asked == ["beforeunload"]
    page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
    expect(page.get_by_label("Vad vill du prata om på mötet?")).to_have_value(
        re.compile("Trygghetslarmet piper på natten$")
    )
    saved = _saved(app, plan_id)
    assert saved["topics"].endswith("Trygghetslarmet piper på natten")


def test_text_typed_before_the_script_runs_is_saved_once_it_does(
    browser: Browser, browser_context_args: dict[str, Any], live_server: str, app: Flask, demo: Demo
) -> None:
    """On a slow connection the page is there before its deferred autosave.js: what was typed
    in between is saved when the script starts, not only after the next key. (Without the
    service worker, which would fetch the script past the page's routes.)"""
    context = browser.new_context(**browser_context_args, service_workers="block")
    try:
        page = context.new_page()
        plan_id = _plan_of(app, "Astrid")
        demo_sign_in(page, live_server, "Astrid Lindqvist")
        page.route("**/js/autosave.js", lambda route: route.abort())  # not yet arrived
        page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
        page.get_by_label("Vad är viktigt för dig?").fill("Att få bo kvar hemma.")
        page.wait_for_timeout(1500)  # longer than the pause that saves: nothing listens yet
        assert _saved(app, plan_id).get("what_matters") != "Att få bo kvar hemma."
        page.unroute("**/js/autosave.js")
        page.add_script_tag(url=f"{live_server}/static/js/autosave.js")  # now it arrives
        expect(page.locator("#what_matters-status")).to_contain_text("Utkastet sparades")
        assert _saved(app, plan_id)["what_matters"] == "Att få bo kvar hemma."
    finally:
        context.close()


def test_leaving_a_field_saves_and_says_so_beside_it_and_whether_it_is_shared(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    page.set_viewport_size(PHONE)
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
    expect(page.locator("#shared-state")).to_contain_text("Inte delat med mötet.")
    page.get_by_label("Vad är viktigt för dig?").fill("Att få bo kvar hemma.")
    page.keyboard.press("Tab")  # leaving the field saves at once
    beside = page.locator("#what_matters-status")
    expect(beside).to_contain_text("Utkastet sparades")
    expect(beside).to_contain_text("Det är inte delat med mötet.")
    assert _saved(app, plan_id)["what_matters"] == "Att få bo kvar hemma."
    assert_accessible(page)

    page.get_by_role("button", name="Spara och dela med mötet").click()
    expect(page.locator("#shared-state")).to_contain_text("Delat med mötet sedan")
    # The page came back after the share: type once its deferred autosave.js listens (the
    # HTML above can be there before it runs, and text typed then waits for the next input).
    page.wait_for_load_state()
    page.get_by_label("Vilken plats passar dig?").fill("Hemma i köket")
    expect(page.locator("#preferred_place-status")).to_contain_text(
        "Det är delat med mötet, så de som kallats ser ändringen."
    )  # after a pause in typing
    expect(page.locator("#what_matters-status")).to_have_text("")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Sparat. Det är delat med mötet")).to_be_visible()
    expect(page.get_by_text("Bara du ser det")).to_have_count(0)


def test_leaving_while_offline_with_unsaved_text_asks_first(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
    page.context.set_offline(True)
    page.get_by_label("Vad vill du prata om på mötet?").click()
    page.keyboard.type("Färdtjänst")
    expect(page.locator("#topics-status")).to_contain_text("Inte sparat: ingen kontakt just nu.")
    asked: list[str] = []

    def stay(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)  # the dialog event is delivered asynchronously
    assert asked == ["beforeunload"]


def test_leaving_while_a_save_is_pending_asks_first_and_staying_keeps_the_text(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_of(app, "Astrid")
    demo_sign_in(page, live_server, "Astrid Lindqvist")
    page.goto(f"{live_server}/me/plans/{plan_id}/prepare")
    asked: list[str] = []

    def stay(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.dismiss()  # "Stanna kvar"

    page.on("dialog", stay)
    page.get_by_label("Vad vill du prata om på mötet?").click()
    page.keyboard.type("Hemtjänsten")  # online, but not yet saved
    page.get_by_role("link", name="Tillbaka till Min SIP").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/prepare")
    expect(page.get_by_label("Vad vill du prata om på mötet?")).to_have_value(
        re.compile("Hemtjänsten$")
    )
    assert _saved(app, plan_id)["topics"].endswith("Hemtjänsten")  # the beacon went anyway

    # Once the save has arrived, nothing is pending: leaving asks nothing.
    page.wait_for_timeout(1200)
    page.get_by_role("link", name="Tillbaka till Min SIP").click()
    page.wait_for_url(f"{live_server}/me/")
    assert asked == ["beforeunload"]

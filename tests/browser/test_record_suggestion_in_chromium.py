"""Issue 13 point 4 in real Chromium: on the record form, entering interventions changes the
coordinator suggestion (htmx asks the server again as they are entered)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal import db
from portal.models import Individual, Meeting, Plan, Staff, Unit
from portal.rules.vocabulary import MeetingKind, PlanState
from portal.timeutil import now
from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.conftest import Demo


def _meeting_begun(app: Flask) -> tuple[int, dict[str, int], dict[str, int]]:
    """Astrid's first meeting began an hour ago (one is recorded once it began)."""
    with app.app_context():
        session = db.session()
        plan = session.scalar(
            sa.select(Plan)
            .join(Individual)
            .where(Individual.given_name == "Astrid", Plan.state != PlanState.CLOSED)
        )
        meeting = session.scalar(
            sa.select(Meeting).where(Meeting.plan_id == plan.id, Meeting.kind == MeetingKind.FIRST)
        )
        meeting.starts_at = now() - timedelta(hours=1)
        meeting.ends_at = meeting.starts_at + timedelta(hours=1)
        session.commit()
        staff = {s.given_name: s.id for s in session.scalars(sa.select(Staff))}
        units = {u.name: u.id for u in session.scalars(sa.select(Unit))}
        return meeting.id, staff, units


def _enter_home_health(page: Page, staff: dict[str, int], units: dict[str, int]) -> None:
    """Two home health care interventions, by Anders and Lena (licensed: the home-health row)."""
    home_health = str(units["Hemsjukvården Norrsund"])
    for item, who, what in ((0, "Anders", "Träning i badrummet"), (1, "Lena", "Såromläggning")):
        prefix = f"goal-0-item-{item}"
        page.locator(f'[name="{prefix}-what"]').fill(what)
        page.locator(f'[name="{prefix}-unit"]').select_option(home_health)
        page.locator(f'[name="{prefix}-responsible"]').select_option(str(staff[who]))
        page.locator(f'[name="{prefix}-basis"]').select_option("HSL")


def test_typing_interventions_changes_the_coordinator_suggestion(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    meeting_id, staff, units = _meeting_begun(app)
    demo_sign_in(page, live_server, "Eva Sjöberg")
    page.goto(f"{live_server}/staff/meetings/{meeting_id}/record")
    suggestion = page.locator("#record-suggestion-text")
    expect(suggestion).to_contain_text("Den passar bäst: Peter Strand.")
    basis = page.locator("#record-suggestion-basis")
    expect(basis).to_contain_text("utgår från enheterna som kallats till mötet")
    _enter_home_health(page, staff, units)
    expect(suggestion).to_contain_text("Omfattande kommunal hemsjukvård")
    expect(suggestion).to_contain_text("Den passar bäst: Lena Holm.")
    expect(basis).to_have_text("Förslaget följer insatserna som de skrivs in ovan.")
    # what was typed is still there: only the suggestion was swapped
    expect(page.locator('[name="goal-0-item-1-what"]')).to_have_value("Såromläggning")
    assert_accessible(page)


def test_without_javascript_on_a_phone_the_suggestion_follows_on_submit(
    browser: Browser, live_server: str, app: Flask, demo: Demo
) -> None:
    """At 360 px with JavaScript off: the suggestion's own button, and the record's submit
    refused for what is missing, both post the page back with the suggestion from the
    interventions entered and everything typed kept."""
    meeting_id, staff, units = _meeting_begun(app)
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    demo_sign_in(page, live_server, "Eva Sjöberg")
    page.goto(f"{live_server}/staff/meetings/{meeting_id}/record")
    suggestion = page.locator("#record-suggestion-text")
    expect(suggestion).to_contain_text("Den passar bäst: Peter Strand.")
    _enter_home_health(page, staff, units)
    page.get_by_role("button", name="Uppdatera förslaget").click()
    expect(suggestion).to_contain_text("Den passar bäst: Lena Holm.")
    expect(page.locator('[name="goal-0-item-1-what"]')).to_have_value("Såromläggning")
    page.get_by_role("button", name="Spara och upprätta planen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(suggestion).to_contain_text("Den passar bäst: Lena Holm.")
    expect(page.locator('[name="goal-0-item-0-what"]')).to_have_value("Träning i badrummet")
    context.close()

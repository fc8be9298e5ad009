"""Every staff page that the journey does not pass, scanned with axe in Swedish and English:
the plan list, consent, an invitation and its change form, a new meeting, a draft to edit, the
closing, new-episode, short-term-stay and re-assessment forms, the letters' pages, and the
legal representatives with the page that records a decision's end."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from portal import db
from portal.models import Delegation, Individual, Meeting, Plan, PlanVersion
from portal.rules.vocabulary import DelegationKind, PlanState, VersionStatus
from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.conftest import Demo


def _plan(given_name: str) -> Plan:
    return db.session().scalar(
        sa.select(Plan)
        .join(Individual)
        .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
    )


def _pages(app: Flask) -> dict[str, list[str]]:
    """Whom to sign in as, and the pages that person may open, from the demo data."""
    with app.app_context():
        astrid, gunnel, bengt = _plan("Astrid"), _plan("Gunnel"), _plan("Bengt")
        meeting = db.session().scalar(sa.select(Meeting.id).where(Meeting.plan_id == astrid.id))
        draft = db.session().scalar(
            sa.select(PlanVersion.id).where(
                PlanVersion.plan_id == gunnel.id, PlanVersion.status == VersionStatus.DRAFT
            )
        )
        representative = db.session().scalar(
            sa.select(Delegation.id).where(
                Delegation.individual_id == gunnel.individual_id,
                Delegation.kind == DelegationKind.REPRESENTATIVE,
            )
        )
        return {
            "Eva Sjöberg": [
                "/staff/plans",
                "/staff/start",
                f"/staff/plans/{astrid.id}/consent",
                f"/staff/meetings/{meeting}",
                f"/staff/meetings/{meeting}/edit",
                f"/staff/plans/{astrid.id}/meetings/new",
                f"/staff/plans/{astrid.id}/close",
                f"/staff/plans/{gunnel.id}/new-episode",
                f"/staff/plans/{astrid.id}/account-invitation",
            ],
            "Fatima Al-Hassan": [
                f"/staff/plans/{gunnel.id}/versions/{draft}/edit",
                f"/staff/plans/{gunnel.id}/representative",
                f"/staff/plans/{gunnel.id}/representatives",
                f"/staff/plans/{gunnel.id}/representatives/{representative}/end",
            ],
            "Maria Lund": [
                f"/staff/plans/{bengt.id}",
                f"/staff/plans/{bengt.id}/reassess",
            ],
        }


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_other_staff_page_passes_axe(
    page: Page, live_server: str, app: Flask, demo: Demo, language: str
) -> None:
    for person, paths in _pages(app).items():
        demo_sign_in(page, live_server, person)
        for path in paths:
            response = page.goto(f"{live_server}{path}?lang={language}")
            assert response is not None and response.status == 200, f"{person}: {path}"
            assert page.url.split("?")[0].endswith(path), f"{person} was sent on from {path}"
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.locator("h1")).to_have_count(1)
            assert_accessible(page)
        page.get_by_role("button", name="Logga ut" if language == "sv" else "Sign out").click()
        page.wait_for_load_state()

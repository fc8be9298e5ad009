"""Vem har tittat på min plan? Staff reads appear with unit, role, name, newest first."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Individual, Plan
from portal.services import audit
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def test_staff_reading_the_plan_shows_in_the_individuals_log(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    with app.app_context():
        gunnel = db.session().scalar(
            sa.select(Individual.id).where(Individual.given_name == "Gunnel")
        )
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.individual_id == gunnel))
    staff = PageClient(app.test_client())
    sign_in(staff, demo, "peter")
    staff.get_page(f"/staff/plans/{plan_id}")
    sign_in(client, demo, "per")  # Gunnel's representative reads her log
    page = client.get_page("/me/access-log")
    rows = page.all("tr")
    newest = " ".join(rows[1].text.split())
    assert "Peter Strand" in newest, "newest first"
    assert "Hemtjänst Centrum" in newest and "personal" in newest and "läste din plan" in newest
    later = client.get_page("/me/access-log")
    assert "tittade i den här loggen" in " ".join(later.all("tr")[1].text.split())


def test_access_log_is_paginated(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        astrid = db.session().scalar(
            sa.select(Individual.id).where(Individual.given_name == "Astrid")
        )
        for _ in range(45):
            audit.record(db.session(), type="plan.read", by=None, subject_individual_id=astrid)
        db.session().commit()
    client = signed_in("astrid")
    first = client.get_page("/me/access-log")
    assert len(first.all("tr")) == 21 and "Sida 1 av 3" in first.text
    third = client.get_page("/me/access-log?page=3")
    assert "Sida 3 av 3" in third.text and "Äldre" not in third.text

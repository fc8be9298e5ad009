"""The staff plan page costs the same number of SQL queries however big the plan is."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Staff
from tests import factories
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.web.test_person_query_count import counting


def _queries(app: Flask, client: PageClient, size: int) -> int:
    with app.app_context():
        session = db.session()
        eva = session.scalar(sa.select(Staff).where(Staff.given_name == "Eva"))
        plan = factories.plan(
            session,
            convener=eva,
            goals=size,
            interventions_per_goal=size,
            meetings=size,
            versions=size,
        )
        plan_id = plan.id
        session.commit()
    with counting(app) as statements:
        page = client.get_page(f"/staff/plans/{plan_id}")
        assert f"Version {size}" in page.text
    return len(statements)


def test_the_staff_plan_page_needs_the_same_queries_however_big(app: Flask, demo: Demo) -> None:
    client = PageClient(app.test_client())
    sign_in(client, demo, "eva")
    _queries(app, client, 1)  # warm up: the first request loads what every request loads
    small, big = _queries(app, client, 1), _queries(app, client, 5)
    assert big == small, f"{small} queries for a small plan, {big} for a big one"
    # the plan's row with its many-to-ones joined in (ADR 0081), asking whether a later plan,
    # a re-assessment or refused consent exists (ADR 0098), and whether invitations, a wish,
    # requests, unread messages, reminders or a shared preparation may exist, a statement
    # running only for a yes (ADR 0109); the plan's meetings with whom each calls, its
    # coordinators, follow-ups, versions with their evaluated goals and the access rules'
    # facts in one statement (ADR 0112); each new plan's individual gets a new audit chain,
    # 2 of the 8
    assert small <= 8, small

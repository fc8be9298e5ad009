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
    # many-to-ones joined into their parents (ADR 0081), the page's own statements built
    # once and whether a later plan, a re-assessment or refused consent exists asked with the
    # plan's row (ADR 0098), each meeting's participants and each version's evaluated goals
    # joined in; the plan's row also says whether invitations, a wish, requests, unread
    # messages, reminders or a shared preparation may exist, and a statement runs only for a
    # yes (ADR 0109); each new plan's individual gets a new audit chain, 2 of the 13
    assert small <= 13, small

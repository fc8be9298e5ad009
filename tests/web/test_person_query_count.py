"""The home and plan pages cost a bounded number of SQL queries, however big the plan is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Individual, Plan
from portal.rules.vocabulary import PlanState
from tests import factories
from tests.support.pages import PageClient


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    with app.app_context():
        engine = db.session().get_bind()

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _queries(app: Flask, size: int, others: int = 0) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        plan = factories.plan(
            session,
            goals=size,
            interventions_per_goal=size,
            meetings=size,
            versions=size,
        )
        for n in range(others):  # the person's other plans, as big, one of them closed
            factories.plan(
                session,
                person=plan.individual,
                state=PlanState.CLOSED if n % 2 else PlanState.ESTABLISHED,
                goals=size,
                interventions_per_goal=size,
                meetings=size,
                versions=size,
            )
        plan_id, individual_id = plan.id, plan.individual_id
        account_id = session.scalar(
            sa.select(Account.id).where(Account.individual_id == individual_id)
        )
        session.commit()
    client = PageClient(app.test_client())
    client.get_page("/sign-in")
    client.post_form("/sign-in/demo", {"account": str(account_id)})
    with counting(app) as home:
        page = client.get_page("/me/")
        assert "Nästa möte" in page.text
    with counting(app) as plan_page:
        page = client.get_page(f"/me/plans/{plan_id}")
        assert f"Mål {size - 1}" in page.text and f"Insats {size - 1}.{size - 1}" in page.text
    return len(home), len(plan_page)


@pytest.mark.usefixtures("demo")
def test_home_and_plan_pages_do_not_grow_with_the_plan(app: Flask) -> None:
    small_home, small_plan = _queries(app, 1)
    big_home, big_plan = _queries(app, 6)
    assert big_home == small_home, (small_home, big_home)
    assert big_plan == small_plan, (small_plan, big_plan)


@pytest.mark.usefixtures("demo")
def test_home_and_plan_pages_do_not_grow_with_the_number_of_plans(app: Flask) -> None:
    one_home, one_plan = _queries(app, 2, others=0)
    many_home, many_plan = _queries(app, 2, others=5)
    assert many_plan == one_plan, (one_plan, many_plan)
    assert many_home == one_home, (one_home, many_home)  # the preparations in one query
    # The account with its session and individual (1), the plan with its parts (9: many-to-ones
    # joined), its access facts (1, ADR 0096), the audit append (3), whether a deferral
    # ended (1): 15
    assert one_plan <= 15, one_plan
    # The account (1), the plans (1), their facts (1), one bundle (1: the upcoming meetings,
    # their participants, the coordinators, the preparations, follow-ups, versions, news and
    # requests; ADR 0108, 0111), the audit append (3, and 2 more where it opens the
    # individual's chain, as here): 9
    assert one_home <= 9, one_home


def test_no_template_global_reads_the_database(app: Flask) -> None:
    """What a page's sections decide is decided by its view, once; templates only show it."""
    were_globals = {"plan_closing", "plan_short_term", "meetings_to_call", "may_change_meeting"}
    assert not were_globals & set(app.jinja_env.globals)


@contextmanager
def transactions(app: Flask) -> Iterator[list[str]]:
    """The statements and the ends of transactions one request sends, in order."""
    seen: list[str] = []
    with app.app_context():
        engine = db.session().get_bind()
    listeners = {
        "before_cursor_execute": lambda *a: seen.append("statement"),
        "commit": lambda *a: seen.append("COMMIT"),
        "rollback": lambda *a: seen.append("ROLLBACK"),
    }
    for name, listener in listeners.items():
        sa.event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for name, listener in listeners.items():
            sa.event.remove(engine, name, listener)


def test_audited_pages_read_everything_before_the_read_s_commit(app: Flask, demo) -> None:
    """The home page, the staff worklist and the staff plan page record their read last: its
    commit ends the request's one transaction, no second one reads on after it (ADR 0103:
    BEGIN … ROLLBACK, two round trips fewer on PostgreSQL)."""
    from tests.conftest import sign_in

    with app.app_context():
        plan_id = db.session().scalar(
            sa.select(Plan.id).join(Plan.individual).where(Individual.given_name == "Gunnel")
        )
    person, staff = PageClient(app.test_client()), PageClient(app.test_client())
    sign_in(person, demo, "gunnel")
    sign_in(staff, demo, "peter")
    for client, path in ((person, "/me/"), (staff, "/staff/"), (staff, f"/staff/plans/{plan_id}")):
        client.get_page(path)
        with transactions(app) as seen:
            client.get_page(path)
        assert seen.count("COMMIT") == 1 and seen[-1] == "COMMIT", (path, seen)
        assert "ROLLBACK" not in seen, (path, seen)

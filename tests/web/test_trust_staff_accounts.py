"""Exploit 10: there was no way to disable the account of a staff member who leaves. A unit
administrator (Peter, in the demo) disables it: no sign-in, sessions ended, listed as disabled."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Staff
from tests import factories
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _colleague_of_peter(app: Flask) -> int:
    with app.app_context():
        session = db.session()
        peter = session.scalar(sa.select(Staff).where(Staff.given_name == "Peter"))
        leaving = factories.staff(session, at=peter.unit)
        session.commit()
        return session.scalar(sa.select(Account.id).where(Account.staff_id == leaving.id))


def _sign_in_account(client: PageClient, account_id: int) -> int:
    client.get_page("/sign-in")
    return client.post_form("/sign-in/demo", {"account": str(account_id)}).status_code


def test_a_unit_administrator_disables_a_leaving_colleague(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    leaving = _colleague_of_peter(app)
    theirs = PageClient(app.test_client())
    assert _sign_in_account(theirs, leaving) == 303
    theirs.get_page("/staff/plans")
    sign_in(client, demo, "peter")
    page = client.get_page("/staff/unit/staff")
    assert "Stäng av kontot" in page.text
    assert client.post_form(f"/staff/unit/staff/{leaving}/disable").status_code == 303
    assert theirs.get("/staff/plans").status_code == 302, "the session outlived the disabling"
    assert _sign_in_account(PageClient(app.test_client()), leaving) == 403
    assert "Avstängt" in client.get_page("/staff/unit/staff").text


def test_staff_who_are_not_unit_administrators_cannot_disable(
    signed_in, app: Flask, demo: Demo
) -> None:
    leaving = _colleague_of_peter(app)
    eva = signed_in("eva")
    assert eva.get("/staff/unit/staff").status_code == 403
    assert eva.post_form(f"/staff/unit/staff/{leaving}/disable").status_code == 403


def test_a_unit_administrator_cannot_disable_another_units_staff_or_themselves(
    signed_in, app: Flask, demo: Demo
) -> None:
    peter = signed_in("peter")
    for name in ("eva", "peter"):
        response = peter.post_form(f"/staff/unit/staff/{demo.account_id(name)}/disable")
        assert response.status_code == 403, name
    with app.app_context():
        assert (
            db.session().scalar(
                sa.select(sa.func.count())
                .select_from(Account)
                .where(Account.disabled_at.is_not(None))
            )
            == 0
        )

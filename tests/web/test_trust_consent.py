"""Exploit 3: consent recorded by anyone. Only whoever leads the plan records consent, and
only for a unit already taking part; the form's list and the server's check are the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import ConsentEvent, Plan, Unit
from portal.timeutil import today_stockholm
from tests.conftest import Demo


def _ids(app: Flask, unit_name: str) -> tuple[int, int]:
    with app.app_context():
        plan = db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))
        unit = db.session().scalar(sa.select(Unit.id).where(Unit.name == unit_name))
        return plan, unit


def _events(app: Flask, plan_id: int, unit_id: int) -> int:
    with app.app_context():
        return (
            db.session().scalar(
                sa.select(sa.func.count())
                .select_from(ConsentEvent)
                .where(ConsentEvent.plan_id == plan_id, ConsentEvent.unit_id == unit_id)
            )
            or 0
        )


@pytest.mark.parametrize("status", ["given", "withdrawn"])
def test_staff_who_do_not_lead_the_plan_cannot_record_consent(
    signed_in, app: Flask, demo: Demo, status: str
) -> None:
    """Lena (home health care, taking part with consent) sees Astrid's plan; Eva leads it."""
    plan_id, unit_id = _ids(app, "Hemtjänst Centrum")
    before = _events(app, plan_id, unit_id)
    client = signed_in("lena")
    page = client.get_page(f"/staff/plans/{plan_id}/consent")
    assert not page.all("select", id="unit"), "the form is offered to someone who does not lead"
    response = client.post_form(
        f"/staff/plans/{plan_id}/consent",
        {
            "unit": str(unit_id),
            "status": status,
            "effective_on": today_stockholm().isoformat(),
            "note": "x",
        },
    )
    assert response.status_code == 403
    assert _events(app, plan_id, unit_id) == before


def test_the_leader_cannot_record_consent_for_a_unit_not_taking_part(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _ids(app, "Biståndshandläggningen")
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{plan_id}/consent")
    offered = page.one("select", id="unit").text  # the consent list (adding is its own form)
    assert "Biståndshandläggningen" not in offered
    response = client.post_form(
        f"/staff/plans/{plan_id}/consent",
        {
            "unit": str(unit_id),
            "status": "given",
            "effective_on": (today_stockholm() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert _events(app, plan_id, unit_id) == 0
    maria = signed_in("maria")
    assert maria.get(f"/staff/plans/{plan_id}").status_code == 404, "the unit can read the plan"


def test_the_service_refuses_as_well(app: Flask, demo: Demo) -> None:
    from portal.models import Account, Staff
    from portal.rules.vocabulary import ConsentMethod, ConsentStatus
    from portal.services.plans import PlanInputError, record_consent
    from portal.timeutil import now

    plan_id, unit_id = _ids(app, "Biståndshandläggningen")
    with app.app_context():
        session = db.session()
        eva = session.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Eva"))
        with pytest.raises(PlanInputError):
            record_consent(
                plan=session.get(Plan, plan_id),
                unit=session.get(Unit, unit_id),
                status=ConsentStatus.GIVEN,
                method=ConsentMethod.RECORDED_BY_STAFF,
                effective_at=now(),
                by=eva,
            )


def test_a_staff_recorded_change_shows_who_recorded_it_and_is_notified(
    signed_in, client, app: Flask, demo: Demo
) -> None:
    from portal.models import Account, Notification

    plan_id, unit_id = _ids(app, "Hemtjänst Centrum")
    eva = signed_in("eva")
    response = eva.post_form(
        f"/staff/plans/{plan_id}/consent",
        {
            "unit": str(unit_id),
            "status": "refused",
            "effective_on": (today_stockholm() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 303
    with app.app_context():
        astrid = db.session().scalar(
            sa.select(Account.id).where(Account.individual.has(given_name="Astrid"))
        )
        kinds = (
            db.session()
            .scalars(sa.select(Notification.kind).where(Notification.account_id == astrid))
            .all()
        )
        assert "consent.recorded_by_staff" in kinds
    astrid_client = signed_in("astrid")
    page = astrid_client.get_page(f"/me/plans/{plan_id}/consent")
    assert "Antecknat av Eva Sjöberg, Hälsocentralen Björkhagen, den" in page.text

"""Issue 11, point 5: consent recorded by staff only by whoever leads the plan, only for units
already taking part; adding a unit is a step of its own that the individual sees and is told
of; every staff-recorded change shows "recorded by <name, unit> on <date>" and is notified
(in the portal and through the outbox)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    ConsentEvent,
    Notification,
    OutboxMessage,
    Plan,
    PlanUnit,
    Unit,
)
from portal.services.plan_units import add_unit
from portal.services.plans import PlanInputError
from portal.timeutil import today_stockholm
from tests.conftest import Demo

ASTRID = "SIP-2026-0011"  # Eva (health centre) leads; Hemtjänst Centrum takes part with consent
NOT_TAKING_PART = "Biståndshandläggningen"
YESTERDAY = (today_stockholm() - timedelta(days=1)).isoformat()


def _ids(app: Flask, unit_name: str) -> tuple[int, int]:
    with app.app_context():
        plan = db.session().scalar(sa.select(Plan.id).where(Plan.number == ASTRID))
        unit = db.session().scalar(sa.select(Unit.id).where(Unit.name == unit_name))
        return plan, unit


def _astrid_account(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Account.id).where(Account.individual.has(given_name="Astrid"))
        )


def _count(app: Flask, model, *where) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_whoever_leads_adds_a_unit_the_individual_sees_it_and_is_told(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _ids(app, NOT_TAKING_PART)
    eva = signed_in("eva")
    page = eva.get_page(f"/staff/plans/{plan_id}/consent")
    assert page.all("option", value=str(unit_id)), "the unit is not offered to add"
    record_list = page.one("select", id="unit")
    assert NOT_TAKING_PART not in record_list.text, "consent offered before the unit takes part"
    assert NOT_TAKING_PART in page.one("select", id="add_unit").text
    response = eva.post_form(f"/staff/plans/{plan_id}/units", {"add_unit": str(unit_id)})
    assert response.status_code == 303
    astrid = _astrid_account(app)
    assert _count(app, PlanUnit, PlanUnit.plan_id == plan_id, PlanUnit.unit_id == unit_id) == 1
    assert _count(app, AuditEvent, AuditEvent.type == "plan_unit.add") == 1
    assert _count(app, Notification, Notification.kind == "plan.unit_added") >= 1
    assert (
        _count(
            app,
            OutboxMessage,
            OutboxMessage.kind == "plan.unit_added",
            OutboxMessage.account_id == astrid,
        )
        == 1
    ), "no e-mail to Astrid"
    mine = signed_in("astrid").get_page(f"/me/plans/{plan_id}/consent").text
    assert NOT_TAKING_PART in mine
    assert "Lades till i planen av Eva Sjöberg, Hälsocentralen Björkhagen" in mine
    assert signed_in("maria").get(f"/staff/plans/{plan_id}").status_code == 404, (
        "added is not consented: the unit must not read the plan yet"
    )


def test_after_adding_the_leader_records_consent_and_the_individual_sees_who(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _ids(app, NOT_TAKING_PART)
    eva = signed_in("eva")
    assert (
        eva.post_form(f"/staff/plans/{plan_id}/units", {"add_unit": str(unit_id)}).status_code
        == 303
    )
    recorded = eva.post_form(
        f"/staff/plans/{plan_id}/consent",
        {"unit": str(unit_id), "status": "given", "effective_on": YESTERDAY},
    )
    assert recorded.status_code == 303
    astrid = _astrid_account(app)
    assert (
        _count(
            app,
            OutboxMessage,
            OutboxMessage.kind == "consent.recorded_by_staff",
            OutboxMessage.account_id == astrid,
        )
        == 1
    ), "the staff-recorded consent was not sent through the outbox"
    mine = signed_in("astrid").get_page(f"/me/plans/{plan_id}/consent").text
    assert "Antecknat av Eva Sjöberg, Hälsocentralen Björkhagen, den" in mine, mine[
        mine.find("Lades") :
    ][:600]
    assert signed_in("maria").get(f"/staff/plans/{plan_id}").status_code == 200


def test_staff_who_do_not_lead_the_plan_cannot_add_a_unit(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _ids(app, NOT_TAKING_PART)
    lena = signed_in("lena")  # sees Astrid's plan; Eva leads it
    assert not lena.get_page(f"/staff/plans/{plan_id}/consent").all("select", id="add_unit")
    assert (
        lena.post_form(f"/staff/plans/{plan_id}/units", {"add_unit": str(unit_id)}).status_code
        == 403
    )
    assert _count(app, PlanUnit) == 0
    with app.app_context():
        session = db.session()
        by = session.scalar(sa.select(Account).where(Account.staff.has(given_name="Lena")))
        with pytest.raises(PlanInputError):
            add_unit(plan=session.get(Plan, plan_id), unit=session.get(Unit, unit_id), by=by)
    assert _count(app, PlanUnit) == 0


@pytest.mark.parametrize("which", ["taking part", "unknown"])
def test_a_unit_outside_the_offered_list_cannot_be_added(
    signed_in, app: Flask, demo: Demo, which: str
) -> None:
    plan_id, taking_part = _ids(app, "Hemtjänst Centrum")
    unit = str(taking_part) if which == "taking part" else "999999"
    eva = signed_in("eva")
    response = eva.post_form(f"/staff/plans/{plan_id}/units", {"add_unit": unit})
    assert response.status_code == 400
    assert "Välj en enhet i listan." in response.get_data(as_text=True)
    assert _count(app, PlanUnit) == 0


def test_consent_for_a_unit_not_added_is_still_refused(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, unit_id = _ids(app, NOT_TAKING_PART)
    response = signed_in("eva").post_form(
        f"/staff/plans/{plan_id}/consent",
        {"unit": str(unit_id), "status": "given", "effective_on": YESTERDAY},
    )
    assert response.status_code == 400
    assert (
        _count(app, ConsentEvent, ConsentEvent.unit_id == unit_id, ConsentEvent.plan_id == plan_id)
        == 0
    )

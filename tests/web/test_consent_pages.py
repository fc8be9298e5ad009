"""Consent from the individual's side: per unit or all, plain words first, and what follows."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, ConsentEvent, Notification, Plan, Unit
from portal.rules.vocabulary import CloseReason, ConsentMethod, ConsentStatus, PlanState
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _plan_and_unit(app: Flask, number: str, unit_name: str) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        plan_id = session.scalar(sa.select(Plan.id).where(Plan.number == number))
        unit_id = session.scalar(sa.select(Unit.id).where(Unit.name == unit_name))
        return plan_id, unit_id


def test_representative_withdraws_one_units_consent_and_the_unit_loses_access(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, home_help = _plan_and_unit(app, "SIP-2026-0004", "Hemtjänst Centrum")
    peter = PageClient(app.test_client())
    sign_in(peter, demo, "peter")
    peter.get_page(f"/staff/plans/{plan_id}")

    client = signed_in("per")
    page = client.get_page(f"/me/plans/{plan_id}/consent")
    assert "Hemtjänst Centrum" in page.text and "Samtycke lämnat" in page.text
    confirm = client.get_page(f"/me/plans/{plan_id}/consent/withdraw?unit={home_help}")
    assert "Hemtjänst Centrum får inte längre se planen för Gunnel" in confirm.text
    response = client.post_form(
        f"/me/plans/{plan_id}/consent", {"action": "withdraw", "unit": str(home_help)}
    )
    assert response.status_code == 303
    page = client.get_page(f"/me/plans/{plan_id}/consent")
    assert "Du har dragit tillbaka samtycket till Hemtjänst Centrum." in page.text
    assert "Samtycke återkallat" in page.text

    peter.get_page(f"/staff/plans/{plan_id}", status=404)  # gone at once
    with app.app_context():
        session = db.session()
        event = session.scalar(sa.select(ConsentEvent).order_by(ConsentEvent.id.desc()).limit(1))
        assert (event.status, event.method) == (ConsentStatus.WITHDRAWN, ConsentMethod.DIGITAL)
        assert event.on_behalf_of_individual
        audit = session.scalar(sa.select(AuditEvent).where(AuditEvent.type == "consent.withdraw"))
        assert audit.actor_name == "Per Andersson" and audit.on_behalf_of_individual_id
        kinds = session.scalars(sa.select(Notification.kind).where(Notification.plan_id == plan_id))
        assert "consent.withdrawn" in list(kinds)  # the coordinator is told

    client.post_form(f"/me/plans/{plan_id}/consent", {"action": "give", "unit": str(home_help)})
    peter.get_page(f"/staff/plans/{plan_id}")  # consent given again: access again


def test_withdrawing_all_consent_ends_the_sip(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, _unit = _plan_and_unit(app, "SIP-2026-0011", "Hemtjänst Centrum")
    client = signed_in("astrid")
    confirm = client.get_page(f"/me/plans/{plan_id}/consent/withdraw?unit=all")
    assert "Din SIP avslutas." in confirm.text
    response = client.post_form(
        f"/me/plans/{plan_id}/consent", {"action": "withdraw", "unit": "all"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/me/")
    home = client.get_page("/me/")
    assert "Din SIP är avslutad." in home.text
    with app.app_context():
        plan = db.session().get(Plan, plan_id)
        assert plan.state is PlanState.CLOSED
        assert plan.close_reason is CloseReason.CONSENT_WITHDRAWN
    client.get_page(f"/me/plans/{plan_id}/consent/withdraw?unit=all", status=404)


def test_an_ordinary_relative_sees_consent_but_cannot_change_it(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _plan_and_unit(app, "SIP-2026-0011", "Hemtjänst Centrum")
    client = signed_in("karin")
    page = client.get_page(f"/me/plans/{plan_id}/consent")
    assert "Bara Astrid själv, eller en god man eller förvaltare, kan ändra samtycket." in page.text
    assert "Dra tillbaka" not in page.text
    client.get_page(f"/me/plans/{plan_id}/consent/withdraw?unit={unit_id}", status=403)
    response = client.post_form(
        f"/me/plans/{plan_id}/consent", {"action": "withdraw", "unit": str(unit_id)}
    )
    assert response.status_code == 403

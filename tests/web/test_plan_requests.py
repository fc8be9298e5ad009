"""My plan's versions in plain words, requests with their answer deadline, the coordinator wish."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import CoordinatorWish, Notification, Plan, PlanRequest, Staff
from portal.rules.deadlines import acknowledgement_due
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _plan(app: Flask, number: str) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == number))


def test_plan_page_tells_what_changed_in_the_draft(signed_in, app: Flask, demo: Demo) -> None:
    page = signed_in("per").get_page(f"/me/plans/{_plan(app, 'SIP-2026-0004')}")
    assert "Utkast, väntar på underskrift" in page.text
    assert "Det här har ändrats sedan version 1:" in page.text
    assert "Ny insats från Hemtjänst Centrum: Hjälp morgon, lunch och kväll" in page.text
    assert "Hemtjänst Centrum gör inte längre: Hjälp med morgon och kväll" in page.text


def test_a_request_is_answered_by_the_weekday_rule(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _plan(app, "SIP-2026-0004")
    client = signed_in("per")
    client.get_page(f"/me/plans/{plan_id}/requests")
    response = client.post_form(
        f"/me/plans/{plan_id}/requests",
        {"kind": "sooner_follow_up", "message": "Gunnel har blivit sämre."},
    )
    assert response.status_code == 303
    page = client.get_page(f"/me/plans/{plan_id}/requests")
    assert "Skickat. Du får svar senast" in page.text
    assert "Gunnel har blivit sämre." in page.text and "skrivet av Per Andersson" in page.text
    with app.app_context():
        session = db.session()
        sent = session.scalar(sa.select(PlanRequest).where(PlanRequest.plan_id == plan_id))
        assert sent.acknowledgement_due_at == acknowledgement_due(sent.created_at)
        fatima_notes = session.scalars(
            sa.select(Notification.kind).where(Notification.plan_id == plan_id)
        ).all()
        assert "request.sooner_follow_up" in fatima_notes


def test_a_request_needs_a_kind_and_keeps_the_text(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _plan(app, "SIP-2026-0004")
    client = signed_in("per")
    client.get_page(f"/me/plans/{plan_id}/requests")
    response = client.post_form(f"/me/plans/{plan_id}/requests", {"message": "Hjälp"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Välj vad du vill be om." in html and ">Hjälp</textarea>" in html


def test_a_relative_without_the_right_reads_but_cannot_ask(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan(app, "SIP-2026-0011")
    client = signed_in("karin")
    page = client.get_page(f"/me/plans/{plan_id}/requests")
    assert "Vad vill du be om?" not in page.text
    response = client.post_form(f"/me/plans/{plan_id}/requests", {"kind": "end_plan"})
    assert response.status_code == 403


def test_coordinator_wish_is_saved_and_its_outcome_shown(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _plan(app, "SIP-2026-0011")
    client = signed_in("astrid")
    page = client.get_page(f"/me/plans/{plan_id}/coordinator-wish")
    assert "Eva Sjöberg, distriktssköterska, Hälsocentralen Björkhagen" in page.text
    with app.app_context():
        eva = db.session().scalar(sa.select(Staff.id).where(Staff.given_name == "Eva"))
    missing = client.post_form(f"/me/plans/{plan_id}/coordinator-wish", {"staff": "other"})
    assert missing.status_code == 422
    client.post_form(
        f"/me/plans/{plan_id}/coordinator-wish",
        {"staff": str(eva), "reason": "Jag känner henne sedan länge."},
    )
    page = client.get_page(f"/me/plans/{plan_id}/coordinator-wish")
    assert "Ditt önskemål är sparat." in page.text and "Ingen är utsedd ännu." in page.text
    with app.app_context():
        wish = db.session().scalar(
            sa.select(CoordinatorWish).where(CoordinatorWish.plan_id == plan_id)
        )
        assert wish.staff_id == eva and wish.reason == "Jag känner henne sedan länge."
    staff = PageClient(app.test_client())
    sign_in(staff, demo, "eva")
    assert "Jag känner henne sedan länge." in staff.get_page(f"/staff/plans/{plan_id}").text


def test_the_answer_reaches_the_home_page_until_seen(signed_in, app: Flask, demo: Demo) -> None:
    from portal.services.plans import acknowledge_request

    plan_id = _plan(app, "SIP-2026-0004")
    client = signed_in("per")
    client.get_page(f"/me/plans/{plan_id}/requests")
    client.post_form(f"/me/plans/{plan_id}/requests", {"kind": "end_plan", "message": ""})
    with app.app_context():
        session = db.session()
        request = session.scalar(sa.select(PlanRequest).where(PlanRequest.plan_id == plan_id))
        fatima = session.scalar(sa.select(Staff).where(Staff.given_name == "Fatima"))
        from portal.models import Account

        account = session.scalar(sa.select(Account).where(Account.staff_id == fatima.id))
        acknowledge_request(request=request, by=account, response="Vi ringer dig.")
    home = client.get_page("/me/")
    assert "En fråga om planen för Gunnel har fått svar." in home.text
    response = client.post_form(f"/me/plans/{plan_id}/seen", {})
    assert response.status_code == 303
    assert "Du har fått svar på din fråga." not in client.get_page("/me/").text

"""Handing the coordinator's role over: Gunnel's plan goes from Fatima (ÄlSa) to Peter
(home help); Peter accepts; Per, her god man, is told in the portal."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, CoordinatorAssignment, Individual, Plan, Staff
from portal.rules.vocabulary import PlanState
from portal.timeutil import today_stockholm
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _plan_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


def _staff_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Staff.id).where(Staff.given_name == given_name))


def _client(app: Flask, demo: Demo, name: str) -> PageClient:
    client = PageClient(app.test_client())
    sign_in(client, demo, name)
    return client


def _handover(app: Flask, **changes: str) -> dict[str, str]:
    return {
        "coordinator_id": str(_staff_id(app, "Peter")),
        "reason": "Gunnel har lämnat ÄlSa-teamet; hemtjänsten är nu mest hos henne.",
        "effective_on": today_stockholm().isoformat(),
        **changes,
    }


def test_fatima_sees_the_suggestion_with_the_wish_beside_it(app: Flask, demo: Demo) -> None:
    fatima = _client(app, demo, "fatima")
    page = fatima.get_page(f"/staff/plans/{_plan_id(app, 'Gunnel')}/coordinator")
    assert "Samordningsansvarig nu" in page.text and "0601-12 35 00" in page.text
    assert "Ansluten till ÄlSa: ÄlSa-teamet" in page.text
    assert "Den enskilde har inte önskat någon" in page.text
    assert "ÄlSa-teamet är bäst lämpat [000]" in page.text, "the history keeps the reason"
    select = page.one("select", id="coordinator_id")
    assert select.text.count("förslag") == 1 and "Fatima Al-Hassan" in select.text
    with app.app_context():
        read = db.session().scalar(
            sa.select(AuditEvent).where(AuditEvent.type == "coordinator.read")
        )
        assert read.actor_name == "Fatima Al-Hassan"


def test_hand_over_accept_and_the_god_man_is_told(app: Flask, demo: Demo) -> None:
    plan_id = _plan_id(app, "Gunnel")
    fatima = _client(app, demo, "fatima")
    response = fatima.post_form(f"/staff/plans/{plan_id}/coordinator", _handover(app))
    assert response.status_code == 303
    waiting = fatima.get_page(response.headers["Location"])
    assert "Överlämning som väntar" in waiting.text and "Väntar" in waiting.text

    peter = _client(app, demo, "peter")
    plan_page = peter.get_page(f"/staff/plans/{plan_id}")
    assert "Överlämning till Peter Strand väntar på att godtas." in plan_page.text
    form = plan_page.one("form", action=f"/staff/coordinator-assignments/{_pending(app)}/accept")
    assert peter.post_form(form.attrs["action"]).status_code == 303

    after = peter.get_page(f"/staff/plans/{plan_id}")
    assert "Peter Strand, enhetschef, Hemtjänst Centrum" in after.text
    assert "väntar på att godtas" not in after.text
    history = peter.get_page(f"/staff/plans/{plan_id}/coordinator")
    assert "Gunnel har lämnat ÄlSa-teamet" in history.text

    per = _client(app, demo, "per")
    home = per.get_page("/me/")
    assert "Gunnel har fått en ny samordningsansvarig." in home.text
    assert "Peter Strand" in per.get_page(f"/me/plans/{plan_id}").text


def _pending(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(CoordinatorAssignment.id).where(
                CoordinatorAssignment.accepted_at.is_(None),
                CoordinatorAssignment.ended_at.is_(None),
            )
        )


def test_only_the_coordinator_may_hand_over(app: Flask, demo: Demo) -> None:
    plan_id = _plan_id(app, "Gunnel")
    eva = _client(app, demo, "eva")  # convener of Gunnel's plan; Fatima coordinates
    assert eva.post_form(f"/staff/plans/{plan_id}/coordinator", _handover(app)).status_code == 403
    page = eva.get_page(f"/staff/plans/{plan_id}/coordinator")
    assert "Bara Fatima Al-Hassan, som leder planen, kan lämna över" in page.text
    nina = _client(app, demo, "nina")  # short-term stay: takes no part in Gunnel's plan
    assert nina.post_form(f"/staff/plans/{plan_id}/coordinator", _handover(app)).status_code == 404
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count(CoordinatorAssignment.id))) == 3


def test_without_a_reason_nothing_typed_is_lost(app: Flask, demo: Demo) -> None:
    plan_id = _plan_id(app, "Gunnel")
    fatima = _client(app, demo, "fatima")
    response = fatima.post_form(
        f"/staff/plans/{plan_id}/coordinator",
        _handover(
            app, reason="  ", effective_on="2099-01-31", coordinator_id=str(_staff_id(app, "Lena"))
        ),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Skriv varför samordningsansvaret lämnas över." in html
    assert 'value="2099-01-31"' in html
    assert f'<option value="{_staff_id(app, "Lena")}" selected>' in html
    assert _pending(app) is None


def test_no_handover_before_the_first_meeting(app: Flask, demo: Demo) -> None:
    plan_id = _plan_id(app, "Astrid")
    eva = _client(app, demo, "eva")  # convener, and leads Astrid's plan until a coordinator
    page = eva.get_page(f"/staff/plans/{plan_id}/coordinator")
    assert "kan lämnas över först efter det första SIP-mötet" in page.text
    response = eva.post_form(f"/staff/plans/{plan_id}/coordinator", _handover(app))
    assert response.status_code == 400
    assert "först efter det första SIP-mötet" in response.get_data(as_text=True)
    assert _pending(app) is None


def test_only_the_receiver_accepts(app: Flask, demo: Demo) -> None:
    plan_id = _plan_id(app, "Gunnel")
    fatima = _client(app, demo, "fatima")
    fatima.post_form(f"/staff/plans/{plan_id}/coordinator", _handover(app))
    accept = f"/staff/coordinator-assignments/{_pending(app)}/accept"
    assert fatima.post_form(accept).status_code == 403
    assert _client(app, demo, "nina").post_form(accept).status_code == 404
    peter = _client(app, demo, "peter")
    declined = peter.post_form(f"/staff/coordinator-assignments/{_pending(app)}/decline")
    assert declined.status_code == 303
    assert _pending(app) is None
    page = fatima.get_page(f"/staff/plans/{plan_id}/coordinator")
    assert "Tog aldrig över" in page.text


def test_the_wish_is_shown_beside_the_suggestion_and_recorded_as_met(
    app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, "Gunnel")
    peter_id = str(_staff_id(app, "Peter"))
    per = _client(app, demo, "per")
    wished = per.post_form(
        f"/me/plans/{plan_id}/coordinator-wish", {"staff": peter_id, "reason": "Han känner henne."}
    )
    assert wished.status_code == 303
    fatima = _client(app, demo, "fatima")
    page = fatima.get_page(f"/staff/plans/{plan_id}/coordinator")
    assert "Förslaget följer den enskildes önskemål" in page.text
    assert "Han känner henne." in page.text
    peter_option = next(o for o in page.all("option") if o.attrs.get("value") == peter_id)
    assert "förslag" in peter_option.text and "den enskildes önskemål" in peter_option.text
    assert "selected" in peter_option.attrs, "the wish wins: Peter is chosen in advance"
    fatima.post_form(f"/staff/plans/{plan_id}/coordinator", _handover(app))
    pending = _pending(app)
    assert "Ingen är utsedd ännu." in per.get_page(f"/me/plans/{plan_id}/coordinator-wish").text
    peter = _client(app, demo, "peter")
    assert peter.post_form(f"/staff/coordinator-assignments/{pending}/accept").status_code == 303
    history = peter.get_page(f"/staff/plans/{plan_id}/coordinator")
    met = [
        " ".join(td.text.split())
        for td in history.all("td")
        if td.attrs.get("data-label") == "Önskemål uppfyllt"
    ]
    assert met == ["Ja", "Ja"], "newest first: Peter (wished) and Fatima (from the demo)"
    outcome = per.get_page(f"/me/plans/{plan_id}/coordinator-wish")
    assert "Önskemålet blev uppfyllt: Peter Strand är utsedd." in outcome.text
    again = peter.post_form(f"/staff/coordinator-assignments/{pending}/accept")
    assert again.status_code == 409
    assert "Överlämningen gäller inte längre." in again.get_data(as_text=True)


def test_the_coordinator_page_reads_in_english(app: Flask, demo: Demo) -> None:
    fatima = _client(app, demo, "fatima")
    page = fatima.get_page(f"/staff/plans/{_plan_id(app, 'Gunnel')}/coordinator?lang=en")
    assert "Coordinator now" in page.text and "Connected to ÄlSa" in page.text

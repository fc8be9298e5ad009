"""Starting a SIP: find or register the person, context, units, consent; errors keep the input."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, ConsentEvent, Individual, Plan, Unit
from portal.rules.identity import format_pin
from portal.rules.vocabulary import ConsentStatus, PlanContext, PlanState
from portal.services.demo_world import test_pin as make_pin
from portal.timeutil import today_stockholm
from tests.conftest import Demo
from tests.support.pages import parse
from tests.support.summer_time import last_summer_time_night

NEW_PIN = format_pin(make_pin("19500101", "990"))  # 19500101-9908 style: valid, unknown
ASTRID_PIN = format_pin(make_pin("19410312", "982"))


def _unit_ids(app: Flask, *names: str) -> list[str]:
    with app.app_context():
        units = db.session().scalars(sa.select(Unit).where(Unit.name.in_(names))).all()
        return [str(u.id) for u in units]


def _start_form(app: Flask, **changes: object) -> dict[str, object]:
    yesterday = today_stockholm() - timedelta(days=1)
    form: dict[str, object] = {
        "step": "start",
        "plan_fields": "1",
        "personal_identity_number": NEW_PIN,
        "given_name": "Elsa",
        "family_name": "Berglund",
        "registered_address": "Ängsvägen 2, Norrsund",
        "phone": "070-123 45 67",
        "context": "after_discharge",
        "ready_on": yesterday.isoformat(),
        "ready_at": "09:30",
        "preliminary_discharge_on": today_stockholm().isoformat(),
        "units": _unit_ids(app, "Hälsocentralen Björkhagen", "Hemtjänst Centrum"),
        "consent": "verbal",
        "consent_on": yesterday.isoformat(),
    }
    form.update(changes)
    return form


def test_find_an_unknown_person_then_register_and_start(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("eva")
    page = client.get_page("/staff/start")
    assert page.text_of("h1") == ["Starta en SIP"]
    assert not page.all("input", name="given_name"), "first the identity number"
    found = client.post_form("/staff/start", {"step": "find", "personal_identity_number": NEW_PIN})
    assert found.status_code == 200
    assert "Ingen person med det personnumret finns" in found.get_data(as_text=True)
    response = client.post_form("/staff/start", _start_form(app))
    assert response.status_code == 303
    plan_page = client.get_page(response.headers["Location"])
    assert "SIP:en är startad" in plan_page.text
    invite = plan_page.all(
        "a",
        href=f"/staff/plans/{response.headers['Location'].split('/')[-1].split('?')[0]}/account-invitation",
    )
    assert invite and invite[0].text.strip() == "Skapa inbjudan till portalen"
    with app.app_context():
        elsa = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Elsa"))
        assert elsa.registered_address == "Ängsvägen 2, Norrsund"
        plan = db.session().scalar(sa.select(Plan).where(Plan.individual_id == elsa.id))
        assert plan.context is PlanContext.AFTER_DISCHARGE and plan.state is PlanState.INITIATED
        assert plan.ready_for_discharge_at is not None
        consents = (
            db.session()
            .scalars(sa.select(ConsentEvent).where(ConsentEvent.plan_id == plan.id))
            .all()
        )
        assert {c.status for c in consents} == {ConsentStatus.GIVEN} and len(consents) == 2
        types = set(db.session().scalars(sa.select(AuditEvent.type)))
        assert {"individual.register", "plan.start", "consent.record"} <= types
    worklist = client.get_page("/staff/")
    assert "Elsa Berglund" in worklist.text and "Kalla till SIP-möte" in worklist.text


def test_an_invalid_identity_number_keeps_everything_typed(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    client.get_page("/staff/start")
    wrong = NEW_PIN[:-1] + str((int(NEW_PIN[-1]) + 1) % 10)
    response = client.post_form(
        "/staff/start",
        _start_form(app, personal_identity_number=wrong, consent_note="Hörde dåligt"),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Sista siffran stämmer inte" in html
    assert f'value="{wrong}"' in html
    assert 'value="Elsa"' in html and 'value="09:30"' in html and "Hörde dåligt" in html
    with app.app_context():
        assert (
            db.session().scalar(
                sa.select(sa.func.count())
                .select_from(Individual)
                .where(Individual.given_name == "Elsa")
            )
            == 0
        )


def test_a_known_person_is_found_masked_with_active_plans(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    client.get_page("/staff/start")
    found = client.post_form(
        "/staff/start", {"step": "find", "personal_identity_number": ASTRID_PIN}
    )
    assert found.status_code == 200
    page = parse(found.get_data(as_text=True))
    assert "Astrid Lindqvist, 19410312-****" in page.text
    assert "SIP-2026-0011" in page.text and ASTRID_PIN not in page.text
    assert not page.all("input", name="given_name"), "a known person is not registered again"
    response = client.post_form(
        "/staff/start",
        _start_form(app, personal_identity_number=ASTRID_PIN, given_name="", family_name=""),
    )
    assert response.status_code == 303
    with app.app_context():
        astrid = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Astrid"))
        plans = db.session().scalars(sa.select(Plan).where(Plan.individual_id == astrid.id)).all()
        assert len(plans) == 3
        assert db.session().scalar(
            sa.select(AuditEvent).where(
                AuditEvent.type == "individual.lookup",
                AuditEvent.subject_individual_id == astrid.id,
            )
        )


def test_consent_not_given_tells_what_may_still_be_shared(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    client.get_page("/staff/start")
    response = client.post_form(
        "/staff/start", _start_form(app, consent="not_given", consent_on="")
    )
    assert response.status_code == 303
    page = client.get_page(response.headers["Location"])
    assert "Samtycke är inte lämnat" in page.text
    assert (
        "bara namn, personnummer, folkbokföringsadress och preliminärt utskrivningsdatum"
        in page.text
    )
    with app.app_context():
        statuses = (
            db.session()
            .scalars(
                sa.select(ConsentEvent.status)
                .join(Plan)
                .join(Individual)
                .where(Individual.given_name == "Elsa")
            )
            .all()
        )
        assert set(statuses) == {ConsentStatus.REFUSED}


def test_after_discharge_needs_the_ready_time_and_cannot_consent_needs_a_reason(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    client.get_page("/staff/start")
    response = client.post_form(
        "/staff/start", _start_form(app, ready_on="", ready_at="", consent="cannot", units=[])
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        'id="ready_on-error"' in html and "Skriv datum och klockslag för utskrivningsklar" in html
    )
    assert "Skriv varför personen inte kan lämna samtycke" in html
    assert "Välj minst en enhet som deltar" in html
    assert 'id="consent-cannot" name="consent" value="cannot" checked' in html
    boxes = parse(html).all("input", name="units")
    assert boxes and not [b for b in boxes if "checked" in b.attrs], "none ticked, none re-ticked"


def test_digital_consent_asks_each_unit_and_short_stay_defers(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    client.get_page("/staff/start")
    response = client.post_form(
        "/staff/start",
        _start_form(
            app,
            context="after_short_term_stay",
            ready_on="",
            ready_at="",
            consent="digital",
            reassess_before_home_on=(today_stockholm() + timedelta(days=7)).isoformat(),
        ),
    )
    assert response.status_code == 303
    with app.app_context():
        plan = db.session().scalar(
            sa.select(Plan).join(Individual).where(Individual.given_name == "Elsa")
        )
        assert plan.state is PlanState.DEFERRED and plan.sip_wished
        statuses = {e.status for e in plan.consent_events}
        assert statuses == {ConsentStatus.REQUESTED}


def test_a_ready_time_in_the_hour_the_clock_skips_is_refused_not_moved_an_hour(
    signed_in, app: Flask, demo: Demo
) -> None:
    """02.30 on the night to summer time is no time: it would have been stored as 03.30."""
    client = signed_in("eva")
    client.get_page("/staff/start")
    night = last_summer_time_night(today_stockholm()).isoformat()
    response = client.post_form("/staff/start", _start_form(app, ready_on=night, ready_at="02:30"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Klockslaget finns inte den dagen" in html and 'value="02:30"' in html
    assert "Ängsvägen 2, Norrsund" in html  # everything typed is kept

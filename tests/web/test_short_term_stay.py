"""The short-term-stay routine [002]: defer during the stay, re-ask before the return home."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, Plan, Staff
from portal.rules.vocabulary import CloseReason, PlanContext, PlanState
from portal.timeutil import today_stockholm
from tests import factories
from tests.conftest import Demo
from tests.support.pages import Page

BENGT = "SIP-2026-0012"


def _bengt(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT))


def _staff_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Staff.id).where(Staff.given_name == given_name))


def _plan(app: Flask, plan_id: int) -> Plan:
    with app.app_context():
        plan = db.session().get(Plan, plan_id)
        db.session().expunge(plan)
        return plan


def _outcomes(page: Page) -> list[str]:
    return [e.attrs["value"] for e in page.all("input", type="radio", name="outcome")]


def test_reassess_need_remains_reactivates_bengts_plan_with_the_needs_assessor_as_convener(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    client = signed_in("maria")
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Planen väntar under korttidsvistelsen och önskemålet står kvar." in page.text
    form = client.get_page(page.one("a", href=f"/staff/plans/{plan_id}/reassess").attrs["href"])
    assert _outcomes(form) == [
        "need_remains",
        "health_care_only",
        "no_need",
        "not_wanted",
        "plan_changed",
    ]
    response = client.post_form(f"/staff/plans/{plan_id}/reassess", {"outcome": "need_remains"})
    assert response.status_code == 303
    plan = _plan(app, plan_id)
    assert plan.state is PlanState.INITIATED
    assert plan.context is PlanContext.AFTER_SHORT_TERM_STAY
    assert plan.convener_id == _staff_id(app, "Maria")
    assert plan.reassess_before_home_on is None and plan.sip_wished
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Påbörjad" in page.text and "Efter korttidsvistelse" in page.text
    assert "Maria Lund, Biståndshandläggningen" in page.text
    with app.app_context():
        event = db.session().scalar(sa.select(AuditEvent).where(AuditEvent.type == "plan.reassess"))
        assert (event.detail, event.actor_name) == ("need_remains", "Maria Lund")


def test_reassess_health_care_only_makes_the_nurse_who_noticed_it_the_convener(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    nina = _staff_id(app, "Nina")
    client = signed_in("nina")  # nurse at the short-term stay
    form = client.get_page(f"/staff/plans/{plan_id}/reassess")
    assert _outcomes(form) == ["health_care_only"]
    chosen = form.one("option", value=str(nina))
    assert "selected" in chosen.attrs  # she noticed the need: she calls
    response = client.post_form(
        f"/staff/plans/{plan_id}/reassess",
        {"outcome": "health_care_only", "health_care_convener": str(nina)},
    )
    assert response.status_code == 303
    plan = _plan(app, plan_id)
    assert (plan.state, plan.convener_id) == (PlanState.INITIATED, nina)
    assert plan.context is PlanContext.AFTER_SHORT_TERM_STAY


def test_reassess_refuses_a_needs_assessor_as_caller_for_health_care_only(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    client = signed_in("maria")
    response = client.post_form(
        f"/staff/plans/{plan_id}/reassess",
        {
            "outcome": "health_care_only",
            "health_care_convener": str(_staff_id(app, "Maria")),
            "note": "Såret behöver följas.",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Välj vem som kallar" in html and "Såret behöver följas." in html
    assert _plan(app, plan_id).state is PlanState.DEFERRED


def test_reassess_no_need_closes_the_plan_and_the_wish_stays_recorded(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    response = signed_in("maria").post_form(
        f"/staff/plans/{plan_id}/reassess", {"outcome": "no_need", "note": "Klarar sig själv."}
    )
    assert response.status_code == 303
    plan = _plan(app, plan_id)
    assert (plan.state, plan.close_reason) == (PlanState.CLOSED, CloseReason.NO_LONGER_NEEDED)
    assert plan.sip_wished and plan.close_note == "Klarar sig själv."


def test_reassess_plan_changed_hands_it_to_the_health_centre(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    eva = _staff_id(app, "Eva")
    response = signed_in("maria").post_form(
        f"/staff/plans/{plan_id}/reassess",
        {"outcome": "plan_changed", "health_centre_convener": str(eva)},
    )
    assert response.status_code == 303
    plan = _plan(app, plan_id)
    assert (plan.state, plan.convener_id) == (PlanState.INITIATED, eva)
    assert plan.context is PlanContext.AFTER_DISCHARGE


def test_reassess_is_refused_to_staff_outside_needs_assessment_and_health_care(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    with app.app_context():  # let home help see the plan: make Peter its convener
        peter = db.session().scalar(sa.select(Staff).where(Staff.given_name == "Peter"))
        db.session().get(Plan, plan_id).convener_id = peter.id
        db.session().commit()
    page = signed_in("peter").get_page(f"/staff/plans/{plan_id}/reassess", status=403)
    assert "Biståndshandläggaren frågar före hemgång" in page.text


def test_defer_records_the_wish_and_the_day_to_re_ask(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        session = db.session()
        eva = session.scalar(sa.select(Staff).where(Staff.given_name == "Eva"))
        plan_id = factories.plan(
            session, convener=eva, state=PlanState.INITIATED, meetings=0, versions=0
        ).id
        session.commit()
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "SIP önskas – vänta under korttidsvistelsen" in page.text
    alone = client.get_page(f"/staff/plans/{plan_id}/defer")  # the same form on its own page
    assert alone.one("form", action=f"/staff/plans/{plan_id}/defer")
    response = client.post_form(
        f"/staff/plans/{plan_id}/defer", {"reassess_before_home_on": "2001-01-01"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Välj ett datum mellan" in html and 'value="2001-01-01"' in html
    day = today_stockholm() + timedelta(days=7)
    response = client.post_form(
        f"/staff/plans/{plan_id}/defer", {"reassess_before_home_on": day.isoformat()}
    )
    assert response.status_code == 303
    plan = _plan(app, plan_id)
    assert (plan.state, plan.reassess_before_home_on) == (PlanState.DEFERRED, day)
    assert plan.sip_wished and plan.context is PlanContext.AFTER_SHORT_TERM_STAY
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Biståndshandläggaren frågar igen senast" in page.text
    assert "SIP önskas – vänta under korttidsvistelsen" not in page.text


def test_defer_is_refused_once_the_first_meeting_is_called(
    signed_in, app: Flask, demo: Demo
) -> None:
    with app.app_context():
        astrid = db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))
    client = signed_in("eva")
    assert "vänta under korttidsvistelsen" not in client.get_page(f"/staff/plans/{astrid}").text
    day = (today_stockholm() + timedelta(days=7)).isoformat()
    response = client.post_form(f"/staff/plans/{astrid}/defer", {"reassess_before_home_on": day})
    assert response.status_code == 403
    client.get_page(f"/staff/plans/{astrid}/defer", status=403)
    assert _plan(app, astrid).state is PlanState.INVITED


def test_no_one_calls_the_sip_while_the_plan_is_deferred(signed_in, app: Flask, demo: Demo) -> None:
    """[002]: the SIP waits; calling it must not end the deferral behind anyone's back."""
    plan_id = _bengt(app)
    before = _plan(app, plan_id)
    for who in ("eva", "maria"):  # the health centre, and even the needs assessor
        client = signed_in(who)
        client.get_page(f"/staff/plans/{plan_id}/meetings/new?kind=first", status=403)
        response = client.post_form(
            f"/staff/plans/{plan_id}/meetings/new?kind=first", {"purpose": "SIP hemma"}
        )
        assert response.status_code == 403
        client.post_form("/sign-out")
    plan = _plan(app, plan_id)
    assert plan.state is PlanState.DEFERRED
    assert plan.reassess_before_home_on == before.reassess_before_home_on  # re-ask task stays


def test_the_deferral_ends_only_by_the_recorded_re_assessment_then_the_assessor_calls(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    client = signed_in("maria")
    response = client.post_form(f"/staff/plans/{plan_id}/reassess", {"outcome": "need_remains"})
    assert response.status_code == 303
    page = client.get_page(f"/staff/plans/{plan_id}/meetings/new?kind=first")
    assert page.text_of("h1") == ["Kalla till möte"]
    with app.app_context():
        types = db.session().scalars(sa.select(AuditEvent.type)).all()
        assert "plan.reassess" in types

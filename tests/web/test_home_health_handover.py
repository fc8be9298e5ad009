"""A planning meeting about handing over home-health responsibility is recorded as its own
kind and never confused with the SIP meeting [002]: not on the staff pages, not in the
plan's state, not on the individual's home page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Meeting, Plan
from portal.rules.vocabulary import MeetingKind, PlanState
from tests.conftest import Demo, sign_in
from tests.support.meeting_forms import (
    current_plan_id,
    invitation_form,
    staff_id,
    weekday_in,
)
from tests.support.pages import PageClient

LABEL = "Planeringsmöte om överlämning av hemsjukvård – inte ett SIP-möte"


def _handover(app: Flask, plan_id: int) -> Meeting:
    with app.app_context():
        meeting = db.session().scalar(
            sa.select(Meeting).where(
                Meeting.plan_id == plan_id, Meeting.kind == MeetingKind.HOME_HEALTH_HANDOVER
            )
        )
        db.session().expunge(meeting)
        return meeting


def test_handover_meeting_during_a_short_term_stay_leaves_the_sip_waiting(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Bengt")
    client = signed_in("maria")
    url = f"/staff/plans/{plan_id}/meetings/new?kind=home_health_handover"
    page = client.get_page(url)
    assert LABEL in page.text and "räknas inte som SIP-mötet" in page.text
    assert "Skicka kallelsen senast" not in page.text, "the SIP deadline is not this meeting's"
    form = invitation_form(
        app,
        convener=str(staff_id(app, "Maria")),
        called=[str(staff_id(app, "Nina")), str(staff_id(app, "Eva"))],
        invited=[],
        place="Korttidsboendet Lärkan, rum 12",
        form="other_place",
    )
    response = client.post_form(url, form)
    assert response.status_code == 303, response.get_data(as_text=True)
    shown = client.get_page(response.headers["Location"])
    assert LABEL in shown.text
    with app.app_context():
        assert db.session().get(Plan, plan_id).state is PlanState.DEFERRED, "the plan waits"
    assert _handover(app, plan_id).place == "Korttidsboendet Lärkan, rum 12"
    bengt = PageClient(app.test_client())
    sign_in(bengt, demo, "bengt")
    home = bengt.get_page("/me/")
    assert "Din SIP väntar medan du bor på korttidsboendet" in home.text
    assert LABEL in home.text and "Du är kallad till ett möte." in home.text
    assert "SIP-möte är" not in home.text
    plan_page = client.get_page(f"/staff/plans/{plan_id}")
    assert LABEL in plan_page.one("section", **{"aria-labelledby": "meetings"}).text


def test_a_sooner_handover_meeting_does_not_hide_astrids_first_sip_meeting(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Astrid")
    client = signed_in("peter")  # any unit of the plan may call it; Peter does not lead
    url = f"/staff/plans/{plan_id}/meetings/new?kind=home_health_handover"
    form = invitation_form(
        app,
        convener=str(staff_id(app, "Peter")),
        called=[str(staff_id(app, "Lena"))],
        day=weekday_in(1).isoformat(),
        starts="08:30",
        ends="09:00",
        form="phone",
        place="",
        join_info="Lena ringer Peter på 0601-19 00 30",
    )
    assert client.post_form(url, form).status_code == 303
    with app.app_context():
        plan = db.session().get(Plan, plan_id)
        assert plan.state is PlanState.INVITED
        assert plan.convener.given_name == "Eva", "a handover meeting does not take the lead"
        first = next(m for m in plan.meetings if m.kind is MeetingKind.FIRST)
        first_day = first.starts_at
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    home = astrid.get_page("/me/")
    lead = home.one("p", class_="lead").text
    assert "Ditt första SIP-möte är" in lead
    assert "kl. 10.00" in lead, f"the SIP meeting's own time ({first_day}), not the handover's"
    assert LABEL in home.text, "the handover meeting is shown under its own name"
    prepare = astrid.get_page(f"/me/plans/{plan_id}/prepare")
    assert "Inför första SIP-mötet" in prepare.text
    assert "överlämning" not in prepare.text.split("Inför", 1)[1][:80]


def test_only_those_who_lead_call_sip_meetings_but_any_unit_calls_a_handover(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("peter")
    plan_id = current_plan_id(app, "Astrid")
    assert client.get(f"/staff/plans/{plan_id}/meetings/new?kind=first").status_code == 403
    page = client.get_page(f"/staff/plans/{plan_id}")
    section = page.one("section", **{"aria-labelledby": "meetings"})
    assert "Planeringsmöte om hemsjukvård" in section.text
    assert "Kalla till" not in section.text

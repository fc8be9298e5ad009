"""A new hospital episode starts a new plan linked to the earlier one [000][004]."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, ConsentEvent, Plan
from portal.rules.vocabulary import (
    CloseReason,
    ConsentMethod,
    ConsentStatus,
    PlanContext,
    PlanState,
)
from portal.timeutil import STOCKHOLM, now, today_stockholm
from tests.conftest import Demo
from tests.support.summer_time import last_summer_time_night

GUNNEL = "SIP-2026-0004"


def _plan(app: Flask, number: str) -> tuple[int, int]:
    with app.app_context():
        plan = db.session().scalar(sa.select(Plan).where(Plan.number == number))
        return plan.id, plan.individual_id


def _ready(hours_ago: int = 5) -> str:
    return (now() - timedelta(hours=hours_ago)).astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


def _newest(app: Flask, individual_id: int) -> Plan:
    with app.app_context():
        session = db.session()
        plan = session.scalar(
            sa.select(Plan).where(Plan.individual_id == individual_id).order_by(Plan.id.desc())
        )
        session.expunge(plan)
        return plan


def test_new_episode_closes_the_earlier_plan_as_replaced_and_carries_consent_over(
    signed_in, app: Flask, demo: Demo
) -> None:
    earlier_id, gunnel = _plan(app, GUNNEL)
    client = signed_in("eva")
    form = client.get_page(f"/staff/plans/{earlier_id}/new-episode")
    assert "ÄlSa-teamet Norrsund" in form.text  # the units whose consent may be carried over
    response = client.post_form(
        f"/staff/plans/{earlier_id}/new-episode",
        {
            "context": "after_discharge",
            "ready_for_discharge_at": _ready(),
            "previous": "close",
            "consent_confirmed": "yes",
        },
    )
    assert response.status_code == 303
    new = _newest(app, gunnel)
    assert response.headers["Location"].endswith(f"/staff/plans/{new.id}")
    assert (new.previous_plan_id, new.state, new.context) == (
        earlier_id,
        PlanState.INITIATED,
        PlanContext.AFTER_DISCHARGE,
    )
    page = client.get_page(f"/staff/plans/{new.id}")
    assert "Eva Sjöberg" in page.text  # the care contact is the convener
    assert page.one("a", href=f"/staff/plans/{earlier_id}").text == GUNNEL
    old_page = client.get_page(f"/staff/plans/{earlier_id}")
    assert "Ersatt av en ny plan" in old_page.text
    assert old_page.one("a", href=f"/staff/plans/{new.id}").text == new.number
    with app.app_context():
        session = db.session()
        earlier = session.get(Plan, earlier_id)
        assert earlier.close_reason is CloseReason.REPLACED_BY_NEW_PLAN
        assert [v.number for v in earlier.versions] == [1, 2]  # its information is kept
        events = session.scalars(sa.select(ConsentEvent).where(ConsentEvent.plan_id == new.id))
        assert {(e.status, e.method) for e in events} == {
            (ConsentStatus.GIVEN, ConsentMethod.RECORDED_BY_STAFF)
        }
        assert (
            len(
                session.scalars(
                    sa.select(ConsentEvent.unit_id).where(ConsentEvent.plan_id == new.id)
                ).all()
            )
            == 4
        )
        start = session.scalar(sa.select(AuditEvent).where(AuditEvent.type == "plan.start"))
        assert start.detail == f"after_discharge after={earlier_id}"
        assert start.actor_name == "Eva Sjöberg"


def test_new_episode_keeps_the_earlier_plan_open_and_consent_not_yet_given(
    signed_in, app: Flask, demo: Demo
) -> None:
    earlier_id, gunnel = _plan(app, GUNNEL)
    client = signed_in("eva")
    response = client.post_form(
        f"/staff/plans/{earlier_id}/new-episode", {"context": "at_home", "previous": "keep"}
    )
    assert response.status_code == 303
    new = _newest(app, gunnel)
    with app.app_context():
        session = db.session()
        assert session.get(Plan, earlier_id).state is PlanState.FOLLOWING_UP
        assert (
            session.scalars(sa.select(ConsentEvent).where(ConsentEvent.plan_id == new.id)).all()
            == []
        )
    page = client.get_page(f"/staff/plans/{earlier_id}")
    assert "Planen är avslutad" not in page.text
    assert page.one("a", href=f"/staff/plans/{new.id}").text == new.number


def test_new_episode_errors_keep_the_input_and_leave_the_earlier_plan_open(
    signed_in, app: Flask, demo: Demo
) -> None:
    earlier_id, gunnel = _plan(app, GUNNEL)
    client = signed_in("eva")
    response = client.post_form(
        f"/staff/plans/{earlier_id}/new-episode",
        {
            "context": "after_discharge",
            "previous": "close",
            "preliminary_discharge_on": "2026-13-01",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in html and 'value="2026-13-01"' in html
    response = client.post_form(
        f"/staff/plans/{earlier_id}/new-episode",
        {"context": "after_discharge", "previous": "close"},
    )
    assert response.status_code == 400
    assert "Skriv när personen blev utskrivningsklar." in response.get_data(as_text=True)
    assert 'id="previous-close" name="previous" value="close" checked' in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session().get(Plan, earlier_id).state is PlanState.FOLLOWING_UP
        assert _newest(app, gunnel).id == earlier_id


def test_new_episode_is_refused_outside_the_health_centre_with_a_clear_answer(
    signed_in, app: Flask, demo: Demo
) -> None:
    earlier_id, _ = _plan(app, GUNNEL)
    client = signed_in("peter")
    page = client.get_page(f"/staff/plans/{earlier_id}/new-episode", status=403)
    assert "startas av fast vårdkontakt på hälsocentralen" in page.text
    plan_page = client.get_page(f"/staff/plans/{earlier_id}")
    assert "Ny vårdepisod – starta en ny plan" not in plan_page.text
    assert (
        "Ny vårdepisod – starta en ny plan"
        in signed_in("eva").get_page(f"/staff/plans/{earlier_id}").text
    )


def test_a_ready_moment_in_the_hour_the_clock_skips_is_refused(
    signed_in, app: Flask, demo: Demo
) -> None:
    earlier_id, _gunnel = _plan(app, GUNNEL)
    client = signed_in("eva")
    night = last_summer_time_night(today_stockholm()).isoformat()
    response = client.post_form(
        f"/staff/plans/{earlier_id}/new-episode",
        {
            "context": "after_discharge",
            "previous": "close",
            "ready_for_discharge_at": f"{night}T02:30",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Klockslaget finns inte den dagen" in html and f'value="{night}T02:30"' in html

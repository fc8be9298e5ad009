"""Closing a plan: the reasons offered, who may close, what a closed plan shows and who is told."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    FollowUp,
    Meeting,
    Notification,
    Plan,
)
from portal.rules.vocabulary import CloseReason, MeetingStatus, PlanState
from tests.conftest import Demo, sign_in
from tests.support.pages import Page, PageClient

GUNNEL, ASTRID = "SIP-2026-0004", "SIP-2026-0011"
ALL_SEVEN = {r.value for r in CloseReason} - {CloseReason.REPLACED_BY_NEW_PLAN.value}


def _plan_id(app: Flask, number: str) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == number))


def _offered(page: Page) -> set[str]:
    return {e.attrs["value"] for e in page.all("input", type="radio", name="reason")}


def _kinds_for(app: Flask, plan_id: int, account_name: str) -> list[str]:
    with app.app_context():
        session = db.session()
        accounts = session.scalars(sa.select(Account)).all()
        account = next(a for a in accounts if a.name.split()[0] == account_name)
        return list(
            session.scalars(
                sa.select(Notification.kind).where(
                    Notification.plan_id == plan_id, Notification.account_id == account.id
                )
            )
        )


def test_close_the_coordinator_is_offered_every_reason_after_the_first_meeting(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("fatima")
    page = client.get_page(f"/staff/plans/{_plan_id(app, GUNNEL)}/close")
    assert _offered(page) == ALL_SEVEN
    assert "Närstående får inga fler meddelanden från portalen." in page.text


def test_close_before_the_first_meeting_the_convener_may_close_but_not_as_deceased(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, ASTRID)
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{plan_id}/close")
    assert _offered(page) == {"no_longer_needed", "no_longer_wanted", "consent_withdrawn"}
    response = client.post_form(
        f"/staff/plans/{plan_id}/close", {"reason": "deceased", "note": "Meddelat av Karin."}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Bara samordningsansvarig avslutar planen när personen har avlidit." in html
    assert "Meddelat av Karin." in html  # what was typed is kept
    with app.app_context():
        assert db.session().get(Plan, plan_id).state is PlanState.INVITED


def test_close_without_a_reason_keeps_the_note(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _plan_id(app, GUNNEL)
    client = signed_in("fatima")
    response = client.post_form(f"/staff/plans/{plan_id}/close", {"note": "Samtal med Per."})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Välj varför planen avslutas." in html and "Samtal med Per." in html


def test_close_is_refused_to_staff_who_do_not_lead_the_plan(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, GUNNEL)
    client = signed_in("eva")  # the convener, but Fatima is the coordinator
    page = client.get_page(f"/staff/plans/{plan_id}/close", status=403)
    assert "Planen avslutas av samordningsansvarig" in page.text
    assert "Avsluta planen" not in client.get_page(f"/staff/plans/{plan_id}").text
    assert (
        client.post_form(f"/staff/plans/{plan_id}/close", {"reason": "goals_met"}).status_code
        == 403
    )


def test_close_as_deceased_by_the_coordinator_stops_messages_to_relatives(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, GUNNEL)
    client = signed_in("fatima")
    assert "Avsluta planen" in client.get_page(f"/staff/plans/{plan_id}").text
    response = client.post_form(
        f"/staff/plans/{plan_id}/close", {"reason": "deceased", "note": "Avled i hemmet."}
    )
    assert response.status_code == 303
    page = client.get_page(response.headers["Location"])
    assert "Planen är avslutad" in page.text
    assert "Personen har avlidit" in page.text
    assert "Fatima Al-Hassan, ÄlSa-teamet Norrsund" in page.text
    assert "Avled i hemmet." in page.text
    assert "Hemtjänst Centrum" in page.text and "ÄlSa-teamet Norrsund" in page.text
    assert _kinds_for(app, plan_id, "Per") == []  # the god man is told nothing after a death
    assert _kinds_for(app, plan_id, "Gunnel") == []
    with app.app_context():
        session = db.session()
        plan = session.get(Plan, plan_id)
        assert (plan.state, plan.close_reason) == (PlanState.CLOSED, CloseReason.DECEASED)
        statuses = session.scalars(sa.select(Meeting.status).where(Meeting.plan_id == plan_id))
        assert MeetingStatus.PLANNED not in set(statuses)  # the follow-up meeting is cancelled
        assert session.scalars(sa.select(FollowUp).where(FollowUp.plan_id == plan_id)).all() == []
        event = session.scalar(sa.select(AuditEvent).where(AuditEvent.type == "plan.close"))
        assert event.actor_name == "Fatima Al-Hassan" and event.object_id == plan_id
        assert event.detail.startswith("deceased")


def test_close_tells_the_individual_and_relatives_and_cancels_the_first_meeting(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, ASTRID)
    client = signed_in("eva")
    response = client.post_form(f"/staff/plans/{plan_id}/close", {"reason": "no_longer_wanted"})
    assert response.status_code == 303
    assert _kinds_for(app, plan_id, "Astrid") == ["plan.closed"]
    assert _kinds_for(app, plan_id, "Karin") == ["plan.closed"]
    with app.app_context():
        meeting = db.session().scalar(sa.select(Meeting).where(Meeting.plan_id == plan_id))
        assert meeting.status is MeetingStatus.CANCELLED
    again = client.get(f"/staff/plans/{plan_id}/close")  # closed: back to the plan page
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/plans/{plan_id}")


def test_close_for_consent_withdrawn_records_the_withdrawal_for_every_unit(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, ASTRID)
    client = signed_in("eva")
    response = client.post_form(f"/staff/plans/{plan_id}/close", {"reason": "consent_withdrawn"})
    assert response.status_code == 303
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    page = astrid.get_page(f"/me/plans/{plan_id}/consent")
    assert "Samtycke lämnat" not in page.text and "Samtycke återkallat" in page.text


def test_withdrawing_all_consent_shows_the_plan_closed_on_the_staff_page(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _plan_id(app, ASTRID)
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    response = astrid.post_form(
        f"/me/plans/{plan_id}/consent", {"action": "withdraw", "unit": "all"}
    )
    assert response.status_code == 303
    page = signed_in("eva").get_page(f"/staff/plans/{plan_id}")
    assert "Planen är avslutad" in page.text
    assert "Samtycket har återkallats" in page.text
    assert "Astrid Lindqvist" in page.text.split("Avslutad av", 1)[1]
    assert "Avsluta planen" not in page.text


def test_closed_demo_plan_shows_its_reason_and_the_next_plan(
    signed_in, app: Flask, demo: Demo
) -> None:
    earlier = _plan_id(app, "SIP-2025-0031")
    page = signed_in("eva").get_page(f"/staff/plans/{earlier}")
    assert "Målen är uppfyllda" in page.text and "Uppgift saknas" in page.text
    link = page.one("a", href=f"/staff/plans/{_plan_id(app, ASTRID)}")
    assert link.text == ASTRID
    later = signed_in("eva").get_page(f"/staff/plans/{_plan_id(app, ASTRID)}")
    assert later.one("a", href=f"/staff/plans/{earlier}").text == "SIP-2025-0031"

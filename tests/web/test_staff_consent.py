"""Staff record consent per unit (verbal, with its date) or its withdrawal; history per unit."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, ConsentEvent, Plan, Unit
from portal.rules.vocabulary import ConsentMethod, ConsentStatus, PlanState
from portal.timeutil import STOCKHOLM, today_stockholm
from tests.conftest import Demo


def _ids(app: Flask, unit_name: str) -> tuple[int, int]:
    with app.app_context():
        plan = db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))
        unit = db.session().scalar(sa.select(Unit.id).where(Unit.name == unit_name))
        return plan, unit


def _call_unit(app: Flask, plan_id: int, unit_id: int) -> None:
    """The unit is called to the plan's meeting: now it takes part (a step of its own)."""
    from portal.models import Meeting, MeetingParticipant
    from portal.rules.vocabulary import ParticipantRole

    with app.app_context():
        session = db.session()
        meeting = session.scalars(sa.select(Meeting).where(Meeting.plan_id == plan_id)).first()
        session.add(
            MeetingParticipant(meeting=meeting, role=ParticipantRole.CALLED, unit_id=unit_id)
        )
        session.commit()


def test_staff_record_a_verbal_consent_with_its_date(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, unit_id = _ids(app, "Biståndshandläggningen")
    _call_unit(app, plan_id, unit_id)
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{plan_id}/consent")
    assert "Hemtjänst Centrum" in page.text and "Samtycke lämnat" in page.text
    said_on = today_stockholm() - timedelta(days=3)
    response = client.post_form(
        f"/staff/plans/{plan_id}/consent",
        {"unit": str(unit_id), "status": "given", "effective_on": said_on.isoformat()},
    )
    assert response.status_code == 303
    page = client.get_page(response.headers["Location"])
    assert "Samtycket är antecknat för Biståndshandläggningen" in page.text
    section = next(s for s in page.all("section") if "Biståndshandläggningen" in s.text)
    assert "Samtycke lämnat" in section.text and "muntligt, antecknat av personal" in section.text
    assert "Eva Sjöberg" in section.text
    with app.app_context():
        event = db.session().scalar(
            sa.select(ConsentEvent).where(
                ConsentEvent.plan_id == plan_id, ConsentEvent.unit_id == unit_id
            )
        )
        assert event.status is ConsentStatus.GIVEN
        assert event.method is ConsentMethod.RECORDED_BY_STAFF
        assert event.effective_at.astimezone(STOCKHOLM).date() == said_on
        assert db.session().scalar(
            sa.select(AuditEvent).where(
                AuditEvent.type == "consent.record", AuditEvent.object_id == event.id
            )
        )


def test_a_recorded_withdrawal_shows_in_the_history_and_on_the_worklist(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _ids(app, "Hemtjänst Centrum")
    client = signed_in("eva")
    client.get_page(f"/staff/plans/{plan_id}/consent")
    response = client.post_form(
        f"/staff/plans/{plan_id}/consent",
        {
            "unit": str(unit_id),
            "status": "withdrawn",
            "effective_on": today_stockholm().isoformat(),
            "note": "Sa i telefon att hemtjänsten inte ska få veta mer.",
        },
    )
    assert response.status_code == 303
    page = client.get_page(f"/staff/plans/{plan_id}/consent")
    section = next(s for s in page.all("section") if "Hemtjänst Centrum" in s.text)
    assert "Samtycke återkallat (gäller nu)" in " ".join(section.text.split())
    assert "Samtycke lämnat" in section.text, "the earlier consent stays in the history"
    assert "Väntar på att hanteras" in section.text
    worklist = client.get_page("/staff/?kind=consent_withdrawn")
    assert "Gäller Hemtjänst Centrum" in worklist.text
    with app.app_context():
        assert db.session().get(Plan, plan_id).state is PlanState.INVITED, "others still consent"


def test_cannot_consent_needs_a_reason_and_keeps_what_was_typed(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = _ids(app, "Biståndshandläggningen")
    _call_unit(app, plan_id, unit_id)
    client = signed_in("eva")
    client.get_page(f"/staff/plans/{plan_id}/consent")
    said_on = (today_stockholm() - timedelta(days=1)).isoformat()
    response = client.post_form(
        f"/staff/plans/{plan_id}/consent",
        {"unit": str(unit_id), "status": "cannot_consent", "effective_on": said_on},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="note-error"' in html and "OSL 25 kap. 13 §" in html
    assert f'value="{said_on}"' in html
    assert f'<option value="{unit_id}" selected>' in html
    assert 'value="cannot_consent" checked' in html
    with app.app_context():
        assert not db.session().scalar(
            sa.select(ConsentEvent).where(
                ConsentEvent.unit_id == unit_id, ConsentEvent.plan_id == plan_id
            )
        )


def test_a_future_date_is_refused(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, unit_id = _ids(app, "Biståndshandläggningen")
    client = signed_in("eva")
    client.get_page(f"/staff/plans/{plan_id}/consent")
    tomorrow = (today_stockholm() + timedelta(days=1)).isoformat()
    response = client.post_form(
        f"/staff/plans/{plan_id}/consent",
        {"unit": str(unit_id), "status": "given", "effective_on": tomorrow},
    )
    assert response.status_code == 400
    assert "Välj ett datum mellan" in response.get_data(as_text=True)


def test_staff_who_may_not_see_the_plan_get_not_found(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, _unit = _ids(app, "Hemtjänst Centrum")
    client = signed_in("fatima")  # ÄlSa: not part of Astrid's plan
    client.get_page(f"/staff/plans/{plan_id}/consent", status=404)

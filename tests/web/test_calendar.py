"""Meeting dates in the phone's calendar: one event, or a private feed that can be switched off."""

from __future__ import annotations

import re

import icalendar
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, Delegation, FollowUp, Meeting, Plan
from portal.rules.vocabulary import MeetingKind
from portal.timeutil import now
from tests.conftest import Demo
from tests.support.pages import PageClient


def _astrid_meeting(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        plan_id = session.scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))
        meeting_id = session.scalar(
            sa.select(Meeting.id).where(
                Meeting.plan_id == plan_id, Meeting.kind == MeetingKind.FIRST
            )
        )
        return plan_id, meeting_id


def test_a_meeting_as_ics_in_stockholm_time_with_place_and_no_names(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, meeting_id = _astrid_meeting(app)
    client = signed_in("astrid")
    assert "Lägg till i kalendern" in client.get_page("/me/").text
    response = client.get(f"/me/plans/{plan_id}/meetings/{meeting_id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "SIP-möte"
    assert str(event["LOCATION"]) == "Storgatan 14, Norrsund"
    assert event.decoded("DTSTART").tzinfo.key == "Europe/Stockholm"
    with app.app_context():
        meeting = db.session().get(Meeting, meeting_id)
        assert event.decoded("DTSTART") == meeting.starts_at
    text = response.get_data(as_text=True)
    assert "Astrid" not in text and "Lindqvist" not in text and "19410312" not in text


def test_a_follow_up_as_a_whole_day(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        follow_up = db.session().scalar(sa.select(FollowUp))
        plan_id, follow_up_id, due = follow_up.plan_id, follow_up.id, follow_up.due_on
    response = signed_in("per").get(f"/me/plans/{plan_id}/follow-ups/{follow_up_id}/calendar.ics")
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("DTSTART") == due
    assert str(event["SUMMARY"]) == "Uppföljning av din SIP"


def test_a_private_feed_shown_once_read_without_session_and_switched_off(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("karin")
    client.get_page("/me/calendar")
    assert client.post_form("/me/calendar").status_code == 303
    page = client.get_page("/me/calendar")
    url = re.search(r'value="(http[^"]+)"', client.get("/me/calendar").get_data(as_text=True))
    assert "Din privata länk är klar." in page.text and url is None  # shown only once
    client.post_form("/me/calendar")
    html = client.get("/me/calendar").get_data(as_text=True)
    feed_url = re.search(r'id="feed-url" value="([^"]+)"', html).group(1)
    path = "/" + feed_url.split("/", 3)[3]

    calendar_app = PageClient(app.test_client())  # the phone's calendar: no session
    response = calendar_app.get(path)
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["SIP-möte"]
    with app.app_context():
        read = db.session().scalar(
            sa.select(AuditEvent).where(AuditEvent.type == "calendar.feed_read")
        )
        assert read.actor_name == "Karin Lindqvist" and read.on_behalf_of_individual_id

    with app.app_context():  # Astrid ends Karin's access: the feed empties at once
        db.session().execute(sa.update(Delegation).values(revoked_at=now()))
        db.session().commit()
    assert icalendar.Calendar.from_ical(calendar_app.get(path).data).walk("VEVENT") == []


def test_a_switched_off_feed_is_gone(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("astrid")
    client.get_page("/me/calendar")
    client.post_form("/me/calendar")
    html = client.get("/me/calendar").get_data(as_text=True)
    feed_url = re.search(r'id="feed-url" value="([^"]+)"', html).group(1)
    path = "/" + feed_url.split("/", 3)[3]
    assert client.get(path).status_code == 200
    client.post_form("/me/calendar/revoke")
    assert "Stäng av länken" not in client.get_page("/me/calendar").text
    assert client.get(path).status_code == 404

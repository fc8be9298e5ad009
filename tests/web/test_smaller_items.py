"""Issue 14 point 8, each smaller item with its test: who is called or invited, a follow-up on
the day of its meeting shown once (and the calendar page lists the dates), a sent request on
the home page, removing a relative asks first, the offline page and "SIP-mötet"."""

from __future__ import annotations

import re

import icalendar
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import FollowUp, Individual, Meeting, Plan
from portal.rules.vocabulary import MeetingKind, MeetingStatus, PlanState
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _open_plan(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


def test_the_meeting_says_who_is_called_and_who_is_invited(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    sign_in(client, demo, "astrid")
    home = client.get_page("/me/")
    assert "Kallade" in home.text_of("dt")
    called = [t for t in home.text_of("dd") if "Eva Sjöberg" in t and "distriktssköterska" in t]
    assert called, home.text_of("dd")
    with app.app_context():
        invited = db.session().scalar(
            sa.select(Meeting).where(Meeting.plan_id == _open_plan(app, "Astrid"))
        )
        names = [p.relative.name for p in invited.participants if p.relative]
    for name in names:
        assert name in home.text
        assert "Inbjudna" in home.text_of("dt")


def test_a_follow_up_on_the_day_of_its_meeting_is_in_the_calendar_once_and_the_page_lists_dates(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id = _open_plan(app, "Gunnel")
    with app.app_context():
        session = db.session()
        meeting = session.scalar(
            sa.select(Meeting).where(
                Meeting.plan_id == plan_id,
                Meeting.kind == MeetingKind.FOLLOW_UP,
                Meeting.status == MeetingStatus.PLANNED,
            )
        )
        follow_ups = session.scalars(
            sa.select(FollowUp).where(FollowUp.plan_id == plan_id, FollowUp.done_at.is_(None))
        ).all()
        from portal.services.calendar import STOCKHOLM

        day = meeting.starts_at.astimezone(STOCKHOLM).date()
        assert any(f.due_on == day for f in follow_ups)  # the demo has one on the same day
    sign_in(client, demo, "gunnel")
    home = client.get_page("/me/")
    assert "Nästa uppföljning" not in home.text_of("h3")  # the meeting that day is the follow-up
    page = client.get_page("/me/calendar")
    dates = " ".join(e.text for e in page.all("ul", id="upcoming-dates"))
    assert "Uppföljningsmöte" in dates and "14.00" in dates
    assert len(page.all("li", class_="card")) == 1, dates  # the follow-up day is the meeting
    client.post_form("/me/calendar")
    html = client.get("/me/calendar").get_data(as_text=True)
    feed_url = re.search(r'id="feed-url" value="([^"]+)"', html).group(1)
    feed = PageClient(app.test_client()).get("/" + feed_url.split("/", 3)[3])
    events = icalendar.Calendar.from_ical(feed.data).walk("VEVENT")
    on_that_day = [e for e in events if str(e["DTSTART"].dt)[:10] == day.isoformat()]
    assert len(on_that_day) == 1, [str(e["SUMMARY"]) for e in events]
    assert str(on_that_day[0]["SUMMARY"]) == "SIP-uppföljning"


def test_a_follow_up_without_a_meeting_that_day_is_still_in_the_calendar() -> None:
    from datetime import date

    from portal.rules.calendar_dates import FollowUpDay, MeetingDay, follow_ups_of_their_own

    meetings = [MeetingDay(1, date(2026, 12, 14), True), MeetingDay(2, date(2026, 12, 20), False)]
    follow_ups = [
        FollowUpDay(10, date(2026, 12, 14), None),  # same day as the follow-up meeting
        FollowUpDay(11, date(2027, 3, 1), 1),  # held by meeting 1 (booked)
        FollowUpDay(12, date(2026, 12, 20), None),  # a first meeting that day is no follow-up
        FollowUpDay(13, date(2027, 6, 1), None),  # nothing booked yet
    ]
    assert follow_ups_of_their_own(follow_ups, meetings) == [12, 13]


def test_a_sent_request_is_on_the_home_page_until_it_is_answered(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id = _open_plan(app, "Gunnel")
    sign_in(client, demo, "gunnel")
    response = client.post_form(
        f"/me/plans/{plan_id}/requests", {"kind": "sooner_follow_up", "message": ""}
    )
    assert response.status_code == 303
    home = client.get_page("/me/")
    assert "Dina frågor som väntar på svar" in home.text
    assert "Uppföljning tidigare – skickad" in home.text and "Svar senast" in home.text


def test_removing_a_relative_asks_first(client: PageClient, app: Flask, demo: Demo) -> None:
    sign_in(client, demo, "astrid")
    page = client.get_page("/me/relatives")
    remove = next(a for a in page.all("a") if a.text.startswith("Ta bort"))
    confirm = client.get_page(remove.attrs["href"])  # a link to a page that asks, not a POST
    assert "Ta bort Karin Lindqvist?" in confirm.text
    assert client.get_page("/me/relatives").text.count("Karin Lindqvist") >= 1  # still there


def test_the_offline_page_offers_no_sign_in_to_anyone(client: PageClient, demo: Demo) -> None:
    signed_out = client.get_page("/offline")
    sign_in(client, demo, "astrid")
    signed_in = client.get_page("/offline")
    for page in (signed_out, signed_in):
        assert "Logga in" not in page.text and "Logga ut" not in page.text
        assert "Försök igen" in page.text
    assert signed_in.text == signed_out.text  # the kept copy fits whoever sees it


def test_the_first_meeting_is_written_sip_motet_with_capitals(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    sign_in(client, demo, "astrid")
    page = client.get_page(f"/me/plans/{_open_plan(app, 'Astrid')}/prepare")
    assert "Inför första SIP-mötet" in page.text
    assert "sip-mötet" not in page.text

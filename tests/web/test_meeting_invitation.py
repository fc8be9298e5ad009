"""Staff call a meeting with every field [004] asks for; the individual sees it at once;
a stale change shows both versions; a cancelled meeting tells the individual's side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    ConsentEvent,
    Meeting,
    MeetingParticipant,
    Notification,
    Plan,
    Preparation,
    Staff,
)
from portal.rules.deadlines import acknowledgement_due
from portal.rules.vocabulary import (
    ConsentMethod,
    ConsentStatus,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    PlanState,
)
from portal.timeutil import now, today_stockholm
from tests import factories
from tests.conftest import Demo, sign_in
from tests.support.meeting_forms import (
    account_id_of_individual,
    current_plan_id,
    invitation_form,
    planned_meeting_id,
    staff_id,
)
from tests.support.pages import PageClient, check_page
from tests.support.summer_time import next_summer_time_night


@pytest.fixture
def astrid_to_call(app: Flask, demo: Demo) -> int:
    """Astrid's plan with its first meeting cancelled, so the first meeting can be called,
    and a preparation she shared before any meeting was called."""
    plan_id = current_plan_id(app, "Astrid")
    with app.app_context():
        session = db.session()
        for meeting in session.scalars(sa.select(Meeting).where(Meeting.plan_id == plan_id)):
            meeting.status = MeetingStatus.CANCELLED
        plan = session.get(Plan, plan_id)
        session.add(
            Preparation(
                plan=plan,
                wanted_attendees="Karin, min dotter, och grannen Sven.",
                preferred_form=MeetingForm.HOME,
                preferred_place="Hemma, vi sitter i köket",
                shared_at=now(),
            )
        )
        session.commit()
    return plan_id


def test_eva_calls_astrids_first_meeting_and_astrid_and_karin_see_it_at_once(
    signed_in, app: Flask, demo: Demo, astrid_to_call: int
) -> None:
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{astrid_to_call}/meetings/new?kind=first")
    assert "Astrid Lindqvist, 19410312-****" in page.text
    assert "Skicka kallelsen senast" in page.text, "the after-discharge deadline is shown"
    assert "Karin, min dotter, och grannen Sven." in page.text, "her wishes beside the form"
    assert page.one("input", id="place").attrs["value"] == "Hemma, vi sitter i köket"
    assert page.one("option", value=str(staff_id(app, "Eva"))).attrs.get("selected") == ""
    form = invitation_form(app)
    response = client.post_form(f"/staff/plans/{astrid_to_call}/meetings/new?kind=first", form)
    assert response.status_code == 303, response.get_data(as_text=True)
    sent = client.get_page(response.headers["Location"])
    assert "Kallelsen är skickad" in sent.text
    assert "Lena Holm, Hemsjukvården Norrsund" in sent.text and "Grannen Sven" in sent.text
    with app.app_context():
        session = db.session()
        meeting = session.scalar(
            sa.select(Meeting).where(
                Meeting.plan_id == astrid_to_call, Meeting.status == MeetingStatus.PLANNED
            )
        )
        assert meeting.kind is MeetingKind.FIRST and meeting.place == "Storgatan 14, Norrsund"
        assert session.get(Plan, astrid_to_call).state is PlanState.INVITED
        called = {p.staff.given_name: p for p in meeting.participants if p.staff}
        assert set(called) == {"Eva", "Lena", "Anders"}
        assert called["Eva"].acknowledged_at is not None, "the convener sent it herself"
        due = acknowledgement_due(meeting.invited_at)
        assert called["Lena"].acknowledgement_due_at == due and not called["Lena"].acknowledged_at
        assert [p.relative.given_name for p in meeting.participants if p.relative] == ["Karin"]
        preparation = session.scalar(
            sa.select(Preparation).where(Preparation.shared_at.is_not(None))
        )
        assert preparation.meeting_id == meeting.id, "what she prepared belongs to the meeting"
        assert session.scalar(
            sa.select(AuditEvent).where(
                AuditEvent.type == "meeting.invite", AuditEvent.object_id == meeting.id
            )
        )
        told = session.scalars(
            sa.select(Notification.account_id).where(Notification.kind == "meeting.invited")
        ).all()
        assert account_id_of_individual(app, "Astrid") in told and len(told) == 2
    for name, expected, told_text in (
        ("astrid", "Ditt första SIP-möte är", "Du är kallad till ett möte."),
        ("karin", "Första SIP-mötet för Astrid är", "Astrid är kallad till ett möte."),
    ):
        person = PageClient(app.test_client())
        sign_in(person, demo, name)
        home = person.get_page("/me/")
        assert expected in home.text and "kl. 10.00" in home.text
        assert "Storgatan 14, Norrsund" in home.text and told_text in home.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"form": "other_place", "place": ""}, "place", "Skriv adressen där mötet hålls."),
        ({"form": "phone", "join_info": ""}, "join_info", "Skriv telefonnumret"),
        ({"form": "video", "join_info": "meet.example/x"}, "join_info", "den börjar med https://"),
        # no URL parser reads an unclosed IPv6 bracket: a plain error, not a 500
        ({"form": "video", "join_info": "https://[meet.example/x"}, "join_info", "den börjar med"),
        ({"form": "health_centre", "place": " "}, "place", "Skriv vilken hälsocentral"),
    ],
)
def test_a_place_missing_for_the_chosen_form_answers_400_and_keeps_everything_typed(
    signed_in, app: Flask, astrid_to_call: int, changes: dict, field: str, message: str
) -> None:
    client = signed_in("eva")
    url = f"/staff/plans/{astrid_to_call}/meetings/new?kind=first"
    response = client.post_form(url, invitation_form(app, **changes))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and f'href="#{field}"' in html
    assert "Planera hjälpen hemma efter höftoperationen." in html
    assert "Grannen Sven" in html
    lena = staff_id(app, "Lena")
    assert f'id="called-{lena}" name="called" value="{lena}" checked' in html
    assert f'value="{changes["form"]}" checked' in html
    with app.app_context():
        assert planned_meeting_id(app, astrid_to_call) is None, "nothing was sent"


def test_every_missing_field_is_named_at_once(signed_in, app: Flask, astrid_to_call: int) -> None:
    client = signed_in("eva")
    form = invitation_form(app, purpose="", questions="", called=[], day="", starts="")
    response = client.post_form(f"/staff/plans/{astrid_to_call}/meetings/new?kind=first", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in (
        "Skriv syftet med mötet.",
        "Skriv vilka frågor som ska tas upp.",
        "Välj minst en person att kalla",
        "Skriv datum för mötet.",
        "Skriv när mötet börjar.",
    ):
        assert message in html


def _late_plan(app: Flask, days_ago: int) -> int:
    """An after-discharge plan that Eva convenes, ready for discharge `days_ago` days ago."""
    with app.app_context():
        session = db.session()
        eva = session.scalar(sa.select(Staff).where(Staff.given_name == "Eva"))
        lena = session.scalar(sa.select(Staff).where(Staff.given_name == "Lena"))
        plan = factories.plan(
            session, convener=eva, state=PlanState.INITIATED, meetings=0, versions=0
        )
        account = session.scalar(sa.select(Account).where(Account.staff_id == eva.id))
        plan.ready_for_discharge_at = datetime.now(UTC) - timedelta(days=days_ago)
        for unit in (eva.unit, lena.unit):
            session.add(
                ConsentEvent(
                    plan=plan,
                    unit=unit,
                    status=ConsentStatus.GIVEN,
                    method=ConsentMethod.RECORDED_BY_STAFF,
                    effective_at=now(),
                    recorded_by=account,
                )
            )
        session.commit()
        return plan.id


def test_deadline_passed_warns_visibly_but_the_invitation_can_still_be_sent(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _late_plan(app, days_ago=5)
    client = signed_in("eva")
    page = client.get_page(f"/staff/plans/{plan_id}/meetings/new?kind=first")
    alert = page.one("div", role="alert")
    assert "Fristen för kallelsen har gått ut" in alert.text
    form = invitation_form(app, called=[str(staff_id(app, "Lena"))], invited=[])
    response = client.post_form(f"/staff/plans/{plan_id}/meetings/new?kind=first", form)
    assert response.status_code == 303
    assert "efter fristen" in client.get_page(response.headers["Location"]).text


def _row_version(page) -> str:
    return page.one("input", name="row_version").attrs["value"]


def test_stale_edit_shows_both_versions_and_keeps_what_was_typed(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Astrid")
    meeting_id = planned_meeting_id(app, plan_id)
    url = f"/staff/meetings/{meeting_id}/edit"
    mine = signed_in("eva")
    loaded = _row_version(mine.get_page(url))
    other = PageClient(app.test_client())
    sign_in(other, demo, "eva")
    other_version = _row_version(other.get_page(url))
    saved = other.post_form(
        url,
        invitation_form(
            app,
            place="Hälsocentralen Björkhagen, rum 4",
            form="health_centre",
            row_version=other_version,
        ),
    )
    assert saved.status_code == 303
    typed = invitation_form(
        app, place="Storgatan 14, lägenhet 3", purpose="Min nya text", row_version=loaded
    )
    response = mine.post_form(url, typed)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    conflict = check_page(response)
    assert "Någon annan har ändrat kallelsen medan du skrev" in conflict.text
    assert "Sparat av Eva Sjöberg" in conflict.text
    row = next(r for r in conflict.all("tr") if "Plats" in r.text)
    assert "Hälsocentralen Björkhagen, rum 4" in row.text and "Storgatan 14, lägenhet 3" in row.text
    assert 'value="Storgatan 14, lägenhet 3"' in html and "Min nya text" in html
    new_version = _row_version(conflict)
    assert new_version != loaded
    again = mine.post_form(url, {**typed, "row_version": new_version})
    assert again.status_code == 303, "saving again applies what was typed"
    with app.app_context():
        meeting = db.session().get(Meeting, meeting_id)
        assert meeting.place == "Storgatan 14, lägenhet 3" and meeting.purpose == "Min nya text"


def test_a_new_time_asks_the_called_again_and_tells_the_individual(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Astrid")
    meeting_id = planned_meeting_id(app, plan_id)
    with app.app_context():
        lena = db.session().scalar(
            sa.select(MeetingParticipant)
            .join(Staff)
            .where(MeetingParticipant.meeting_id == meeting_id, Staff.given_name == "Lena")
        )
        lena.acknowledged_at = now()
        db.session().commit()
    client = signed_in("eva")
    version = _row_version(client.get_page(f"/staff/meetings/{meeting_id}/edit"))
    form = invitation_form(app, starts="13:00", ends="14:00", row_version=version)
    response = client.post_form(f"/staff/meetings/{meeting_id}/edit", form)
    assert response.status_code == 303
    with app.app_context():
        session = db.session()
        meeting = session.get(Meeting, meeting_id)
        lena = next(p for p in meeting.participants if p.staff and p.staff.given_name == "Lena")
        assert lena.acknowledged_at is None and lena.acknowledgement_due_at is not None
        assert session.scalar(sa.select(Notification).where(Notification.kind == "meeting.changed"))
        assert "starts_at" in session.scalar(
            sa.select(AuditEvent.detail).where(AuditEvent.type == "meeting.change")
        )
    page = client.get_page(f"/staff/meetings/{meeting_id}")
    assert "Kallelsen ändrades" in page.text and "Inte kvitterat" in page.text


def test_cancel_needs_a_reason_then_the_meeting_is_cancelled_and_the_individual_told(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Astrid")
    meeting_id = planned_meeting_id(app, plan_id)
    client = signed_in("eva")
    page = client.get_page(f"/staff/meetings/{meeting_id}")
    version = page.all("input", name="row_version")[0].attrs["value"]
    url = f"/staff/meetings/{meeting_id}/cancel"
    refused = client.post_form(url, {"reason": " ", "row_version": version})
    assert refused.status_code == 400
    assert "Skriv varför mötet ställs in." in refused.get_data(as_text=True)
    done = client.post_form(url, {"reason": "Astrid är inlagd igen.", "row_version": version})
    assert done.status_code == 303
    with app.app_context():
        session = db.session()
        meeting = session.get(Meeting, meeting_id)
        assert meeting.status is MeetingStatus.CANCELLED
        assert meeting.cancel_reason == "Astrid är inlagd igen."
        assert session.scalar(
            sa.select(Notification).where(Notification.kind == "meeting.cancelled")
        )
        assert session.scalar(sa.select(AuditEvent).where(AuditEvent.type == "meeting.cancel"))
    shown = client.get_page(f"/staff/meetings/{meeting_id}")
    assert "Mötet är inställt" in shown.text and "Astrid är inlagd igen." in shown.text
    plan_page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Kalla till första SIP-mötet" in plan_page.text, "the first meeting can be called again"
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    home = astrid.get_page("/me/")
    assert "Ett möte är inställt." in home.text and "Ditt första SIP-möte är" not in home.text


def test_plan_page_lists_meetings_and_offers_only_what_this_person_may_call(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    astrid = client.get_page(f"/staff/plans/{current_plan_id(app, 'Astrid')}")
    section = astrid.one("section", **{"aria-labelledby": "meetings"})
    assert "Första SIP-mötet" in section.text and "0 av 3" in section.text
    assert "Visa kallelsen" in section.text and "Ändra" in section.text
    assert "Kalla till första SIP-mötet" not in section.text, "it is already called"
    assert "Planeringsmöte om hemsjukvård" in section.text
    gunnel = client.get_page(f"/staff/plans/{current_plan_id(app, 'Gunnel')}")
    section = gunnel.one("section", **{"aria-labelledby": "meetings"})
    assert "Kalla till uppföljning" not in section.text, "Fatima coordinates Gunnel's plan"
    assert "Planeringsmöte om hemsjukvård" in section.text
    follow_up = f"/staff/plans/{current_plan_id(app, 'Gunnel')}/meetings/new?kind=follow_up"
    assert client.get(follow_up).status_code == 403


def test_the_invitation_pages_read_in_english(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("eva")
    english = {"Accept-Language": "en"}
    plan_id = current_plan_id(app, "Astrid")
    form = client.get_page(
        f"/staff/plans/{plan_id}/meetings/new?kind=home_health_handover", headers=english
    )
    assert form.text_of("h1") == ["Call a meeting"]
    assert "Planning meeting about handing over home health care – not a SIP meeting" in form.text
    meeting = client.get_page(
        f"/staff/meetings/{planned_meeting_id(app, plan_id)}", headers=english
    )
    assert "Called and invited" in meeting.text and "Cancel the meeting" in meeting.text


def test_the_suggested_purpose_is_in_the_individuals_language_not_the_staff_members(
    signed_in, app: Flask
) -> None:
    """The purpose is stored as typed and read by the individual: a staff member who reads the
    pages in English still suggests it in the individual's language."""
    client = signed_in("eva")
    plan_id = current_plan_id(app, "Astrid")
    url = f"/staff/plans/{plan_id}/meetings/new?kind=home_health_handover"
    swedish = "Planera överlämningen av ansvaret för hemsjukvården. Det är inte SIP-mötet."
    page = client.get_page(url, headers={"Accept-Language": "en"})
    assert page.text_of("h1") == ["Call a meeting"] and swedish in page.text
    with app.app_context():
        plan = db.session().get(Plan, plan_id)
        plan.individual.preferred_locale = "en"
        db.session().commit()
    page = client.get_page(url)  # the staff member's pages in Swedish, the individual's English
    assert page.text_of("h1") == ["Kalla till möte"] and swedish not in page.text
    assert "To plan the handover of responsibility for home health care" in page.text


def test_a_time_in_the_hour_the_clock_skips_is_refused_not_moved_an_hour(
    signed_in, app: Flask, astrid_to_call: int
) -> None:
    """On the night to summer time 02.00 becomes 03.00: a meeting at 02.30 would have been
    stored, and shown to the individual, as 03.30."""
    client = signed_in("eva")
    url = f"/staff/plans/{astrid_to_call}/meetings/new?kind=first"
    night = next_summer_time_night(today_stockholm()).isoformat()
    form = invitation_form(app, day=night, starts="02:30", ends="03:30")
    response = client.post_form(url, form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Klockslaget finns inte den dagen" in html and 'href="#starts"' in html
    assert 'value="02:30"' in html and "Grannen Sven" in html  # everything typed is kept
    with app.app_context():
        assert planned_meeting_id(app, astrid_to_call) is None, "nothing was sent"

"""Issue 13 point 3, what the pages show: the acknowledgement deadline of [003] on every
invitation in the demo data, and when and by whom a deferral [002] ended."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Meeting, Plan
from portal.rules.deadlines import acknowledgement_due
from portal.rules.invitation import must_acknowledge
from portal.rules.vocabulary import MeetingStatus
from portal.timeutil import now
from portal.web.context import when
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient

BENGT = "SIP-2026-0012"


def _calls(app: Flask) -> list[tuple[int, str, int, str, str, str, bool, bool]]:
    """Every call in the demo that must be acknowledged: (meeting, convener's first name,
    participant, called person's first name and name, deadline as shown, acknowledged, begun)."""
    rows = []
    with app.test_request_context():
        for meeting in db.session().scalars(sa.select(Meeting).order_by(Meeting.id)):
            if meeting.status is MeetingStatus.CANCELLED:
                continue
            for person in meeting.participants:
                if not must_acknowledge(person, meeting.convener_id):
                    continue
                assert person.acknowledgement_due_at == acknowledgement_due(meeting.invited_at), (
                    meeting.plan.number,
                    person.staff.name,
                )
                rows.append(
                    (
                        meeting.id,
                        meeting.convener.given_name.lower(),
                        person.id,
                        person.staff.given_name.lower(),
                        person.staff.name,
                        when(person.acknowledgement_due_at),
                        person.acknowledged_at is not None,
                        meeting.starts_at <= now(),
                    )
                )
    return rows


def test_every_demo_invitation_shows_its_acknowledgement_deadline(app: Flask, demo: Demo) -> None:
    calls = _calls(app)
    assert len(calls) >= 8
    pages: dict[tuple[str, str], str] = {}

    def page(who: str, path: str) -> str:
        if (who, path) not in pages:
            client = PageClient(app.test_client())
            sign_in(client, demo, who)
            pages[(who, path)] = client.get(path).get_data(as_text=True)
        return pages[(who, path)]

    for meeting_id, convener, participant_id, called, name, due, done, begun in calls:
        html = page(convener, f"/staff/meetings/{meeting_id}")
        row = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(name)},.*?</tr>", html, re.S)
        assert row and due in row.group(0), (meeting_id, name, due)
        if done or begun:
            continue
        worklist = page(called, "/staff/")
        item = re.search(
            rf'<tr id="item-meeting_acknowledgement-{participant_id}".*?</tr>', worklist, re.S
        )
        assert item, (called, participant_id)
        assert "Ingen fast tid" not in item.group(0)
        assert due in item.group(0) or "Försenad" in item.group(0), item.group(0)


def _bengt(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT))


def test_the_plan_pages_show_when_and_by_whom_the_deferral_ended(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _bengt(app)
    client = signed_in("maria")
    assert "Väntan under korttidsvistelsen" not in client.get_page(f"/staff/plans/{plan_id}").text
    response = client.post_form(f"/staff/plans/{plan_id}/reassess", {"outcome": "need_remains"})
    assert response.status_code == 303
    with app.test_request_context():
        stamp = when(now())[:-2]  # the minute may turn; the date and hour stand
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Väntan under korttidsvistelsen" in page.text
    assert "Avslutades" in page.text and "av Maria Lund, Biståndshandläggningen" in page.text
    assert "Biståndshandläggningen. Behovet finns kvar – SIP i hemmet." in page.text
    assert stamp in page.text
    person = PageClient(app.test_client())
    sign_in(person, demo, "bengt")
    mine = person.get_page(f"/me/plans/{plan_id}")
    assert "Planeringen väntade medan du var på korttidsvistelse." in mine.text
    assert "Väntan avslutades" in mine.text and "av Maria Lund" in mine.text

"""Staff-written text on English pages is marked Swedish (WCAG 3.1.2, issue 14 point 6)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Meeting, Plan
from portal.rules.vocabulary import MeetingKind
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient

GUNNEL = "SIP-2026-0004"
GOAL = "Jag vill kunna bo kvar hemma och känna mig trygg."
INTERVENTION = "Hembesök av ÄlSa-teamet"


def _plan_id(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == GUNNEL))


def _marked(page, text: str) -> bool:  # type: ignore[no-untyped-def]
    return any(
        e.attrs.get("lang") == "sv" and text in e.text for e in page.elements if e.tag != "html"
    )


def test_the_individuals_english_plan_page_marks_staff_text_swedish(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    sign_in(client, demo, "gunnel")
    client.get("/language/en?next=/me/")
    page = client.get_page(f"/me/plans/{_plan_id(app)}")
    assert page.one("html").attrs["lang"] == "en"
    assert "My goals" in page.text
    for text in (GOAL, INTERVENTION, "Varannan vecka", "Följa upp"):
        assert _marked(page, text), text


def test_the_staff_english_meeting_page_marks_staff_text_swedish(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    with app.app_context():
        meeting = db.session().scalar(
            sa.select(Meeting).where(
                Meeting.plan_id == _plan_id(app), Meeting.kind == MeetingKind.FOLLOW_UP
            )
        )
        meeting_id, purpose = meeting.id, meeting.purpose
    assert purpose
    sign_in(client, demo, "fatima")
    client.get("/language/en?next=/staff/")
    page = client.get_page(f"/staff/meetings/{meeting_id}")
    assert page.one("html").attrs["lang"] == "en"
    assert _marked(page, purpose)

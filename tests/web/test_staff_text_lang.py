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


def test_the_english_plan_pdf_marks_staff_text_swedish(app: Flask, demo: Demo) -> None:
    """The signed plan is rendered in the individual's language; in English, what staff wrote
    (goals, interventions, how often) carries lang="sv", and the PDF says its language."""
    import io

    from pypdf import PdfReader

    from portal.documents.content import person
    from portal.documents.render import html_to_pdf, plan_html
    from portal.services.signing import signed_content
    from tests.support.pages import parse

    with app.app_context():
        plan = db.session().get(Plan, _plan_id(app))
        version = next(v for v in plan.versions if v.signed_by is not None)
        for locale in ("en", "sv"):
            html = plan_html(
                signed_content(version),
                locale=locale,
                signer=person(version.signed_by),
                signed_at=version.signed_at,
                code="ABCD-EFGH",
            )
            page = parse(html)
            assert page.one("html").attrs["lang"] == locale
            for text in (GOAL, INTERVENTION, "Varannan vecka"):
                assert _marked(page, text), (locale, text)
            reader = PdfReader(io.BytesIO(html_to_pdf(html)))
            assert reader.trailer["/Root"]["/Lang"] == locale


def test_the_access_log_extract_says_its_language(client: PageClient, demo: Demo) -> None:
    import io

    from pypdf import PdfReader

    sign_in(client, demo, "gunnel")
    for locale in ("sv", "en"):
        response = client.get(f"/me/access-log/extract.pdf?mine=1&lang={locale}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert PdfReader(io.BytesIO(response.data)).trailer["/Root"]["/Lang"] == locale

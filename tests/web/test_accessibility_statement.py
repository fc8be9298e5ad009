"""The accessibility statement (DOS act): linked from every footer, a report form that reaches
staff, DIGG named as the supervisory authority."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AccessibilityReport
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def test_the_statement_says_conformance_gaps_how_to_report_and_digg(client: PageClient) -> None:
    page = client.get_page("/tillganglighet")
    assert page.text_of("h1") == ["Tillgänglighet för SIP Portal"]
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in page.text
    assert "WCAG 2.1 nivå AA" in page.text
    assert "Kända brister" in page.text and "Rapportera ett problem" in page.text
    assert "Myndigheten för digital förvaltning (DIGG)" in page.text
    assert any(a.attrs.get("href") == "https://www.digg.se/tdosanmalan" for a in page.all("a"))
    english = client.get_page("/tillganglighet?lang=en")
    assert "Agency for Digital Government (DIGG)" in english.text


def test_every_footer_links_to_the_statement(signed_in, client: PageClient) -> None:
    for path in ("/", "/sign-in", "/verify", "/invitation"):
        footer = client.get_page(path).all("footer")[0]
        assert "Tillgänglighet" in footer.text, path
    astrid = signed_in("astrid")
    page = astrid.get_page("/me/")
    assert any(a.attrs.get("href") == "/tillganglighet" for a in page.all("a"))


def test_a_report_reaches_staff_who_mark_it_handled(app: Flask, demo: Demo) -> None:
    anyone = PageClient(app.test_client())
    anyone.get_page("/tillganglighet")
    sent = anyone.post_form(
        "/tillganglighet",
        {"page": "Förbered dig", "problem": "Knappen syns inte med stor text.", "contact": ""},
    )
    assert sent.status_code == 303
    assert "Tack!" in anyone.get_page(sent.headers["Location"]).text
    staff = PageClient(app.test_client())
    sign_in(staff, demo, "eva")
    listed = staff.get_page("/staff/accessibility-reports")
    assert "Knappen syns inte med stor text." in listed.text
    with app.app_context():
        report_id = db.session().scalar(sa.select(AccessibilityReport.id))
    done = staff.post_form(f"/staff/accessibility-reports/{report_id}/handled")
    assert done.status_code == 303
    assert "Inga rapporter väntar." in staff.get_page("/staff/accessibility-reports").text
    again = staff.post_form(f"/staff/accessibility-reports/{report_id}/handled")
    assert again.status_code == 404


def test_an_empty_or_oversized_report_is_refused_and_kept(client: PageClient, app: Flask) -> None:
    client.get_page("/tillganglighet")
    empty = client.post_form("/tillganglighet", {"page": "Start", "problem": "  "})
    assert empty.status_code == 422 and "Skriv vad som inte fungerade." in empty.get_data(True)
    assert 'value="Start"' in empty.get_data(as_text=True)
    huge = client.post_form("/tillganglighet", {"problem": "x" * 5000})
    assert huge.status_code == 422 and "Högst 4" in huge.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count(AccessibilityReport.id))) == 0


def test_people_cannot_read_the_reports(signed_in) -> None:
    assert signed_in("astrid").get("/staff/accessibility-reports").status_code == 403

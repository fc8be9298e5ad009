"""Vem har tittat? Others first, grouped by day and person, plain words, period, PDF, keyset."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, AuditEvent, Individual, Plan
from portal.models.audit_types import EventType
from portal.services import audit
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _individual(app: Flask, given: str) -> int:
    with app.app_context():
        found = db.session().scalar(sa.select(Individual.id).where(Individual.given_name == given))
        assert found is not None
        return found


def _record(app: Flask, individual: int, type_: str, by: int | None, at: datetime | None = None):
    with app.app_context():
        session = db.session()
        actor = session.get(Account, by) if by else None
        event = audit.record(
            session, type=EventType(type_), by=actor, subject_individual_id=individual
        )
        if at is not None:
            event.at = at
        session.commit()


def _staff_reads_plan(app: Flask, demo: Demo, given: str, times: int = 1) -> None:
    with app.app_context():
        individual = _individual(app, given)
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.individual_id == individual))
    staff = PageClient(app.test_client())
    sign_in(staff, demo, "peter")
    for _ in range(times):
        staff.get_page(f"/staff/plans/{plan_id}")


def test_staff_reads_show_with_name_role_unit_in_plain_words_and_own_reads_hidden(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    _staff_reads_plan(app, demo, "Gunnel", times=3)
    sign_in(client, demo, "per")  # Gunnel's representative
    for _ in range(5):
        client.get_page("/me/")
    page = client.get_page("/me/access-log")
    people = [
        " ".join(e.text.split()) for e in page.all("li") if "log-person" in e.attrs.get("class", "")
    ]
    peter = next(p for p in people if "Peter Strand" in p)
    assert "Personal, Hemtjänst Centrum" in peter
    assert "Läste planen 3 gånger" in peter, "three reads on a day are one line"
    assert not any(p.startswith("Du ") for p in people), "my own visits are not listed"
    assert not re.search(r"\b[a-z_]+\.(read|staff_read)\b", page.text), "no raw codes"
    mine = client.get_page("/me/access-log?mine=1")
    me = [
        " ".join(e.text.split()) for e in mine.all("li") if "log-person" in e.attrs.get("class", "")
    ]
    assert any(p.startswith("Du ") and "Tittade på startsidan 5 gånger" in p for p in me)


def test_log_is_grouped_by_day_newest_first_and_filtered_by_period(
    signed_in, app: Flask, demo: Demo
) -> None:
    astrid = _individual(app, "Astrid")
    peter = demo.account_id("peter")
    _record(app, astrid, "plan.read", peter, datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    _record(app, astrid, "consent.read", peter, datetime(2026, 3, 4, 13, 0, tzinfo=UTC))
    _record(app, astrid, "plan_pdf.staff_read", peter, datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    client = signed_in("astrid")
    page = client.get_page("/me/access-log?from=2026-03-01&to=2026-03-05")
    days = page.text_of("h2")[1:]
    assert days == ["onsdag 4 mars 2026", "måndag 2 mars 2026"]
    assert "Öppnade den signerade planen som PDF" in page.text and "Läste samtycket" in page.text
    only = client.get_page("/me/access-log?from=2026-03-03&to=2026-03-04")
    assert only.text_of("h2")[1:] == ["onsdag 4 mars 2026"]
    english = client.get_page("/me/access-log?from=2026-03-01&to=2026-03-05&lang=en")
    assert english.text_of("h2")[1:] == ["Wednesday 4 March 2026", "Monday 2 March 2026"]
    assert "Read the consent" in english.text


def test_a_bad_period_is_said_beside_the_field(signed_in) -> None:
    client = signed_in("astrid")
    page = client.get_page("/me/access-log?from=igår&to=2026-01-01")
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in page.one("span", id="from-error").text
    backwards = client.get_page("/me/access-log?from=2026-02-01&to=2026-01-01")
    assert backwards.one("span", id="to-error")


def test_a_period_outside_what_can_have_been_logged_is_refused_not_a_500(signed_in) -> None:
    """Found by tests/fuzz: 9999-12-31 overflowed the end of the day, 0001-01-01 the start."""
    client = signed_in("astrid")
    page = client.get_page("/me/access-log?from=0001-01-01&to=9999-12-31&mine=%C2%B9")
    assert "Välj ett datum mellan" in page.one("span", id="from-error").text
    assert "Välj ett datum mellan" in page.one("span", id="to-error").text
    assert client.get("/me/access-log/extract.pdf?from=0001-01-01&to=9999-12-31").status_code < 500


def test_pages_follow_a_keyset_that_new_events_do_not_shift(
    signed_in, app: Flask, demo: Demo
) -> None:
    astrid = _individual(app, "Astrid")
    start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    for n in range(60):  # one event a day, so each is its own group
        _record(app, astrid, "plan.read", demo.account_id("peter"), start + timedelta(days=n))
    client = signed_in("astrid")
    period = "from=2026-01-01&to=2026-03-31"
    first = client.get_page(f"/me/access-log?{period}")
    older = next(a for a in first.all("a") if a.text.strip() == "Visa äldre")
    assert "after=" in older.attrs["href"]
    first_days = first.text_of("h2")[1:]
    _record(app, astrid, "plan.read", demo.account_id("peter"), start + timedelta(days=59, hours=1))
    second = client.get_page(older.attrs["href"])
    second_days = second.text_of("h2")[1:]
    assert len(first_days) == 50 and len(second_days) == 10
    assert not set(first_days) & set(second_days), "no event on two pages"
    assert not [a for a in second.all("a") if a.text.strip() == "Visa äldre"]
    broken = client.get_page("/me/access-log?after=x_y")  # a spoiled cursor is the first page
    assert broken.text_of("h2")[1]


def test_log_extract_is_a_pdf_of_others_reads_and_is_itself_logged(
    client: PageClient, app: Flask, demo: Demo, tmp_path
) -> None:
    _staff_reads_plan(app, demo, "Gunnel")
    sign_in(client, demo, "per")
    response = client.get("/me/access-log/extract.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    path = tmp_path / "extract.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Peter Strand" in text and "Läste planen" in text and "Hemtjänst Centrum" in text
    with app.app_context():
        types = db.session().scalars(sa.select(AuditEvent.type)).all()
    assert "access_log_pdf.read" in types


def test_a_relative_without_representation_sees_neither_log_nor_extract(signed_in) -> None:
    client = signed_in("karin")
    assert client.get("/me/access-log").status_code == 403
    assert client.get("/me/access-log/extract.pdf").status_code == 403

"""Issue 14, two wording items: the worklist's deadline reads once ("Senast: måndag …", not
"Senast: senast måndag …"), and what staff write in the demo — and the purposes a new meeting
starts from — speak of the individual without "du/din/dig", since relatives read it too."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from portal import db
from portal.models import Account, Meeting, Plan
from portal.rules.vocabulary import MeetingKind
from portal.web.staff._meeting_form import defaults
from tests.conftest import Demo
from tests.fuzz import test_fuzz_forms as fuzz
from tests.fuzz.crawler import Crawl
from tests.support.pages import parse

YOU = re.compile(r"\b(du|din|ditt|dina|dig|dej)\b", re.IGNORECASE)
# what the deadline column is called, and the word the date must not start with again
DEADLINE = {"sv": ("Senast", "senast"), "en": ("Due", "by")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_worklist_deadline_is_said_once(demo: Demo, signed_in, lang: str) -> None:
    staff = signed_in("peter")  # the unit manager has invitations to acknowledge, with deadlines
    if lang != "sv":
        staff.get(f"/language/{lang}?next=/staff/")
    page = staff.get_page("/staff/")
    label, word = DEADLINE[lang]
    assert label in page.text_of("th"), "the column says what the date is"
    cells = [" ".join(c.text.split()) for c in page.all("td") if c.attrs.get("data-label") == label]
    assert cells, "the demo's unit manager has tasks with a deadline"
    for cell in cells:
        date = re.sub(r"^(Försenad|Overdue)\s*", "", cell)
        assert not date.lower().startswith(word), f"{label}: {cell}"
        assert re.search(r"\d{4}", date), f"the cell holds the date: {cell}"


def test_the_pages_a_relative_reads_say_no_du_in_what_staff_wrote(app: Flask, demo: Demo) -> None:
    """Karin, Astrid's daughter: every page she reaches, the text marked as staff-written."""
    action, _ = fuzz.demo_sign_in_choices(app)
    crawl: Crawl = fuzz.signed_in(app, action, str(demo.account_id("karin")))
    crawl.crawl("/")
    written: list[str] = []
    for url, status in crawl.pages.items():
        if status != 200 or urlsplit(url).path.endswith((".pdf", ".ics", ".json", ".js")):
            continue
        response = crawl.client.get(url)
        if response.mimetype != "text/html":
            continue
        page = parse(response.get_data(as_text=True))
        written += [
            " ".join(e.text.split())
            for e in page.elements
            if e.tag != "html" and e.attrs.get("lang") == "sv"
        ]
    assert "Planera vård och omsorg i hemmet efter höftoperationen." in written
    spoken_to = [text for text in written if YOU.search(text)]
    assert not spoken_to, spoken_to


def test_the_demo_meetings_speak_of_the_individual_not_to_them(app: Flask, demo: Demo) -> None:
    with app.app_context():
        texts = db.session().execute(sa.select(Meeting.purpose, Meeting.questions)).all()
    assert texts
    spoken_to = [t for row in texts for t in row if t and YOU.search(t)]
    assert not spoken_to, spoken_to


@pytest.mark.parametrize("kind", [MeetingKind.FIRST, MeetingKind.FOLLOW_UP])
def test_a_new_meetings_purpose_starts_without_du(
    app: Flask, demo: Demo, kind: MeetingKind
) -> None:
    with app.test_request_context(), force_locale("sv"):
        session = db.session()
        plan = session.scalar(sa.select(Plan).where(Plan.number == "SIP-2026-0011"))
        eva = session.get(Account, demo.account_id("eva"))
        purpose = defaults(plan, kind, eva, None)["purpose"]
    assert purpose and not YOU.search(purpose), purpose

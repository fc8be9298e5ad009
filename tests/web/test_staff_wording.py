"""Staff pages speak to staff (issue 13 point 7).

Signs in as every demo staff member (every staff role: health centre, ward, home health,
home help, needs assessment, psychiatry, ...), crawls every page under /staff/ that they reach
by links from the worklist, in Swedish and English, with the 404 and 403 pages they may meet,
and fails on a phrase written for the individual ("Hemma hos dig", "din plan", "kontakta din
samordningsansvarige"). Text that people wrote (marked `lang="sv"`, or in a field) is left
out: the portal's own words are checked.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Meeting, Plan
from portal.rules.vocabulary import AccountKind, MeetingKind
from tests.conftest import Demo, sign_in
from tests.support.crawl import PageWords
from tests.support.pages import PageClient

FOR_THE_INDIVIDUAL = {
    "sv": [
        "Min SIP",
        "Mina mål",
        "din plan",
        "din SIP",
        "din samordningsansvarige",
        "din samordnade",
        "Hemma hos dig",
        "Förbered dig",
        "Det här gör jag själv",
        "ditt önskemål",
        "mitt önskemål",
        "Se min plan",
        "Mina behov",
        "Så här vill jag",
        "Det vill jag",
        "De vill jag",
        "passar mig",
        "viktigt för mig",
        "Du får svar",
        "Du är kallad",
        "dina egna ord",
    ],
    "en": [
        "My SIP",
        "My goals",
        "your plan",
        "your SIP",
        "your coordinator",
        "your coordinated",
        "At your home",
        "What I do myself",
        "your wish",
        "my wish",
        "See my plan",
        "My needs",
        "suits me",
        "matters to me",
        "You will get an answer",
        "You are invited",
        "your own words",
    ],
}
NOT_FOLLOWED = ("/staff/sign-out",)


LIMIT = 250  # pages per person and language; the crawl fails rather than stop silently


def _staff(app: Flask) -> list[str]:
    with app.app_context():
        accounts = db.session().scalars(
            sa.select(Account).where(Account.kind == AccountKind.STAFF).order_by(Account.id)
        )
        return [a.name.split()[0].lower() for a in accounts]


def _errors(app: Flask) -> list[str]:
    """A page that does not exist (404) and a record form that is someone else's (403 for all
    but the convener)."""
    with app.app_context():
        meeting = db.session().scalar(
            sa.select(Meeting.id)
            .join(Plan)
            .where(Plan.number == "SIP-2026-0011", Meeting.kind == MeetingKind.FIRST)
        )
    return ["/staff/plans/999999", f"/staff/meetings/{meeting}/record", "/staff/no-such-page"]


def _crawl(client: PageClient, extra: list[str]) -> dict[str, str]:
    seen: set[str] = set()
    queue, texts = ["/staff/", *extra], {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        assert len(seen) <= LIMIT, "more staff pages than the crawl expects"
        response = client.get(path)
        if response.status_code not in (200, 403, 404):
            continue
        if "text/html" not in response.content_type:
            continue
        # the signed document's preview is the individual's, shown exactly as it will be signed
        words = PageWords(skip_audience="individual")
        words.feed(response.get_data(as_text=True))
        texts[f"{path} ({response.status_code})"] = words.text
        for href in words.links:
            url = urlsplit(urljoin(f"http://localhost{path}", href))
            if url.netloc != "localhost" or not url.path.startswith("/staff/"):
                continue
            if url.path.startswith(NOT_FOLLOWED) or url.path.endswith(".pdf"):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return texts


def test_every_demo_staff_role_is_crawled(app: Flask, demo: Demo) -> None:
    assert len(_staff(app)) >= 8


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_staff_page_speaks_to_the_individual(app: Flask, demo: Demo, lang: str) -> None:
    found, crawled = [], 0
    for person in _staff(app):
        client = PageClient(app.test_client())
        sign_in(client, demo, person)
        client.get(f"/language/{lang}?next=/staff/")
        texts = _crawl(client, _errors(app))
        crawled += len(texts)
        assert any(path.endswith("(404)") for path in texts), person
        found += [
            (person, path, phrase)
            for path, text in texts.items()
            for phrase in FOR_THE_INDIVIDUAL[lang]
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
        ]
    assert crawled >= 60, crawled
    assert not found, sorted(set((path.split("/")[2], phrase) for _, path, phrase in found))


def test_the_error_pages_speak_to_their_audience(app: Flask, demo: Demo) -> None:
    [_missing, someone_elses, _no_page] = _errors(app)
    peter = PageClient(app.test_client())
    sign_in(peter, demo, "peter")
    forbidden = peter.get_page(someone_elses, status=403).text
    assert "Fråga den som leder planen om du behöver det." in forbidden
    assert "Till arbetslistan" in forbidden and "samordningsansvarige" not in forbidden
    missing = peter.get_page("/staff/plans/999999", status=404).text
    assert "Gå tillbaka till arbetslistan" in missing
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    hers = astrid.get_page("/staff/", status=403).text
    assert "Om du tror att det är fel, kontakta din samordningsansvarige." in hers
    assert "Till startsidan" in hers and "Din roll eller enhet" not in hers
    karin = PageClient(app.test_client())
    sign_in(karin, demo, "karin")
    assert "kontakta den som leder planen" in karin.get_page("/staff/", status=403).text

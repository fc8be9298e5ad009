"""One long and one short date style per locale, everywhere (issue 14 point 6, ADR 0070).

Crawls the pages the individual, a relative and a staff member reach, in Swedish and English,
reads the signed plan and the access-log extract as PDF text, and fails on any date written in
another style: "12/1/26", "December 11, 2026", "Friday, December", a day and month without a
year, "kl. 14:00" in Swedish, ISO dates in running text. Text people wrote (`lang="sv"`,
fields) is left out: it is theirs.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from portal import db
from tests.conftest import Demo, sign_in
from tests.support.crawl import crawl
from tests.support.pages import PageClient
from tests.support.plans import gunnel_version, sign_as_previewed, staff_account

MONTHS = {
    "sv": "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december",
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
}
SHORT = {
    "sv": r"jan\.|feb\.|mars|apr\.|maj|juni|juli|aug\.|sep\.|okt\.|nov\.|dec\.",
    "en": "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
}
WEEKDAYS = {
    "sv": "måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag",
    "en": "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
}


def other_styles(text: str, lang: str) -> list[str]:
    months, short, days = MONTHS[lang], SHORT[lang], WEEKDAYS[lang]
    patterns = [
        r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",  # 12/1/26
        rf"\b(?:{months})\s+\d{{1,2}}\b",  # December 11, October 23
        rf"\b(?:{days}),",  # Friday, December
        rf"\b\d{{1,2}}\s+(?:{months})(?!\s+\d{{4}})\b",  # 11 December (no year)
        rf"\b\d{{1,2}}\s+(?:{short})(?!\s*\d{{4}})(?=\s|$|[,.;)])",  # 1 Dec (no year)
        r"\b\d{4}-\d{2}-\d{2}\b",  # 2026-12-01 in running text
        r"kl\.\s*\d{1,2}:\d{2}" if lang == "sv" else r"\bat\s+\d{1,2}\.\d{2}\b",
    ]
    return [m.group(0) for p in patterns for m in re.finditer(p, text)]


NOT_FOLLOWED = ("/static", "/language", "/sign-out", "/account/sign-out", "/demo")


def _followed(path: str) -> bool:
    return not path.startswith(NOT_FOLLOWED) and not path.endswith((".pdf", ".ics"))


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(
    ("who", "start"), [("astrid", "/me/"), ("karin", "/me/"), ("eva", "/staff/")]
)
def test_pages_show_dates_only_in_the_two_styles(
    client: PageClient, demo: Demo, who: str, start: str, lang: str
) -> None:
    sign_in(client, demo, who)
    client.get(f"/language/{lang}?next={start}")
    texts = crawl(client, start, _followed, limit=60)
    assert len(texts) >= 5, sorted(texts)
    found = {path: other_styles(text, lang) for path, text in texts.items()}
    found = {path: styles for path, styles in found.items() if styles}
    assert not found, found


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_signed_plan_and_the_log_extract_show_dates_only_in_the_two_styles(
    client: PageClient, app: Flask, demo: Demo, lang: str, tmp_path: Path
) -> None:
    with app.app_context(), force_locale(lang):  # the plan is signed in the reader's language
        session = db.session()
        sign_as_previewed(gunnel_version(session), staff_account(session, "Fatima"))
    sign_in(client, demo, "gunnel")
    client.get(f"/language/{lang}?next=/me/")
    plan = client.get_page("/me/")
    plan_link = next(
        a.attrs["href"]
        for a in plan.all("a")
        if a.attrs.get("href", "").startswith("/me/plans/") and a.attrs["href"].count("/") == 3
    )
    page = client.get_page(plan_link)
    pdfs = [a.attrs["href"] for a in page.all("a") if a.attrs.get("href", "").endswith(".pdf")]
    assert pdfs, "the signed plan as PDF"
    pdfs.append("/me/access-log/extract.pdf?mine=1")
    for href in pdfs:
        response = client.get(href)
        assert response.status_code == 200, href
        text = " ".join(_pdf_text(response.data, tmp_path).split())
        assert re.search(r"\d{4}", text), href
        assert not other_styles(text, lang), (href, other_styles(text, lang))

"""The plan's PDF: its content in Swedish and English, page numbers, and a tagged PDF/UA file."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from flask import Flask
from pypdf import PdfReader
from sqlalchemy.orm import Session

from portal.documents.content import coordinator_at, plan_content
from portal.documents.render import render_plan
from portal.services.signing import draft_preview
from tests.conftest import Demo
from tests.support.plans import gunnel_version, pdf_text

GOALS = [
    "Jag vill kunna bo kvar hemma och känna mig trygg.",
    "Jag vill orka gå till affären själv.",
]


def _render(db: Session, locale: str) -> bytes:
    version = gunnel_version(db)
    content = plan_content(
        version, coordinator=coordinator_at(version.plan, None), at=version.created_at
    )
    return render_plan(content, locale=locale)


def test_swedish_pdf_holds_the_whole_plan(app: Flask, db: Session, demo: Demo) -> None:
    text = pdf_text(_render(db, "sv"))
    for expected in [
        "Gunnel Ek",
        "19381102-****",
        "SIP-2026-0004",
        *GOALS,
        "Vem gör vad",
        "Hjälp morgon, lunch och kväll",  # version 2's change
        "Hemtjänst Centrum",
        "Peter Strand",
        "Det här gör jag själv",
        "Jag går en promenad med rollatorn varje dag.",
        "Uppföljning",
        "Samordningsansvarig",
        "Fatima Al-Hassan",
        "De som var med på mötet",
        "Samtycke",
        "Underskrift",
        "Sida 1 av",
    ]:
        assert expected in text, expected
    assert "19381102-9" not in text  # the identity number is masked


def test_english_pdf_has_english_words_and_the_persons_own(
    app: Flask, db: Session, demo: Demo
) -> None:
    text = pdf_text(_render(db, "en"))
    for expected in [
        "Coordinated individual plan",
        "My goals",
        "Who does what",
        "What I do myself",
        "Who took part in the meeting",
        "Consent",
        "Page 1 of",
        *GOALS,  # her goals stay in her own words
    ]:
        assert expected in text, expected
    assert "Vem gör vad" not in text


def test_every_page_has_its_number_of_all(app: Flask, db: Session, demo: Demo) -> None:
    reader = PdfReader(io.BytesIO(_render(db, "sv")))
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Sida {number} av {pages}" in page.extract_text()


def test_pdf_is_tagged_for_screen_readers(app: Flask, db: Session, demo: Demo) -> None:
    reader = PdfReader(io.BytesIO(_render(db, "sv")))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "sv"
    assert reader.metadata.title == "Samordnad individuell plan SIP-2026-0004, version 2"


def test_draft_preview_says_it_is_not_signed(app: Flask, db: Session, demo: Demo) -> None:
    text = pdf_text(draft_preview(gunnel_version(db)))
    assert "Utkast" in text and "Inte signerad ännu." in text
    assert "Kontrollkod" not in text


def test_weasyprint_is_imported_when_the_app_starts_not_per_request() -> None:
    probe = (
        "import sys; from portal import create_app; "
        "assert 'weasyprint' not in sys.modules; "
        "create_app({'DATABASE_URL': 'sqlite://'}); "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SIP_CONFIG": "test"},
    )
    assert result.stdout.strip() == "True"

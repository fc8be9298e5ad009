"""Stored boundary values never break a page: every page every demo role reaches renders
whole after the longest texts, endless words, earliest and latest dates, and values beyond
any field contract (year 9999 and year 1, a 5,000-character word) are stored in every model
(issue 12, point 2) — and so does every PDF those pages link to (the signed plan, the
access-log extract). The layout is checked in real Chromium in tests/browser."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

from portal import db
from portal.documents.content import coordinator_at, person, plan_content
from portal.documents.render import html_to_pdf, plan_html
from portal.models import PlanVersion
from portal.services.signing import signed_content
from portal.timeutil import now
from tests.conftest import Demo
from tests.fuzz.crawler import Crawl, Finding
from tests.fuzz.test_fuzz_forms import demo_sign_in_choices, signed_in
from tests.support.boundaries import store_boundary_values

# PDFs rendered on request from what is stored (a draft's preview, the extract); the signed
# original is stored bytes: what signing renders from boundary values is the next test.
PDF_KINDS = {  # what each kind of PDF link looks like
    "plan (staff)": re.compile(r"^/staff/plans/\d+/versions/\d+/plan\.pdf"),
    "access-log extract": re.compile(r"^/me/access-log/extract\.pdf"),
}


def test_boundary_values_in_every_model_break_no_page_for_any_role(app: Flask, demo: Demo) -> None:
    # Every page of every role, drafts' PDF previews among them: more than one person would
    # ask for in a minute, so the per-account limit on drawn PDFs (ADR 0105) is lifted here
    app.config["DRAWN_PDF_RATE_LIMIT"] = "100000 per minute"
    touched = store_boundary_values(app.extensions["sip_engine"])
    for table in ("individuals", "staff", "meetings", "goals", "interventions", "plans"):
        assert touched.get(table), f"no boundary values stored in {table}: {touched}"
    action, accounts = demo_sign_in_choices(app)
    findings: list[Finding] = []
    pages = 0
    pdfs: dict[str, tuple[Crawl, str]] = {}
    for account in [*accounts, None]:
        crawl = signed_in(app, action, account) if account else Crawl(app.test_client(), "anon")
        crawl.check = True
        crawl.crawl("/")
        pages += sum(1 for status in crawl.pages.values() if status == 200)
        findings += crawl.findings
        for url, status in crawl.pages.items():
            for kind, shape in PDF_KINDS.items():
                if shape.match(url) and status == 200:
                    pdfs.setdefault(kind, (crawl, url))
    assert pages > 100, pages
    assert not findings, "\n".join(str(f) for f in findings[:25])
    assert set(pdfs) == set(PDF_KINDS), f"PDFs reached: {sorted(pdfs)}"
    for kind, (crawl, url) in pdfs.items():
        for lang in ("sv", "en"):
            response = crawl.client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
            assert response.status_code == 200, f"{kind} {lang}: {response.status_code}"
            assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
            reader = PdfReader(io.BytesIO(response.data))
            assert reader.pages and reader.trailer["/Root"].get("/Lang"), f"{kind}: no /Lang"


def test_every_signed_plan_renders_as_a_pdf_from_boundary_values(app: Flask, demo: Demo) -> None:
    """The signed original is stored; what signing would render from the stored values now
    (the longest texts, endless words, year 9999) must render too, in sv and en."""
    store_boundary_values(app.extensions["sip_engine"])
    with app.app_context():
        versions = db.session().scalars(sa.select(PlanVersion).order_by(PlanVersion.id)).all()
        signed = [v for v in versions if v.signed_by is not None]
        assert signed and len(versions) > len(signed), "signed versions and drafts in the demo"
        for version in signed[:4] + [v for v in versions if v.signed_by is None][:2]:
            staff = version.signed_by or coordinator_at(version.plan, None)
            for locale in ("sv", "en"):
                if version.signed_by is not None:
                    content = signed_content(version)
                else:
                    content = plan_content(version, coordinator=staff, at=now())
                html = plan_html(
                    content,
                    locale=locale,
                    signer=person(staff) if staff else None,
                    signed_at=version.signed_at,
                    code="ABCD-EFGH",
                )
                assert f'<html lang="{locale}">' in html
                pdf = html_to_pdf(html)
                reader = PdfReader(io.BytesIO(pdf))
                assert reader.trailer["/Root"]["/Lang"] == locale, version.id
                assert reader.pages

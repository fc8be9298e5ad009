"""Stored boundary values never break a page: every page every demo role reaches renders
whole after the longest texts, endless words and earliest and latest dates are stored in
every model (issue 12, point 2). The layout at 360 px is checked in tests/browser."""

from __future__ import annotations

from flask import Flask

from tests.conftest import Demo
from tests.fuzz.crawler import Crawl, Finding
from tests.fuzz.test_fuzz_forms import demo_sign_in_choices, signed_in
from tests.support.boundaries import store_boundary_values


def test_boundary_values_in_every_model_break_no_page_for_any_role(app: Flask, demo: Demo) -> None:
    touched = store_boundary_values(app.extensions["sip_engine"])
    for table in ("individuals", "staff", "meetings", "goals", "interventions", "plans"):
        assert touched.get(table), f"no boundary values stored in {table}: {touched}"
    action, accounts = demo_sign_in_choices(app)
    findings: list[Finding] = []
    pages = 0
    for account in [*accounts, None]:
        crawl = signed_in(app, action, account) if account else Crawl(app.test_client(), "anon")
        crawl.check = True
        crawl.crawl("/")
        pages += sum(1 for status in crawl.pages.values() if status == 200)
        findings += crawl.findings
    assert pages > 100, pages
    assert not findings, "\n".join(str(f) for f in findings[:25])

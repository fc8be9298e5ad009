"""Every form of every demo role, submitted with hostile values (issue 12, point 3).

Asserts: no 5xx; nothing sent comes back unescaped; every page every role reached still
renders afterwards. `FUZZ_SUBMISSIONS` (default 2,000) sets the size; `make fuzz` runs a
larger one. `FUZZ_SEED` repeats a run.
"""

from __future__ import annotations

import math
import os
import random
from collections import Counter
from datetime import date

from flask import Flask

from portal.extensions import limiter
from tests.conftest import Demo
from tests.fuzz.crawler import Crawl, Finding, hostile_variant
from tests.support.pages import check_page, parse

SUBMISSIONS = int(os.environ.get("FUZZ_SUBMISSIONS", "2000"))
SEED = int(os.environ.get("FUZZ_SEED", str(random.SystemRandom().randrange(10**6))))


def demo_sign_in_choices(app: Flask) -> tuple[str, list[str]]:
    """From `/` and the sign-in page only: where the demo form posts and whom it offers."""
    client = app.test_client()
    assert client.get("/").status_code == 200
    page = parse(client.get("/sign-in").get_data(as_text=True))
    form = next(f for f in page.all("form") if "demo" in f.attrs.get("action", ""))
    accounts = [b.attrs["value"] for b in page.all("button", name="account")]
    return form.attrs["action"], accounts


def signed_in(app: Flask, action: str, account: str) -> Crawl:
    crawl = Crawl(app.test_client(), role=f"account {account}")
    crawl.fetch("/sign-in")
    response = crawl.client.post(action, data={"csrf_token": crawl.token, "account": account})
    assert response.status_code == 303, f"demo sign-in as {account}: {response.status_code}"
    crawl.fetch("/")
    return crawl


def test_fuzz_every_form_of_every_role(app: Flask, demo: Demo) -> None:
    rng = random.Random(SEED)
    limiter.enabled = False  # the limits have their own tests; here every value should arrive
    today = date.today().isoformat()
    action, accounts = demo_sign_in_choices(app)
    assert len(accounts) >= 5, "the demo offers its roles on the sign-in page"
    crawls = []
    for account in accounts:
        crawl = signed_in(app, action, account)
        crawl.crawl("/")
        crawls.append(crawl)
    anonymous = Crawl(app.test_client(), role="anonymous")
    anonymous.crawl("/")
    crawls.append(anonymous)
    forms = sum(len(c.forms) for c in crawls)
    assert forms >= 30, f"found only {forms} forms"
    each = math.ceil(SUBMISSIONS / forms)
    findings: list[Finding] = []
    for crawl in crawls:
        for form in crawl.forms:
            for _ in range(each):
                crawl.submit(form, hostile_variant(form, rng, today))
        findings += crawl.findings
    submitted = sum(c.submissions for c in crawls)
    # afterwards: every page every role reached still renders (signed in afresh)
    for before in crawls:
        again = (
            signed_in(app, action, before.role.split()[-1])
            if before.role != "anonymous"
            else Crawl(app.test_client(), role="anonymous")
        )
        for url, status in before.pages.items():
            response, _ = again.fetch(url)
            if status == 200 and response.status_code == 200 and response.mimetype == "text/html":
                try:
                    check_page(response)
                except AssertionError as broken:
                    findings.append(Finding(f"{before.role} page no longer whole: {broken}", url))
        findings += again.findings
    print(  # the size of the run, for the log (pytest -s)
        f"fuzz seed {SEED}: {len(crawls)} roles, {sum(len(c.pages) for c in crawls)} pages, "
        f"{forms} forms, {submitted} submissions, answers "
        f"{sum((c.statuses for c in crawls), Counter()).most_common()}"
    )
    report = "\n".join(str(f) for f in findings[:25])
    assert not findings, (
        f"seed {SEED}, {submitted} submissions, {len(findings)} findings:\n{report}"
    )
    assert submitted >= SUBMISSIONS, submitted

"""A PDF drawn on request holds a worker process (ADR 0105): per account, a few a minute.

An individual's representative asking for the access-log extract again and again, or a staff
member asking for a draft's preview, is refused with 429 before anything is read or audited;
another account is not held back by them, and a stored (signed) PDF is never limited.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.support.plans import gunnel_version, sign_as_previewed, staff_account


def _events(app: Flask, type_: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.type == type_)
        )


def _draft(app: Flask) -> tuple[int, int]:
    with app.app_context():
        version = gunnel_version(db.session())
        return version.plan_id, version.id


def test_the_extract_is_refused_past_the_limit_and_the_refusal_is_not_audited(
    app: Flask, client: PageClient, demo: Demo
) -> None:
    app.config["DRAWN_PDF_RATE_LIMIT"] = "2 per minute"
    sign_in(client, demo, "per")
    answers = [client.get("/me/access-log/extract.pdf").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert _events(app, "access_log_pdf.read") == 2
    refused = client.get("/me/access-log/extract.pdf").get_data(as_text=True)
    assert "Du har bett om många dokument på kort tid" in refused  # a document's words
    assert "Vänta en minut" in refused and "För många försök" not in refused
    english = client.get("/me/access-log/extract.pdf?lang=en").get_data(as_text=True)
    assert "You have asked for many documents in a short time" in english


def test_drafts_share_the_limit_per_account_and_signed_pdfs_are_not_limited(
    app: Flask, demo: Demo
) -> None:
    app.config["DRAWN_PDF_RATE_LIMIT"] = "2 per minute"
    plan_id, version_id = _draft(app)
    draft = f"/staff/plans/{plan_id}/versions/{version_id}/plan.pdf"
    fatima = PageClient(app.test_client())
    sign_in(fatima, demo, "fatima")
    assert [fatima.get(draft).status_code for _ in range(3)] == [200, 200, 429]
    assert _events(app, "plan_pdf.staff_read") == 2

    other = PageClient(app.test_client())  # another staff member who may see the plan
    sign_in(other, demo, "eva")
    assert other.get(draft).status_code == 200  # not held back by Fatima's count

    with app.app_context():
        session = db.session()
        sign_as_previewed(gunnel_version(session), staff_account(session, "Fatima"))
    signed = [fatima.get(draft).status_code for _ in range(3)]
    assert signed == [200, 200, 200]  # the stored original is sent, nothing drawn

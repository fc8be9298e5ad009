"""A closed plan as the individual's side reads it (issue 14 point 5): the reason and date of
closing, who closed it, what happens now and whom to contact — and no text of an open plan."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Plan
from portal.rules.vocabulary import CloseReason
from portal.services import consent as consent_service
from portal.services.plans import close_plan_now
from tests.conftest import Demo, sign_in
from tests.support.pages import Page, PageClient

GUNNEL, ASTRID = "SIP-2026-0004", "SIP-2026-0011"
OPEN_PLAN_TEXT = (
    "den som gäller nu",
    "Planen skrivs på ert första möte",
    "Det här kan du göra",
    "Se och ändra",
    "Förbered dig inför mötet",
)
WHAT_NOW = {
    CloseReason.GOALS_MET: "Det blir inga fler SIP-möten eller uppföljningar i den här planen.",
    CloseReason.NO_LONGER_NEEDED: "Varje enhet fortsätter med sina egna insatser",
    CloseReason.NO_LONGER_WANTED: "Behöver du samordning igen kan en ny SIP startas.",
    CloseReason.ONLY_SOCIAL_INTERVENTIONS: "Varje enhet fortsätter med sina egna insatser",
    CloseReason.HOME_HEALTH_ENDED: "Varje enhet fortsätter med sina egna insatser",
    CloseReason.CONSENT_WITHDRAWN: "Enheterna planerar var för sig, utan en gemensam plan",
    CloseReason.DECEASED: "Inga fler möten eller meddelanden kommer om planen.",
}


def _close(app: Flask, number: str, reason: CloseReason, by: str) -> int:
    with app.app_context():
        session = db.session()
        plan = session.scalar(sa.select(Plan).where(Plan.number == number))
        account = next(a for a in session.scalars(sa.select(Account)) if a.name.split()[0] == by)
        close_plan_now(plan, reason, account)
        session.commit()
        return plan.id


def _no_open_plan_text(page: Page) -> None:
    for text in OPEN_PLAN_TEXT:
        assert text not in page.text, text
    assert "Möten" not in page.text_of("h2")  # an empty list of meetings is not shown


@pytest.mark.parametrize("reason", sorted(WHAT_NOW, key=str))
def test_a_signed_plan_closed_for_each_reason_says_why_when_who_what_now_and_whom_to_call(
    client: PageClient, app: Flask, demo: Demo, reason: CloseReason
) -> None:
    plan_id = _close(app, GUNNEL, reason, "Fatima")
    viewer = "per" if reason is CloseReason.DECEASED else "gunnel"  # her god man after a death
    sign_in(client, demo, viewer)
    page = client.get_page(f"/me/plans/{plan_id}")
    closing = " ".join(e.text for e in page.all("section", **{"aria-labelledby": "closed-heading"}))
    closing = " ".join(closing.split())
    assert "Planen är avslutad" in closing
    from portal.labels import of

    with app.test_request_context():
        assert str(of(reason)) in closing
    assert "Avslutad av Fatima Al-Hassan, ÄlSa-teamet Norrsund" in closing
    assert "Vad händer nu?" in closing
    what_now = WHAT_NOW[reason]
    if viewer == "per":
        what_now = what_now.replace("du ", "Gunnel ")
    assert what_now in closing
    assert "Fatima Al-Hassan" in closing and "0601-12 35 00" in closing  # whom to contact
    assert "Version 1 – den sista som gällde" in page.text
    _no_open_plan_text(page)
    assert "Möten som hölls" in page.text_of("h2")


def test_withdrawing_all_consent_before_the_first_meeting_leaves_no_open_plan_text(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    sign_in(client, demo, "astrid")
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == ASTRID))
    page = client.get_page(f"/me/plans/{plan_id}/consent")
    response = client.post_form(
        f"/me/plans/{plan_id}/consent", {"action": "withdraw", "unit": "all"}
    )
    assert response.status_code == 303
    page = client.get_page(f"/me/plans/{plan_id}")
    assert "Avslutad" in page.text
    assert "Samtycket har återkallats" in page.text_of("dd")
    assert "Dig själv" in page.text_of("dd")  # closed by her own withdrawal
    assert "Planen avslutades innan någon plan hann skrivas." in page.text
    assert "Vill du ha en SIP igen senare, säg till personalen." in page.text
    assert "Eva Sjöberg" in page.text  # whom to contact: the convener who led it
    _no_open_plan_text(page)
    assert "Möten som hölls" not in page.text_of("h2")  # the first meeting was cancelled
    assert consent_service  # the withdrawal went through the consent service


def test_a_plan_replaced_by_a_new_one_links_to_it(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    sign_in(client, demo, "sture")
    home = client.get_page("/me/")
    links = [e.attrs["href"] for e in home.all("a") if "Se planen" in e.text]
    assert links
    page = client.get_page(links[0])
    assert "Planen är avslutad" in page.text and "Vad händer nu?" in page.text
    assert "Frågor om planen besvarar den som ledde den:" in page.text
    _no_open_plan_text(page)

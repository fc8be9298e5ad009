"""Issue 11, point 3: letter secrets are shown once (the individual's letter to a relative as
well as the staff letters), starting a plan for an existing person gives no access to that
person's other plans or account, and the individual is told of a recovery and sees every
passkey with when it was added."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Individual, Passkey, Plan
from tests.conftest import Demo
from tests.support.letters import BENGT_PLAN, bengt_with_a_passkey, start_plan_for_bengt
from tests.support.pages import PageClient, check_page


def _cookie_data(app: Flask, client: PageClient) -> str:
    raw = client.get_cookie("sip_session").value
    return repr(app.session_interface.get_signing_serializer(app).loads(raw))


def test_the_relative_letter_is_shown_once_and_kept_nowhere(
    signed_in, app: Flask, demo: Demo
) -> None:
    astrid = signed_in("astrid")
    answer = astrid.post_form(
        "/me/relatives", {"given_name": "Lars", "family_name": "Lindqvist", "scopes": ["prepare"]}
    )
    assert answer.status_code == 200, "the letter is the POST's answer, not a page to reopen"
    letter = check_page(answer)
    code = letter.one("strong", class_="code").text.strip()
    link = next(a.attrs["href"] for a in letter.all("a") if "/invitation#" in a.attrs["href"])
    token = urlparse(link).fragment
    assert urlparse(link).path == "/invitation", "the token is in the fragment, never a path"
    stored = _cookie_data(app, astrid)
    assert token not in stored and code.replace("-", "") not in stored.replace("-", "")
    with astrid.client.session_transaction() as session:
        assert token not in repr(dict(session)), "the secret is in the session"
    assert astrid.get("/me/relatives/letter").status_code == 404, "the letter page reopens"
    for path in ("/me/relatives", "/me/"):
        again = astrid.get_page(path).text
        assert code not in again and token not in again, f"{path} shows the secret again"


def test_starting_a_plan_for_an_existing_person_gives_no_access_to_their_other_plans_or_account(
    signed_in, app: Flask, demo: Demo
) -> None:
    _key, phone = bengt_with_a_passkey(app)
    sara = signed_in("sara")
    new_plan = start_plan_for_bengt(app, sara)
    with app.app_context():
        old_plan = db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT_PLAN))
    for path in ("", "/consent", "/coordinator", "/account-invitation", "/meetings/new"):
        assert sara.get(f"/staff/plans/{old_plan}{path}").status_code == 404, path
    assert BENGT_PLAN not in sara.get_page("/staff/plans").text
    sara.get_page(f"/staff/plans/{new_plan}")  # her own plan: 200
    asked = sara.post_form(
        f"/staff/plans/{new_plan}/account-invitation", {"identity_document": "passport"}
    )
    assert asked.status_code == 303, "a letter to Bengt's account was printed at once"
    assert "Inbjudan till SIP Portal" not in asked.get_data(as_text=True)
    assert sara.get("/me/").status_code in (302, 403), "the starter acts as the individual"
    phone.get_page("/me/")


def test_the_individual_is_told_of_a_recovery_and_sees_every_passkey_and_when_it_was_added(
    signed_in, app: Flask, demo: Demo
) -> None:
    _key, phone = bengt_with_a_passkey(app)
    added = datetime(2026, 3, 4, 9, 15, tzinfo=UTC)
    with app.app_context():
        bengt = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Bengt"))
        account = db.session().scalar(sa.select(Account).where(Account.individual_id == bengt.id))
        db.session().add(
            Passkey(
                account_id=account.id,
                credential_id=b"second-key",
                public_key=b"x",
                name="Surfplatta",
                created_at=added,
            )
        )
        db.session().commit()
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT_PLAN))
    maria = signed_in("maria")
    asked = maria.post_form(
        f"/staff/plans/{plan_id}/account-invitation", {"identity_document": "passport"}
    )
    assert asked.status_code == 303
    home = phone.get_page("/me/").text
    assert "Personalen har begärt ett nytt brev för att komma in på ditt konto" in home
    mine = phone.get_page("/account")
    names = mine.text_of("h3")
    assert "Telefon" in names and "Surfplatta" in names, names
    assert mine.text.count("Tillagd") == 2
    assert "4 mars 2026" in mine.text or "2026-03-04" in mine.text, "when it was added"

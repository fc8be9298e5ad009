"""Invitations: plain words for every dead end; codes cannot be guessed; staff letters."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.auth.invitations import show_code
from portal.models import AccountInvitation, Individual
from portal.services.invitations import IssuedInvitation, create_invitation, revoke_invitation
from portal.timeutil import now
from tests.conftest import Demo
from tests.support.pages import PageClient


def _issue(app: Flask, name: str = "Bengt") -> IssuedInvitation:
    with app.app_context():
        person = db.session().scalar(sa.select(Individual).where(Individual.given_name == name))
        return create_invitation(individual=person, by=None)


def test_invitation_link_leads_to_passkey_registration_without_token_in_url(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    issued = _issue(app)
    page = client.get_page("/invitation")  # /invitation#<token>: the script posts the token
    assert page.one("form", id="invitation-link").attrs["action"] == "/invitation"
    response = client.post_form("/invitation", {"token": issued.token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/invitation/register"
    page = client.get_page("/invitation/register")
    assert page.text_of("h1") == ["Välkommen, Bengt"]
    assert page.one("form", id="passkey-register").attrs["data-passkey"] == "register"


def test_typed_code_in_any_case_and_spacing_is_accepted(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    issued = _issue(app)
    typed = " " + show_code(issued.code).lower().replace("-", " - ") + " "
    response = client.post_form("/invitation", {"code": typed})
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("expire", "Inbjudan har gått ut"),
        ("use", "Inbjudan är redan använd"),
        ("revoke", "Inbjudan har dragits tillbaka"),
    ],
)
def test_dead_invitation_says_why_in_plain_swedish(
    client: PageClient, app: Flask, demo: Demo, spoil: str, message: str
) -> None:
    issued = _issue(app)
    with app.app_context():
        invitation = db.session().get(AccountInvitation, issued.invitation.id)
        if spoil == "expire":
            invitation.expires_at = now() - timedelta(minutes=1)
        elif spoil == "use":
            invitation.used_at = now()
        else:
            revoke_invitation(invitation=invitation, by=None)  # type: ignore[arg-type]
        db.session().commit()
    response = client.post_form("/invitation", {"token": issued.token})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = client.post_form("/invitation", {"code": issued.code})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_unknown_code_keeps_what_was_typed(client: PageClient, demo: Demo) -> None:
    response = client.post_form("/invitation", {"code": "WXYZ-2345"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vi hittar ingen inbjudan med den koden" in html
    assert 'value="WXYZ-2345"' in html


def test_guessing_codes_is_stopped_by_a_rate_limit(client: PageClient, demo: Demo) -> None:
    statuses = [
        client.post_form("/invitation", {"code": f"AAAA-{n:04d}"}).status_code for n in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429


def test_staff_invitation_needs_an_identity_check_and_gives_a_qr_letter(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    with app.app_context():
        astrid_id = db.session().scalar(
            sa.select(Individual.id).where(Individual.given_name == "Astrid")
        )
        plan_id = max(
            db.session().scalars(
                sa.text("SELECT id FROM plans WHERE individual_id = :i"), {"i": astrid_id}
            )
        )
    response = client.post_form(f"/staff/plans/{plan_id}/account-invitation", {})
    assert response.status_code == 400
    assert "Kontrollera personens identitet" in response.get_data(as_text=True)
    response = client.post_form(
        f"/staff/plans/{plan_id}/account-invitation", {"identity_document": "passport"}
    )
    assert response.status_code == 200  # the letter, once, as the POST's answer
    from tests.support.pages import check_page

    letter = check_page(response)
    qr = letter.one("img")
    assert qr.attrs["src"].startswith("data:image/svg+xml")
    assert "Din kod" in letter.text
    with app.app_context():
        open_ones = (
            db.session()
            .scalars(
                sa.select(AccountInvitation).where(AccountInvitation.individual_id == astrid_id)
            )
            .all()
        )
        assert len(open_ones) == 1 and open_ones[0].created_by.staff.given_name == "Eva"
        invitation_id = open_ones[0].id
    plan_page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Öppen inbjudan" in plan_page.text
    revoke = client.post_form(f"/staff/account-invitations/{invitation_id}/revoke")
    assert revoke.status_code == 303
    assert "Öppen inbjudan" not in client.get_page(f"/staff/plans/{plan_id}").text

"""Public and account forms refuse hostile values by their contract (ADR 0050, 0051): a 400/422
with the bound beside the field and the input kept; never a 500, never silently accepted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import ContactPoint
from portal.web.public import eid_proof
from tests.conftest import Demo
from tests.support.clock import daytime  # noqa: F401 (autouse)
from tests.support.eid_flow import eid_app as shared_eid_app
from tests.support.hostile import HUGE, NEGATIVE, SUPERSCRIPT, refused_beside, too_long
from tests.support.oidc_provider import oidc_provider
from tests.support.pages import PageClient

ADDRESSES = "/account/notices/addresses"


def _points(app: Flask, account_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session().scalars(
                sa.select(ContactPoint.id).where(ContactPoint.account_id == account_id)
            )
        )


def test_notices_address_over_its_bound_is_refused_not_cut(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("sture")
    address = too_long(412) + "@example.se"
    response = client.post_form(ADDRESSES, {"channel": "email", "address": address})
    refused_beside(response, "address", "Högst 300 tecken. Nu är det 423.", kept=address)
    assert _points(app, demo.account_id("sture")) == []


def test_notices_mobile_number_has_the_phone_contract(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("sture")
    for number, message in (
        ("070-123 45 67 070-123 45 67", "Högst 20 tecken. Nu är det 27."),
        ("０７０１２３４５６７", "Skriv ett telefonnummer med siffror"),
        ("070²³45678", "Skriv ett telefonnummer med siffror"),
    ):
        response = client.post_form(ADDRESSES, {"channel": "sms", "address": number})
        page = refused_beside(response, "address", message, kept=number)
        assert 'id="channel-sms" name="channel" value="sms" checked' in page
    assert _points(app, demo.account_id("sture")) == []


def test_notices_channel_outside_its_vocabulary_is_refused_beside_it(signed_in, demo: Demo) -> None:
    client = signed_in("sture")
    response = client.post_form(ADDRESSES, {"channel": "fax", "address": "0701234567"})
    refused_beside(response, "channel", "Välj e-post eller sms.", kept="0701234567")


def test_notices_code_over_its_bound_and_switches_outside_their_two_values(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("sture")
    client.post_form(ADDRESSES, {"channel": "email", "address": "s@example.se"})
    (point_id,) = _points(app, demo.account_id("sture"))
    code = "1" * 41
    response = client.post_form(f"{ADDRESSES}/{point_id}/confirm", {"code": code})
    refused_beside(response, f"code-{point_id}", "Högst 20 tecken. Nu är det 41.", kept=code)
    for forged in ({"on": "yes"}, {"details": "²"}, {}, {"on": "1", "details": "1"}):
        assert client.post_form(f"{ADDRESSES}/{point_id}/switch", forged).status_code == 400
    assert client.post_form(f"{ADDRESSES}/{point_id}/switch", {"on": "0"}).status_code == 303


def test_verify_code_over_its_bound_states_it_and_keeps_it(client) -> None:
    code = "K" * 60
    response = client.post_form("/verify", {"code": code})
    refused_beside(response, "code", "Högst 40 tecken. Nu är det 60.", kept=code)


def test_invitation_code_over_its_bound_states_it_and_keeps_it(client) -> None:
    code = "Q" * 50
    response = client.post_form("/invitation", {"code": code})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Högst 40 tecken. Nu är det 50." in page and code in page
    assert client.post_form("/invitation", {"token": "t" * 500}).status_code == 400


def test_demo_sign_in_refuses_ids_that_are_not_ascii_digits_within_64_bits(
    client, demo: Demo
) -> None:
    for value in (SUPERSCRIPT, HUGE, NEGATIVE, "abc", ""):
        assert client.post_form("/sign-in/demo", {"account": value}).status_code == 400


def test_query_strings_with_hostile_values_are_ordinary_visits(signed_in, demo: Demo) -> None:
    client = signed_in("astrid")
    assert client.get("/?source=" + "p" * 300).status_code == 200
    assert client.get("/?source=pwa").status_code == 302
    for forged in ("/me/%0Aevil", "//evil.example", "/" + "a" * 3000):
        response = client.get(f"/language/en?next={forged}")
        assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get("/calendar/feed.ics?key=" + "k" * 500).status_code == 404
    assert client.get("/calendar/feed.ics?key=%00").status_code == 404


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider([]) as url:  # no one signs in there: the start is refused before it
        yield url


@pytest.fixture
def eid_app(migrated: str, tmp_path, issuer: str) -> Iterator[Flask]:
    with shared_eid_app(migrated, tmp_path, issuer) as (app, _demo):
        yield app


@pytest.mark.parametrize(
    "purpose",
    [
        "INVITATION",
        SUPERSCRIPT,
        "invitation\x00",
        "\u202einvitation",
        "invitation " + "x" * 5000,
        ["sign-in", "invitation"],  # a duplicated field counts once: the first
    ],
)
def test_eid_start_refuses_a_purpose_the_page_never_sends(
    eid_app: Flask, purpose: str | list[str]
) -> None:
    client = PageClient(eid_app.test_client())
    client.get_page("/sign-in")
    response = client.post_form("/e-id/start", {"for": purpose})
    assert response.status_code == 400  # the page's buttons send "invitation" or nothing
    assert "Sidan fick uppgifter som den inte förstod." in response.get_data(as_text=True)
    assert "Location" not in response.headers, "nothing goes to the provider"
    with client.client.session_transaction() as session:
        assert eid_proof.FOR_INVITATION not in session


def test_eid_start_with_what_the_page_sends_goes_to_the_provider(eid_app: Flask) -> None:
    client = PageClient(eid_app.test_client())
    client.get_page("/sign-in")
    for form in ({}, {"for": "invitation"}, {"for": ["invitation", "x"]}):
        response = client.post_form("/e-id/start", form)
        assert response.status_code == 302, form

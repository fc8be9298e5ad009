"""Public and account forms refuse hostile values by their contract (ADR 0050, 0051): a 400/422
with the bound beside the field and the input kept; never a 500, never silently accepted."""

from __future__ import annotations

import io
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


PUSH = "/account/notices/push"
SUBSCRIPTION = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BXYZ", "auth": "c2Vj"}}


def _nested(levels: int) -> str:
    return '{"keys": ' * levels + '"x"' + "}" * levels


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ("[]", "body", "Skicka ett JSON-objekt, högst 4 nivåer djupt."),
        ('"https://push.example/abc"', "body", "Skicka ett JSON-objekt"),
        ("null", "body", "Skicka ett JSON-objekt"),
        ("endpoint=https://push.example/abc", "body", "Skicka ett JSON-objekt"),
        (b"\xff\xfe{}", "body", "Skicka ett JSON-objekt"),
        ("[" * 100_000, "body", "Högst 4\xa0096 byte. Nu är det 100\xa0000."),
        ("[" * 3000, "body", "Skicka ett JSON-objekt"),  # past the parser's recursion limit
        (_nested(6), "body", "högst 4 nivåer djupt"),
        ('{"endpoint": "https://a.example", "endpoint": "https://b.example"}', "body", "JSON"),
        ('{"endpoint": NaN}', "body", "Skicka ett JSON-objekt"),
        ({**SUBSCRIPTION, "endpoint": 5}, "endpoint", "Här ska det stå text."),
        ({**SUBSCRIPTION, "endpoint": ["https://push.example/abc"]}, "endpoint", "text"),
        ({**SUBSCRIPTION, "keys": {"p256dh": {"x": 1}, "auth": "c2Vj"}}, "p256dh", "text"),
        ({**SUBSCRIPTION, "keys": {"p256dh": "BXYZ", "auth": True}}, "auth", "text"),
        ({**SUBSCRIPTION, "keys": "BXYZ"}, "p256dh", "Fyll i det här."),
        ({"keys": SUBSCRIPTION["keys"]}, "endpoint", "Fyll i det här."),
        (
            {**SUBSCRIPTION, "endpoint": "https://" + "p" * 1200},
            "endpoint",
            "Högst 1\xa0000 tecken",
        ),
        ({**SUBSCRIPTION, "endpoint": "https://push.example/\x00"}, "endpoint", "Skriv på en rad"),
        (
            {**SUBSCRIPTION, "endpoint": "ftp://push.example/abc"},
            "endpoint",
            "går inte att använda",
        ),
    ],
)
def test_push_subscription_refuses_hostile_json_by_its_contract(
    signed_in, app: Flask, demo: Demo, body: object, field: str, message: str
) -> None:
    app.config["TESTING"] = False  # the https:// check is the service's, off in tests
    client = signed_in("karin")
    before = _points(app, demo.account_id("karin"))
    headers = {"X-CSRFToken": client.token()}
    if isinstance(body, dict):
        response = client.client.post(PUSH, json=body, headers=headers)
    else:
        data = body if isinstance(body, bytes) else body.encode()
        response = client.client.post(
            PUSH, data=data, headers=headers, content_type="application/json"
        )
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["ok"] is False and message in answer["errors"][field], answer
    assert _points(app, demo.account_id("karin")) == before


def test_push_subscription_as_the_browser_makes_it_is_stored(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("karin")
    before = _points(app, demo.account_id("karin"))
    made = {**SUBSCRIPTION, "expirationTime": None, "extra": [{"ignored": [1, 2]}]}
    response = client.client.post(PUSH, json=made, headers={"X-CSRFToken": client.token()})
    assert response.status_code == 201 and response.get_json() == {"ok": True}
    assert len(_points(app, demo.account_id("karin"))) == len(before) + 1


def _upload(client, files: list[tuple[bytes, str]], **form: str):
    client.get_page("/verify")
    data: dict[str, object] = {"document": [(io.BytesIO(b), name) for b, name in files], **form}
    return client.post_form("/verify/file", data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("files", "form", "message"),
    [
        ([], {}, "Välj filen med planen (PDF)"),
        ([(b"", "plan.pdf")], {}, "Välj filen med planen (PDF)"),
        ([], {"document": "%PDF-1.7 as text, not a file"}, "Välj filen med planen (PDF)"),
        ([(b"%PDF-" + b"0" * (8 * 1024 * 1024), "plan.pdf")], {}, "högst 8 MB"),
    ],
)
def test_verify_file_states_what_it_accepts(
    client, demo: Demo, files: list[tuple[bytes, str]], form: dict[str, str], message: str
) -> None:
    response = _upload(client, files, **form)
    refused_beside(response, "document", message)


def test_verify_file_reads_the_first_of_two_and_refuses_one_over_the_request_bound(
    client, demo: Demo
) -> None:
    response = _upload(client, [(b"not a pdf", "a.pdf"), (b"", "b.pdf")])
    assert response.status_code == 200  # the first file is read and judged: not a signed plan
    response = _upload(client, [(b"0" * (11 * 1024 * 1024), "huge.pdf")])
    assert response.status_code == 413
    assert "Filen är för stor" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "credential",
    ["[]", '"x"', "5", '{"rawId": 5}', '{"rawId": "x", "rawId": "y"}', "[" * 5000, _nested(12)],
)
def test_passkey_credential_must_be_a_json_object_of_bounded_depth(
    client, demo: Demo, credential: str
) -> None:
    client.get_page("/sign-in")
    response = client.post_form("/sign-in/passkey", {"credential": credential})
    assert response.status_code == 400
    assert "Nyckeln" in response.get_data(as_text=True) or "nyckel" in response.get_data(
        as_text=True
    )

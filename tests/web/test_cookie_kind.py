"""The cookie names its account's kind only to choose what is joined when the account is
read (ADR 0096). A cookie whose kind does not match its account (a stale one, or a bug that
wrote the wrong kind) must not change who the person is or what they may do: roles come from
the account's own row, every time."""

from __future__ import annotations

import pytest

from portal.auth.sessions import ACCOUNT_KIND
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _with_kind(client: PageClient, kind: str | None) -> None:
    with client.client.session_transaction() as session:
        if kind is None:
            session.pop(ACCOUNT_KIND, None)
        else:
            session[ACCOUNT_KIND] = kind


@pytest.mark.parametrize("kind", ["individual", "relative", "staff", "nonsense", None])
def test_a_staff_member_stays_staff_whatever_kind_the_cookie_names(
    client: PageClient, demo: Demo, kind: str | None
) -> None:
    sign_in(client, demo, "fatima")
    worklist = client.get_page("/staff/").text
    what_staff_sees = client.get("/me/").status_code, client.get("/me/access-log").status_code
    _with_kind(client, kind)
    assert client.get_page("/staff/").text == worklist, "not Fatima's worklist, or not as staff"
    assert (client.get("/me/").status_code, client.get("/me/access-log").status_code) == (
        what_staff_sees
    )
    assert 200 not in what_staff_sees


@pytest.mark.parametrize("kind", ["staff", "relative", "nonsense", None])
def test_an_individual_stays_herself_whatever_kind_the_cookie_names(
    client: PageClient, demo: Demo, kind: str | None
) -> None:
    sign_in(client, demo, "astrid")
    home = client.get_page("/me/").text
    _with_kind(client, kind)
    assert client.get("/staff/").status_code in (403, 404)
    assert client.get("/staff/plans").status_code in (403, 404)
    assert client.get_page("/me/").text == home


def test_a_relative_with_a_staff_kind_gets_no_staff_page_and_only_her_scopes(
    client: PageClient, demo: Demo
) -> None:
    sign_in(client, demo, "karin")
    before = client.get("/me/").status_code, client.get("/me/access-log").status_code
    _with_kind(client, "staff")
    assert client.get("/staff/").status_code in (403, 404)
    assert (client.get("/me/").status_code, client.get("/me/access-log").status_code) == before

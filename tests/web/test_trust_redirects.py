"""Exploit 7: the language switch's `next` never sends anyone off-site and never gives a 500."""

from __future__ import annotations

import pytest

from portal.rules.redirects import safe_next
from tests.support.pages import PageClient

HOSTILE = [
    "//evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D%0A/evil.example",
    "/%0D/evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%00/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_next_never_leaves_the_site(client: PageClient, target: str) -> None:
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == "/", f"{target!r} redirected to {location!r}"


def test_language_switch_returns_to_a_local_page(client: PageClient) -> None:
    response = client.get("/language/en?next=/sign-in%3Fa%3D1")
    assert response.headers["Location"] == "/sign-in?a=1"


@pytest.mark.parametrize(
    "value",
    ["//x", "/\t/x", "/\n/x", "/\r\n/x", "/\\x", "\\\\x", "http://x", "x", "", None, "/\x00"],
)
def test_safe_next_refuses_what_browsers_read_as_another_site(value: str | None) -> None:
    assert safe_next(value) == "/"


@pytest.mark.parametrize("value", ["/", "/me/", "/staff/plans?page=2", "/a#b"])
def test_safe_next_keeps_local_paths(value: str) -> None:
    assert safe_next(value) == value

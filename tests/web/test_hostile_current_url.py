"""An htmx request names the page it came from in HX-Current-URL, a header anyone can set:
one no URL parser reads (an unclosed IPv6 bracket) sends the person to sign in like any
other, and signing in then lands at home, not a 500 on every page that needs a session."""

from __future__ import annotations

import pytest

from tests.conftest import Demo
from tests.support.pages import PageClient

UNREADABLE = ["http://[::1", "http://localhost]/me/", "//[/me/"]


@pytest.mark.parametrize("current", UNREADABLE)
def test_an_unreadable_current_url_sends_to_sign_in_and_lands_at_home(
    client: PageClient, demo: Demo, current: str
) -> None:
    response = client.get("/me/", headers={"HX-Request": "true", "HX-Current-URL": current})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/sign-in"
    client.get_page("/sign-in")
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id("astrid"))})
    assert response.status_code == 303 and response.headers["Location"] == "/me/"

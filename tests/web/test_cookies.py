"""Session cookies: HttpOnly and SameSite always; Secure outside localhost (production)."""

from __future__ import annotations

from flask import Flask

from portal.config import Config
from tests.conftest import Demo
from tests.support.pages import PageClient


def test_session_cookie_is_httponly_and_samesite(client: PageClient, demo: Demo) -> None:
    client.get_page("/sign-in")
    client.post_form("/sign-in/demo", {"account": str(demo.account_id("astrid"))})
    cookie = client.get_cookie("sip_session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_cookies_are_secure() -> None:
    assert Config.SESSION_COOKIE_SECURE is True
    assert Config.SESSION_COOKIE_HTTPONLY is True
    assert Config.DEMO is False


def test_session_holds_no_personal_data(client: PageClient, demo: Demo, app: Flask) -> None:
    client.get_page("/sign-in")
    client.post_form("/sign-in/demo", {"account": str(demo.account_id("astrid"))})
    raw = client.get_cookie("sip_session").value
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(raw)
    text = repr(data)
    assert "Astrid" not in text and "19410312" not in text

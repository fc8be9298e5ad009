"""The public pages: render in both languages, carry the security headers, fail in plain words."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask, request

from tests.support.pages import PageClient, parse

PUBLIC_PAGES = ["/", "/sign-in", "/offline"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_public_page_renders_in_each_locale(client: PageClient, path: str, lang: str) -> None:
    page = client.get_page(f"{path}?lang={lang}")
    assert page.one("html").attrs["lang"] == lang
    assert page.all("a", href="#main"), "skip link to the main content"
    assert page.all("main", id="main")


def test_locale_defaults_to_swedish(client: PageClient) -> None:
    page = client.get_page("/")
    assert page.one("html").attrs["lang"] == "sv"
    assert "Din samordnade individuella plan" in page.text


def test_locale_follows_accept_language_and_the_switcher(client: PageClient) -> None:
    page = client.get_page("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.one("html").attrs["lang"] == "en"
    assert "Your coordinated individual plan" in page.text
    response = client.get("/language/sv?next=/sign-in")
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    page = client.get_page("/", headers={"Accept-Language": "en"})
    assert page.one("html").attrs["lang"] == "sv", "the chosen language beats Accept-Language"


def test_language_switch_refuses_to_redirect_elsewhere(client: PageClient) -> None:
    response = client.get("/language/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_pages_send_a_strict_content_security_policy(client: PageClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_not_found_is_a_plain_swedish_page(client: PageClient) -> None:
    page = client.get_page("/finns-inte", status=404)
    assert page.text_of("h1") == ["Sidan finns inte"]


def test_server_error_is_a_plain_page_that_leaks_nothing(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail 19121212-1212")

    from portal.auth.permissions import PUBLIC, allow

    allow(PUBLIC)(app.view_functions["boom"])
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Något gick fel hos oss" in html and "secret detail" not in html


def test_server_error_shows_a_reference_the_log_line_carries_without_input(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    @app.post("/boom")
    def boom() -> str:
        typed = request.form["given_name"]
        raise ValueError(f"cannot handle {typed}")

    from portal.auth.permissions import PUBLIC, allow

    allow(PUBLIC)(app.view_functions["boom"])
    app.config["WTF_CSRF_ENABLED"] = False
    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/boom", data={"given_name": "Hemlig Hemligsson"})
    assert response.status_code == 500
    page = parse(response.get_data(as_text=True))
    found = re.search(r"referensen ([A-Z2-9]{4}-[A-Z2-9]{4})", page.text)
    assert found, page.text
    logged = [r.getMessage() for r in caplog.records if "unhandled error" in r.getMessage()]
    assert len(logged) == 1 and f"ref={found.group(1)}" in logged[0]
    assert "ValueError" in logged[0] and "Hemlig" not in logged[0]
    assert all(r.exc_info is None for r in caplog.records)  # no traceback text with values


def test_post_without_csrf_token_is_refused(client: PageClient) -> None:
    response = client.post("/sign-in/demo", data={"account": "1"})
    assert response.status_code == 400
    assert "Formuläret hade gått ut" in response.get_data(as_text=True)


def test_healthz_checks_the_database(client: PageClient, app: Flask) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    from portal.db import make_engine

    broken = make_engine("sqlite:////nonexistent/dir/x.sqlite")
    app.extensions["sip_db"].configure(bind=broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_service_worker_is_served_at_the_root_scope(client: PageClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.mimetype == "text/javascript"
    assert b"/offline" in response.data


def test_manifest_names_the_app_and_its_icons(client: PageClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "SIP Portal" and manifest["start_url"].startswith("/")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]

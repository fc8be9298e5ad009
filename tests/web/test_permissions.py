"""Deny by default: every endpoint states who may use it; one that does not is refused."""

from __future__ import annotations

from flask import Flask

from portal.auth.permissions import ALLOWED_ATTR
from tests.conftest import Demo
from tests.support.pages import PageClient


def test_every_endpoint_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], ALLOWED_ATTR, None) is None
    ]
    assert undeclared == []


def test_an_endpoint_without_declaration_is_refused(app: Flask) -> None:
    @app.get("/undeclared")
    def undeclared() -> str:
        return "should never be seen"

    response = app.test_client().get("/undeclared")
    assert response.status_code == 403
    assert b"should never be seen" not in response.data


def test_signed_in_pages_send_anonymous_people_to_sign_in(client: PageClient) -> None:
    response = client.post_form("/sign-out")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")


def test_demo_sign_in_signs_the_person_in(client: PageClient, demo: Demo) -> None:
    client.get_page("/sign-in")
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id("eva"))})
    assert response.status_code == 303
    assert client.post_form("/sign-out").status_code == 303, "signed in: may sign out"


def test_demo_sign_in_is_impossible_in_production(migrated: str, tmp_path) -> None:
    from portal import create_app

    app = create_app(
        {
            "DATABASE_URL": migrated,
            "DEMO": False,
            "ENV_NAME": "production",
            "TESTING": False,
            "SECRET_KEY": "x" * 32,
            "INSTANCE_DIR": tmp_path,
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.test_client()
    assert client.post("/sign-in/demo", data={"account": "1"}).status_code == 404
    html = client.get("/sign-in").get_data(as_text=True)
    assert 'name="account"' not in html
    app.extensions["sip_engine"].dispose()


def test_production_refuses_to_start_without_a_secret_key(migrated: str, tmp_path) -> None:
    import pytest

    from portal import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {"DATABASE_URL": migrated, "DEMO": False, "SECRET_KEY": None, "INSTANCE_DIR": tmp_path}
        )

"""An app wired to a real OpenID Connect provider (its own process), and the round trip a
browser makes through it, for the Flask client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import requests
import sqlalchemy as sa
from flask import Flask
from werkzeug.test import TestResponse

from portal import create_app, db
from portal.models import Account
from portal.models.base import Base
from tests.conftest import Demo
from tests.support.pages import PageClient


def oidc_config(issuer: str) -> dict[str, str]:
    """e-legitimation against `issuer` (the provider's test client)."""
    return {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": "sip-portal",
        "OIDC_CLIENT_SECRET": "sip-portal-secret",
    }


@contextmanager
def eid_app(migrated: str, tmp_path: Path, issuer: str) -> Iterator[tuple[Flask, Demo]]:
    """The demo world with e-legitimation configured against `issuer`; emptied afterwards."""
    app = create_app({"DATABASE_URL": migrated, "INSTANCE_DIR": tmp_path, **oidc_config(issuer)})
    from portal.services import demo_data

    with app.app_context():
        session = db.session()
        demo_data.load(session)
        accounts = session.scalars(sa.select(Account)).all()
        demo = Demo({a.name.split()[0].lower(): a.id for a in accounts})
    try:
        yield app, demo
    finally:
        engine = app.extensions["sip_engine"]
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
        engine.dispose()


def authorize_url(client: PageClient, form: dict[str, str] | None = None) -> str:
    """Press "Legitimera dig": the redirect to the provider, with PKCE, state and nonce."""
    start = client.post_form("/e-id/start", form or {})
    assert start.status_code == 302, start.status_code
    return start.headers["Location"]


def choose_user(authorize: str, who: str) -> str:
    """On the provider's page, sign in as `who`: the callback path with code and state."""
    answer = requests.post(authorize, data={"sub": who}, allow_redirects=False, timeout=10)
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def prove(client: PageClient, who: str, form: dict[str, str] | None = None) -> TestResponse:
    """The whole round trip from a page with the e-ID button: the callback's answer."""
    if not form:
        client.get_page("/sign-in")
    url = authorize_url(client, form)
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    return client.get(choose_user(url, who))

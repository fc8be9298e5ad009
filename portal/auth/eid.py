"""E-legitimation through an OpenID Connect broker, with Authlib: authorization code flow with
PKCE (S256), state and nonce; the ID token's signature (JWKS), issuer, audience and expiry are
checked by Authlib. Only configured when OIDC_ISSUER is set (one OAuth registry per app)."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app


def configured() -> bool:
    return "sip_eid" in current_app.extensions


def init_app(app: Flask) -> None:
    issuer = app.config.get("OIDC_ISSUER")
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        "eid",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid", "code_challenge_method": "S256"},
    )
    app.extensions["sip_eid"] = oauth
    app.jinja_env.globals["eid_enabled"] = True  # the sign-in page offers it


def client() -> Any:
    return current_app.extensions["sip_eid"].create_client("eid")

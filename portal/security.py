"""Response headers (CSP without 'unsafe-inline', HSTS in production, no caching of pages) and
the trusted proxy in front of the app (ProxyFix with a configured number of hops)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    ]
)


def _csp() -> str:
    """The policy; with e-legitimation the sign-in form may go on to the broker's origin."""
    issuer = current_app.config.get("OIDC_ISSUER")
    if not issuer:
        return CSP
    parts = urlsplit(issuer)
    return CSP.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


def add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", _csp())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    )
    if current_app.config.get("HSTS"):
        response.headers.setdefault("Strict-Transport-Security", current_app.config["HSTS"])
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        # Pages carry personal data: never stored by the browser or a proxy.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    hops = int(app.config.get("PROXY_TRUSTED_HOPS") or 0)
    if hops:
        # The client's address (rate limits, logs) and scheme from the trusted proxies only.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.after_request(add_headers)

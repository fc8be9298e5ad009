"""Where a person returns after signing in, and how they are sent to sign in.

A plain GET returns to itself; a plain POST to its own path (whose page shows the kept
input). An htmx request (e.g. a draft saved while typing) returns to the page the person was
on (`HX-Current-URL`), and the whole page goes to sign-in (`HX-Redirect`), never a sign-in
page swapped into a fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, redirect, request, session, url_for


def _page_of_htmx_request() -> str | None:
    current = request.headers.get("HX-Current-URL", "")
    try:
        parts = urlsplit(current)
    except ValueError:  # a header anyone can set: "http://[::1" is no URL (an unclosed bracket)
        return None
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path or None
    return f"{path}?{parts.query}" if path and parts.query else path


def remember_where() -> None:
    htmx_page = _page_of_htmx_request() if request.headers.get("HX-Request") else None
    if htmx_page:
        session["return_to"] = htmx_page
    else:
        session["return_to"] = request.full_path if request.method == "GET" else request.path


def to_sign_in() -> Response:
    target = url_for("public.sign_in")
    if request.headers.get("HX-Request"):
        response = Response(status=200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)

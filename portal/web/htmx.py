"""One URL serves page and fragment (the htmx book's contact app)."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request

from portal.extensions import htmx


def render(page: str, fragment: str | None = None, **context: Any) -> Response:
    """The fragment for an htmx request, the full page otherwise (and on history restore)."""
    wants_fragment = (
        fragment is not None
        and bool(htmx)
        and not htmx.history_restore_request
        and not htmx.boosted
    )
    response = make_response(render_template(fragment if wants_fragment else page, **context))
    response.headers["Vary"] = "HX-Request"
    return response


def after_post(location: str) -> Response:
    """After a successful POST: HX-Location for htmx, 303 See Other for everyone else."""
    if htmx and request.method == "POST":
        response = make_response("", 204)
        response.headers["HX-Location"] = location
        return response
    return redirect(location, code=303)

"""Where a person lands after signing in: back where they were, or their home."""

from __future__ import annotations

from flask import Response, current_app, redirect, url_for
from flask_login import current_user

from portal.rules.vocabulary import AccountKind


def home_for_current_user() -> str:
    if current_user.is_authenticated and current_user.kind is AccountKind.STAFF:
        if "staff.worklist" in current_app.view_functions:
            return url_for("staff.worklist")
        return url_for("staff.plans")
    if current_user.is_authenticated and "person.home" in current_app.view_functions:
        return url_for("person.home")
    return url_for("public.landing")


def safe_path(path: str | None) -> str | None:
    """Only a path on this site (never //host or a full URL)."""
    from portal.rules.redirects import safe_next

    checked = safe_next(path, default="")
    return checked.rstrip("?") or None


def land(return_to: str | None) -> Response:
    return redirect(safe_path(return_to) or home_for_current_user(), code=303)

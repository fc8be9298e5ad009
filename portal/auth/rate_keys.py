"""What a rate limit counts by: the client's address (after ProxyFix), and also the passkey
credential or the invitation being tried, so that spreading guesses over many addresses does
not multiply the attempts one credential or one invitation gets."""

from __future__ import annotations

import json

from flask import current_app, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user


def by_address() -> str:
    return f"address:{get_remote_address()}"


def by_credential() -> str:
    """The credential id the browser answered with (a sign-in attempt for that passkey)."""
    try:
        raw_id = str(json.loads(request.form.get("credential", "{}")).get("rawId", ""))[:400]
    except (ValueError, AttributeError, RecursionError):  # deeply nested JSON too
        raw_id = ""
    return f"credential:{raw_id}" if raw_id else by_address()


def by_invitation() -> str:
    """The invitation being redeemed (its id, kept in the session after the code or link)."""
    pending = session.get("pending_invitation")
    return f"invitation:{pending}" if pending else by_address()


def by_account() -> str:
    """The signed-in account (its id only): what one person may ask of the server."""
    account_id = current_user.get_id() if current_user.is_authenticated else None
    return f"account:{account_id}" if account_id else by_address()


DRAWN_PDF_SCOPE = "drawn-pdf"  # the one count every PDF drawn on request shares


def drawn_pdf_limit() -> str:
    """PDFs drawn on request (not stored ones): each holds a worker process (ADR 0105)."""
    return current_app.config["DRAWN_PDF_RATE_LIMIT"]

"""The invitation letter: link, QR code (segno, inline SVG) and the code to type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import segno
from flask import current_app

from portal.auth.invitations import show_code


def invitation_letter_context(
    token: str, code: str, first_name: str, expires_at: datetime | None = None
) -> dict[str, Any]:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # The token is in the fragment: browsers never send it, so no server or proxy logs it.
    link = f"{base}/invitation#{token}"
    qr = segno.make(link, error="m").svg_data_uri(scale=5, border=2)
    return {
        "link": link,
        "qr_data_uri": qr,
        "code": show_code(code),
        "first_name": first_name,
        "sign_in_url": f"{base}/invitation",
        "expires_at": expires_at,
    }

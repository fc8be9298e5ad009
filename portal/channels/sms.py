"""SMS through an HTTP gateway: the first adapter speaks 46elks' REST API.

`SMS_URL=https://API_USERNAME:API_PASSWORD@api.46elks.com/a1/sms`, `SMS_FROM` (an
alphanumeric sender of at most 11 characters, or a number). 46elks takes HTTP basic
authentication and the form fields `from`, `to` (E.164) and `message`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests

from portal.message_text import Text


def e164(phone: str) -> str:
    """A Swedish number as typed (070-123 45 67) in E.164 (+46701234567)."""
    digits = "".join(c for c in phone if c in "0123456789+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0"):
        digits = "+46" + digits[1:]
    return digits


def send(config: dict[str, Any], *, to: str, text: Text) -> None:
    from portal.channels import DeliveryError

    url = urlsplit(config["SMS_URL"])
    endpoint = urlunsplit(
        (url.scheme, url.hostname + (f":{url.port}" if url.port else ""), url.path, url.query, "")
    )
    auth = (unquote(url.username or ""), unquote(url.password or ""))
    body = f"{text.subject}. {text.body.split(chr(10), 1)[1] if chr(10) in text.body else ''}"
    form = {"from": config.get("SMS_FROM") or "SIPportalen", "to": e164(to), "message": body[:1200]}
    try:
        answer = requests.post(
            endpoint, data=form, auth=auth, timeout=20, verify=config.get("SMS_CA_FILE") or True
        )
    except requests.RequestException as error:
        raise DeliveryError(f"SMS gateway: {type(error).__name__}") from error
    if answer.status_code != 200:
        raise DeliveryError(f"SMS gateway answered {answer.status_code}")

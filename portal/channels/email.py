"""E-mail over SMTP with STARTTLS: `SMTP_URL=smtp://user:pass@host:587`, `MAIL_FROM`.

`smtp://` always upgrades with STARTTLS before it authenticates or sends (a server that
cannot is refused); `smtps://` speaks TLS from the start. `SMTP_CA_FILE` names extra trust
roots (the suite's own test server).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

from portal.message_text import Text
from portal.models import OutboxMessage
from portal.timeutil import now


def build(config: dict[str, Any], *, to: str, text: Text, message: OutboxMessage) -> EmailMessage:
    mail = EmailMessage()
    sender = config.get("MAIL_FROM") or "SIP-portalen <no-reply@localhost>"
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = text.subject
    mail["Date"] = format_datetime(now())
    domain = sender.rsplit("@", 1)[-1].strip(">") or "localhost"
    mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=domain)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-SIP-Kind"] = message.kind
    mail.set_content(text.body, charset="utf-8", cte="quoted-printable")
    mail["Content-Language"] = message.locale  # after set_content, which clears Content-*
    return mail


def _context(config: dict[str, Any]) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)
    return context


def send(config: dict[str, Any], *, to: str, text: Text, message: OutboxMessage) -> None:
    from portal.channels import DeliveryError

    url = urlsplit(config["SMTP_URL"])
    host = url.hostname or "localhost"
    timeout = float(config.get("SMTP_TIMEOUT", 30))
    mail = build(config, to=to, text=text, message=message)
    try:
        if url.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, url.port or 465, timeout=timeout, context=_context(config)
            )
        elif url.scheme == "smtp":
            client = smtplib.SMTP(host, url.port or 587, timeout=timeout)
            client.ehlo()
            if not client.has_extn("starttls"):
                client.quit()
                raise DeliveryError("the SMTP server offers no STARTTLS")
            client.starttls(context=_context(config))
            client.ehlo()
        else:
            raise DeliveryError(f"SMTP_URL scheme must be smtp or smtps, not {url.scheme!r}")
        with client:
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(mail)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP: {type(error).__name__}: {error}") from error

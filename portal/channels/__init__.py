"""Delivery channels: e-mail over SMTP, SMS through an HTTP gateway, Web Push (ADR 0090).

`deliver(message)` sends one outbox message and returns where it went ("smtp", "gateway",
"push", "demo"); it raises `DeliveryError` when the channel refused or is not configured.
"""

from __future__ import annotations

from flask import current_app

from portal.message_text import render
from portal.models import OutboxMessage


class DeliveryError(Exception):
    pass


def deliver(message: OutboxMessage) -> str:
    from portal.channels import email, push, sms

    text = render(message.kind, message.locale, message.params)
    point = message.contact_point
    config = current_app.config
    if message.channel == "email":
        if not config.get("SMTP_URL"):
            if config.get("DEMO"):
                return "demo"  # kept on the demo outbox page
            raise DeliveryError("SMTP_URL is not configured")
        email.send(config, to=point.address, text=text, message=message)
        return "smtp"
    if message.channel == "sms":
        if not config.get("SMS_URL"):
            if config.get("DEMO"):
                return "demo"
            raise DeliveryError("SMS_URL is not configured")
        sms.send(config, to=point.address, text=text)
        return "gateway"
    if message.channel == "push":
        push.send(config, point=point, text=text, message=message)
        return "push"
    raise DeliveryError(f"unknown channel {message.channel!r}")

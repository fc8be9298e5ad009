"""Where a person wants to be reached: addresses confirmed with a code before use (ADR 0090)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from portal import db
from portal.channels.sms import e164
from portal.models import Account, ContactPoint
from portal.models.audit_types import EventType
from portal.rules import notices
from portal.services import audit, outbox
from portal.timeutil import now

CODE_VALID = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
MAX_ADDRESSES = 6
# A device's push subscription, as the browser makes it (the form bounds it by these too).
PUSH_ENDPOINT_MAX, PUSH_P256DH_MAX, PUSH_AUTH_MAX = 1000, 200, 100
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,}$")


class ContactError(Exception):
    """A refused address or code; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hash(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def normalised(channel: str, address: str) -> str:
    address = address.strip()
    if channel == "email" and EMAIL.match(address):
        return address.lower()
    if channel == "sms":
        number = e164(address)
        if re.fullmatch(r"\+\d{8,15}", number):
            return number
    raise ContactError("address")


def points_of(account: Account) -> list[ContactPoint]:
    return list(
        db.session().scalars(
            sa.select(ContactPoint)
            .where(ContactPoint.account_id == account.id)
            .order_by(ContactPoint.id)
        )
    )


def add_address(*, account: Account, channel: str, address: str) -> ContactPoint:
    """A new address, unconfirmed; a code is written to the outbox for it alone."""
    if channel not in ("email", "sms"):
        raise ContactError("channel")
    value = normalised(channel, address)
    if len(points_of(account)) >= MAX_ADDRESSES:
        raise ContactError("too_many")
    point = ContactPoint(account_id=account.id, channel=channel, address=value)
    db.session().add(point)
    db.session().flush()
    _send_code(account, point)
    audit.record(
        db.session(),
        type=EventType.CONTACT_ADD,
        by=account,
        subject_individual_id=account.individual_id,
        object_type="contact_point",
        object_id=point.id,
        detail=channel,
    )
    db.session().commit()
    return point


def _send_code(account: Account, point: ContactPoint) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    point.code_hash = _hash(code)
    point.code_expires_at = now() + CODE_VALID
    point.code_attempts = 0
    outbox.notify(account, notices.CODE_KIND, only=point, extra={"code": code})


def resend_code(*, account: Account, point: ContactPoint) -> None:
    if point.confirmed_at is not None:
        raise ContactError("confirmed")
    _send_code(account, point)
    db.session().commit()


def confirm(*, account: Account, point: ContactPoint, code: str) -> None:
    """The code sent to the address: right, in time, within five tries."""
    if point.confirmed_at is not None:
        return
    if point.code_attempts >= MAX_CODE_ATTEMPTS:
        raise ContactError("locked")
    if point.code_expires_at is None or point.code_expires_at < now():
        raise ContactError("expired")
    if not hmac.compare_digest(point.code_hash, _hash(code.strip())):
        point.code_attempts += 1
        db.session().commit()
        raise ContactError("wrong")
    point.confirmed_at = now()
    point.code_hash = ""
    audit.record(
        db.session(),
        type=EventType.CONTACT_CONFIRM,
        by=account,
        subject_individual_id=account.individual_id,
        object_type="contact_point",
        object_id=point.id,
        detail=point.channel,
    )
    db.session().commit()


def set_enabled(*, account: Account, point: ContactPoint, enabled: bool) -> None:
    point.enabled = enabled
    db.session().commit()


def set_details(*, account: Account, point: ContactPoint, show: bool) -> None:
    point.show_details = show
    db.session().commit()


def set_quiet_hours(*, account: Account, on: bool) -> None:
    """Quiet hours 21–08 (ADR 0091): on, messages wait until 08:00; off, they go at any hour."""
    account.quiet_hours = on
    db.session().commit()


def remove(*, account: Account, point: ContactPoint) -> None:
    from portal.models import OutboxMessage

    db.session().execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.contact_point_id == point.id, OutboxMessage.status != "sent"
        )
    )
    db.session().execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.contact_point_id == point.id)
        .values(params="{}")
    )
    audit.record(
        db.session(),
        type=EventType.CONTACT_REMOVE,
        by=account,
        subject_individual_id=account.individual_id,
        object_type="contact_point",
        object_id=point.id,
        detail=point.channel,
    )
    db.session().commit()
    # sent messages keep their row (the staff see a reminder went out), so the point stays,
    # switched off and without its address
    point.enabled = False
    point.confirmed_at = None
    point.address = ""
    point.push_p256dh = point.push_auth = ""
    db.session().commit()


def subscribe_push(*, account: Account, endpoint: str, p256dh: str, auth: str) -> ContactPoint:
    """A device's push subscription: the browser made it, so it needs no code."""
    if not endpoint.startswith("https://") and not current_app.config.get("TESTING"):
        raise ContactError("address")
    if not (
        0 < len(endpoint) <= PUSH_ENDPOINT_MAX
        and 0 < len(p256dh) <= PUSH_P256DH_MAX
        and 0 < len(auth) <= PUSH_AUTH_MAX
    ):
        raise ContactError("address")
    existing = db.session().scalar(
        sa.select(ContactPoint).where(
            ContactPoint.account_id == account.id,
            ContactPoint.channel == "push",
            ContactPoint.address == endpoint,
        )
    )
    point = existing or ContactPoint(account_id=account.id, channel="push", address=endpoint)
    point.push_p256dh, point.push_auth = p256dh, auth
    point.confirmed_at = point.confirmed_at or now()
    point.enabled = True
    db.session().add(point)
    db.session().flush()
    audit.record(
        db.session(),
        type=EventType.CONTACT_PUSH,
        by=account,
        subject_individual_id=account.individual_id,
        object_type="contact_point",
        object_id=point.id,
        detail="push",
    )
    db.session().commit()
    return point

"""The outbox (ADR 0090): messages written in the caller's transaction, claimed with a lease.

`notify(...)` adds rows to the session the change is made in and never commits, so a change
that rolls back leaves no message and a committed change cannot lose one. The worker claims
due rows with a compare-and-set on the lease (plus SKIP LOCKED on PostgreSQL), so two workers
never take the same message; it marks each sent, or failed after its last retry.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from portal import db
from portal.models import Account, ContactPoint, OutboxMessage
from portal.models.audit_types import EventType
from portal.rules import notices
from portal.timeutil import now

LEASE = timedelta(minutes=5)  # the default of OUTBOX_LEASE_SECONDS


def lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("OUTBOX_LEASE_SECONDS", LEASE.seconds))


class OutboxError(Exception):
    """A refused outbox action (e.g. retrying a message that has not failed)."""


def locale_of(account: Account) -> str:
    if account.locale:
        return account.locale
    if account.individual is not None:
        return account.individual.language
    return "sv"


def notify(
    account: Account,
    kind: str,
    *,
    plan_id: int | None = None,
    when: datetime | None = None,
    where: str = "",
    path: str = "/",
    dedupe_key: str | None = None,
    extra: dict[str, Any] | None = None,
    only: ContactPoint | None = None,
) -> list[OutboxMessage]:
    """Write one message per address the person may be reached at for this kind.

    `when` and `where` are included only where the person chose to receive them (a meeting's
    time decides quiet hours either way). Nothing is committed here.
    """
    if kind not in notices.KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    session = db.session()
    points = [only] if only is not None else _points(account)
    at = now()
    written = []
    for point in points:
        if not notices.may_use(
            kind, enabled=point.enabled, confirmed=point.confirmed_at is not None
        ):
            continue
        params: dict[str, Any] = {"path": path, **(extra or {})}
        if when is not None and (point.show_details or kind in notices.STAFF_KINDS):
            params["when"] = when.isoformat()
        if where and point.show_details:
            params["where"] = where
        message = OutboxMessage(
            account_id=account.id,
            contact_point=point,
            channel=point.channel,
            kind=kind,
            locale=locale_of(account),
            params=json.dumps(params),
            plan_id=plan_id,
            dedupe_key=f"{dedupe_key}:{point.id}" if dedupe_key else None,
            not_before=notices.send_at(
                at, concerns=when, kind=kind, quiet_hours=account.quiet_hours is not False
            ),
        )
        session.add(message)
        written.append(message)
    return written


def security_notice(account: Account, kind: str) -> list[OutboxMessage]:
    """The API for security events (issue 11): a passkey added, a recovery started, a
    representative recorded. Cannot be switched off; call it inside the change's transaction."""
    if kind not in notices.SECURITY_KINDS:
        raise ValueError(f"not a security notice: {kind!r}")
    once: set[tuple[int, str]] = db.session().info.setdefault("security_notices", set())
    if (account.id, kind) in once:
        return []  # one event touching several plans tells the person once
    once.add((account.id, kind))
    return notify(account, kind, path="/account")


def _points(account: Account) -> list[ContactPoint]:
    points = list(
        db.session().scalars(
            sa.select(ContactPoint)
            .where(ContactPoint.account_id == account.id)
            .order_by(ContactPoint.id)
        )
    )
    staff = account.staff
    if staff is not None and staff.email and not any(p.channel == "email" for p in points):
        # Staff get e-mail at the address in the staff register, which the employer vouches for.
        point = ContactPoint(
            account_id=account.id, channel="email", address=staff.email, confirmed_at=now()
        )
        db.session().add(point)
        db.session().flush()
        points.append(point)
    return points


def already_written(key_prefix: str) -> bool:
    return (
        db.session().scalar(
            sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key.like(f"{key_prefix}:%"))
        )
        is not None
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(worker: str, at: datetime, limit: int = 10) -> list[OutboxMessage]:
    """Take up to `limit` due messages: a lease each, won by compare-and-set."""
    session = db.session()
    held = lease()
    due = (
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.not_before <= at,
            sa.or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < at),
        )
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    won = []
    for message_id in session.scalars(due).all():
        result = session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == "pending",
                sa.or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < at),
            )
            .values(
                lease_until=at + held,
                leased_by=worker,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            won.append(message_id)
    session.commit()
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.id.in_(won))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def mark_sent(message: OutboxMessage, worker: str, delivered_to: str) -> None:
    values: dict[str, Any] = {
        "status": "sent",
        "sent_at": now(),
        "lease_until": None,
        "delivered_to": delivered_to,
        "last_error": "",
    }
    if message.kind == notices.CODE_KIND and delivered_to != "demo":
        values["params"] = "{}"  # the code is not kept once it has left
    db.session().execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.leased_by == worker)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session().commit()


def mark_failed(message: OutboxMessage, worker: str, error: str) -> None:
    at = now()
    again = notices.retry_at(message.attempts, at)
    values: dict[str, Any] = {"lease_until": None, "last_error": error[:300]}
    if again is None:
        values["status"] = "failed"
    else:
        values["not_before"] = again
    db.session().execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.leased_by == worker)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session().commit()
    current_app.logger.warning(
        "outbox message %s (%s) attempt %s failed: %s",
        message.id,
        message.channel,
        message.attempts,
        error[:200],
    )


def retry(*, message_id: int, by: Account) -> None:
    """A system administrator sends a failed message again (its attempts start over)."""
    from portal.services import audit

    session = db.session()
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status != "failed":
        raise OutboxError("only a failed message can be retried")
    message.status = "pending"
    message.attempts = 0
    message.not_before = now()
    message.last_error = ""
    audit.record(
        session,
        type=EventType.OUTBOX_RETRY,
        by=by,
        subject_individual_id=None,
        object_type="outbox_message",
        object_id=message.id,
    )
    session.commit()


def failed() -> list[OutboxMessage]:
    return list(
        db.session().scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.status == "failed")
            .order_by(OutboxMessage.id.desc())
        )
    )


def recent(limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session().scalars(
            sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        )
    )


_REMINDERS_SENT = (  # built once: the staff plan page asks on every request (ADR 0098)
    sa.select(OutboxMessage)
    .where(
        OutboxMessage.plan_id == sa.bindparam("plan_id"),
        OutboxMessage.kind == "meeting.reminder",
        OutboxMessage.status == "sent",
    )
    .order_by(OutboxMessage.sent_at.desc())
)


def reminders_sent(plan_id: int) -> list[OutboxMessage]:
    """What staff see on the plan: the reminders that went out, newest first."""
    return list(db.session().scalars(_REMINDERS_SENT, {"plan_id": plan_id}))


def ids(messages: Iterable[OutboxMessage]) -> list[int]:
    return [m.id for m in messages]

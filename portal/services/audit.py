"""Writing and verifying the audit log (a hash chain; no foreign keys).

`record()` adds an event to the caller's transaction: call it inside the service that
writes, before its commit. `record_read()` audits a read and commits at once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import Account, AuditEvent
from portal.timeutil import now

GENESIS = "0" * 64
_LOCK_KEY = 7_310_417  # PostgreSQL advisory lock that serialises appends to the chain


def _payload(event: AuditEvent) -> str:
    return json.dumps(
        [
            event.type,
            event.at.isoformat(),
            event.actor_account_id,
            event.actor_role,
            event.actor_name,
            event.actor_unit,
            event.on_behalf_of_individual_id,
            event.subject_individual_id,
            event.object_type,
            event.object_id,
            event.detail,
            event.prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_payload(event).encode()).hexdigest()


def _actor_fields(actor: Account | None, acting_for: int | None) -> dict[str, Any]:
    if actor is None:
        return {
            "actor_account_id": None,
            "actor_role": "system",
            "actor_name": "",
            "actor_unit": "",
        }
    unit = actor.staff.unit.name if actor.staff else ""
    role = actor.kind.value
    if acting_for is not None and actor.relative_id is not None:
        role = "relative"
    return {
        "actor_account_id": actor.id,
        "actor_role": role,
        "actor_name": actor.name,
        "actor_unit": unit,
    }


def record(
    db: Session,
    *,
    type: str,
    by: Account | None,
    subject_individual_id: int | None,
    on_behalf_of: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    detail: str = "",
    role: str | None = None,
) -> AuditEvent:
    """Append an event to the chain inside the caller's transaction."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = db.scalars(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    fields = _actor_fields(by, on_behalf_of)
    if role:
        fields["actor_role"] = role
    event = AuditEvent(
        type=type,
        at=now(),
        on_behalf_of_individual_id=on_behalf_of,
        subject_individual_id=subject_individual_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        prev_hash=last or GENESIS,
        **fields,
    )
    event.hash = event_hash(event)
    db.add(event)
    db.flush()
    return event


def record_read(db: Session, **kwargs: Any) -> AuditEvent:
    """Audit a read of an individual's data, in its own transaction."""
    event = record(db, **kwargs)
    db.commit()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    first_broken_id: int | None

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(db: Session, batch: int = 2000) -> ChainReport:
    """Walk the log in order; name the first event whose hash or link does not hold."""
    expected_prev = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = db.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None)
        for event in rows:
            count += 1
            if event.prev_hash != expected_prev or event_hash(event) != event.hash:
                return ChainReport(count, event.id)
            expected_prev = event.hash
            last_id = event.id

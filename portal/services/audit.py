"""Writing the audit log: one MAC'd hash chain per individual, locked per chain (ADR 0080).

`record()` adds an event to the caller's transaction: call it inside the service that
writes, before its commit. `record_read()` audits a read and commits at once. Verifying is
in `audit_verify`.

An append first advances its chain's head row (`UPDATE … RETURNING`): on PostgreSQL that
row lock is the only lock, held to commit, so appends about different individuals never
wait for each other; on SQLite the update is the transaction's first write, so SQLite's
writer lock is taken before the predecessor is read and two appends cannot share one.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.models import Account, AuditEvent, AuditHead
from portal.models.audit_types import EventType
from portal.services import audit_key
from portal.timeutil import now

GENESIS = "0" * 64


def chain_of(subject_individual_id: int | None, actor_account_id: int | None) -> str:
    """Events about an individual chain per individual; others per actor, or 'system'."""
    if subject_individual_id is not None:
        return f"i:{subject_individual_id}"
    if actor_account_id is not None:
        return f"a:{actor_account_id}"
    return "system"


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
            event.chain,
            event.seq,
            event.prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def event_hash(event: AuditEvent) -> str:
    """The event's link: HMAC over its fields and its predecessor's link."""
    return audit_key.mac("event", _payload(event))


def head_mac(chain: str, seq: int, link: str, last_event_id: int) -> str:
    return audit_key.mac("head", chain, seq, link, last_event_id)


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


def _advance(db: Session, chain: str) -> tuple[int, str]:
    """Lock the chain's head and take the next position; returns (seq, predecessor's link)."""
    advance = (
        sa.update(AuditHead)
        .where(AuditHead.chain == chain)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
        .execution_options(synchronize_session=False)
    )
    row = db.execute(advance).first()
    if row is None:
        dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
        db.execute(
            dialect.insert(AuditHead)
            .values(chain=chain, seq=0, hash=GENESIS, last_event_id=0, mac="")
            .on_conflict_do_nothing(index_elements=["chain"])
        )
        row = db.execute(advance).one()
    return int(row[0]), str(row[1])


def record(
    db: Session,
    *,
    type: EventType,
    by: Account | None,
    subject_individual_id: int | None,
    on_behalf_of: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    detail: str = "",
    role: str | None = None,
) -> AuditEvent:
    """Append an event to its chain inside the caller's transaction. The type is always an
    `EventType` (never a bare string), so every event has its plain words in the access log."""
    if not isinstance(type, EventType):
        raise TypeError(f"audit type must be an EventType, not {type!r}")
    fields = _actor_fields(by, on_behalf_of)
    if role:
        fields["actor_role"] = role
    chain = chain_of(subject_individual_id, fields["actor_account_id"])
    db.flush()  # the caller's pending writes first, then the chain's lock
    seq, prev = _advance(db, chain)
    event = AuditEvent(
        type=type.value,
        at=now(),
        on_behalf_of_individual_id=on_behalf_of,
        subject_individual_id=subject_individual_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        chain=chain,
        seq=seq,
        prev_hash=prev,
        **fields,
    )
    event.hash = event_hash(event)
    db.add(event)
    db.flush()
    db.execute(
        sa.update(AuditHead)
        .where(AuditHead.chain == chain)
        .values(
            hash=event.hash,
            last_event_id=event.id,
            mac=head_mac(chain, seq, event.hash, event.id),
        )
        .execution_options(synchronize_session=False)
    )
    return event


def record_read(db: Session, **kwargs: Any) -> AuditEvent:
    """Audit a read of an individual's data, in its own transaction."""
    event = record(db, **kwargs)
    db.commit()
    return event

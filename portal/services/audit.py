"""Writing the audit log: one MAC'd hash chain per individual, locked per chain (ADR 0080,
0083).

`record()` adds an event to the caller's transaction: call it inside the service that
writes, before its commit; reads are recorded through `portal.services.reads`, never by a
view. Verifying is in `audit_verify`.

The events are chained when the transaction commits: the caller's writes are flushed, then
each chain's head row is advanced (`UPDATE … RETURNING`) in the sorted order of the chains'
names. On PostgreSQL those row locks are the only locks, held only to the commit, always
taken in the same order (no deadlock); appends about different individuals never wait for
each other. On SQLite the update is a write, so SQLite's writer lock is taken before the
predecessor is read and two appends cannot share one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
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


def _payload(event: AuditEvent | PendingEvent) -> str:
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


def event_hash(event: AuditEvent | PendingEvent) -> str:
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


# The append's statements on the tables (Core), built once: their construction cost more
# CPU per audited request than running them. Values bound per call.
_HEADS = AuditHead.__table__
_EVENTS = AuditEvent.__table__
_COUNT = sa.bindparam("b_count", type_=sa.Integer)


def _advance_statement(*also: Any) -> sa.Update:
    return (
        sa.update(_HEADS)
        .where(_HEADS.c.chain == sa.bindparam("b_chain"))
        .values(seq=_HEADS.c.seq + _COUNT)
        .returning(_HEADS.c.seq, _HEADS.c.hash, *also)
    )


_ADVANCE = _advance_statement()
_INSERT_EVENT = sa.insert(_EVENTS).returning(_EVENTS.c.id)
_MOVE_HEAD = (
    sa.update(_HEADS)
    .where(_HEADS.c.chain == sa.bindparam("head_chain"))
    .values(
        hash=sa.bindparam("head_hash"),
        last_event_id=sa.bindparam("head_last_event_id"),
        mac=sa.bindparam("head_mac"),
    )
)

# PostgreSQL, two statements per chain (ADR 0103): the advance also draws the events' ids
# from the id column's sequence (the head's MAC names the last one), then one statement
# inserts the events and moves the head. Both depend on the number of events; built once
# for each number up to 16 (more are built each time, so the cache never grows past that).
_SEQUENCE = sa.Sequence("audit_events_id_seq")  # the SERIAL id column's
_ROW_COLUMNS = tuple(c.key for c in _EVENTS.columns)  # with the id
_BY_COUNT: dict[int, tuple[sa.Update, sa.Update]] = {}


def _postgresql_statements(count: int) -> tuple[sa.Update, sa.Update]:
    built = _BY_COUNT.get(count)
    if built is None:
        ids = (_SEQUENCE.next_value().label(f"id_{n}") for n in range(count))
        # A one-row INSERT per event, each its own CTE: SQLAlchemy caches the compiled form of
        # these, not of one multi-row INSERT (compiled afresh each time).
        inserts = (
            sa.insert(_EVENTS)
            .values({key: sa.bindparam(f"e{n}_{key}", _EVENTS.c[key].type) for key in _ROW_COLUMNS})
            .cte(f"event_{n}")
            for n in range(count)
        )
        built = (_advance_statement(*ids), _MOVE_HEAD.add_cte(*inserts))
        if len(_BY_COUNT) < 16:
            _BY_COUNT.setdefault(count, built)
    return built


def _advance(
    connection: sa.Connection, chain: str, count: int
) -> tuple[int, str, list[int] | None]:
    """Lock the chain's head and take the next `count` positions; returns (first seq,
    predecessor's link, the events' ids in order on PostgreSQL, else None)."""
    on_postgresql = connection.dialect.name == "postgresql"
    advance = _postgresql_statements(count)[0] if on_postgresql else _ADVANCE
    row = connection.execute(advance, {"b_chain": chain, "b_count": count}).first()
    if row is None:
        dialect = postgresql if on_postgresql else sqlite
        connection.execute(
            dialect.insert(_HEADS)
            .values(chain=chain, seq=0, hash=GENESIS, last_event_id=0, mac="")
            .on_conflict_do_nothing(index_elements=["chain"])
        )
        row = connection.execute(advance, {"b_chain": chain, "b_count": count}).one()
    ids = sorted(row[2:]) if on_postgresql else None
    return int(row[0]) - count + 1, str(row[1]), ids


PENDING = "audit_pending"
_COLUMNS = tuple(c.key for c in AuditEvent.__table__.columns if c.key != "id")


@dataclass(slots=True)
class PendingEvent:
    """An event waiting for its transaction's commit: an audit_events row's values, as a plain
    object (no ORM state to set up for a row that is only ever inserted, ADR 0096). Chaining
    fills `seq`, `prev_hash`, `hash` and, once inserted, `id`."""

    type: str
    at: datetime
    actor_account_id: int | None
    actor_role: str
    actor_name: str
    actor_unit: str
    on_behalf_of_individual_id: int | None
    subject_individual_id: int | None
    object_type: str
    object_id: int | None
    detail: str
    chain: str
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""
    id: int | None = None


assert set(_COLUMNS) <= set(PendingEvent.__slots__), "PendingEvent has every column"


def _columns(event: PendingEvent) -> dict[str, Any]:
    return {key: getattr(event, key) for key in _COLUMNS}


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
) -> PendingEvent:
    """Add an event to the caller's transaction; it is chained when the transaction commits
    (`_chain_pending`). The type is always an `EventType` (never a bare string), so every
    event has its plain words in the access log."""
    if not isinstance(type, EventType):
        raise TypeError(f"audit type must be an EventType, not {type!r}")
    fields = _actor_fields(by, on_behalf_of)
    if role:
        fields["actor_role"] = role
    event = PendingEvent(
        type=type.value,
        at=now(),
        on_behalf_of_individual_id=on_behalf_of,
        subject_individual_id=subject_individual_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        chain=chain_of(subject_individual_id, fields["actor_account_id"]),
        **fields,
    )
    db.connection()  # the transaction has begun: its end (commit or not) settles the queue
    db.info.setdefault(PENDING, []).append(event)
    return event


def _chain_pending(db: Session) -> None:
    """At commit: the caller's writes first, then each chain's head locked in the order of the
    chains' names, so two transactions about the same individuals always lock them in the
    same order and cannot deadlock (ADR 0083). Per chain: the head's advance, then on
    PostgreSQL one statement for the events and the head's move (ADR 0103), on SQLite one
    INSERT per event and the move. The head rows are held only from here to the commit."""
    pending: list[PendingEvent] = db.info.pop(PENDING, [])
    if not pending:
        return
    db.flush()
    # The statements are Core on the tables: run on the transaction's connection, past
    # the session's execute machinery (no ORM entity is read or written here).
    connection = db.connection()
    by_chain: dict[str, list[PendingEvent]] = {}
    for event in pending:
        by_chain.setdefault(event.chain, []).append(event)
    for chain in sorted(by_chain):
        events = by_chain[chain]
        seq, prev, ids = _advance(connection, chain, len(events))
        for event in events:
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = event_hash(event)
            seq += 1
        _write(connection, chain, events, ids)


def _write(
    connection: sa.Connection, chain: str, events: list[PendingEvent], ids: list[int] | None
) -> None:
    """The chain's linked events and its head's move. On PostgreSQL with the ids the advance
    drew, in one statement; on SQLite one Core INSERT per event (no unit of work for a row
    nobody changes) gives each its id, then the head moves."""
    if ids is None:
        for event in events:
            event.id = connection.execute(_INSERT_EVENT, _columns(event)).scalar_one()
    else:
        for event, event_id in zip(events, ids, strict=True):
            event.id = event_id
    last = events[-1]
    values = {
        "head_chain": chain,
        "head_hash": last.hash,
        "head_last_event_id": last.id,
        "head_mac": head_mac(chain, last.seq, last.hash, last.id),
    }
    if ids is None:
        connection.execute(_MOVE_HEAD, values)
        return
    for n, event in enumerate(events):
        values.update({f"e{n}_{key}": getattr(event, key) for key in _ROW_COLUMNS})
    connection.execute(_postgresql_statements(len(events))[1], values)


def _forget_pending(db: Session, transaction: Any) -> None:
    """A transaction that ends without its commit (rolled back, closed) drops its events."""
    if transaction.parent is None:
        db.info.pop(PENDING, None)


sa.event.listen(Session, "before_commit", _chain_pending)
sa.event.listen(Session, "after_transaction_end", _forget_pending)

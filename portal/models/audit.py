"""Audit events. No foreign keys: they must outlive what they describe.

Events form one hash chain per individual (`chain` = "i:<id>"; events about no individual
chain per actor, "a:<account id>", or "system"). Each event's hash is an HMAC over its fields
and its predecessor's hash, with a key that is not in the database (ADR 0080), so nobody who
can only write the database can forge a link. `AuditHead` holds each chain's newest link
under the same key; `AuditCheckpoint` records how far `flask audit-verify` has found the log
intact, so the next run starts there.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.UniqueConstraint("chain", "seq", name="uq_audit_events_chain_seq"),
        # The individual's access log pages by keyset (at, id), newest first.
        sa.Index("ix_audit_events_subject_at_id", "subject_individual_id", "at", "id"),
        # What happened to one object (a plan's re-assessment, closing; a meeting's changes):
        # the type too, so that a question about one kind of event on a much-read plan is a
        # probe, not a walk over that plan's every read (ADR 0110).
        sa.Index("ix_audit_events_object_type", "object_type", "object_id", "type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(60), index=True)  # "plan.read", "consent.withdraw"
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_account_id: Mapped[int | None] = mapped_column()
    actor_role: Mapped[str] = mapped_column(sa.String(30), default="")
    actor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    actor_unit: Mapped[str] = mapped_column(sa.String(200), default="")
    on_behalf_of_individual_id: Mapped[int | None] = mapped_column()
    subject_individual_id: Mapped[int | None] = mapped_column()
    object_type: Mapped[str] = mapped_column(sa.String(40), default="")
    object_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str] = mapped_column(sa.Text, default="")  # never personal data
    chain: Mapped[str] = mapped_column(sa.String(40))
    seq: Mapped[int] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditHead(Base):
    """The newest link of one chain; appends lock this row, so chains never fork."""

    __tablename__ = "audit_heads"

    chain: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64))
    last_event_id: Mapped[int] = mapped_column(default=0, index=True)
    mac: Mapped[str] = mapped_column(sa.String(64), default="")


class AuditCheckpoint(Base):
    """`audit-verify` found every event up to `verified_to_id` intact (MAC under the audit key)."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    verified_to_id: Mapped[int] = mapped_column()
    verified_to_hash: Mapped[str] = mapped_column(sa.String(64))
    events: Mapped[int] = mapped_column()
    mac: Mapped[str] = mapped_column(sa.String(64))

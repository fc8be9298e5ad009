"""Verifying the audit log from its last good checkpoint (ADR 0080).

`verify()` reads the newest checkpoint (refusing one whose MAC does not hold), checks that
the event it ends at is still there unchanged, then walks only the events after it: each
link is recomputed under the audit key and must follow its predecessor in its chain
without a gap. Every chain head moved since the checkpoint must name its chain's newest
event under a valid MAC, so deleting the newest events of a chain (truncation) is found
too. When all holds it writes a new checkpoint. `full=True` starts from the beginning and
also checks every head: an edit of an event older than the checkpoint is found only then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from portal.models import AuditCheckpoint, AuditEvent, AuditHead
from portal.services import audit_key
from portal.services.audit import GENESIS, event_hash, head_mac
from portal.timeutil import now


@dataclass(frozen=True)
class Report:
    checked: int  # events walked in this run
    events: int  # events verified in all, up to the new checkpoint
    first_broken_id: int | None = None
    reason: str = ""
    since_id: int = 0  # the checkpoint this run started from

    @property
    def intact(self) -> bool:
        return not self.reason


def checkpoint_mac(checkpoint: AuditCheckpoint) -> str:
    return audit_key.mac(
        "checkpoint",
        checkpoint.id,
        checkpoint.at.isoformat(),
        checkpoint.verified_to_id,
        checkpoint.verified_to_hash,
        checkpoint.events,
    )


def _start(db: Session, full: bool) -> tuple[AuditCheckpoint | None, str]:
    if full:
        return None, ""
    # LIMIT 1: one row by the primary key, however many checkpoints a region has written
    newest = sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    last = db.scalars(newest).first()
    if last is None:
        return None, ""
    if checkpoint_mac(last) != last.mac:
        return last, f"checkpoint {last.id} does not hold (its MAC)"
    if last.verified_to_id:
        held = db.scalar(sa.select(AuditEvent.hash).where(AuditEvent.id == last.verified_to_id))
        if held != last.verified_to_hash:
            return last, f"event {last.verified_to_id} of checkpoint {last.id} changed or gone"
    return last, ""


def _predecessors(db: Session, wanted: set[tuple[str, int]]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    pairs = sorted(wanted)
    for i in range(0, len(pairs), 500):
        rows = db.execute(
            sa.select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash).where(
                sa.tuple_(AuditEvent.chain, AuditEvent.seq).in_(pairs[i : i + 500])
            )
        )
        for chain, seq, link in rows:
            found[chain] = (seq, link)
    return found


class _Walk:
    def __init__(self) -> None:
        self.tips: dict[str, tuple[int, str, int]] = {}  # chain -> (seq, link, event id)
        self.checked = 0
        self.settled_to = (0, "", 0)  # (id, link, events up to it) for the new checkpoint

    def batch(self, db: Session, rows: list[Any], cut: datetime) -> int | None:
        """Check one batch in id order; the id of the first broken event, or None."""
        first: dict[str, int] = {}
        for e in rows:
            if e.chain not in self.tips and e.chain not in first:
                first[e.chain] = e.seq
        wanted = {(chain, seq - 1) for chain, seq in first.items() if seq > 1}
        earlier = _predecessors(db, wanted) if wanted else {}
        for event in rows:
            if event.chain in self.tips:
                seq, link, _ = self.tips[event.chain]
            elif event.seq == 1:
                seq, link = 0, GENESIS
            else:
                seq, link = earlier.get(event.chain, (-1, ""))
            if event.seq != seq + 1 or event.prev_hash != link or event_hash(event) != event.hash:
                return event.id
            self.tips[event.chain] = (event.seq, event.hash, event.id)
            self.checked += 1
            if event.at < cut:
                self.settled_to = (event.id, event.hash, self.checked)
        return None


def _heads(db: Session, walk: _Walk, since_id: int, full: bool) -> int | None:
    """The smallest event id a wrong head points at, or None when every head holds."""
    query = sa.select(AuditHead)
    if not full:
        moved = sa.or_(AuditHead.last_event_id > since_id, AuditHead.chain.in_(list(walk.tips)))
        query = query.where(moved) if len(walk.tips) < 5000 else query
    broken: list[int] = []
    heads = db.scalars(query).all()
    for head in heads:
        tip = walk.tips.get(head.chain)
        mac_ok = head.mac == head_mac(head.chain, head.seq, head.hash, head.last_event_id)
        if mac_ok and tip == (head.seq, head.hash, head.last_event_id):
            continue
        if tip is None and mac_ok and head.last_event_id <= since_id and not full:
            continue
        if mac_ok and _in_flight(db, head, tip):
            continue
        if tip is None or head.seq > tip[0]:
            broken.append(head.last_event_id)  # the newest of the events that are gone
        else:
            broken.append(min(tip[2], head.last_event_id) or tip[2])
    missing = set(walk.tips) - {h.chain for h in heads}
    broken.extend(walk.tips[chain][2] for chain in missing)
    return min(broken) if broken else None


def _in_flight(db: Session, head: AuditHead, tip: tuple[int, str, int] | None) -> bool:
    """A head ahead of the walk whose event is there: appended while we walked (not broken)."""
    if tip is not None and head.seq <= tip[0]:
        return False
    held = db.execute(
        sa.select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash).where(
            AuditEvent.id == head.last_event_id
        )
    ).first()
    return held is not None and tuple(held) == (head.chain, head.seq, head.hash)


def verify(db: Session, *, full: bool = False, batch: int = 5000) -> Report:
    """Verify from the last good checkpoint (or from the start); on success, checkpoint."""
    checkpoint, problem = _start(db, full)
    since_id = checkpoint.verified_to_id if checkpoint and not problem else 0
    before = checkpoint.events if checkpoint and not problem else 0
    if problem:
        return Report(0, before, None, problem, since_id)
    cut = now() - timedelta(seconds=current_app.config.get("AUDIT_SETTLE_SECONDS", 60))
    walk, last_id = _Walk(), since_id
    while True:
        rows = db.execute(
            sa.select(*AuditEvent.__table__.c)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        broken = walk.batch(db, list(rows), cut)
        if broken is not None:
            return Report(walk.checked, before, broken, f"event {broken} does not hold", since_id)
        last_id = rows[-1].id
    broken = _heads(db, walk, since_id, full)
    if broken is not None:
        reason = f"a chain head does not match its events (event {broken})"
        return Report(walk.checked, before, broken, reason, since_id)
    settled_id, settled_link, settled_count = walk.settled_to
    if settled_id:
        _checkpoint(db, settled_id, settled_link, before + settled_count)
    return Report(walk.checked, before + walk.checked, None, "", since_id)


def _checkpoint(db: Session, verified_to_id: int, link: str, events: int) -> None:
    checkpoint = AuditCheckpoint(
        at=now(), verified_to_id=verified_to_id, verified_to_hash=link, events=events, mac=""
    )
    db.add(checkpoint)
    db.flush()
    checkpoint.mac = checkpoint_mac(checkpoint)
    db.commit()

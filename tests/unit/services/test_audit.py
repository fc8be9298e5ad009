"""The audit log is a hash chain: any change to a past event is found and named."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal.models import AuditEvent
from portal.services import audit


def _write(db: Session, n: int) -> list[AuditEvent]:
    events = [
        audit.record(db, type="plan.read", by=None, subject_individual_id=7, object_id=i)
        for i in range(n)
    ]
    db.commit()
    return events


def test_audit_chain_of_untouched_events_is_intact(db: Session) -> None:
    events = _write(db, 5)
    assert events[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    report = audit.verify_chain(db)
    assert report.intact and report.events == 5


def test_audit_chain_names_the_first_changed_event(db: Session) -> None:
    events = _write(db, 5)
    db.execute(
        sa.update(AuditEvent).where(AuditEvent.id == events[2].id).values(subject_individual_id=8)
    )
    db.commit()
    report = audit.verify_chain(db)
    assert not report.intact
    assert report.first_broken_id == events[2].id


def test_audit_chain_finds_a_deleted_event(db: Session) -> None:
    events = _write(db, 4)
    db.execute(sa.delete(AuditEvent).where(AuditEvent.id == events[1].id))
    db.commit()
    assert audit.verify_chain(db).first_broken_id == events[2].id


def test_audit_verify_command_exits_non_zero_on_a_broken_chain(app: Flask, db: Session) -> None:
    events = _write(db, 3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "intact: 3 events" in result.output
    db.execute(sa.update(AuditEvent).where(AuditEvent.id == events[0].id).values(detail="x"))
    db.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert f"event id {events[0].id}" in result.output

"""The audit log: one MAC'd chain per individual; edits, deletions and truncation are named."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal.models import AuditCheckpoint, AuditEvent, AuditHead
from portal.models.audit_types import EventType
from portal.services import audit
from portal.services.audit_verify import verify


def _write(db: Session, n: int, subjects: tuple[int | None, ...] = (7,)) -> list[AuditEvent]:
    events = [
        audit.record(
            db,
            type=EventType.PLAN_READ,
            by=None,
            subject_individual_id=subjects[i % len(subjects)],
            object_id=i,
        )
        for i in range(n)
    ]
    db.commit()
    return events


def _edit(db: Session, event_id: int, **values: object) -> None:
    db.execute(sa.update(AuditEvent).where(AuditEvent.id == event_id).values(**values))
    db.commit()


def test_audit_events_chain_per_individual_and_verify_intact(db: Session) -> None:
    events = _write(db, 6, subjects=(7, 8, None))
    assert [e.chain for e in events[:3]] == ["i:7", "i:8", "system"]
    assert [e.seq for e in events] == [1, 1, 1, 2, 2, 2]
    assert events[3].prev_hash == events[0].hash and events[0].prev_hash == audit.GENESIS
    report = verify(db)
    assert report.intact and report.events == 6


def test_audit_verify_names_the_first_changed_event(db: Session) -> None:
    events = _write(db, 5)
    _edit(db, events[2].id, subject_individual_id=8)
    report = verify(db)
    assert not report.intact and report.first_broken_id == events[2].id


def test_audit_verify_finds_an_edit_whose_hashes_were_recomputed_without_the_key(
    db: Session,
) -> None:
    events = _write(db, 3)
    forged = hashlib.sha256(b"someone with database access").hexdigest()
    _edit(db, events[1].id, detail="x", hash=forged)
    _edit(db, events[2].id, prev_hash=forged)
    db.execute(sa.update(AuditHead).values(hash=forged))
    db.commit()
    assert verify(db).first_broken_id == events[1].id


def test_audit_verify_finds_a_deleted_event(db: Session) -> None:
    events = _write(db, 4)
    db.execute(sa.delete(AuditEvent).where(AuditEvent.id == events[1].id))
    db.commit()
    assert verify(db).first_broken_id == events[2].id


def test_audit_verify_finds_the_newest_events_cut_off(db: Session) -> None:
    events = _write(db, 6, subjects=(7, 8))
    db.execute(sa.delete(AuditEvent).where(AuditEvent.id >= events[4].id))
    db.commit()
    report = verify(db)
    assert not report.intact and report.first_broken_id == events[4].id


def test_audit_verify_finds_a_whole_chain_deleted_after_the_checkpoint(db: Session) -> None:
    _write(db, 2, subjects=(7,))
    assert verify(db).intact
    later = _write(db, 2, subjects=(9,))
    db.execute(sa.delete(AuditEvent).where(AuditEvent.chain == "i:9"))
    db.commit()
    assert verify(db).first_broken_id == later[-1].id


def test_audit_verify_starts_at_the_last_good_checkpoint(db: Session) -> None:
    _write(db, 20, subjects=(7, 8))
    first = verify(db)
    assert first.intact and first.checked == 20
    _write(db, 3, subjects=(8, 9))
    second = verify(db)
    assert second.intact and second.checked == 3 and second.events == 23


def test_audit_verify_finds_an_edit_after_the_checkpoint(db: Session) -> None:
    _write(db, 4)
    assert verify(db).intact
    later = _write(db, 3)
    _edit(db, later[1].id, actor_name="someone else")
    assert verify(db).first_broken_id == later[1].id


def test_audit_full_verify_finds_an_edit_before_the_checkpoint(db: Session) -> None:
    events = _write(db, 4)
    assert verify(db).intact
    _edit(db, events[1].id, detail="changed")
    assert verify(db, full=True).first_broken_id == events[1].id


def test_audit_verify_refuses_a_forged_checkpoint(db: Session) -> None:
    events = _write(db, 4)
    assert verify(db).intact
    _edit(db, events[3].id, detail="changed")
    db.execute(sa.update(AuditCheckpoint).values(verified_to_id=events[2].id))
    db.commit()
    report = verify(db)
    assert not report.intact and "checkpoint" in report.reason


def test_audit_verify_finds_the_checkpointed_event_cut_off(db: Session) -> None:
    events = _write(db, 4)
    assert verify(db).intact
    db.execute(sa.delete(AuditEvent).where(AuditEvent.id == events[-1].id))
    db.execute(sa.update(AuditHead).values(seq=3))
    db.commit()
    assert not verify(db).intact


def test_audit_verify_command_exits_non_zero_on_a_broken_log(app: Flask, db: Session) -> None:
    events = _write(db, 3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "intact: 3 events" in result.output
    _edit(db, events[0].id, detail="x")
    result = runner.invoke(args=["audit-verify", "--full"])
    assert result.exit_code == 1
    assert f"event id {events[0].id}" in result.output


def _statements(db: Session) -> list[str]:
    statements: list[str] = []
    sa.event.listen(db.get_bind(), "before_cursor_execute", lambda *a: statements.append(a[2]))
    return statements


def test_audit_append_stores_each_event_as_chained_two_statements_a_chain_on_postgresql(
    db: Session,
) -> None:
    """ADR 0103: on PostgreSQL the head's advance draws the ids, one statement inserts the
    events and moves the head; the rows, ids, order and head MAC are those of one INSERT per
    event (SQLite's path)."""
    _write(db, 2, subjects=(7, None))  # both chains exist: no head is opened below
    statements = _statements(db)
    events = [
        audit.record(
            db,
            type=EventType.PLAN_DRAFT_EDIT,
            by=None,
            subject_individual_id=subject,
            on_behalf_of=subject,
            object_type="plan",
            object_id=n if n % 2 else None,
            detail=f"ändrat {n} ✓",
        )
        for n, subject in enumerate((7, None, 7, 7, None))
    ]
    db.commit()
    if db.get_bind().dialect.name == "postgresql":
        assert len(statements) == 2 * 2  # two chains
    else:
        assert len(statements) == 2 * 2 + len(events)  # and one INSERT per event
    rows = {row.id: row for row in db.scalars(sa.select(AuditEvent))}
    for event in events:
        row = rows[event.id]
        for column in AuditEvent.__table__.columns:
            assert getattr(row, column.key) == getattr(event, column.key), column.key
        assert audit.event_hash(row) == row.hash
    for chain in ("i:7", "system"):
        in_chain = sorted((e for e in events if e.chain == chain), key=lambda e: e.seq)
        assert [e.id for e in in_chain] == sorted(e.id for e in in_chain)
        assert [e.seq for e in in_chain] == list(range(2, 2 + len(in_chain)))
        head = db.get(AuditHead, chain)
        last = in_chain[-1]
        assert (head.seq, head.hash, head.last_event_id) == (last.seq, last.hash, last.id)
        assert head.mac == audit.head_mac(chain, last.seq, last.hash, last.id)
    assert verify(db, full=True).intact


def test_audit_append_refuses_an_overlong_value_rather_than_cutting_it(db: Session) -> None:
    """The events' values are bound as VARCHAR without a length (a cast to VARCHAR(n) would
    cut them), so PostgreSQL refuses a value longer than its column (SQLite keeps any)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    event = audit.record(db, type=EventType.PLAN_READ, by=None, subject_individual_id=7)
    event.actor_unit = "x" * 201
    with pytest.raises(sa.exc.DataError):
        db.commit()
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0

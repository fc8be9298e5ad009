"""Fifty audited reads and writes at once, on SQLite or PostgreSQL: the log stays intact."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from portal.db import make_engine
from portal.models import AuditEvent
from portal.models.audit_types import EventType
from portal.services import audit
from portal.services.audit_verify import verify

WORKERS = 50


def _work(
    app: Flask, engine: sa.Engine, n: int, start: threading.Barrier, errors: list[BaseException]
) -> None:
    subject = (None, 1, 2, 3)[n % 4]
    with app.app_context():
        db = Session(engine, expire_on_commit=False)
        try:
            start.wait()
            if n % 2:  # a read: audited and committed at once
                audit.record(db, type=EventType.PLAN_READ, by=None, subject_individual_id=subject)
                db.commit()
            else:  # a write: two events in one transaction
                for step in range(2):
                    audit.record(
                        db,
                        type=EventType.PLAN_DRAFT_EDIT,
                        by=None,
                        subject_individual_id=subject,
                        object_id=step,
                    )
                db.commit()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            db.close()


@pytest.mark.parametrize("pooled", [False, True], ids=["connection-each", "pooled"])
def test_audit_log_intact_after_fifty_parallel_reads_and_writes(
    app: Flask, db: Session, pooled: bool
) -> None:
    """50 connections at once; or the pool's own (on PostgreSQL 10, each checked out again
    moments after its checkin: the unpinged path of ADR 0103)."""
    start, errors = threading.Barrier(WORKERS), []
    url = app.config["DATABASE_URL"]
    engine = make_engine(url) if pooled else make_engine(url, poolclass=NullPool)
    threads = [
        threading.Thread(target=_work, args=(app, engine, n, start, errors)) for n in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == WORKERS // 2 * 3
    report = verify(db, full=True)
    assert report.intact, report.reason
    assert report.events == WORKERS // 2 * 3


def _cross(app: Flask, engine: sa.Engine, n: int, start: threading.Barrier, errors: list) -> None:
    """A transaction about two individuals, half of them in the opposite order."""
    first, second = (11, 12) if n % 2 else (12, 11)
    with app.app_context():
        db = Session(engine, expire_on_commit=False)
        try:
            start.wait()
            for subject in (first, second):
                audit.record(
                    db, type=EventType.PLAN_DRAFT_EDIT, by=None, subject_individual_id=subject
                )
            db.commit()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            db.close()


def test_transactions_about_two_individuals_in_opposite_orders_do_not_deadlock(
    app: Flask, db: Session
) -> None:
    """ADR 0083: heads are locked at commit in the order of their names, whatever the order
    the service recorded its events in; on PostgreSQL opposite orders would otherwise
    deadlock."""
    start, errors = threading.Barrier(WORKERS), []
    engine = make_engine(app.config["DATABASE_URL"], poolclass=NullPool)
    threads = [
        threading.Thread(target=_cross, args=(app, engine, n, start, errors))
        for n in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    report = verify(db, full=True)
    assert report.intact, report.reason
    assert report.events == WORKERS * 2


def test_a_rolled_back_transaction_records_nothing(db: Session) -> None:
    audit.record(db, type=EventType.PLAN_READ, by=None, subject_individual_id=5)
    db.rollback()
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0

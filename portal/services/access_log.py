"""Reading the individual's access log: others' events first, one keyset page at a time.

Issue 15 owns how audit events are stored (and the index on subject, at, id); this module owns
the query the individual's page and its PDF extract run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import AuditEvent
from portal.rules.access_log import Actor, Cursor, LogEntry
from portal.timeutil import STOCKHOLM, to_stockholm

PAGE_SIZE = 50
EXTRACT_LIMIT = 5000


@dataclass(frozen=True)
class LogQuery:
    individual_id: int
    viewer_account_id: int
    include_mine: bool = False
    since: date | None = None  # first day shown, inclusive (Stockholm)
    until: date | None = None  # last day shown, inclusive (Stockholm)


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    next_cursor: Cursor | None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, STOCKHOLM)


def _statement(query: LogQuery) -> sa.Select[tuple[AuditEvent]]:
    statement = sa.select(AuditEvent).where(AuditEvent.subject_individual_id == query.individual_id)
    if not query.include_mine:
        statement = statement.where(
            sa.or_(
                AuditEvent.actor_account_id.is_(None),
                AuditEvent.actor_account_id != query.viewer_account_id,
            )
        )
    if query.since is not None:
        statement = statement.where(AuditEvent.at >= _start_of(query.since))
    if query.until is not None:
        statement = statement.where(AuditEvent.at < _start_of(query.until + timedelta(days=1)))
    return statement


def _entry(event: AuditEvent, viewer_account_id: int) -> LogEntry:
    actor = Actor(
        account_id=event.actor_account_id,
        name=event.actor_name,
        role=event.actor_role,
        unit=event.actor_unit,
        for_individual=event.on_behalf_of_individual_id is not None,
    )
    return LogEntry(
        id=event.id,
        at=event.at,
        day=to_stockholm(event.at).date(),
        actor=actor,
        type=event.type,
        object_type=event.object_type,
        mine=event.actor_account_id == viewer_account_id,
    )


def log_page(
    db: Session, query: LogQuery, *, after: Cursor | None = None, size: int = PAGE_SIZE
) -> LogPage:
    """One page, newest first, keyset by (at, id): stable while new events arrive."""
    statement = _statement(query)
    if after is not None:  # a row comparison: one range scan of (subject, at, id) (ADR 0081)
        statement = statement.where(
            sa.tuple_(AuditEvent.at, AuditEvent.id) < sa.tuple_(after.at, after.id)
        )
    events = db.scalars(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size + 1)
    ).all()
    entries = [_entry(event, query.viewer_account_id) for event in events[:size]]
    more = len(events) > size
    return LogPage(entries, Cursor(entries[-1].at, entries[-1].id) if more and entries else None)


def log_extract(db: Session, query: LogQuery) -> tuple[list[LogEntry], bool]:
    """Every event of the period for the PDF (capped; the flag says the cap was reached)."""
    page = log_page(db, query, size=EXTRACT_LIMIT)
    return page.entries, page.next_cursor is not None

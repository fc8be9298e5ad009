"""Boundary values in every model: the longest texts the forms allow (some as one endless
word), the earliest and latest dates the forms allow, and values beyond any form that the
database can still hold — 9999-12-31 and 0001-01-01 in every date column, a meeting in the
last hour of year 9999 (beyond the calendar in Stockholm), and on SQLite, which keeps any
length, a 5,000-character word in every text column (what a broken import or an old bug could
leave behind) — what a page and a PDF must render without breaking (issue 12, point 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from portal.models import Base, Meeting, Plan
from portal.rules.plan_content import MAX_TEXT
from portal.rules.vocabulary import PlanState
from portal.timeutil import today_stockholm
from portal.web.fields import COMING, PAST_ONLY

# Columns whose text the code itself reads (codes, hashes, JSON, locales), and the audit
# chain (its links are checked): these are not typed by anyone.
MACHINE_TEXT = {
    "personal_identity_number",
    "preferred_locale",
    "locale",
    "number",
    "transports",
    "scopes_text",
    "fields_json",
    "path",
    "kind",
    "credential_id",
    "verification_code",
}
NOT_TOUCHED_TABLES = {"audit_events", "audit_heads", "audit_checkpoints", "alembic_version"}
NOT_TOUCHED_DATES = {"deceased_on"}  # a date of death changes what the pages are about
WORD = "Långtordutanmellanrumsomaldrigtarslut"
BEYOND_LENGTH = 5000  # a first name this long was once accepted (issue 12)
LAST_HOUR = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)  # 00.30 on 1 January 10000 in Stockholm


def longest(length: int, *, one_word: bool) -> str:
    unit = WORD if one_word else "Ett ganska långt ord "
    return (unit * (length // len(unit) + 1))[:length]


def text_columns(table: sa.Table) -> list[tuple[sa.Column, int]]:
    found = []
    for column in table.columns:
        if column.primary_key or column.foreign_keys or column.unique:
            continue
        if column.name in MACHINE_TEXT or "hash" in column.name or "token" in column.name:
            continue
        kind = column.type
        if isinstance(kind, sa.Enum) or not isinstance(kind, sa.String):
            continue
        found.append((column, kind.length or MAX_TEXT))
    return found


def date_columns(table: sa.Table) -> list[sa.Column]:
    return [
        c
        for c in table.columns
        if isinstance(c.type, sa.Date) and not c.primary_key and c.name not in NOT_TOUCHED_DATES
    ]


def store_boundary_values(engine: sa.Engine, *, beyond: bool = True) -> dict[str, int]:
    """Every touched row of every model, rows with even ids one way and odd the other; with
    `beyond`, every fourth row then beyond the contracts. Returns how many columns were set
    per table."""
    today = today_stockholm()
    earliest, _ = PAST_ONLY.bounds(today)
    _, latest = COMING.bounds(today)
    touched: dict[str, int] = {}
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_TOUCHED_TABLES or "id" not in table.columns:
                continue
            even = table.c.id % 2 == 0
            texts, dates = text_columns(table), date_columns(table)
            for parity, one_word in ((even, True), (sa.not_(even), False)):
                values: dict[str, object] = {
                    c.name: longest(n, one_word=one_word) for c, n in texts
                }
                for column in dates:
                    only_latest = column.name in {"valid_until"}  # keep the delegations alive
                    values[column.name] = latest if one_word or only_latest else earliest
                if values:
                    connection.execute(sa.update(table).where(parity).values(**values))
            touched[table.name] = len(texts) + len(dates)
        connection.execute(  # beyond any form: what a broken import could leave behind
            sa.update(Plan)
            .where(Plan.state == PlanState.DEFERRED)
            .values(reassess_before_home_on=date.max)
        )
        if beyond:
            _store_beyond_the_contracts(connection)
    return touched


def _store_beyond_the_contracts(connection: sa.Connection) -> None:
    """Every fourth row of every model: values no field contract lets through today."""
    keeps_length = connection.dialect.name != "sqlite"  # PostgreSQL refuses a longer varchar
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_TOUCHED_TABLES or "id" not in table.columns:
            continue
        for remainder, day in ((0, date.max), (1, date.min)):
            values: dict[str, object] = {
                c.name: day
                for c in date_columns(table)
                if not (day == date.min and c.name == "valid_until")
            }
            if remainder == 0:
                for column, length in text_columns(table):
                    n = length if keeps_length and column.type.length else BEYOND_LENGTH
                    values[column.name] = longest(n, one_word=True)
            if values:
                connection.execute(
                    sa.update(table).where(table.c.id % 4 == remainder).values(**values)
                )
    connection.execute(
        sa.update(Meeting).where(Meeting.id % 4 == 0).values(starts_at=LAST_HOUR, ends_at=LAST_HOUR)
    )

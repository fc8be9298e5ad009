"""Boundary values in every model: the longest texts the forms allow (some as one endless
word), the earliest and latest dates the forms allow, and one stored date beyond any form
(9999-12-31) — what a page must render without breaking (issue 12, point 2)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.models import Base, Plan
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


def store_boundary_values(engine: sa.Engine) -> dict[str, int]:
    """Every touched row of every model, rows with even ids one way and odd the other.
    Returns how many columns were set per table."""
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
    return touched

"""Alembic environment: the URL comes from the app's configuration (DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context

from portal.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from portal.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Booleans default to sa.true()/sa.false(), not SQLite's rendered 1/0 (PostgreSQL refuses those)."""
    if kind == "server_default" and isinstance(obj, sa.DefaultClause):
        if isinstance(obj.arg, sa.sql.elements.True_):
            return "sa.true()"
        if isinstance(obj.arg, sa.sql.elements.False_):
            return "sa.false()"
    return False


run_migrations()

"""An account's unread messages are found through the unread, not through all it has read
(ADR 0118).

The worklist, the individual's home and the staff plan page ask on every request for the
account's unread messages. Messages are kept once read, so a coordinator who has worked for
years has tens of thousands: with an index on `account_id` only, each question walked every
one of them. Each of the three must go through the partial index of the unread
(`ix_notifications_unread`), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.services import notifications
from portal.services.staff_plan_view import PLAN_ROW

QUESTIONS = {
    "worklist": (notifications.UNREAD_BY_PLAN[0], {"account_id": 1}),
    "home": (notifications.UNREAD[0], {"account_id": 1, "news_plan_ids": [1, 2, 3]}),
    "staff plan page": (PLAN_ROW, {"plan_id": 1, "account_id": 1}),
}


def _plan(db: Session, statement: Any, values: dict[str, Any]) -> str:
    """The database's plan for the statement as the app sends it, with these values."""
    connection = db.connection()
    sql = statement.params(**values).compile(connection, compile_kwargs={"literal_binds": True})
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        return "\n".join(str(row[-1]) for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # the tiny test table aside
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}").all())


@pytest.mark.parametrize("page", list(QUESTIONS))
def test_the_unread_are_found_through_their_own_index(db: Session, page: str) -> None:
    statement, values = QUESTIONS[page]
    plan = _plan(db, statement, values)
    assert "ix_notifications_unread" in plan, plan


def test_the_index_holds_only_the_unread(db: Session) -> None:
    index = next(
        i for i in sa.inspect(db.get_bind()).get_indexes("notifications")
        if i["name"] == "ix_notifications_unread"
    )  # fmt: skip
    assert index["column_names"] == ["account_id", "plan_id"]
    names = {i["name"] for i in sa.inspect(db.get_bind()).get_indexes("notifications")}
    assert "ix_notifications_account_id" not in names  # it walked every message read

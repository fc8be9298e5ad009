"""A question about one kind of event on one object is an index probe (ADR 0110).

The staff plan page asks on every request whether the plan was re-assessed (an audit event
of type plan.reassess on that plan). A much-read plan has thousands of plan.read events;
with an index on (object_type, object_id) only, the question walked all of them, and the
page grew slower with every read of it. The plan's row must find that answer through
(object_type, object_id, type), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.services.staff_plan_view import PLAN_ROW


def _explain(db: Session, prefix: str) -> list[tuple]:
    """EXPLAIN the plan's row as the app sends it (the dialect's own placeholders)."""
    connection = db.connection()
    compiled = PLAN_ROW.compile(connection)
    values = compiled.construct_params({"plan_id": 1, "account_id": 1})
    if compiled.positiontup is not None:  # SQLite: ? placeholders, in order
        params: object = tuple(values[name] for name in compiled.positiontup)
    else:
        params = values
    return connection.exec_driver_sql(f"{prefix} {compiled}", params).all()  # type: ignore[arg-type]


def test_the_plan_rows_audit_question_uses_the_object_and_type_index(db: Session) -> None:
    if db.get_bind().dialect.name == "sqlite":
        plan = "\n".join(str(row[-1]) for row in _explain(db, "EXPLAIN QUERY PLAN"))
        wanted = "audit_events USING INDEX ix_audit_events_object_type (object_type=? AND object_id=? AND type=?)"
        assert wanted in plan, plan
    else:
        db.execute(sa.text("SET LOCAL enable_seqscan = off"))  # the tiny test table aside
        plan = "\n".join(row[0] for row in _explain(db, "EXPLAIN"))
        assert "ix_audit_events_object_type" in plan, plan

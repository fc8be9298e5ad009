"""Reports of accessibility problems: anyone sends one, staff see and handle them."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import AccessibilityReport, Account
from portal.timeutil import now


def report_problem(*, page: str, problem: str, contact: str, by: Account | None) -> None:
    """Store the report for staff (no audit event: it is not about an individual's data)."""
    db.session().add(
        AccessibilityReport(
            page=page.strip(),
            problem=problem.strip(),
            contact=contact.strip(),
            account_id=by.id if by is not None else None,
        )
    )
    db.session().commit()


def open_reports() -> list[AccessibilityReport]:
    return list(
        db.session().scalars(
            sa.select(AccessibilityReport)
            .where(AccessibilityReport.handled_at.is_(None))
            .order_by(AccessibilityReport.created_at)
        )
    )


def mark_handled(*, report_id: int, by: Account) -> bool:
    report = db.session().get(AccessibilityReport, report_id)
    if report is None or report.handled_at is not None:
        return False
    report.handled_at = now()
    report.handled_by_account_id = by.id
    db.session().commit()
    return True

"""Unit administrators disable the account of a staff member who leaves: no sign-in, every
session ended at once, listed as disabled."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import Account, Staff
from portal.models.audit_types import EventType
from portal.rules.access import may_disable_staff
from portal.services import audit
from portal.services.sign_in_sessions import end_sessions_of
from portal.services.viewers import viewer_for
from portal.timeutil import now


class DisableRefusedError(Exception):
    """Only a unit administrator, for their own unit's staff, and never themselves."""


def unit_staff_accounts(unit_id: int) -> list[tuple[Staff, Account | None]]:
    rows = db.session().execute(
        sa.select(Staff, Account)
        .outerjoin(Account, Account.staff_id == Staff.id)
        .where(Staff.unit_id == unit_id)
        .order_by(Staff.family_name, Staff.given_name)
    )
    return [(staff, account) for staff, account in rows]


def disable_staff_account(*, account: Account, by: Account) -> None:
    if account.staff is None or by.staff is None:
        raise DisableRefusedError
    if not may_disable_staff(
        viewer_for(by),
        admin_is_unit_admin=by.staff.is_unit_admin,
        staff_unit_id=account.staff.unit_id,
        staff_account_id=account.id,
    ):
        raise DisableRefusedError
    if account.disabled_at is None:
        account.disabled_at = now()
        account.disabled_by_account_id = by.id
        account.session_generation += 1
        end_sessions_of(account, because="disabled")
        audit.record(
            db.session(),
            type=EventType.ACCOUNT_DISABLE,
            by=by,
            subject_individual_id=None,
            object_type="account",
            object_id=account.id,
        )
    db.session().commit()

"""Account settings."""

from __future__ import annotations

from portal import db
from portal.models import Account
from portal.models.audit_types import EventType
from portal.services import audit


def set_locale(*, account: Account, locale: str) -> None:
    account.locale = locale
    audit.record(
        db.session(),
        type=EventType.ACCOUNT_LOCALE,
        by=account,
        subject_individual_id=account.individual_id,
        object_type="account",
        object_id=account.id,
        detail=locale,
    )
    db.session().commit()

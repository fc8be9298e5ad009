"""Reads of an individual's data, audited in one place (issue 15 point 4, ADR 0080).

Every page, download and feed that shows an individual's personal data records who read it
(the actor), for whom (a relative acting on behalf of the individual) and what, through
`read()`. Views call this service; no view writes the audit log itself
(`tests/unit/test_layering.py` checks that no module under `portal/web` imports the writer).
"""

from __future__ import annotations

from portal import db
from portal.models import Account
from portal.models.audit_types import EventType
from portal.services import audit


def read(
    *,
    type: EventType,
    by: Account | None,
    subject_individual_id: int | None,
    on_behalf_of: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    detail: str = "",
) -> None:
    """Audit a read of the individual's data by `by` (on behalf of `on_behalf_of`), in its
    own transaction, committed before the page is rendered."""
    session = db.session()
    audit.record(
        session,
        type=type,
        by=by,
        subject_individual_id=subject_individual_id,
        on_behalf_of=on_behalf_of,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    session.commit()

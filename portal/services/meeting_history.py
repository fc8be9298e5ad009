"""What happened to an invitation: sent, changed, acknowledged, cancelled (from the audit log)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import AuditEvent, Meeting

CHANGES = ("meeting.invite", "meeting.change", "meeting.cancel")


def history(meeting: Meeting) -> list[AuditEvent]:
    """What happened to the invitation: sent, changed, acknowledged, cancelled — oldest first."""
    participant_ids = [p.id for p in meeting.participants]
    return list(
        db.session().scalars(
            sa.select(AuditEvent)
            .where(
                sa.or_(
                    sa.and_(
                        AuditEvent.object_type == "meeting",
                        AuditEvent.object_id == meeting.id,
                        AuditEvent.type.in_(CHANGES),
                    ),
                    sa.and_(
                        AuditEvent.object_type == "meeting_participant",
                        AuditEvent.object_id.in_(participant_ids),
                    ),
                )
            )
            .order_by(AuditEvent.id)
        )
    )


def last_change(meeting: Meeting) -> AuditEvent | None:
    """Who last sent, changed or cancelled the invitation, and when (for a version conflict)."""
    return db.session().scalar(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "meeting",
            AuditEvent.object_id == meeting.id,
            AuditEvent.type.in_(CHANGES),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )

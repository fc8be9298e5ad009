"""Indexes for the paths that must stay fast at a region's size (ADR 0081, make bench-scale).

Kept in one place rather than beside each column: each one names the path that needs it.
Foreign keys that only ever join from the other side need none.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.models.consent import ConsentEvent
from portal.models.meetings import Meeting, MeetingParticipant
from portal.models.notifications import Notification
from portal.models.organisations import Staff
from portal.models.plans import FollowUp, Intervention, Plan

INDEXES = (
    sa.Index("ix_staff_unit_id", Staff.unit_id),  # a unit's staff: the unit worklist
    sa.Index("ix_plans_convener_id", Plan.convener_id),  # plans a staff member convened
    sa.Index("ix_plans_previous_plan_id", Plan.previous_plan_id),  # a new episode's history
    sa.Index("ix_meetings_convener_id", Meeting.convener_id),  # worklist: meetings to call
    sa.Index("ix_meeting_participants_staff_id", MeetingParticipant.staff_id),  # called to
    sa.Index("ix_meeting_participants_unit_id", MeetingParticipant.unit_id),  # units taking part
    sa.Index("ix_interventions_responsible_id", Intervention.responsible_id),  # worklist
    sa.Index("ix_interventions_follow_up_by_id", Intervention.follow_up_by_id),  # worklist
    sa.Index("ix_interventions_unit_id", Intervention.unit_id),  # a unit's interventions
    sa.Index("ix_follow_ups_meeting_id", FollowUp.meeting_id),
    sa.Index("ix_notifications_plan_id", Notification.plan_id),
    # An account's unread messages (worklist, home, staff plan page), however many it has read
    # over the years (ADR 0118).
    sa.Index(
        "ix_notifications_unread",
        Notification.account_id,
        Notification.plan_id,
        postgresql_where=Notification.read_at.is_(None),
        sqlite_where=Notification.read_at.is_(None),
    ),
    sa.Index("ix_consent_events_unit_id", ConsentEvent.unit_id),  # a unit's withdrawals
)

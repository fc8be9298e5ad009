"""SQLAlchemy 2 typed models, one module per aggregate. Import them all from here."""

from portal.models import (
    content_counter,  # noqa: F401  (the plan content cache's counter, ADR 0084)
    guards,  # noqa: F401  (signed versions are immutable)
    indexes,  # noqa: F401  (indexes for the paths at scale)
)
from portal.models.access import AccountInvitation, Delegation
from portal.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from portal.models.base import Base, utcnow
from portal.models.calendar import CalendarFeed
from portal.models.consent import ConsentEvent, PlanUnit
from portal.models.feedback import AccessibilityReport
from portal.models.kept import KeptInput
from portal.models.meetings import Meeting, MeetingParticipant, Preparation
from portal.models.notifications import Notification
from portal.models.organisations import Organisation, Staff, Unit
from portal.models.outbox import ContactPoint, OutboxMessage
from portal.models.people import Account, Individual, Passkey, Relative
from portal.models.plans import (
    CoordinatorAssignment,
    CoordinatorWish,
    EvaluatedGoal,
    FollowUp,
    Goal,
    Intervention,
    OwnResponsibility,
    Plan,
    PlanContentGeneration,
    PlanVersion,
)
from portal.models.requests import PlanRequest
from portal.models.sessions import PasskeyChallenge, SignInSession

__all__ = [
    "AccessibilityReport",
    "Account",
    "AccountInvitation",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CalendarFeed",
    "ConsentEvent",
    "ContactPoint",
    "CoordinatorAssignment",
    "CoordinatorWish",
    "Delegation",
    "EvaluatedGoal",
    "FollowUp",
    "Goal",
    "Individual",
    "Intervention",
    "KeptInput",
    "Meeting",
    "MeetingParticipant",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "OwnResponsibility",
    "Passkey",
    "PasskeyChallenge",
    "Plan",
    "PlanContentGeneration",
    "PlanRequest",
    "PlanUnit",
    "PlanVersion",
    "Preparation",
    "Relative",
    "SignInSession",
    "Staff",
    "Unit",
    "utcnow",
]

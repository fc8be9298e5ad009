"""What is sent to whom, and when (ADR 0090). Pure: no Flask, no SQLAlchemy.

A notice kind is the same key the portal's own messages use (`portal.labels.NOTIFICATION_TEXT`)
or one of the kinds that exist only outside the portal (reminders, security notices, staff
digests, confirmation codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.rules.vocabulary import Scope

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHANNELS = ("email", "sms", "push")

# To the individual and relatives
MEETING_KINDS = frozenset(
    {"meeting.invited", "meeting.changed", "meeting.cancelled", "meeting.reminder"}
)
PLAN_KINDS = frozenset(
    {
        "plan.signed",
        "plan.new_version",
        "follow_up.soon",
        "request.answered",
        "coordinator.appointed",
        "coordinator.handed_over",
        "consent.recorded_by_staff",  # issue 11: what staff write down about consent
        "plan.unit_added",  # issue 11: a unit joins the plan as a step of its own
    }
)
# granted: to the individual; revoked: to the relative; ended: to the individual, when someone
# other than the individual (a representative acting for them, or staff) revoked it
DELEGATION_KINDS = frozenset({"delegation.granted", "delegation.revoked", "delegation.ended"})
# Security notices cannot be switched off: they go to every confirmed address.
SECURITY_KINDS = frozenset(
    {"security.passkey_added", "security.recovery_started", "security.representative_recorded"}
)
STAFF_KINDS = frozenset({"staff.digest", "staff.acknowledgement_due", "staff.discharge_limit"})
CODE_KIND = "contact.code"
# The portal's own message kinds that leave it under another name (issue 11's letters).
OUTBOX_KIND = {
    "security.recovery_letter": "security.recovery_started",
    "security.representative": "security.representative_recorded",
}
KINDS = MEETING_KINDS | PLAN_KINDS | DELEGATION_KINDS | SECURITY_KINDS | STAFF_KINDS | {CODE_KIND}

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
MAX_ATTEMPTS = 6


def scope_needed(kind: str) -> Scope | None:
    """What a relative's delegation must allow to be told this; None: nothing is needed."""
    if kind in MEETING_KINDS:
        return Scope.MEETING_DATES
    if kind in PLAN_KINDS:
        return Scope.VIEW_PLAN
    return None


def relative_is_told(kind: str, scopes: frozenset[Scope]) -> bool:
    needed = scope_needed(kind)
    if kind in STAFF_KINDS:
        return False
    return needed is None or needed in scopes


def may_use(kind: str, *, enabled: bool, confirmed: bool) -> bool:
    """Whether a message of this kind goes to an address.

    A code goes only to the unconfirmed address it confirms; everything else needs a
    confirmed address; security notices go even where the person switched the channel off.
    """
    if kind == CODE_KIND:
        return not confirmed
    if not confirmed:
        return False
    return enabled or kind in SECURITY_KINDS


def in_quiet_hours(at: datetime) -> bool:
    local = at.astimezone(STOCKHOLM).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def send_at(
    now: datetime, *, concerns: datetime | None, kind: str, quiet_hours: bool = True
) -> datetime:
    """The earliest moment a message may leave: quiet hours 21–08 hold it until 08:00.

    Except same-day changes: a message about something today (a meeting moved or cancelled
    today, a reminder of today's meeting), and a confirmation code (the person asked for it
    a moment ago and is waiting). Security notices are held like any other (ADR 0091): what
    they advise (call your coordinator) can be done only in the day. A person who switched
    quiet hours off (`quiet_hours=False`) is sent everything at once.
    """
    if not quiet_hours or not in_quiet_hours(now) or kind == CODE_KIND:
        return now
    local = now.astimezone(STOCKHOLM)
    if concerns is not None and concerns.astimezone(STOCKHOLM).date() == local.date():
        return now
    morning = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(morning, QUIET_UNTIL, tzinfo=STOCKHOLM).astimezone(UTC)


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """Backoff after a failed attempt: 1, 2, 4, 8, 16 minutes; None once it has failed for good."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + timedelta(minutes=2 ** (attempts - 1))


@dataclass(frozen=True)
class Reminder:
    offset: timedelta

    @property
    def key(self) -> str:
        return f"{int(self.offset.total_seconds() // 60)}m"


def parse_offsets(text: str) -> tuple[Reminder, ...]:
    """`"24h,2h"` → reminders a day and two hours before (configuration REMINDERS)."""
    found = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        unit = {"h": 60, "m": 1, "d": 1440}[part[-1]]
        found.append(Reminder(timedelta(minutes=int(part[:-1]) * unit)))
    return tuple(sorted(found, key=lambda r: r.offset, reverse=True))


def reminder_due(
    starts_at: datetime, now: datetime, reminders: tuple[Reminder, ...]
) -> Reminder | None:
    """The reminder whose moment has come for a meeting, the latest one only.

    Between a day and two hours before, the day-before reminder is due; within the last two
    hours, the two-hours one. None once the meeting has begun (nothing reminds too late).
    """
    if now >= starts_at:
        return None
    due = [r for r in reminders if now >= starts_at - r.offset]
    return min(due, key=lambda r: r.offset) if due else None


# The worklist items [003] gives an acknowledgement deadline: a meeting call, a request, a
# consent withdrawn (a message to the units), a handover of the coordinator's role.
ACKNOWLEDGED_ITEMS = frozenset(
    {"meeting_acknowledgement", "request", "consent_withdrawn", "handover"}
)


def needs_acknowledgement(item_kind: str) -> bool:
    return item_kind in ACKNOWLEDGED_ITEMS


def acknowledgement_soon(due_at: datetime, now: datetime) -> bool:
    """An acknowledgement due within two hours (and not yet overdue)."""
    return now <= due_at <= now + timedelta(hours=2)


def discharge_limit_close(invitation_due_day: object, today: object) -> bool:
    """The invitation after ready-for-discharge is due today (the last of its three days)."""
    return invitation_due_day == today

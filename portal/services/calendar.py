"""Meeting dates for the phone's calendar: one event as .ics, or a private subscription feed.

An event says what a calendar needs and no more: the kind of meeting, when (Europe/Stockholm),
where and how to join. No names and no identity numbers: a calendar is often shared or synced
to other services. A feed's token is shown once and only its hash is kept; revoking it, or
losing the right to see the meeting dates, ends the feed at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import sqlalchemy as sa
from flask_babel import gettext as _

from portal import db, labels
from portal.auth.invitations import digest
from portal.models import Account, CalendarFeed, FollowUp, Meeting, Plan
from portal.models.audit_types import EventType
from portal.rules.calendar_dates import FollowUpDay, MeetingDay, follow_ups_of_their_own
from portal.rules.follow_up import is_planned_follow_up_meeting, open_follow_ups
from portal.rules.lifecycle import is_active
from portal.rules.vocabulary import MeetingKind, MeetingStatus
from portal.services import audit
from portal.timeutil import now, to_stockholm

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_LENGTH = timedelta(hours=1)


def _calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SIP Portal//sv")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    return calendar


def _after(moment: datetime, length: timedelta) -> datetime:
    """The moment `length` later; a stored moment at the calendar's end stays where it is."""
    try:
        return moment + length
    except OverflowError:
        return moment


def _meeting_event(meeting: Meeting) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.id}@sip-portal")
    event.add("dtstamp", now())
    starts = to_stockholm(meeting.starts_at)
    event.add("dtstart", starts)
    event.add("dtend", to_stockholm(meeting.ends_at or _after(meeting.starts_at, DEFAULT_LENGTH)))
    title = _("SIP-möte") if meeting.kind is MeetingKind.FIRST else _("SIP-uppföljning")
    if meeting.kind is MeetingKind.HOME_HEALTH_HANDOVER:
        title = labels.of(meeting.kind)
    event.add("summary", title)
    where = meeting.place or labels.of(meeting.form)
    event.add("location", where)
    lines = [labels.of(meeting.form)]
    if meeting.join_info:
        lines.append(_("Så här ansluter du: %(how)s", how=meeting.join_info))
    event.add("description", "\n".join(lines))
    if meeting.status is MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def _follow_up_event(follow_up: FollowUp) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"follow-up-{follow_up.id}@sip-portal")
    event.add("dtstamp", now())
    event.add("dtstart", follow_up.due_on)  # a whole day: the time is set by the meeting
    event.add("dtend", follow_up.due_on + timedelta(days=1))
    event.add("summary", _("Uppföljning av din SIP"))
    event.add("description", labels.of(follow_up.form))
    return event


def ics(*events: icalendar.Event) -> bytes:
    calendar = _calendar()
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    return ics(_meeting_event(meeting))


def follow_up_ics(follow_up: FollowUp) -> bytes:
    return ics(_follow_up_event(follow_up))


def _own_follow_ups(plan: Plan, meetings: list[Meeting]) -> list[FollowUp]:
    """The plan's open follow-ups that no follow-up meeting on the same day stands for."""
    open_ones = open_follow_ups(plan.follow_ups)
    keep = set(
        follow_ups_of_their_own(
            [FollowUpDay(f.id, f.due_on, f.meeting_id) for f in open_ones],
            [
                MeetingDay(
                    m.id,
                    to_stockholm(m.starts_at).date(),
                    is_planned_follow_up_meeting(m),
                )
                for m in meetings
            ],
        )
    )
    return [f for f in open_ones if f.id in keep]


def feed_ics(plans: list[Plan]) -> bytes:
    events = []
    for plan in plans:
        if not is_active(plan.state):
            continue
        events += [_meeting_event(m) for m in plan.meetings]
        events += [_follow_up_event(f) for f in _own_follow_ups(plan, list(plan.meetings))]
    return ics(*events)


@dataclass(frozen=True)
class Upcoming:
    """One date on the calendar page: a meeting (with its time) or a follow-up (a day)."""

    day: date
    meeting: Meeting | None = None
    follow_up: FollowUp | None = None


def upcoming(plans: list[Plan]) -> list[Upcoming]:
    """The dates a calendar subscription would bring, from today on, soonest first."""
    today = now().astimezone(STOCKHOLM).date()
    found: list[Upcoming] = []
    for plan in plans:
        if not is_active(plan.state):
            continue
        planned = [m for m in plan.meetings if m.status is MeetingStatus.PLANNED]
        for meeting in planned:
            day = to_stockholm(meeting.starts_at).date()
            if day >= today:
                found.append(Upcoming(day, meeting=meeting))
        for follow_up in _own_follow_ups(plan, planned):
            if follow_up.due_on >= today:
                found.append(Upcoming(follow_up.due_on, follow_up=follow_up))
    return sorted(found, key=lambda u: (u.day, u.meeting is None))


def open_feed(*, account: Account, individual_id: int) -> CalendarFeed | None:
    return db.session().scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.account_id == account.id,
            CalendarFeed.individual_id == individual_id,
            CalendarFeed.revoked_at.is_(None),
        )
    )


def new_feed(*, account: Account, individual_id: int, on_behalf_of: int | None) -> str:
    """A new private feed (the old one stops). Returns the token, shown this once."""
    session = db.session()
    old = open_feed(account=account, individual_id=individual_id)
    if old is not None:
        old.revoked_at = now()
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        account_id=account.id, individual_id=individual_id, token_hash=digest(token)
    )
    session.add(feed)
    session.flush()
    audit.record(
        session,
        type=EventType.CALENDAR_FEED_CREATE,
        by=account,
        subject_individual_id=individual_id,
        on_behalf_of=on_behalf_of,
        object_type="calendar_feed",
        object_id=feed.id,
    )
    session.commit()
    return token


def revoke_feed(*, account: Account, individual_id: int, on_behalf_of: int | None) -> None:
    feed = open_feed(account=account, individual_id=individual_id)
    if feed is None:
        return
    feed.revoked_at = now()
    audit.record(
        db.session(),
        type=EventType.CALENDAR_FEED_REVOKE,
        by=account,
        subject_individual_id=individual_id,
        on_behalf_of=on_behalf_of,
        object_type="calendar_feed",
        object_id=feed.id,
    )
    db.session().commit()


def feed_for_token(token: str) -> CalendarFeed | None:
    return db.session().scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == digest(token), CalendarFeed.revoked_at.is_(None)
        )
    )


def fetched(feed: CalendarFeed, when: datetime) -> None:
    feed.last_fetched_at = when
    db.session().commit()

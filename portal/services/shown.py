"""What pages show of stored rows read as Core rows: small frozen records (ADR 0108, 0112).

A page that reads its rows as Core rows (services.bundle) gets them as these records: each
has the attributes its templates and `portal.rules` read of the ORM row it stands for, under
the same names, so a template and a rule serve either. The individual's home page shows
upcoming meetings with whom they call; the staff plan page the plan's meetings, coordinator
assignments, follow-ups and versions (`PlanParts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.models import Staff, Unit
from portal.rules.names import full_name
from portal.rules.vocabulary import (
    Approval,
    GoalEvaluation,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanState,
    Profession,
    VersionStatus,
)


@dataclass(frozen=True)
class UnitName:
    name: str


@dataclass(frozen=True)
class StaffShown:
    """A staff member as a page shows them: a called participant, or a coordinator with how
    to reach them (templates/person/_staff_contact.html, as a `Staff` row)."""

    given_name: str
    family_name: str
    profession: Profession
    unit: UnitName
    phone: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        return full_name(self.given_name, self.family_name)


# The columns of a `StaffShown` with how to reach them (`Staff` joined to its `Unit`), and
# the record made of a row with them.
STAFF_CONTACT = (
    Staff.given_name,
    Staff.family_name,
    Staff.profession,
    Staff.phone,
    Staff.email,
    Unit.name.label("unit_name"),
)


def staff_contact(row: Any) -> StaffShown:
    """The `StaffShown` of a row with the `STAFF_CONTACT` columns."""
    return StaffShown(
        row.given_name,
        row.family_name,
        row.profession,
        UnitName(row.unit_name),
        row.phone,
        row.email,
    )


@dataclass(frozen=True)
class NameShown:
    """Someone a page names and no more: a relative called, who signed, who noted an approval."""

    given_name: str
    family_name: str

    @property
    def name(self) -> str:
        return full_name(self.given_name, self.family_name)


@dataclass(frozen=True)
class ParticipantShown:
    """Who is called or invited (templates/person/_meeting.html): a staff member, a unit, a
    relative, or someone named only."""

    role: ParticipantRole
    staff: StaffShown | None
    unit: UnitName | None
    relative: NameShown | None
    other_name: str


@dataclass(frozen=True)
class UpcomingMeeting:
    """A planned meeting not yet begun, with what the home page, `presenters.meetings.
    shown_meeting` and the rules read of a `Meeting`."""

    id: int
    plan_id: int
    kind: MeetingKind
    status: MeetingStatus
    starts_at: datetime
    form: MeetingForm
    place: str
    join_info: str
    purpose: str
    # Read only for the plans whose meeting content the viewer may see: empty for the others
    # (rules.access.may_see_meeting_content; shown_meeting shows none of them either).
    participants: tuple[ParticipantShown, ...] = ()


# The staff plan page (services.staff_plan_view).


@dataclass(frozen=True)
class CallListed:
    """Whom a meeting calls or invites, as far as the staff plan page counts who must
    acknowledge the call and who has (rules.invitation.to_acknowledge)."""

    id: int
    role: ParticipantRole
    staff_id: int | None
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class MeetingListed:
    """A meeting of the plan as the staff plan page lists it and the rules read it."""

    id: int
    kind: MeetingKind
    status: MeetingStatus
    starts_at: datetime
    form: MeetingForm
    place: str
    convener_id: int
    participants: tuple[CallListed, ...] = ()


@dataclass(frozen=True)
class AssignmentListed:
    """A coordinator assignment, with the staff member it names (rules.participation)."""

    id: int
    staff_id: int
    accepted_at: datetime | None
    ended_at: datetime | None
    effective_on: date | None
    staff: StaffShown


@dataclass(frozen=True)
class FollowUpListed:
    id: int
    due_on: date
    form: MeetingForm
    meeting_id: int | None
    done_at: datetime | None


@dataclass(frozen=True)
class GoalText:
    text: str


@dataclass(frozen=True)
class EvaluationListed:
    """How a goal of the version followed up went (templates/staff/_evaluated_goals.html)."""

    goal: GoalText
    evaluation: GoalEvaluation
    comment: str


@dataclass(frozen=True)
class VersionListed:
    """A version as the staff plan page lists it and signing's rules read it (its goals
    counted, not read)."""

    id: int
    number: int
    status: VersionStatus
    change_summary: str
    follow_up_on: date | None
    approval: Approval | None
    approval_note: str
    signed_at: datetime | None
    verification_code: str | None
    goal_count: int
    signed_by: NameShown | None
    approval_recorded_by: NameShown | None
    evaluated_goals: tuple[EvaluationListed, ...] = ()


@dataclass(frozen=True)
class PlanParts:
    """A plan's collections as the staff plan page shows them, under the names of `Plan`'s
    relationships (each in its order there), with the plan's id and state: what the rules,
    signing and the preparation read of a plan, so that a `Plan` serves where this does."""

    id: int
    state: PlanState
    meetings: tuple[MeetingListed, ...]
    coordinator_assignments: tuple[AssignmentListed, ...]
    follow_ups: tuple[FollowUpListed, ...]
    versions: tuple[VersionListed, ...]

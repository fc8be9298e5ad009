"""The plan, its versions and their content, and its coordinators."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column, enum_type
from portal.models.organisations import Staff, Unit
from portal.models.people import Account, Individual

if TYPE_CHECKING:
    from portal.models.consent import ConsentEvent
    from portal.models.meetings import Meeting

from portal.rules.vocabulary import (
    Approval,
    CloseReason,
    GoalEvaluation,
    LegalBasis,
    MeetingForm,
    PlanContext,
    PlanState,
    VersionStatus,
)


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)  # SIP-2026-0007
    individual_id: Mapped[int] = mapped_column(sa.ForeignKey("individuals.id"), index=True)
    context: Mapped[PlanContext] = mapped_column(enum_type(PlanContext))
    state: Mapped[PlanState] = mapped_column(enum_type(PlanState), default=PlanState.INITIATED)
    ready_for_discharge_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    preliminary_discharge_on: Mapped[date | None] = mapped_column(sa.Date)
    convener_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"))
    # [002]: the wish for a SIP stays recorded while it is deferred during a short-term stay.
    sip_wished: Mapped[bool] = mapped_column(default=True)
    reassess_before_home_on: Mapped[date | None] = mapped_column(sa.Date)
    cannot_consent_note: Mapped[str] = mapped_column(sa.Text, default="")  # OSL 25:13
    previous_plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id"))
    created_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[CloseReason | None] = mapped_column(enum_type(CloseReason))
    close_note: Mapped[str] = mapped_column(sa.Text, default="")
    row_version: Mapped[int] = mapped_column(default=1)
    # Moved by portal.models.content_counter for every write to what the plan page shows;
    # part of the plan content cache's key (ADR 0084). Not the optimistic-lock version.
    content_counter: Mapped[int] = mapped_column(default=0, server_default="0")

    individual: Mapped[Individual] = relationship()
    convener: Mapped[Staff] = relationship()
    previous_plan: Mapped[Plan | None] = relationship(remote_side=[id])
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number"
    )
    coordinator_assignments: Mapped[list[CoordinatorAssignment]] = relationship(
        back_populates="plan", order_by="CoordinatorAssignment.id"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="plan", order_by="FollowUp.due_on"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="plan", order_by="Meeting.starts_at"
    )
    consent_events: Mapped[list[ConsentEvent]] = relationship(
        back_populates="plan", order_by="ConsentEvent.id"
    )

    __mapper_args__ = {"version_id_col": row_version}


class PlanContentGeneration(Base):
    """One row: moved when a name, phone or e-mail the plan pages show from staff, units or
    relatives changes, so every cached plan content block is rebuilt (ADR 0084)."""

    __tablename__ = "plan_content_generations"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class PlanVersion(Base):
    """One version of the plan's content. Immutable once signed (content hash stored)."""

    __tablename__ = "plan_versions"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number", name="plan_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column()
    status: Mapped[VersionStatus] = mapped_column(
        enum_type(VersionStatus), default=VersionStatus.DRAFT
    )
    change_summary: Mapped[str] = mapped_column(sa.Text, default="")  # plain words
    follow_up_on: Mapped[date | None] = mapped_column(sa.Date)
    follow_up_form: Mapped[MeetingForm | None] = mapped_column(enum_type(MeetingForm))
    follow_up_how: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()
    approved_by_individual_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The individual's answer to the changes at a follow-up [004]: yes, no, or not asked
    # (with a reason in approval_note). None on a first version, which the meeting agreed.
    approval: Mapped[Approval | None] = mapped_column(enum_type(Approval))
    approval_note: Mapped[str] = mapped_column(sa.Text, default="")
    # Who wrote down that the individual approved the changes (at a follow-up).
    approval_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    verification_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    row_version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    signed_by: Mapped[Staff | None] = relationship(foreign_keys=[signed_by_id])
    created_by: Mapped[Staff | None] = relationship(foreign_keys=[created_by_id])
    approval_recorded_by: Mapped[Staff | None] = relationship(
        foreign_keys=[approval_recorded_by_id]
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="version", order_by="Goal.position", cascade="all, delete-orphan"
    )
    own_responsibilities: Mapped[list[OwnResponsibility]] = relationship(
        back_populates="version",
        order_by="OwnResponsibility.position",
        cascade="all, delete-orphan",
    )
    # At a follow-up: how each goal of the version followed up went. They belong to this
    # (the revised) version, never to the signed version followed up, which does not change.
    evaluated_goals: Mapped[list[EvaluatedGoal]] = relationship(
        back_populates="version",
        order_by="EvaluatedGoal.position",
        cascade="all, delete-orphan",
        foreign_keys="EvaluatedGoal.version_id",
    )

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def goal_count(self) -> int:
        return len(self.goals)


class Goal(Base):
    """A goal in the individual's own words (its evaluation at a later follow-up is an
    `EvaluatedGoal` of the version that follow-up writes)."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_versions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)

    version: Mapped[PlanVersion] = relationship(back_populates="goals")
    interventions: Mapped[list[Intervention]] = relationship(
        back_populates="goal", order_by="Intervention.position", cascade="all, delete-orphan"
    )


class EvaluatedGoal(Base):
    """At a follow-up [001][004]: how one goal of the version followed up went.

    Part of the version the follow-up revises the plan into (`version_id`), signed with it;
    `goal_id` is the goal evaluated, in the earlier signed version, which is never changed.
    """

    __tablename__ = "evaluated_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_versions.id"), index=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    evaluation: Mapped[GoalEvaluation] = mapped_column(enum_type(GoalEvaluation))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    version: Mapped[PlanVersion] = relationship(
        back_populates="evaluated_goals", foreign_keys=[version_id]
    )
    goal: Mapped[Goal] = relationship()


class Intervention(Base):
    """Insats: what one unit does, who is responsible, on which legal basis."""

    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(sa.Text)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    follow_up_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    legal_basis: Mapped[LegalBasis] = mapped_column(enum_type(LegalBasis))
    frequency: Mapped[str] = mapped_column(sa.String(200), default="")  # how often or when

    goal: Mapped[Goal] = relationship(back_populates="interventions")
    unit: Mapped[Unit] = relationship()
    responsible: Mapped[Staff | None] = relationship(foreign_keys=[responsible_id])
    follow_up_by: Mapped[Staff | None] = relationship(foreign_keys=[follow_up_by_id])


class OwnResponsibility(Base):
    """What the individual does themselves."""

    __tablename__ = "own_responsibilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_versions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)

    version: Mapped[PlanVersion] = relationship(back_populates="own_responsibilities")


class FollowUp(Base):
    """A planned follow-up of the plan; `meeting_id` once it is held as a meeting."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    due_on: Mapped[date] = mapped_column(sa.Date)
    form: Mapped[MeetingForm] = mapped_column(enum_type(MeetingForm))
    how: Mapped[str] = mapped_column(sa.Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    plan: Mapped[Plan] = relationship(back_populates="follow_ups")


class CoordinatorAssignment(Base):
    """Who is (or was) the plan's coordinator; history is never deleted.

    A handover creates a new assignment with `accepted_at` empty; it becomes the active
    coordinator when the new coordinator accepts, and the previous one then gets `ended_at`.
    """

    __tablename__ = "coordinator_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    appointed_at: Mapped[datetime] = created_at_column()
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A handover: the agreed first day; the new coordinator accepts on or after it.
    effective_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wish_met: Mapped[bool | None] = mapped_column()

    plan: Mapped[Plan] = relationship(back_populates="coordinator_assignments")
    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    appointed_by: Mapped[Staff | None] = relationship(foreign_keys=[appointed_by_id])


class CoordinatorWish(Base):
    """Whom the individual would like as coordinator, in their own words."""

    __tablename__ = "coordinator_wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    written_by_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    on_behalf_of_individual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    plan: Mapped[Plan] = relationship()
    staff: Mapped[Staff | None] = relationship()
    written_by: Mapped[Account] = relationship()

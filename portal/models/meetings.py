"""Meetings with their invitation (kallelse), participants, and the individual's preparation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column, enum_type
from portal.models.organisations import Staff, Unit
from portal.models.people import Account, Relative
from portal.models.plans import Plan
from portal.rules.vocabulary import MeetingForm, MeetingKind, MeetingStatus, ParticipantRole


class Meeting(Base):
    """A meeting and the invitation that calls it ([004]: whom, why, who, when, where, how)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.PLANNED
    )
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    questions: Mapped[str] = mapped_column(sa.Text, default="")
    convener_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    form: Mapped[MeetingForm] = mapped_column(enum_type(MeetingForm))
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    join_info: Mapped[str] = mapped_column(sa.String(300), default="")  # phone number / video link
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")  # shown to those invited
    record_notes: Mapped[str] = mapped_column(sa.Text, default="")
    individual_present: Mapped[bool | None] = mapped_column()  # recorded with the attendance
    created_at: Mapped[datetime] = created_at_column()
    row_version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="meetings")
    convener: Mapped[Staff] = relationship()
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", order_by="MeetingParticipant.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": row_version}


class MeetingParticipant(Base):
    """Staff are called (obliged to attend); relatives are invited."""

    __tablename__ = "meeting_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(enum_type(ParticipantRole))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    relative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("relatives.id"))
    other_name: Mapped[str] = mapped_column(sa.String(200), default="")
    acknowledgement_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended: Mapped[bool | None] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    staff: Mapped[Staff | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    relative: Mapped[Relative | None] = relationship()


class Preparation(Base):
    """The individual's preparation for a meeting, in their own words ([001])."""

    __tablename__ = "preparations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    needs_wishes: Mapped[str] = mapped_column(sa.Text, default="")  # behov, önskemål, förväntningar
    how_i_want_it: Mapped[str] = mapped_column(sa.Text, default="")  # hur jag vill att det blir
    what_matters: Mapped[str] = mapped_column(sa.Text, default="")  # vad är viktigt för mig
    topics: Mapped[str] = mapped_column(sa.Text, default="")
    wanted_attendees: Mapped[str] = mapped_column(sa.Text, default="")
    preferred_form: Mapped[MeetingForm | None] = mapped_column(enum_type(MeetingForm))
    preferred_place: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_at: Mapped[datetime] = created_at_column()
    updated_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    updated_on_behalf: Mapped[bool] = mapped_column(default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    row_version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    updated_by: Mapped[Account | None] = relationship()

    __mapper_args__ = {"version_id_col": row_version}

"""What the worklist loads, and starting a plan as one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import (
    Account,
    AuditEvent,
    ConsentEvent,
    Individual,
    Meeting,
    MeetingParticipant,
    Plan,
    Staff,
)
from portal.rules.vocabulary import (
    ConsentMethod,
    ConsentStatus,
    MeetingForm,
    MeetingKind,
    ParticipantRole,
    PlanContext,
    PlanState,
    UnitKind,
)
from portal.rules.worklist import ItemKind
from portal.services.plans import ConsentChoice, NewPerson, PlanInputError, start_plan
from portal.services.worklist import load_worklist
from portal.timeutil import now
from tests import factories


def _account(db: Session, staff: Staff) -> Account:
    return db.scalar(sa.select(Account).where(Account.staff_id == staff.id))


def _kinds(db: Session, staff: Staff) -> list[ItemKind]:
    return [row.item.kind for row in load_worklist(account=_account(db, staff), now=now()).rows]


def test_the_leader_still_sees_a_withdrawal_that_closed_the_plan(db: Session) -> None:
    leader = factories.staff(db)
    home_help = factories.unit(db, kind=UnitKind.HOME_HELP)
    plan = factories.plan(db, convener=leader, state=PlanState.CLOSED, meetings=0)
    db.add(
        ConsentEvent(
            plan=plan,
            unit=home_help,
            status=ConsentStatus.WITHDRAWN,
            method=ConsentMethod.DIGITAL,
            effective_at=now(),
            recorded_by=_account(db, leader),
        )
    )
    db.commit()
    assert _kinds(db, leader) == [ItemKind.CONSENT_WITHDRAWN]


def test_a_call_to_a_meeting_that_has_begun_waits_for_nobody(db: Session) -> None:
    convener = factories.staff(db)
    called = factories.staff(db, at=convener.unit)
    plan = factories.plan(db, convener=convener, state=PlanState.INVITED, meetings=0)
    db.add(
        ConsentEvent(
            plan=plan,
            unit=called.unit,
            status=ConsentStatus.GIVEN,
            method=ConsentMethod.RECORDED_BY_STAFF,
            effective_at=now() - timedelta(days=4),
            recorded_by=_account(db, convener),
        )
    )
    for starts in (now() - timedelta(hours=1), now() + timedelta(days=2)):
        db.add(
            Meeting(
                plan=plan,
                kind=MeetingKind.FIRST,
                convener=convener,
                form=MeetingForm.PHONE,
                starts_at=starts,
                invited_at=now() - timedelta(days=3),
                participants=[
                    MeetingParticipant(role=ParticipantRole.CALLED, staff=called, unit=called.unit)
                ],
            )
        )
    db.commit()
    assert _kinds(db, called) == [ItemKind.MEETING_ACKNOWLEDGEMENT]


def test_before_discharge_the_invitation_is_due_when_the_person_is_ready(db: Session) -> None:
    convener = factories.staff(db)
    plan = factories.plan(db, convener=convener, state=PlanState.INITIATED, meetings=0)
    plan.context = PlanContext.BEFORE_DISCHARGE
    plan.ready_for_discharge_at = datetime.now(UTC) + timedelta(hours=5)
    db.commit()
    (row,) = load_worklist(account=_account(db, convener), now=now()).rows
    assert row.item.kind is ItemKind.INVITATION_DUE
    assert row.item.deadline is not None and row.item.deadline.has_time
    assert row.item.deadline.at == plan.ready_for_discharge_at
    assert not row.item.overdue


def test_starting_is_all_or_nothing(db: Session) -> None:
    convener = factories.staff(db)
    person = NewPerson("19500101-9909", "Elsa", "Berglund")
    refused = ConsentChoice(999_999, ConsentStatus.GIVEN, now())  # no such unit
    with pytest.raises(PlanInputError):
        start_plan(
            new_person=person,
            context=PlanContext.AT_HOME,
            convener=convener,
            by=_account(db, convener),
            consents=[refused],
        )
    assert db.scalar(sa.select(sa.func.count()).select_from(Individual)) == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0
    assert not db.scalar(sa.select(AuditEvent).where(AuditEvent.type == "plan.start"))


def test_before_discharge_needs_the_expected_ready_time_which_may_lie_ahead(
    db: Session,
) -> None:
    convener = factories.staff(db)
    by = _account(db, convener)
    person = NewPerson("19500101-9909", "Elsa", "Berglund")
    with pytest.raises(PlanInputError) as missing:
        start_plan(
            new_person=person, context=PlanContext.BEFORE_DISCHARGE, convener=convener, by=by
        )
    assert missing.value.field == "ready_for_discharge_at"
    plan = start_plan(
        new_person=person,
        context=PlanContext.BEFORE_DISCHARGE,
        ready_for_discharge_at=now() + timedelta(days=1),
        convener=convener,
        by=by,
    )
    assert plan.state is PlanState.INITIATED and plan.individual.name == "Elsa Berglund"

"""The invitation service: what it refuses, versions, acknowledgements kept or asked again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal.models import Account, Delegation, Individual, Meeting, Plan, Staff
from portal.rules import invitation
from portal.rules.access import PlanFacts, Viewer
from portal.rules.vocabulary import (
    AccountKind,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    PlanState,
)
from portal.services import meetings
from portal.services.meetings import Invitation, VersionConflictError
from portal.services.plans import PlanInputError
from portal.timeutil import now, today_stockholm
from tests.conftest import Demo


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Iterator[None]:
    """Messages are translated for the person asking: a request is under way."""
    with app.test_request_context():
        yield


def _staff(db: Session, name: str) -> Staff:
    return db.scalar(sa.select(Staff).where(Staff.given_name == name))


def _account(db: Session, name: str) -> Account:
    return db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == name))


def _plan(db: Session, name: str) -> Plan:
    return db.scalar(
        sa.select(Plan)
        .join(Individual)
        .where(Individual.given_name == name, Plan.state != PlanState.CLOSED)
    )


def _planned(plan: Plan, kind: MeetingKind) -> Meeting:
    return next(m for m in plan.meetings if m.kind is kind and m.status is MeetingStatus.PLANNED)


def _as_sent(db: Session, meeting: Meeting, **changes: object) -> Invitation:
    invitation = Invitation(
        purpose=meeting.purpose or "Syfte",
        questions=meeting.questions or "Frågor",
        convener=meeting.convener,
        called_staff_ids=[p.staff_id for p in meeting.participants if p.staff_id],
        invited_relative_ids=[p.relative_id for p in meeting.participants if p.relative_id],
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        form=meeting.form,
        place=meeting.place,
        join_info=meeting.join_info,
    )
    return replace(invitation, **changes)


def test_the_first_meeting_is_called_once(db: Session, demo: Demo) -> None:
    plan = _plan(db, "Astrid")
    later = now() + timedelta(days=9)
    invitation = _as_sent(
        db, _planned(plan, MeetingKind.FIRST), starts_at=later, ends_at=later + timedelta(hours=1)
    )
    with pytest.raises(PlanInputError) as refused:
        meetings.invite(
            plan=plan, kind=MeetingKind.FIRST, invitation=invitation, by=_account(db, "Eva")
        )
    assert refused.value.field == "kind"


def test_a_convener_from_a_unit_without_consent_is_refused(db: Session, demo: Demo) -> None:
    plan = _plan(db, "Astrid")
    meeting = _planned(plan, MeetingKind.FIRST)
    invitation = _as_sent(db, meeting, convener=_staff(db, "Nina"))
    found = meetings.problems(plan, invitation, _account(db, "Eva"))
    assert set(found) == {"convener"}


def test_changing_only_who_is_called_bumps_the_version(db: Session, demo: Demo) -> None:
    meeting = _planned(_plan(db, "Astrid"), MeetingKind.FIRST)
    version = meeting.row_version
    fewer = [p.staff_id for p in meeting.participants if p.staff and p.staff.given_name != "Peter"]
    eva = _account(db, "Eva")
    meetings.reschedule(
        meeting=meeting,
        expected_version=version,
        invitation=_as_sent(db, meeting, called_staff_ids=fewer),
        by=eva,
    )
    assert meeting.row_version == version + 1
    assert "Peter" not in {p.staff.given_name for p in meeting.participants if p.staff}
    with pytest.raises(VersionConflictError):
        meetings.reschedule(
            meeting=meeting, expected_version=version, invitation=_as_sent(db, meeting), by=eva
        )


def test_acknowledgements_stay_when_time_and_place_stay(db: Session, demo: Demo) -> None:
    meeting = _planned(_plan(db, "Astrid"), MeetingKind.FIRST)
    lena = next(p for p in meeting.participants if p.staff and p.staff.given_name == "Lena")
    lena.acknowledged_at = now()
    db.commit()
    invitation = _as_sent(db, meeting, questions="Också trygghetslarm.")
    meetings.reschedule(
        meeting=meeting,
        expected_version=meeting.row_version,
        invitation=invitation,
        by=_account(db, "Eva"),
    )
    assert lena.acknowledged_at is not None


def test_cancelling_the_only_follow_up_leaves_the_plan_established(db: Session, demo: Demo) -> None:
    plan = _plan(db, "Gunnel")
    follow_up = _planned(plan, MeetingKind.FOLLOW_UP)
    meetings.cancel(
        meeting=follow_up,
        expected_version=follow_up.row_version,
        reason="Gunnel är på sjukhus.",
        by=_account(db, "Fatima"),
    )
    assert plan.state is PlanState.ESTABLISHED
    assert MeetingKind.FOLLOW_UP in invitation.callable_kinds(
        plan.state, invitation.planned_kinds(plan.meetings)
    )


def test_relatives_of_leaves_out_an_ended_delegation(db: Session, demo: Demo) -> None:
    astrid = _plan(db, "Astrid").individual
    assert [r.given_name for r in meetings.relatives_of(astrid.id)] == ["Karin"]
    delegation = db.scalar(sa.select(Delegation).where(Delegation.individual_id == astrid.id))
    delegation.valid_until = today_stockholm() - timedelta(days=1)
    db.commit()
    assert meetings.relatives_of(astrid.id) == []


def test_the_convener_may_not_change_a_meeting_of_a_plan_they_no_longer_see() -> None:
    viewer = Viewer(account_id=1, kind=AccountKind.STAFF, staff_id=5, unit_id=2)
    meeting = Meeting(kind=MeetingKind.FIRST, convener_id=5, form=MeetingForm.HOME)
    facts = PlanFacts(
        individual_id=1,
        state=PlanState.INVITED,
        convener_id=9,
        coordinator_id=None,
        incoming_coordinator_id=None,
        participating_unit_ids=frozenset({2}),
        consented_unit_ids=frozenset({2}),
    )

    def may_change(facts: PlanFacts) -> bool:
        return invitation.may_change(viewer, facts, meeting.kind, meeting.convener_id)

    assert may_change(facts)
    assert not may_change(replace(facts, consented_unit_ids=frozenset()))
    assert not may_change(replace(facts, state=PlanState.CLOSED))

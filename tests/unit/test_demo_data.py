"""The demo data tells its four stories, and loading it twice changes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Delegation, Individual, Plan
from portal.rules.identity import parse_pin
from portal.rules.vocabulary import (
    DelegationKind,
    MeetingKind,
    MeetingStatus,
    PlanState,
    VersionStatus,
)
from portal.services import demo_data
from portal.timeutil import now, today_stockholm


def _counts(db: Session) -> dict[str, int]:
    return {
        table.name: db.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in Plan.metadata.sorted_tables
    }


def test_demo_data_loads_once_and_only_once(db: Session) -> None:
    assert demo_data.load(db) is True
    before = _counts(db)
    assert demo_data.load(db) is False
    assert _counts(db) == before


def test_demo_people_have_valid_test_identity_numbers(db: Session) -> None:
    demo_data.load(db)
    people = db.scalars(sa.select(Individual)).all()
    assert len(people) >= 4
    for person in people:
        assert parse_pin(person.personal_identity_number, today_stockholm()) == (
            person.personal_identity_number
        )
        assert person.personal_identity_number[8:11] >= "980", "a test-series serial number"


def test_demo_stories_cover_the_lifecycle(db: Session) -> None:
    demo_data.load(db)
    plans = {p.individual.given_name + p.number: p for p in db.scalars(sa.select(Plan))}
    states = {(p.individual.given_name, p.state) for p in plans.values()}
    assert ("Bengt", PlanState.DEFERRED) in states
    assert ("Gunnel", PlanState.FOLLOWING_UP) in states
    assert ("Sture", PlanState.CLOSED) in states
    astrid = [p for p in plans.values() if p.individual.given_name == "Astrid"]
    assert {p.state for p in astrid} == {PlanState.CLOSED, PlanState.INVITED}
    current = next(p for p in astrid if p.state is PlanState.INVITED)
    first = [m for m in current.meetings if m.kind is MeetingKind.FIRST]
    assert first and first[0].starts_at > now() and first[0].status is MeetingStatus.PLANNED
    gunnel = next(p for p in plans.values() if p.individual.given_name == "Gunnel")
    assert gunnel.versions[0].status is VersionStatus.SIGNED
    assert gunnel.coordinator_assignments[0].staff.unit.name == "ÄlSa-teamet Norrsund"


def test_demo_has_a_relative_and_a_representative(db: Session) -> None:
    demo_data.load(db)
    kinds = {d.kind for d in db.scalars(sa.select(Delegation))}
    assert kinds == {DelegationKind.RELATIVE, DelegationKind.REPRESENTATIVE}
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 1

"""Appointing the coordinator at a meeting: one in office, history kept, the individual told."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import Account, AuditEvent, Individual, Notification, Plan, Staff
from portal.services.meeting_records import RecordRefusedError, appoint_coordinator


def _gunnel(db: Session) -> Plan:
    return db.scalar(sa.select(Plan).join(Individual).where(Individual.given_name == "Gunnel"))


def _staff(db: Session, given_name: str) -> Staff:
    return db.scalar(sa.select(Staff).where(Staff.given_name == given_name))


def test_appointing_ends_the_earlier_coordinator_and_tells_the_individual_side(
    db: Session, demo
) -> None:
    plan = _gunnel(db)
    fatima = db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Fatima"))
    appoint_coordinator(
        plan=plan, staff=_staff(db, "Lena"), reason="Mest hemsjukvård", by=fatima, wish_met=True
    )
    earlier, current = plan.coordinator_assignments
    assert earlier.staff.given_name == "Fatima" and earlier.ended_at is not None
    assert current.staff.given_name == "Lena" and current.ended_at is None
    assert current.accepted_at is not None and current.wish_met is True
    assert current.appointed_by.given_name == "Fatima"
    told = db.scalars(
        sa.select(Notification).where(Notification.kind == "coordinator.appointed")
    ).all()
    assert len(told) == 2  # Gunnel and Per, her god man
    assert db.scalar(sa.select(AuditEvent).where(AuditEvent.type == "coordinator.appoint"))


def test_staff_of_a_unit_not_taking_part_cannot_be_appointed(db: Session, demo) -> None:
    plan = _gunnel(db)
    fatima = db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Fatima"))
    with pytest.raises(RecordRefusedError) as refused:
        appoint_coordinator(
            plan=plan, staff=_staff(db, "Nina"), reason="", by=fatima, wish_met=None
        )
    assert refused.value.problems == {"coordinator": "coordinator_not_taking_part"}
    assert [a.staff.given_name for a in plan.coordinator_assignments] == ["Fatima"]


def _wishes(db: Session, plan: Plan, staff: Staff | None, description: str = "") -> None:
    from portal.services.requests import wish_coordinator

    gunnel = db.scalar(sa.select(Account).where(Account.individual_id == plan.individual_id))
    wish_coordinator(
        plan=plan, staff=staff, description=description, reason="", by=gunnel, on_behalf_of=None
    )
    db.commit()


@pytest.mark.parametrize(
    ("appointed", "answered", "met"), [("Lena", False, True), ("Peter", True, False)]
)
def test_a_wish_naming_a_person_decides_whether_it_was_met(
    db: Session, demo, appointed: str, answered: bool, met: bool
) -> None:
    """One wish: what staff tick cannot contradict the wish the individual stated."""
    plan = _gunnel(db)
    _wishes(db, plan, _staff(db, "Lena"))
    fatima = db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Fatima"))
    appoint_coordinator(
        plan=plan, staff=_staff(db, appointed), reason="På mötet", by=fatima, wish_met=answered
    )
    assert plan.coordinator_assignments[-1].wish_met is met


def test_a_wish_described_in_words_is_met_as_staff_answer(db: Session, demo) -> None:
    plan = _gunnel(db)
    _wishes(db, plan, None, "Sjuksköterskan som brukar komma")
    fatima = db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Fatima"))
    appoint_coordinator(
        plan=plan, staff=_staff(db, "Lena"), reason="Hon brukar komma", by=fatima, wish_met=True
    )
    assert plan.coordinator_assignments[-1].wish_met is True

"""Choosing the coordinator, handing over, accepting (Gunnel's plan in the demo world)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal.documents.content import coordinator_at
from portal.models import Account, AuditEvent, Individual, Notification, Plan, Staff
from portal.rules.coordinator import CoordinatorRow, HomeHealth, WishOutcome
from portal.rules.vocabulary import PlanState
from portal.services import demo_data
from portal.services.coordinators import (
    HandoverNotAllowedError,
    accept_handover,
    coordinator_choice,
    decline_handover,
    hand_over,
)
from portal.services.plans import PlanInputError
from portal.services.requests import wish_coordinator
from portal.timeutil import today_stockholm


def _account(db: Session, given_name: str) -> Account:
    return db.scalar(
        sa.select(Account)
        .outerjoin(Staff, Account.staff_id == Staff.id)
        .where(Staff.given_name == given_name)
    )


def _staff(db: Session, given_name: str) -> Staff:
    return db.scalar(sa.select(Staff).where(Staff.given_name == given_name))


def _plan(db: Session, given_name: str) -> Plan:
    return db.scalar(
        sa.select(Plan)
        .join(Individual)
        .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
    )


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Iterator[None]:
    with app.test_request_context():  # refusals carry translated words
        yield


@pytest.fixture
def gunnel(db: Session) -> Plan:
    demo_data.load(db)
    return _plan(db, "Gunnel")


def _to_peter(db: Session, plan: Plan, **kw: object):
    args = {"reason": "Hemtjänsten är mest hos Gunnel nu.", "effective_on": today_stockholm()}
    args.update(kw)
    return hand_over(plan=plan, to=_staff(db, "Peter"), by=_account(db, "Fatima"), **args)


def test_the_alsa_team_is_suggested_for_gunnel(db: Session, gunnel: Plan) -> None:
    choice = coordinator_choice(gunnel)
    assert choice.suggestion.row is CoordinatorRow.ALSA
    assert choice.suggested.name == "Fatima Al-Hassan"
    assert choice.current.staff.name == "Fatima Al-Hassan" and choice.pending is None
    names = {s.name for s in choice.candidates}
    assert {"Peter Strand", "Lena Holm", "Eva Sjöberg"} <= names
    assert "Nina Karlsson" not in names, "the short-term stay takes no part in Gunnel's plan"
    assert choice.interventions[_staff(db, "Lena").id] == 2


def test_the_wish_of_the_individual_wins_and_the_table_is_still_shown(
    db: Session, gunnel: Plan
) -> None:
    per = next(a for a in db.scalars(sa.select(Account)) if a.name.startswith("Per "))
    wish_coordinator(
        plan=gunnel,
        staff=_staff(db, "Peter"),
        description="",
        reason="Han känner mig.",
        by=per,
        on_behalf_of=gunnel.individual_id,
    )
    choice = coordinator_choice(gunnel)
    assert choice.suggested.name == "Peter Strand"
    assert choice.by_table.name == "Fatima Al-Hassan"
    assert choice.suggestion.wish is WishOutcome.MET


def test_staff_may_correct_the_extent_of_home_health(db: Session, gunnel: Plan) -> None:
    choice = coordinator_choice(gunnel, HomeHealth.NONE)
    assert choice.situation.home_health is HomeHealth.NONE
    assert choice.suggestion.row is CoordinatorRow.ALSA, "ÄlSa still comes first"


def test_handover_waits_for_acceptance_and_is_audited(db: Session, gunnel: Plan) -> None:
    assignment = _to_peter(db, gunnel)
    assert assignment.accepted_at is None and assignment.effective_on == today_stockholm()
    db.refresh(gunnel)
    assert coordinator_at(gunnel, None).name == "Fatima Al-Hassan", "until Peter accepts"
    event = db.scalar(sa.select(AuditEvent).where(AuditEvent.type == "coordinator.hand_over"))
    assert event.actor_name == "Fatima Al-Hassan" and event.object_id == assignment.id


def test_acceptance_ends_the_previous_term_and_tells_the_individuals_side(
    db: Session, gunnel: Plan
) -> None:
    assignment = _to_peter(db, gunnel)
    accept_handover(assignment=assignment, by=_account(db, "Peter"))
    db.refresh(gunnel)
    fatima, peter = gunnel.coordinator_assignments
    assert fatima.ended_at is not None and peter.accepted_at is not None
    assert coordinator_at(gunnel, None).name == "Peter Strand"
    assert assignment.wish_met is None, "Gunnel wished nobody in particular"
    told = db.scalars(
        sa.select(Account.id)
        .join(Notification, Notification.account_id == Account.id)
        .where(Notification.kind == "coordinator.handed_over")
    ).all()
    names = {db.get(Account, i).name for i in told}
    assert names == {"Gunnel Ek", "Per Andersson"}
    assert db.scalar(sa.select(AuditEvent).where(AuditEvent.type == "coordinator.accept"))


def test_only_the_coordinator_hands_over(db: Session, gunnel: Plan) -> None:
    with pytest.raises(HandoverNotAllowedError):
        hand_over(
            plan=gunnel,
            to=_staff(db, "Peter"),
            reason="x",
            effective_on=today_stockholm(),
            by=_account(db, "Eva"),  # the convener, but Fatima coordinates
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"effective_on": None}, "effective_on"),
        ({"effective_on": "yesterday"}, "effective_on"),
        ({"to": "Nina"}, "coordinator_id"),
        ({"to": "Fatima"}, "coordinator_id"),
    ],
)
def test_a_handover_needs_a_reason_a_date_and_someone_taking_part(
    db: Session, gunnel: Plan, change: dict, field: str
) -> None:
    if change.get("effective_on") == "yesterday":
        change["effective_on"] = today_stockholm() - timedelta(days=1)
    args = {"reason": "Ny fas", "effective_on": today_stockholm(), "to": "Peter", **change}
    with pytest.raises(PlanInputError) as raised:
        hand_over(
            plan=gunnel,
            to=_staff(db, args.pop("to")),
            by=_account(db, "Fatima"),
            **args,
        )
    assert raised.value.field == field


def test_no_handover_before_the_first_meeting(db: Session) -> None:
    demo_data.load(db)
    astrid = _plan(db, "Astrid")
    with pytest.raises(PlanInputError) as raised:
        hand_over(
            plan=astrid,
            to=_staff(db, "Peter"),
            reason="x",
            effective_on=today_stockholm(),
            by=_account(db, "Eva"),
        )
    assert "efter det första SIP-mötet" in str(raised.value.message)


def test_only_the_receiver_accepts_and_not_before_the_agreed_day(db: Session, gunnel: Plan) -> None:
    later = _to_peter(db, gunnel, effective_on=today_stockholm() + timedelta(days=3))
    with pytest.raises(HandoverNotAllowedError):
        accept_handover(assignment=later, by=_account(db, "Fatima"))
    with pytest.raises(PlanInputError):
        accept_handover(assignment=later, by=_account(db, "Peter"))
    assert later.accepted_at is None


def test_a_new_handover_withdraws_the_waiting_one(db: Session, gunnel: Plan) -> None:
    first = _to_peter(db, gunnel)
    second = hand_over(
        plan=gunnel,
        to=_staff(db, "Lena"),
        reason="Hemsjukvården har flest insatser.",
        effective_on=today_stockholm(),
        by=_account(db, "Fatima"),
    )
    assert first.ended_at is not None and second.ended_at is None
    with pytest.raises(PlanInputError) as raised:
        accept_handover(assignment=first, by=_account(db, "Peter"))
    assert "gäller inte längre" in str(raised.value.message)


def test_the_receiver_may_decline_and_the_coordinator_stays(db: Session, gunnel: Plan) -> None:
    assignment = _to_peter(db, gunnel)
    decline_handover(assignment=assignment, by=_account(db, "Peter"))
    db.refresh(gunnel)
    assert assignment.ended_at is not None and assignment.accepted_at is None
    assert coordinator_at(gunnel, None).name == "Fatima Al-Hassan"
    assert db.scalar(sa.select(AuditEvent).where(AuditEvent.type == "coordinator.decline"))

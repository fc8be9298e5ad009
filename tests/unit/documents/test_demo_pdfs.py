"""Every demo plan's PDF says what the database holds: unit by unit, row by row.

The demo signs its versions the way production does (from what is stored). The expected
values are read here straight from the tables, not through `portal.documents.content`, so a
mistake in building the document cannot hide itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal import labels
from portal.documents.content import content_hash
from portal.models import (
    ConsentEvent,
    Goal,
    Intervention,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanVersion,
    Relative,
    Staff,
    Unit,
)
from portal.rules.vocabulary import (
    AttendeeRole,
    ConsentStatus,
    MeetingStatus,
    ParticipantRole,
    VersionStatus,
)
from portal.services import demo_data
from portal.services.signing import draft_preview, signed_content
from portal.timeutil import now
from tests.support.plans import pdf_text


@pytest.fixture
def signed_demo(app: Flask) -> Iterator[Session]:
    from portal import db as portal_db

    app.config["DEMO_SIGNED_PDFS"] = True  # as `make run` loads it
    with app.app_context(), app.test_request_context():
        session = portal_db.session()
        demo_data.load(session)
        session.expire_all()
        yield session


def _text(pdf: bytes) -> str:
    """The PDF's text; a line broken after a hyphen in a narrow cell reads joined again."""
    return pdf_text(pdf).replace("- ", "-")


def _in_order(text: str, parts: list[str], start: int, end: int) -> int:
    """Each part found after the one before, all between start and end; the position after."""
    at = start
    for part in parts:
        part = part.replace("- ", "-")
        found = text.find(part, at, end)
        assert found >= 0, f"{part!r} not found in order in {text[start:end]!r}"
        at = found + len(part)
    return at


def _section(text: str, heading: str, next_heading: str) -> tuple[int, int]:
    start = text.index(heading)
    end = text.find(next_heading, start)
    return start, end if end >= 0 else len(text)


@dataclass(frozen=True)
class Row:
    unit: str
    what: str
    goal_number: int
    responsible: str
    follow_up_by: str
    frequency: str
    law: str


def _rows(db: Session, version_id: int) -> list[Row]:
    goal_ids = db.scalars(
        sa.select(Goal.id).where(Goal.version_id == version_id).order_by(Goal.position)
    ).all()
    number = {goal_id: n for n, goal_id in enumerate(goal_ids, start=1)}
    responsible = sa.orm.aliased(Staff)
    follower = sa.orm.aliased(Staff)
    found = db.execute(
        sa.select(
            Unit.name,
            Intervention.what,
            Intervention.goal_id,
            responsible.given_name + " " + responsible.family_name,
            follower.given_name + " " + follower.family_name,
            Intervention.frequency,
            Intervention.legal_basis,
        )
        .join(Unit, Unit.id == Intervention.unit_id)
        .outerjoin(responsible, responsible.id == Intervention.responsible_id)
        .outerjoin(follower, follower.id == Intervention.follow_up_by_id)
        .where(Intervention.goal_id.in_(goal_ids))
        .join(Goal, Goal.id == Intervention.goal_id)
        .order_by(Goal.position, Intervention.position, Intervention.id)
    ).all()
    return [
        Row(unit, what, number[goal], who or "–", follows or "–", often or "–", law.value)
        for unit, what, goal, who, follows, often, law in found
    ]


def _consent_at(db: Session, plan_id: int, moment: datetime) -> dict[str, str]:
    events = db.execute(
        sa.select(Unit.name, ConsentEvent.status)
        .join(Unit, Unit.id == ConsentEvent.unit_id)
        .where(ConsentEvent.plan_id == plan_id, ConsentEvent.effective_at <= moment)
        .order_by(ConsentEvent.effective_at, ConsentEvent.id)
    ).all()
    return {unit: labels.of(status) for unit, status in events}


def _attendees(db: Session, plan: Plan, version: PlanVersion) -> list[tuple[str, str]]:
    meeting = db.scalars(
        sa.select(Meeting)
        .where(
            Meeting.plan_id == plan.id,
            Meeting.status == MeetingStatus.HELD,
            Meeting.starts_at <= version.created_at,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    ).first()
    assert meeting is not None, "a signed version was agreed at a meeting"
    people = [(plan.individual.name, labels.of(AttendeeRole.INDIVIDUAL))]
    found = db.execute(
        sa.select(MeetingParticipant, Staff, Relative)
        .outerjoin(Staff, Staff.id == MeetingParticipant.staff_id)
        .outerjoin(Relative, Relative.id == MeetingParticipant.relative_id)
        .where(
            MeetingParticipant.meeting_id == meeting.id,
            MeetingParticipant.attended.is_not(False),
        )
    ).all()
    for participant, staff, relative in found:
        if staff is not None:
            role = (
                AttendeeRole.CONVENER
                if staff.id == meeting.convener_id
                else AttendeeRole.CALLED
                if participant.role is ParticipantRole.CALLED
                else AttendeeRole.INVITED
            )
            people.append((staff.name, labels.of(role)))
        elif relative is not None:
            people.append((relative.name, labels.of(AttendeeRole.INVITED)))
    return people


def _check_units(text: str, db: Session, version: PlanVersion) -> None:
    rows = _rows(db, version.id)
    assert rows, "every demo version plans something"
    units = sorted({row.unit for row in rows})
    start, end = _section(text, "Vem gör vad", "Det här gör jag själv")
    headings = [text.index(f"{unit} ", start) for unit in units]
    assert headings == sorted(headings), "units stand in name order"
    bounds = [*headings, end]
    for unit, low, high in zip(units, bounds, bounds[1:], strict=False):
        at = low
        for row in (r for r in rows if r.unit == unit):
            at = _in_order(
                text,
                [
                    row.what,
                    str(row.goal_number),
                    row.responsible,
                    row.follow_up_by,
                    row.frequency,
                    row.law,
                ],
                at,
                high,
            )
        for other in (r for r in rows if r.unit != unit):
            assert text.find(other.what + " ", low, high) < 0 or any(
                r.what == other.what for r in rows if r.unit == unit
            ), f"{other.what!r} stands under {unit!r}"


def _check_consent(text: str, db: Session, version: PlanVersion, moment: datetime) -> None:
    consent = _consent_at(db, version.plan_id, moment)
    assert consent
    start, end = _section(text, "Samtycke", "Underskrift")
    for unit, status in sorted(consent.items()):
        _in_order(text, [unit, status], start, end)


def _check_attendees(text: str, db: Session, version: PlanVersion) -> None:
    start, end = _section(text, "De som var med på mötet", "Samtycke")
    for name, role in _attendees(db, version.plan, version):
        _in_order(text, [name, role], start, end)


def _check_follow_up(text: str, db: Session, version: PlanVersion) -> None:
    previous = db.scalar(
        sa.select(PlanVersion)
        .where(
            PlanVersion.plan_id == version.plan_id,
            PlanVersion.number < version.number,
            PlanVersion.signed_at.is_not(None),
        )
        .order_by(PlanVersion.number.desc())
    )
    if previous is None:
        assert "Uppföljning av version" not in text
        return
    start, end = _section(text, f"Uppföljning av version {previous.number}", "Vem gör vad")
    goals = db.scalars(
        sa.select(Goal).where(Goal.version_id == previous.id).order_by(Goal.position)
    ).all()
    evaluated = {e.goal_id: e for e in version.evaluated_goals}
    assert set(evaluated) == {goal.id for goal in goals}  # every goal of the version followed up
    at = start
    for goal in goals:
        found = evaluated[goal.id]
        at = _in_order(text, [goal.text, labels.of(found.evaluation), found.comment], at, end)
    assert version.approval is not None
    _in_order(text, ["godkännande", labels.of(version.approval)], at, end)


def _check(text: str, db: Session, version: PlanVersion, moment: datetime) -> None:
    plan = version.plan
    assert plan.individual.name in text and plan.number in text
    _check_follow_up(text, db, version)
    _check_units(text, db, version)
    _check_attendees(text, db, version)
    _check_consent(text, db, version, moment)


def test_every_signed_demo_pdf_says_what_the_database_holds(signed_demo: Session) -> None:
    db = signed_demo
    versions = db.scalars(
        sa.select(PlanVersion)
        .where(PlanVersion.status == VersionStatus.SIGNED)
        .order_by(PlanVersion.id)
    ).all()
    assert len(versions) >= 4
    assert any(v.number > 1 for v in versions), "a signed follow-up version is in the demo"
    for version in versions:
        assert version.pdf is not None
        with force_locale(version.plan.individual.preferred_locale or "sv"):
            assert version.signed_at is not None
            _check(_text(version.pdf), db, version, version.signed_at)


def test_demo_draft_previews_say_what_the_database_holds(signed_demo: Session) -> None:
    db = signed_demo
    drafts = db.scalars(
        sa.select(PlanVersion).where(PlanVersion.status == VersionStatus.DRAFT)
    ).all()
    assert drafts
    for version in drafts:
        before = now()
        text = _text(draft_preview(version))
        assert "Utkast" in text
        with force_locale("sv"):
            _check_units(text, db, version)
            _check_consent(text, db, version, before)


def test_signed_content_keeps_consent_as_it_stood_at_signing(signed_demo: Session) -> None:
    """A withdrawal after signing does not change what the signed plan says."""
    db = signed_demo
    version = db.scalars(
        sa.select(PlanVersion)
        .join(Plan)
        .where(PlanVersion.status == VersionStatus.SIGNED, Plan.closed_at.is_(None))
    ).first()
    assert version is not None and version.content_hash is not None
    first = version.plan.consent_events[0]
    db.add(
        ConsentEvent(
            plan=version.plan,
            unit_id=first.unit_id,
            status=ConsentStatus.WITHDRAWN,
            method=first.method,
            effective_at=now(),
            recorded_by_account_id=first.recorded_by_account_id,
        )
    )
    db.flush()
    db.expire_all()
    assert content_hash(signed_content(version)) == version.content_hash
    assert ConsentStatus.WITHDRAWN not in {c.status for c in signed_content(version).consents}

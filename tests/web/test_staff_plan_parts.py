"""The staff plan page's records say what the ORM's rows say (services.staff_plan_view, ADR
0112): for every plan of the demo, each meeting with whom it calls, each coordinator with
their unit, each follow-up and each version with its signer, goals and evaluated goals, in
the relationships' order; and the access rules' facts read with them are the plan's."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Plan, Staff
from portal.services.staff_plan_view import load_page_parts
from portal.services.viewers import plan_facts
from tests import factories
from tests.conftest import Demo


def _name(staff: Staff | None) -> str | None:
    return staff.name if staff is not None else None


def _check(plan: Plan) -> None:
    parts, facts = load_page_parts(plan)
    assert facts == plan_facts(plan)  # the access rules' facts, read in the same statement
    assert (parts.id, parts.state) == (plan.id, plan.state)
    assert [
        (m.id, m.kind, m.status, m.starts_at, m.form, m.place, m.convener_id)
        for m in parts.meetings
    ] == [
        (m.id, m.kind, m.status, m.starts_at, m.form, m.place, m.convener_id) for m in plan.meetings
    ]
    for listed, meeting in zip(parts.meetings, plan.meetings, strict=True):
        assert [(p.id, p.role, p.staff_id, p.acknowledged_at) for p in listed.participants] == [
            (p.id, p.role, p.staff_id, p.acknowledged_at) for p in meeting.participants
        ]
    assert [_assignment(a) for a in parts.coordinator_assignments] == [
        _assignment(a) for a in plan.coordinator_assignments
    ]
    assert [(f.id, f.due_on, f.form, f.meeting_id, f.done_at) for f in parts.follow_ups] == [
        (f.id, f.due_on, f.form, f.meeting_id, f.done_at) for f in plan.follow_ups
    ]
    assert [_version(v) for v in parts.versions] == [_version(v) for v in plan.versions]


def _assignment(a: Any) -> tuple:
    staff = a.staff
    shown = (staff.name, staff.profession, staff.unit.name, staff.phone, staff.email)
    return (a.id, a.staff_id, a.accepted_at, a.ended_at, a.effective_on, shown)


def _version(v: Any) -> tuple:
    return (
        v.id,
        v.number,
        v.status,
        v.change_summary,
        v.follow_up_on,
        v.approval,
        v.approval_note,
        v.signed_at,
        v.verification_code,
        v.goal_count,
        _name(v.signed_by),
        _name(v.approval_recorded_by),
        [(e.goal.text, e.evaluation, e.comment) for e in v.evaluated_goals],
    )


def test_every_demo_plans_records_match_its_rows(app: Flask, demo: Demo) -> None:
    with app.app_context():
        plans = db.session().scalars(sa.select(Plan).order_by(Plan.id)).all()
        assert plans
        for plan in plans:
            _check(plan)
        # the demo has what each record holds: a call acknowledged, a coordinator, a signed
        # version and a follow-up that evaluated goals
        every = [load_page_parts(plan)[0] for plan in plans]
        assert any(c.acknowledged_at for p in every for m in p.meetings for c in m.participants)
        assert any(p.coordinator_assignments for p in every)
        assert any(v.signed_by for p in every for v in p.versions)
        assert any(v.evaluated_goals for p in every for v in p.versions)


def test_a_big_plans_records_match_its_rows(app: Flask) -> None:
    with app.app_context():
        session = db.session()
        plan = factories.plan(session, goals=4, meetings=5, versions=3)
        session.commit()
        _check(plan)
        assert [v.goal_count for v in load_page_parts(plan)[0].versions] == [4, 4, 4]

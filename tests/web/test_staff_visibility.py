"""Staff see only plans of units taking part and covered by consent, plus their own."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Individual, Plan
from tests.conftest import Demo


def _plan(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == name)
            .order_by(Plan.id.desc())
        )


def test_home_help_manager_sees_only_plans_where_home_help_takes_part(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("peter")
    listed = client.get_page("/staff/plans").text
    assert "Gunnel Ek" in listed and "Astrid Lindqvist" in listed
    assert "Bengt Håkansson" not in listed
    client.get_page(f"/staff/plans/{_plan(app, 'Bengt')}", status=404)


def test_needs_assessor_sees_the_deferred_plan_she_convenes(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("maria")
    assert "Bengt Håkansson" in client.get_page("/staff/plans").text
    client.get_page(f"/staff/plans/{_plan(app, 'Bengt')}")


def test_staff_list_masks_identity_numbers(signed_in, demo: Demo) -> None:
    text = signed_in("eva").get_page("/staff/plans").text
    assert "19410312-****" in text and "19410312-982" not in text


def test_withdrawn_consent_removes_a_units_access(signed_in, app: Flask, demo: Demo) -> None:
    from portal.models import ConsentEvent, Unit
    from portal.rules.vocabulary import ConsentMethod, ConsentStatus
    from portal.timeutil import now

    plan_id = _plan(app, "Gunnel")
    with app.app_context():
        session = db.session()
        unit = session.scalar(sa.select(Unit).where(Unit.name == "Hemtjänst Centrum"))
        plan = session.get(Plan, plan_id)
        recorder = plan.convener
        from portal.models import Account

        account = session.scalar(sa.select(Account).where(Account.staff_id == recorder.id))
        session.add(
            ConsentEvent(
                plan=plan,
                unit=unit,
                status=ConsentStatus.WITHDRAWN,
                method=ConsentMethod.DIGITAL,
                effective_at=now(),
                recorded_by=account,
            )
        )
        session.commit()
    signed_in("peter").get_page(f"/staff/plans/{plan_id}", status=404)

"""Exploit 4: the re-assessment after a short-term stay accepted as convener a staff member
whose unit has no consent, who could then read the plan. Now the convener comes from the
offered list (staff of consented units) and the service refuses anyone else."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Plan, Staff
from portal.rules.closing import ReassessOutcome
from portal.rules.vocabulary import PlanState
from portal.services.plans import PlanInputError, reassess_after_short_term_stay
from tests.conftest import Demo

BENGT = "SIP-2026-0012"  # consent: needs assessment, short-term stay, health centre


def _ids(app: Flask) -> tuple[int, int]:
    with app.app_context():
        plan = db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT))
        lena = db.session().scalar(sa.select(Staff.id).where(Staff.given_name == "Lena"))
        return plan, lena


def test_a_convener_without_consent_is_not_offered_and_is_refused(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, lena = _ids(app)
    client = signed_in("nina")
    form = client.get_page(f"/staff/plans/{plan_id}/reassess")
    assert not form.all("option", value=str(lena)), "Lena (home health care, no consent) offered"
    response = client.post_form(
        f"/staff/plans/{plan_id}/reassess",
        {"outcome": "health_care_only", "health_care_convener": str(lena), "note": ""},
    )
    assert response.status_code == 400
    with app.app_context():
        plan = db.session().get(Plan, plan_id)
        assert plan.state is PlanState.DEFERRED and plan.convener_id != lena
    assert signed_in("lena").get(f"/staff/plans/{plan_id}").status_code == 404


def test_the_service_refuses_a_convener_without_consent(app: Flask, demo: Demo) -> None:
    plan_id, lena = _ids(app)
    with app.app_context():
        session = db.session()
        nina = session.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Nina"))
        with pytest.raises(PlanInputError):
            reassess_after_short_term_stay(
                plan=session.get(Plan, plan_id),
                outcome=ReassessOutcome.HEALTH_CARE_ONLY,
                convener=session.get(Staff, lena),
                note="",
                by=nina,
            )

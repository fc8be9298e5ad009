"""Issue 11, point 6: every choice a form offers is enforced on the server against the same
list (`portal.rules.offered`): conveners, coordinators, units and called staff. Each test
posts an id outside the offered list — another unit's staff, a disabled account, a unit not
taking part — and is refused, with nothing saved."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, CoordinatorAssignment, Individual, Meeting, Plan, Staff
from portal.rules.vocabulary import MeetingStatus, PlanState
from portal.timeutil import now
from tests.conftest import Demo
from tests.support.meeting_forms import (
    current_plan_id,
    invitation_form,
    planned_meeting_id,
    staff_id,
)
from tests.web.test_coordinator_handover import _handover
from tests.web.test_meeting_invitation import astrid_to_call  # noqa: F401 (a fixture)
from tests.web.test_meeting_record import _form as record_form
from tests.web.test_meeting_record import _ids as record_ids
from tests.web.test_start_plan import _start_form


def _disable(app: Flask, given_name: str) -> int:
    """The staff member has left: their account is disabled (issue 11, exploit 10)."""
    with app.app_context():
        session = db.session()
        staff = session.scalar(sa.select(Staff).where(Staff.given_name == given_name))
        account = session.scalar(sa.select(Account).where(Account.staff_id == staff.id))
        account.disabled_at = now()
        session.commit()
        return staff.id


def _assignments(app: Flask, plan_id: int) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(sa.func.count())
            .select_from(CoordinatorAssignment)
            .where(CoordinatorAssignment.plan_id == plan_id)
        )


# -- the coordinator, at the meeting's record and at the handover ---------------------------


def test_the_record_refuses_a_coordinator_from_another_unit_or_with_a_disabled_account(
    signed_in, app: Flask, demo: Demo
) -> None:
    ids = record_ids(app)
    lena = _disable(app, "Lena")
    eva = signed_in("eva")
    url = f"/staff/meetings/{ids['meeting']}/record"
    page = eva.get_page(url)
    offered = {o.attrs["value"] for o in page.all("option") if o.attrs.get("value")}
    assert str(lena) not in page.one("select", id="coordinator").text
    for outside in (str(ids["staff"]["Nina"]), str(lena)):  # no consent / disabled
        answer = eva.post_form(url, record_form(ids, coordinator=outside))
        assert answer.status_code == 400, outside
    assert _assignments(app, ids["plan"]) == 0
    assert offered  # something was offered


def test_the_handover_refuses_a_coordinator_outside_the_list(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Gunnel")
    before = _assignments(app, plan_id)
    peter = _disable(app, "Peter")  # his unit takes part with consent, but he has left
    fatima = signed_in("fatima")
    page = fatima.get_page(f"/staff/plans/{plan_id}/coordinator")
    assert not page.all("input", value=str(peter)) and not page.all("option", value=str(peter))
    for outside in (str(peter), str(staff_id(app, "Nina")), str(staff_id(app, "Maria"))):
        answer = fatima.post_form(
            f"/staff/plans/{plan_id}/coordinator", _handover(app, coordinator_id=outside)
        )
        assert answer.status_code == 400, outside
    assert _assignments(app, plan_id) == before


def test_the_record_and_the_handover_offer_the_same_rule(app: Flask, demo: Demo) -> None:
    """One list for both pages: `services.offered.coordinators` (the handover's candidates)."""
    from portal.services import coordinators, offered

    with app.app_context():
        for plan in db.session().scalars(sa.select(Plan).where(Plan.state != PlanState.CLOSED)):
            assert coordinators.candidates_for(plan) == offered.coordinators(plan)


# -- called staff and the convener, when calling and when changing a meeting ---------------


def test_calling_refuses_staff_without_consent_or_with_a_disabled_account(
    signed_in,
    app: Flask,
    astrid_to_call: int,  # noqa: F811
) -> None:
    anders = _disable(app, "Anders")
    eva = signed_in("eva")
    url = f"/staff/plans/{astrid_to_call}/meetings/new?kind=first"
    page = eva.get_page(url)
    assert not page.all("input", value=str(anders)), "a disabled account is offered"
    for outside in ("Maria", "Nina"):  # units not taking part with consent
        assert not page.all("input", value=str(staff_id(app, outside)))
    for called in (str(anders), str(staff_id(app, "Maria"))):
        form = invitation_form(app, called=[str(staff_id(app, "Lena")), called])
        assert eva.post_form(url, form).status_code == 400, called
    for convener in (str(staff_id(app, "Maria")), str(_disable(app, "Lena"))):
        form = invitation_form(app, convener=convener, called=[str(staff_id(app, "Peter"))])
        assert eva.post_form(url, form).status_code == 400, convener
    with app.app_context():
        planned = db.session().scalar(
            sa.select(sa.func.count())
            .select_from(Meeting)
            .where(Meeting.plan_id == astrid_to_call, Meeting.status == MeetingStatus.PLANNED)
        )
    assert planned == 0


def test_changing_a_meeting_refuses_called_staff_or_a_convener_outside_the_list(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Astrid")
    meeting_id = planned_meeting_id(app, plan_id)
    eva = signed_in("eva")
    edit = eva.get_page(f"/staff/meetings/{meeting_id}/edit")
    version = edit.one("input", name="row_version").attrs["value"]
    url = f"/staff/meetings/{meeting_id}/edit"
    anders = _disable(app, "Anders")
    for changes in (
        {"called": [str(staff_id(app, "Maria"))]},
        {"called": [str(anders)]},
        {"convener": str(staff_id(app, "Nina"))},
    ):
        answer = eva.post_form(url, invitation_form(app, row_version=version, **changes))
        assert answer.status_code == 400, changes
    with app.app_context():
        meeting = db.session().get(Meeting, meeting_id)
        assert str(meeting.row_version) == version, "the meeting changed"


# -- the re-assessment's conveners, the consent units, the start's units -------------------


def test_the_re_assessment_refuses_a_disabled_convener(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0012"))
    nina = signed_in("nina")
    page = nina.get_page(f"/staff/plans/{plan_id}/reassess")
    offered = [o.attrs["value"] for o in page.all("option") if o.attrs.get("value")]
    assert offered, "nobody offered"
    with app.app_context():
        first = db.session().get(Staff, int(offered[0]))
        name = first.given_name
    chosen = _disable(app, name)
    again = nina.get_page(f"/staff/plans/{plan_id}/reassess")
    assert not again.all("option", value=str(chosen)), "a disabled account is offered"
    for outcome, field in (
        ("health_care_only", "health_care_convener"),
        ("plan_changed", "health_centre_convener"),
    ):
        answer = nina.post_form(
            f"/staff/plans/{plan_id}/reassess", {"outcome": outcome, field: str(chosen), "note": ""}
        )
        assert answer.status_code in (400, 403), (outcome, answer.status_code)
    with app.app_context():
        assert db.session().get(Plan, plan_id).state is PlanState.DEFERRED


def test_starting_refuses_a_unit_the_form_does_not_offer(signed_in, app: Flask, demo: Demo) -> None:
    eva = signed_in("eva")
    eva.get_page("/staff/start")
    form = _start_form(app)
    form["units"] = [*form["units"], "999999"]
    answer = eva.post_form("/staff/start", form)
    assert answer.status_code == 400
    assert "Välj bara enheter i listan." in answer.get_data(as_text=True)
    with app.app_context():
        assert not db.session().scalar(sa.select(Individual).where(Individual.given_name == "Elsa"))

"""Staff forms refuse hostile values by their contract (ADR 0050, 0051): a 400/409/422 with the
bound beside the field and the input kept; never a 500, never silently accepted."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Meeting, Plan
from portal.rules.vocabulary import MeetingStatus
from portal.timeutil import today_stockholm
from tests.conftest import Demo
from tests.support.hostile import (
    FAR_DAY,
    HUGE,
    NEGATIVE,
    NOT_A_VERSION,
    SUPERSCRIPT,
    refused_beside,
    too_long,
)
from tests.support.meeting_forms import (
    current_plan_id,
    invitation_form,
    planned_meeting_id,
    staff_id,
)
from tests.web.test_follow_up import _form as follow_up_form
from tests.web.test_follow_up import _ids as follow_up_ids
from tests.web.test_meeting_record import _form as record_form
from tests.web.test_meeting_record import _ids as record_ids
from tests.web.test_new_episode import GUNNEL
from tests.web.test_new_episode import _plan as episode_plan
from tests.web.test_staff_consent import _ids as consent_ids
from tests.web.test_start_plan import _start_form as start_form


def _handover(app: Flask, **changes: str) -> dict[str, str]:
    return {
        "coordinator_id": str(staff_id(app, "Peter")),
        "reason": "Gunnel har lämnat ÄlSa-teamet.",
        "effective_on": today_stockholm().isoformat(),
        **changes,
    }


def test_start_states_the_name_bound_and_the_phone_contract(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    name = too_long(412)
    response = client.post_form("/staff/start", start_form(app, given_name=name))
    refused_beside(response, "given_name", "Högst 100 tecken. Nu är det 412.", kept=name)
    for phone, message in (
        ("070²³45678", "Skriv ett telefonnummer med siffror"),
        ("０７０-123 45 67", "Skriv ett telefonnummer med siffror"),
        ("+46 70 123 45 67 ankn 12", "Högst 20 tecken. Nu är det 24."),
    ):
        response = client.post_form("/staff/start", start_form(app, phone=phone))
        refused_beside(response, "phone", message, kept=phone)
    response = client.post_form("/staff/start", start_form(app, units=[SUPERSCRIPT]))
    refused_beside(response, "units", "Välj")
    response = client.post_form("/staff/start", start_form(app, context="holiday"))
    refused_beside(response, "context", "Välj hur SIP:en startar.", kept="Elsa")
    response = client.post_form("/staff/start", start_form(app, ready_on=FAR_DAY))
    refused_beside(response, "ready_on", "Välj ett datum mellan", kept=FAR_DAY)
    response = client.post_form("/staff/start", start_form(app, ready_at="9:3O"))
    refused_beside(response, "ready_on", "Skriv tiden som TT:MM", kept="9:3O")
    with app.app_context():
        assert (
            db.session().scalar(
                sa.select(sa.func.count(Plan.id))
                .join(Plan.individual)
                .where(sa.text("given_name='Elsa'"))
            )
            == 0
        )


def test_start_lookup_refuses_an_identity_number_that_is_not_one(signed_in, demo: Demo) -> None:
    client = signed_in("eva")
    for pin in ("19²³0312-9821", "1" * 400, HUGE):
        response = client.post_form(
            "/staff/start", {"step": "find", "personal_identity_number": pin}
        )
        refused_beside(response, "personal_identity_number", "", kept=pin)


def test_handover_refuses_a_far_date_an_overlong_reason_and_a_forged_id(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("fatima")
    url = f"/staff/plans/{current_plan_id(app, 'Gunnel')}/coordinator"
    response = client.post_form(url, _handover(app, effective_on=FAR_DAY))
    refused_beside(response, "effective_on", "Välj ett datum mellan", kept=FAR_DAY)
    reason = "ord " * 520
    response = client.post_form(url, _handover(app, reason=reason))
    refused_beside(response, "reason", "Högst 2\xa0000 tecken. Nu är det 2\xa0079.")
    for forged in (SUPERSCRIPT, HUGE, NEGATIVE):
        response = client.post_form(url, _handover(app, coordinator_id=forged))
        assert response.status_code == 400
    assert client.get(f"{url}?home_health=nonsense").status_code == 200


def test_meeting_invitation_states_its_bounds_and_keeps_the_rest(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = current_plan_id(app, "Astrid")
    with app.app_context():
        for meeting in db.session().scalars(sa.select(Meeting).where(Meeting.plan_id == plan_id)):
            meeting.status = MeetingStatus.CANCELLED
        db.session().commit()
    client = signed_in("eva")
    url = f"/staff/plans/{plan_id}/meetings/new?kind=first"
    questions = "fråga " * 900
    response = client.post_form(url, invitation_form(app, questions=questions))
    refused_beside(response, "questions", "Högst 4\xa0000 tecken. Nu är det 5\xa0399.")
    response = client.post_form(url, invitation_form(app, day="2099-03-02"))
    refused_beside(response, "day", "Välj ett datum mellan", kept="2099-03-02")
    for forged in (SUPERSCRIPT, HUGE, NEGATIVE):
        response = client.post_form(url, invitation_form(app, called=[forged]))
        refused_beside(response, "called", "Välj")
    response = client.post_form(url, invitation_form(app, form="carrier_pigeon"))
    refused_beside(response, "form", "Välj mötesform.")
    assert client.get(f"/staff/plans/{plan_id}/meetings/new?kind=party").status_code == 404


def test_a_forged_row_version_is_a_conflict_with_the_input_kept(
    signed_in, app: Flask, demo: Demo
) -> None:
    meeting_id = planned_meeting_id(app, current_plan_id(app, "Astrid"))
    eva = signed_in("eva")
    for forged in (NOT_A_VERSION, SUPERSCRIPT, HUGE, NEGATIVE):
        response = eva.post_form(
            f"/staff/meetings/{meeting_id}/cancel",
            {"reason": "Astrid är inlagd.", "row_version": forged},
        )
        assert response.status_code == 409
        assert "Astrid är inlagd." in response.get_data(as_text=True)
    eva.post_form("/sign-out")
    ids = follow_up_ids(app)
    fatima = signed_in("fatima")
    for forged in (NOT_A_VERSION, SUPERSCRIPT, HUGE):
        form = follow_up_form(ids, row_version=forged, **{"own-0": "Mitt eget ansvar."})
        response = fatima.post_form(f"/staff/plans/{ids['plan']}/follow-up", form)
        assert response.status_code == 409
        assert "Mitt eget ansvar." in response.get_data(as_text=True)


def test_follow_up_refuses_far_dates_overlong_text_and_forged_choices(
    signed_in, app: Flask, demo: Demo
) -> None:
    ids = follow_up_ids(app)
    client = signed_in("fatima")
    url = f"/staff/plans/{ids['plan']}/follow-up"
    first = ids["goals"][0]
    response = client.post_form(url, follow_up_form(ids, follow_up_on=FAR_DAY))
    refused_beside(response, "follow_up_on", "Välj ett datum mellan", kept=FAR_DAY)
    text = too_long(4001)
    response = client.post_form(url, follow_up_form(ids, **{"goal-0-text": text}))
    assert response.status_code == 400
    assert "Högst 4\xa0000 tecken. Nu är det 4\xa0001." in response.get_data(as_text=True)
    response = client.post_form(url, follow_up_form(ids, **{f"evaluation-{first}": "perfect"}))
    assert response.status_code == 400
    for forged in (SUPERSCRIPT, HUGE):
        response = client.post_form(url, follow_up_form(ids, **{"goal-0-item-0-unit": forged}))
        assert response.status_code == 400
    for shape in ({"goal_rows": HUGE}, {"goal_rows": SUPERSCRIPT}, {"goal-0-item_rows": NEGATIVE}):
        response = client.post_form(url, follow_up_form(ids, **shape, add="goal"))
        assert response.status_code == 200  # the page again, one goal more, at most 30
        assert response.get_data(as_text=True).count('name="goal-') < 30 * 40
    response = client.post_form(url, follow_up_form(ids, add="item-" + HUGE))
    assert response.status_code == 303  # not a button of the page: an ordinary save


def test_staff_consent_refuses_a_unit_that_is_not_one_and_a_far_date(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, unit_id = consent_ids(app, "Biståndshandläggningen")
    client = signed_in("eva")
    url = f"/staff/plans/{plan_id}/consent"
    for forged in (SUPERSCRIPT, HUGE, NEGATIVE):
        response = client.post_form(url, {"unit": forged, "status": "given"})
        refused_beside(response, "unit", "Välj")
    response = client.post_form(
        url, {"unit": str(unit_id), "status": "given", "effective_on": FAR_DAY}
    )
    refused_beside(response, "effective_on", "Välj ett datum mellan", kept=FAR_DAY)
    response = client.post_form(url, {"unit": str(unit_id), "status": "maybe"})
    refused_beside(response, "status", "")


def test_account_letter_refuses_a_document_outside_its_vocabulary(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("eva")
    url = f"/staff/plans/{current_plan_id(app, 'Astrid')}/account-invitation"
    response = client.post_form(url, {"identity_document": "library_card"})
    assert response.status_code == 400
    assert "välj vilken legitimation du såg" in response.get_data(as_text=True)


def test_worklist_filters_with_hostile_values_show_the_whole_list(signed_in, demo: Demo) -> None:
    client = signed_in("eva")
    for query in ("kind=nonsense", "role=²³", "show=" + "u" * 500, "kind=&role=&show="):
        assert client.get(f"/staff/?{query}").status_code == 200


def test_meeting_record_refuses_forged_attendance_and_a_forged_version(
    signed_in, app: Flask, demo: Demo
) -> None:
    ids = record_ids(app)
    client = signed_in("eva")
    url = f"/staff/meetings/{ids['meeting']}/record"
    first = ids["participants"][0]
    response = client.post_form(url, record_form(ids, **{f"attended-{first}": "²"}))
    assert response.status_code == 400
    assert "Kryssa i rutan eller låt den vara tom." in response.get_data(as_text=True)
    for forged in (NOT_A_VERSION, HUGE, NEGATIVE):
        response = client.post_form(url, record_form(ids, row_version=forged, notes="Kvar."))
        assert response.status_code == 409 and "Kvar." in response.get_data(as_text=True)
    response = client.post_form(url, record_form(ids, individual_present="perhaps"))
    assert response.status_code == 400
    with app.app_context():
        assert db.session().get(Plan, ids["plan"]).versions == []


def test_new_episode_refuses_a_far_date_and_a_context_outside_its_vocabulary(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, _individual = episode_plan(app, GUNNEL)
    client = signed_in("eva")
    url = f"/staff/plans/{plan_id}/new-episode"
    form = {"context": "after_short_term_stay", "previous": "close"}
    response = client.post_form(url, {**form, "reassess_before_home_on": FAR_DAY})
    refused_beside(response, "reassess_before_home_on", "Välj ett datum mellan", kept=FAR_DAY)
    response = client.post_form(url, {**form, "context": "on_the_moon"})
    refused_beside(response, "context", "Välj var planen börjar.")
    response = client.post_form(url, {**form, "previous": "burn"})
    refused_beside(response, "previous", "Välj")


def test_signing_with_a_forged_preview_digest_is_refused_not_signed(
    signed_in, app: Flask, demo: Demo
) -> None:
    from portal.rules.vocabulary import VersionStatus
    from tests.support.plans import gunnel_version

    with app.app_context():
        version = gunnel_version(db.session())
        plan_id, version_id = version.plan_id, version.id
    client = signed_in("fatima")
    url = f"/staff/plans/{plan_id}/versions/{version_id}/sign"
    for forged in ("x" * 5000, "²³", "a\x00b"):
        assert client.post_form(url, {"previewed": forged}).status_code == 409
    with app.app_context():
        assert gunnel_version(db.session()).status is VersionStatus.DRAFT

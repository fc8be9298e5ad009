"""The staff worklist: most urgent first, overdue marked in words, filters, and its actions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    ConsentEvent,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanRequest,
    Staff,
)
from portal.rules.deadlines import acknowledgement_due
from portal.rules.vocabulary import (
    ConsentMethod,
    ConsentStatus,
    ParticipantRole,
    PlanContext,
    PlanState,
    RequestKind,
)
from tests import factories
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient, parse

HTMX = {"HX-Request": "true", "HX-Target": "worklist-items"}


def _staff(name: str) -> Staff:
    return db.session().scalar(sa.select(Staff).where(Staff.given_name == name))


def _account(staff: Staff) -> Account:
    return db.session().scalar(sa.select(Account).where(Account.staff_id == staff.id))


def _plan(number: str) -> Plan:
    return db.session().scalar(sa.select(Plan).where(Plan.number == number))


def _overdue_invitation(convener: Staff) -> Plan:
    """After discharge, ready five days ago, nobody called yet: the 3-day limit has passed."""
    plan = factories.plan(
        db.session(), convener=convener, state=PlanState.INITIATED, meetings=0, versions=0
    )
    plan.ready_for_discharge_at = datetime.now(UTC) - timedelta(days=5)
    return plan


def _request(plan: Plan, by: Account, hours_ago: int = 1) -> PlanRequest:
    sent = datetime.now(UTC) - timedelta(hours=hours_ago)
    made = PlanRequest(
        plan=plan,
        kind=RequestKind.SOONER_FOLLOW_UP,
        message="Kan vi ses tidigare?",
        written_by_account_id=by.id,
        created_at=sent,
        acknowledgement_due_at=acknowledgement_due(sent),
    )
    db.session().add(made)
    db.session().flush()
    return made


def _rows(page) -> list[str]:
    return [
        " ".join(r.text.split())
        for r in page.all("tr")
        if r.attrs.get("id", "").startswith("item-")
    ]


def test_staff_land_on_the_worklist_after_signing_in(client: PageClient, demo: Demo) -> None:
    client.get_page("/sign-in")
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id("eva"))})
    assert response.headers["Location"].endswith("/staff/")
    page = client.get_page("/staff/")
    assert page.text_of("h1") == ["Arbetslista"]
    menu = [
        a.text.strip() for a in page.all("a") if a.attrs.get("href") in ("/staff/", "/staff/plans")
    ]
    assert menu[:2] == ["Arbetslista", "Planer"]


def test_overdue_comes_first_and_says_so_in_words(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        eva = _staff("Eva")
        late = _overdue_invitation(eva)
        _request(_plan("SIP-2026-0011"), _account(eva))
        db.session().commit()
        late_name, late_pin = late.individual.name, late.individual.personal_identity_number
        late_id = late.id
    page = signed_in("eva").get_page("/staff/")
    rows = _rows(page)
    assert "Försenad" in rows[0] and "Kalla till SIP-möte" in rows[0] and late_name in rows[0]
    assert f"{late_pin[:8]}-****" in rows[0]
    assert late_pin not in page.text, "the identity number is shown masked"
    request_row = next(r for r in rows if "Fråga från den enskilde" in r)
    assert "Försenad" not in request_row
    assert re.match(r"\w+dag \d+ \w+ \d{4} kl\. ", request_row), "it starts with its deadline"
    assert "Astrid Lindqvist" in request_row
    assert "Försenade: 1" in page.text
    call = next(a for a in page.all("a") if a.text.startswith("Kalla till SIP-möte"))
    assert call.attrs["href"] == f"/staff/plans/{late_id}/meetings/new", "the row leads to the task"


def test_filters_by_kind_with_a_form_and_htmx_gets_only_the_list(
    signed_in, app: Flask, demo: Demo
) -> None:
    with app.app_context():
        eva = _staff("Eva")
        _overdue_invitation(eva)
        _request(_plan("SIP-2026-0011"), _account(eva))
        db.session().commit()
    client = signed_in("eva")
    page = client.get_page("/staff/?kind=request")
    form = next(f for f in page.all("form") if f.attrs.get("method") == "get")
    assert form.attrs["action"] == "/staff/" and form.attrs["hx-get"] == "/staff/"
    assert "Visa" in [b.text.strip() for b in page.all("button", type="submit")]
    assert page.one("option", value="request", selected="").text.startswith("Fråga")
    rows = _rows(page)
    assert rows and all("Fråga från den enskilde" in r for r in rows)
    response = client.get("/staff/?kind=invitation_due", headers=HTMX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = parse(response.get_data(as_text=True))
    assert not fragment.all("h1") and not fragment.all("html"), "only the list is swapped"
    assert [r for r in _rows(fragment)] and all("Kalla till SIP-möte" in r for r in _rows(fragment))


def test_role_and_unit_filters(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        johan = _staff("Johan")  # Eva's colleague at the health centre
        plan = _overdue_invitation(johan)
        db.session().add(
            ConsentEvent(
                plan=plan,
                unit_id=johan.unit_id,
                status=ConsentStatus.GIVEN,
                method=ConsentMethod.RECORDED_BY_STAFF,
                effective_at=datetime.now(UTC) - timedelta(days=5),
                recorded_by=_account(johan),
            )
        )
        db.session().commit()
    client = signed_in("eva")
    assert not any("Johan Berg" in r for r in _rows(client.get_page("/staff/")))
    whole_unit = _rows(client.get_page("/staff/?show=unit"))
    assert any("Johan Berg" in r and "Försenad" in r for r in whole_unit)
    peter = signed_in("peter")
    called = _rows(peter.get_page("/staff/?role=called"))
    assert len(called) == 2 and all("Kvittera kallelse till möte" in r for r in called)
    assert _rows(peter.get_page("/staff/?role=leads")) == []


def test_a_filter_that_hides_every_task_says_so_and_offers_them_all(
    signed_in, app: Flask, demo: Demo
) -> None:
    """Peter has tasks, none he leads: not 'Inget att göra just nu' under 'Uppgifter: 2'."""
    peter = signed_in("peter")
    page = peter.get_page("/staff/?role=leads")
    assert _rows(page) == [] and "Uppgifter: 2" in page.text
    assert "Inga uppgifter med de här filtren." in page.text
    assert "Inget att göra just nu." not in page.text
    show_all = next(a for a in page.all("a") if a.text == "Visa alla uppgifter")
    assert show_all.attrs["href"] == "/staff/"
    unit = peter.get_page("/staff/?show=unit&role=leads&lang=en")
    assert "No tasks match these filters." in unit.text
    assert next(a for a in unit.all("a") if a.text == "Show all tasks").attrs["href"] == (
        "/staff/?show=unit"
    )


def test_acknowledging_a_request_with_an_answer(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        eva = _staff("Eva")
        request_id = _request(_plan("SIP-2026-0011"), _account(eva)).id
        db.session().commit()
    client = signed_in("eva")
    client.get_page("/staff/")
    response = client.post_form(
        f"/staff/requests/{request_id}/acknowledge", {"response": "Jag ringer dig i morgon."}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/")
    page = client.get_page("/staff/")
    assert "Frågan är kvitterad" in page.text
    assert not any("Fråga från den enskilde" in r for r in _rows(page))
    with app.app_context():
        answered = db.session().get(PlanRequest, request_id)
        assert answered.acknowledged_at is not None
        assert answered.response == "Jag ringer dig i morgon."
        assert db.session().scalar(
            sa.select(AuditEvent).where(
                AuditEvent.type == "request.acknowledge", AuditEvent.object_id == request_id
            )
        )


def test_htmx_action_swaps_only_the_row(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        participant = db.session().scalar(
            sa.select(MeetingParticipant)
            .join(Meeting)
            .where(
                MeetingParticipant.staff_id == _staff("Peter").id,
                Meeting.plan_id == _plan("SIP-2026-0011").id,
            )
        )
        participant_id = participant.id
    client = signed_in("peter")
    page = client.get_page("/staff/")
    assert page.one("tr", id=f"item-meeting_acknowledgement-{participant_id}")
    response = client.post(
        f"/staff/meeting-calls/{participant_id}/acknowledge",
        headers={"HX-Request": "true", "X-CSRFToken": client.token()},
    )
    assert response.status_code == 200
    row = parse(response.get_data(as_text=True))
    assert row.one("tr", id=f"item-meeting_acknowledgement-{participant_id}")
    assert "Kallelsen är kvitterad" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(MeetingParticipant, participant_id).acknowledged_at is not None


def test_only_the_called_acknowledge_their_call(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        participant_id = db.session().scalar(
            sa.select(MeetingParticipant.id).where(
                MeetingParticipant.staff_id == _staff("Peter").id
            )
        )
    client = signed_in("eva")  # she convenes Astrid's plan, so she sees it
    response = client.post_form(f"/staff/meeting-calls/{participant_id}/acknowledge")
    assert response.status_code == 403
    with app.app_context():
        assert db.session().get(MeetingParticipant, participant_id).acknowledged_at is None


def test_unit_handles_a_withdrawal_it_may_no_longer_read(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        peter = _staff("Peter")
        event = ConsentEvent(
            plan=_plan("SIP-2026-0004"),
            unit_id=peter.unit_id,
            status=ConsentStatus.WITHDRAWN,
            method=ConsentMethod.DIGITAL,
            effective_at=datetime.now(UTC),
            recorded_by=_account(peter),
        )
        db.session().add(event)
        db.session().commit()
        event_id = event.id
    client = signed_in("peter")
    page = client.get_page("/staff/?kind=consent_withdrawn")
    (row,) = _rows(page)
    assert "Gunnel Ek" in row and "Dela inget mer" in row
    link = page.one("tr", id=f"item-consent_withdrawn-{event_id}")
    assert link and not [a for a in page.all("a") if "/staff/plans/" in a.attrs.get("href", "")]
    response = client.post_form(f"/staff/consent-events/{event_id}/handled")
    assert response.status_code == 303
    assert _rows(client.get_page("/staff/?kind=consent_withdrawn")) == []
    with app.app_context():
        assert db.session().get(ConsentEvent, event_id).handled_at is not None


def _count_queries(app: Flask, client: PageClient) -> int:
    engine = app.extensions["sip_engine"]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get_page("/staff/")
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert page.all("tr")
    return len(statements)


def _busy_plans(app: Flask, how_many: int) -> None:
    """Plans led by Eva, each giving several kinds of items (request, follow-up, call …)."""
    with app.app_context():
        session = db.session()
        eva, peter = _staff("Eva"), _staff("Peter")
        for _ in range(how_many):
            late = _overdue_invitation(eva)
            _request(late, _account(eva))
            plan = factories.plan(session, convener=eva, state=PlanState.ESTABLISHED)
            plan.context = PlanContext.AT_HOME
            meeting = plan.meetings[0]
            meeting.invited_at = datetime.now(UTC)
            meeting.participants.append(
                MeetingParticipant(
                    role=ParticipantRole.CALLED, staff_id=eva.id, unit_id=eva.unit_id
                )
            )
            session.add(
                ConsentEvent(
                    plan=plan,
                    unit_id=peter.unit_id,
                    status=ConsentStatus.WITHDRAWN,
                    method=ConsentMethod.DIGITAL,
                    effective_at=datetime.now(UTC),
                    recorded_by=_account(eva),
                )
            )
        session.commit()


def test_the_worklist_needs_the_same_number_of_queries_however_long(app: Flask, demo: Demo) -> None:
    _busy_plans(app, 1)
    client = PageClient(app.test_client())
    sign_in(client, demo, "eva")
    client.get_page("/staff/")  # warm up: the first request loads what every request loads
    few = _count_queries(app, client)
    _busy_plans(app, 14)
    many = _count_queries(app, client)
    page = client.get_page("/staff/")
    assert len(_rows(page)) >= 45, "15 plans × (invitation, request, call) at least"
    assert many == few, f"{few} queries for 1 plan, {many} for 15"
    # The account (1); the calls to meetings with the candidate plans (1); every table of
    # their facts with the news (1, ADR 0111); the audit append (3): 6. Was 7 before ADR 0113,
    # 13 before ADR 0111, 19 before the account, its staff, unit and session were one query,
    # 16 before ADR 0097.
    assert few <= 6, few


def test_the_new_staff_pages_read_in_english(signed_in, app: Flask, demo: Demo) -> None:
    with app.app_context():
        plan_id = _plan("SIP-2026-0011").id
        _overdue_invitation(_staff("Eva"))
        db.session().commit()
    client = signed_in("eva")
    expected = {
        "/staff/?lang=en": "Worklist",
        "/staff/start?lang=en": "Start a SIP",
        f"/staff/plans/{plan_id}/consent?lang=en": "Consent – plan SIP-2026-0011",
    }
    for path, heading in expected.items():
        page = client.get_page(path)
        assert page.one("html").attrs["lang"] == "en"
        assert page.text_of("h1") == [heading]
    assert "Overdue" in client.get_page("/staff/?lang=en").text


def test_plans_whose_items_cannot_be_made_leave_the_rest_of_the_worklist(
    signed_in, app: Flask, demo: Demo, monkeypatch, caplog
) -> None:
    from portal.services import worklist as service

    for name in ("eva", "lena", "fatima", "maria", "anders", "peter"):
        client = signed_in(name)
        before = _rows(client.get_page("/staff/?show=unit"))
        if any("Kvittera kallelse" in row for row in before):
            break
    assert before

    def breaks(work, *args):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(service.items, "handover_items", breaks)  # portal.rules.worklist_items
    monkeypatch.setattr(service.items, "unit_items", breaks)
    page = client.get_page("/staff/?show=unit")
    assert "kunde inte visas" in page.text and "Felet är loggat" in page.text
    calls = [row for row in before if "Kvittera kallelse" in row]
    assert calls and all(row in _rows(page) for row in calls)  # the rest is still shown
    logged = [r.getMessage() for r in caplog.records if "left out" in r.getMessage()]
    assert logged and all("(OverflowError)" in m and "date value" not in m for m in logged)

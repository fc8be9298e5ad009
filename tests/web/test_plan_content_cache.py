"""The individual's plan page caches its content block (ADR 0084): every write that changes
what the page shows moves the plan's counter (or the generation) and the page shows it; the
cache never serves one viewer's, locale's or state's block to another; nothing personal is in a
key; and a read served from the cache is audited all the same."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    Individual,
    Meeting,
    Plan,
    PlanContentGeneration,
    Staff,
    Unit,
)
from portal.models.audit_types import EventType
from portal.rules.plan_content import ContentInput, GoalInput, InterventionInput
from portal.rules.vocabulary import ConsentStatus, LegalBasis, MeetingStatus, PlanState
from portal.services import consent as consent_service
from portal.services import meetings as meeting_service
from portal.services.meeting_records import write_content
from portal.services.plan_versions import draft_for_changes
from portal.services.plans import close_plan_now
from portal.web.person.content_cache import cache
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.web.test_meeting_scope import _astrids_next_meeting, _karin_may

KEY = re.compile(r"^plan-content:\d+:\d+\.\d+:\d+:\d+:[a-z]{2}:[a-z_]+(-[a-z_-]+)+$")


def _counter(app: Flask, plan_id: int) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        counter = session.scalar(sa.select(Plan.content_counter).where(Plan.id == plan_id))
        generation = session.scalar(sa.select(sa.func.max(PlanContentGeneration.n))) or 0
        return counter, generation


def _staff_account(session: sa.orm.Session, staff_id: int) -> Account:
    return session.scalar(sa.select(Account).where(Account.staff_id == staff_id))


def _page(client: PageClient, plan_id: int) -> str:
    return client.get_page(f"/me/plans/{plan_id}").text


def _reads(app: Flask, plan_id: int) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.type == EventType.PLAN_READ.value, AuditEvent.object_id == plan_id)
        )


def test_each_service_write_moves_the_counter_and_the_page_shows_it(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id, _purpose = _astrids_next_meeting(app)
    sign_in(client, demo, "astrid")
    shown = _page(client, plan_id)

    def write(change, expect) -> None:
        nonlocal shown
        before = _counter(app, plan_id)
        with app.app_context():
            change(db.session())
            db.session().commit()
        after = _counter(app, plan_id)
        assert after != before and after >= before, (change.__name__, before, after)
        _page(client, plan_id)  # served (from the cache where the key is unchanged)
        page = _page(client, plan_id)
        assert page != shown, change.__name__
        expect(page)
        shown = page

    def new_draft(session: sa.orm.Session) -> None:
        plan = session.get(Plan, plan_id)
        draft_for_changes(plan=plan, by=_staff_account(session, plan.convener_id))

    write(new_draft, lambda page: _assert_in("Utkast, väntar på underskrift", page))

    def typed(*goals: str) -> ContentInput:
        unit_id = _unit()
        basis = next(iter(LegalBasis))
        return ContentInput(
            goals=tuple(
                GoalInput(
                    goal,
                    (InterventionInput(f"Insats för {goal}", unit_id=unit_id, legal_basis=basis),),
                )
                for goal in goals
            ),
            own_responsibilities=tuple(f"Själv: {goal}" for goal in goals),
        )

    def _unit() -> int:
        session = db.session()
        return session.get(Staff, session.get(Plan, plan_id).convener_id).unit_id

    def write_goals(session: sa.orm.Session) -> None:  # goals, interventions, own part: new
        content = typed("Gå till affären", "Laga mat")
        write_content(session.get(Plan, plan_id).versions[-1], content)

    write(
        write_goals,
        lambda page: _assert_in("Insats för Laga mat", page) or _assert_in("Själv: Laga", page),
    )

    def remove_a_goal(session: sa.orm.Session) -> None:  # the old rows deleted as orphans
        content = typed("Gå till affären")
        write_content(session.get(Plan, plan_id).versions[-1], content)

    write(remove_a_goal, lambda page: _assert_not_in("Laga mat", page))

    meeting_id = None

    def cancel_meeting(session: sa.orm.Session) -> None:
        nonlocal meeting_id
        meeting = session.scalar(
            sa.select(Meeting)
            .where(Meeting.plan_id == plan_id, Meeting.status == MeetingStatus.PLANNED)
            .order_by(Meeting.starts_at)
        )
        meeting_id = meeting.id
        meeting_service.cancel(
            meeting=meeting,
            expected_version=meeting.row_version,
            reason="Sjuk",
            by=_staff_account(session, meeting.convener_id),
        )

    write(cancel_meeting, lambda page: _assert_not_in(f"/meetings/{meeting_id}/", page))

    def rename_convener(session: sa.orm.Session) -> None:  # a name shown from `staff`
        plan = session.get(Plan, plan_id)
        staff = session.get(Staff, plan.convener_id)
        staff.given_name = "Omdöpt"

    write(rename_convener, lambda page: _assert_in("Omdöpt", page))

    def rename_unit(session: sa.orm.Session) -> None:
        plan = session.get(Plan, plan_id)
        session.get(Unit, session.get(Staff, plan.convener_id).unit_id).name = "Nya enheten"

    write(rename_unit, lambda page: _assert_in("Nya enheten", page))

    def withdraw_consent(session: sa.orm.Session) -> None:
        plan = session.get(Plan, plan_id)
        units = consent_service.units_of(plan)[:1]
        consent_service.change_consent(
            plan=plan,
            units=units,
            status=ConsentStatus.WITHDRAWN,
            by=session.scalar(
                sa.select(Account).where(Account.individual_id == plan.individual_id)
            ),
        )

    before_consent = _counter(app, plan_id)
    with app.app_context():
        withdraw_consent(db.session())
        db.session().commit()
    assert _counter(app, plan_id) != before_consent  # the consent's rows are the plan's

    def close(session: sa.orm.Session) -> None:
        plan = session.get(Plan, plan_id)
        if plan.state is not PlanState.CLOSED:  # withdrawing every consent closes it
            from portal.rules.vocabulary import CloseReason

            close_plan_now(plan, CloseReason.GOALS_MET, _staff_account(session, plan.convener_id))

    shown = _page(client, plan_id)
    if "Planen är avslutad" not in shown:  # unless withdrawing that consent closed it
        write(close, lambda page: _assert_in("Planen är avslutad", page))
    assert "Planen är avslutad" in _page(client, plan_id)

    def rename_individual(session: sa.orm.Session) -> None:
        plan = session.get(Plan, plan_id)
        session.get(Individual, plan.individual_id).given_name = "Astrud"

    sign_in(client, demo, "karin")  # acting for her: the page names her
    client.post_form("/me/acting-for", {"individual": _individual_id(app, plan_id)})
    shown = _page(client, plan_id)
    write(rename_individual, lambda page: _assert_in("Astrud", page))


def _individual_id(app: Flask, plan_id: int) -> str:
    with app.app_context():
        return str(db.session().get(Plan, plan_id).individual_id)


def _assert_in(text: str, page: str) -> None:
    assert text in page, text


def _assert_not_in(text: str, page: str) -> None:
    assert text not in page, text


def test_viewers_locales_and_states_get_their_own_content_and_keys_are_not_personal(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id, purpose = _astrids_next_meeting(app)
    _karin_may(app, "view_plan")
    sign_in(client, demo, "astrid")
    own = [_page(client, plan_id) for _ in range(2)]
    english = [client.get_page(f"/me/plans/{plan_id}?lang=en").text for _ in range(2)]
    assert client.get(f"/me/plans/{plan_id}?lang=sv").status_code == 200
    sign_in(client, demo, "karin")
    client.post_form("/me/acting-for", {"individual": _individual_id(app, plan_id)})
    relative = [_page(client, plan_id) for _ in range(2)]
    _karin_may(app, "meeting_dates")  # fewer rights: not the plan any more
    assert client.get(f"/me/plans/{plan_id}").status_code == 403  # decided per request

    assert "Planen skrivs på ert första möte" in own[1] and "Det här kan du göra" in own[1]
    assert "Se och ändra vilka enheter som får dela information om dig" in own[1]
    assert "Planen skrivs på det första SIP-mötet för Astrid" in relative[1]
    assert "Det här kan du göra" not in relative[1]  # view_plan alone: no requests, no consent
    assert "Se vilka enheter som får dela information om Astrid" in relative[1]
    assert "Planen skrivs" not in english[1] and "Plan SIP" in english[1]
    assert purpose in own[1] and purpose in relative[1]
    for first, again in (own, english, relative):
        assert _content(first) == _content(again)  # the hit is what the miss rendered
    with app.app_context():
        keys = cache().entries()
        person = db.session().scalar(sa.select(Individual).join(Plan).where(Plan.id == plan_id))
        personal = [person.given_name, person.family_name, person.personal_identity_number]
    assert len(keys) == 3, keys  # own (sv, en) and the relative's
    for key in keys:
        assert KEY.match(key), key
        assert not any(value.lower() in key.lower() for value in personal), key

    with app.app_context():  # closed: another block, under a moved counter
        session = db.session()
        plan = session.get(Plan, plan_id)
        from portal.rules.vocabulary import CloseReason

        close_plan_now(plan, CloseReason.GOALS_MET, _staff_account(session, plan.convener_id))
        session.commit()
    sign_in(client, demo, "astrid")
    closed = _page(client, plan_id)
    assert "Planen är avslutad" in closed and "Det här kan du göra" not in closed
    assert purpose not in closed or "Möten som hölls" in closed
    with app.app_context():
        assert len(cache().entries()) == 4
        assert any("-closed-" in key for key in cache().entries())


def _content(page: str) -> str:
    """The page without what is per request (the CSRF token)."""
    return re.sub(r'name="csrf_token" value="[^"]*"|content="[^"]*"', "", page)


def test_a_read_served_from_the_cache_is_audited(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id, _purpose = _astrids_next_meeting(app)
    sign_in(client, demo, "astrid")
    before = _reads(app, plan_id)
    _page(client, plan_id)
    with app.app_context():
        hits = cache().hits
    _page(client, plan_id)
    _page(client, plan_id)
    with app.app_context():
        assert cache().hits == hits + 2
    assert _reads(app, plan_id) == before + 3


def test_a_hit_costs_fewer_statements(client: PageClient, app: Flask, demo: Demo) -> None:
    from tests.web.test_person_query_count import counting

    plan_id, _purpose = _astrids_next_meeting(app)
    sign_in(client, demo, "astrid")
    with counting(app) as miss:
        _page(client, plan_id)
    with counting(app) as hit:
        _page(client, plan_id)
    # The account (1), the plan's row with the generation (1), facts (3), the audit (3)
    assert len(hit) <= 8, len(hit)
    assert len(hit) < len(miss), (len(hit), len(miss))


def test_no_service_updates_the_plan_aggregate_behind_the_listener() -> None:
    """A bulk UPDATE or DELETE bypasses the before_flush listener (ADR 0084)."""
    aggregate = (
        "Plan|PlanVersion|Goal|Intervention|OwnResponsibility|EvaluatedGoal|Meeting|"
        "MeetingParticipant|FollowUp|CoordinatorAssignment|ConsentEvent|PlanUnit|Staff|Unit|"
        "Relative|Individual"
    )
    bulk = re.compile(rf"sa\.(update|delete)\(\s*({aggregate})\b")
    services = Path(__file__).parents[2] / "portal" / "services"
    found = [
        f"{path.name}: {match.group(0)}"
        for path in services.glob("*.py")
        for match in bulk.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found

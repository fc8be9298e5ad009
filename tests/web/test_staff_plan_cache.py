"""The staff plan page keeps its body rendered (ADR 0120): a write to what it shows moves the
plan's counter (or the names' generation) and the page shows it; two staff members with other
rights never share a body; what comes from outside the plan's rows (news, invitations) and the
CSRF token are per request; the body cannot read the viewer or the request without failing; a
read served from the cache is audited all the same; and no key is personal."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import Markup

from portal import db
from portal.models import (
    AuditEvent,
    Individual,
    Meeting,
    Notification,
    Plan,
    PlanVersion,
    Staff,
    Unit,
)
from portal.models.audit_types import EventType
from portal.rules.vocabulary import MeetingStatus, PlanState
from portal.services import meetings as meeting_service
from portal.web import kept
from portal.web.fingerprint import PerRequestReadError
from portal.web.staff import plan_body
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.support.plans import staff_account

KEY = re.compile(r"^staff-plan:\d+:\d+\.\d+:\d+:\d+:[a-z]{2}:[0-9a-f]{32}$")
STAFF = ("eva", "fatima", "maria", "peter", "ingrid")


def _gunnels_plan(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == "Gunnel", Plan.state == PlanState.FOLLOWING_UP)
        )


def _page(client: PageClient, plan_id: int) -> str:
    return client.get_page(f"/staff/plans/{plan_id}").text


def _html(client: PageClient, plan_id: int) -> str:
    response = client.get(f"/staff/plans/{plan_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def _cache(app: Flask) -> kept.ContentCache:
    with app.app_context():
        return kept.cache(plan_body.CACHE)


def test_a_write_to_what_the_page_shows_is_shown(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id = _gunnels_plan(app)
    sign_in(client, demo, "fatima")
    shown = _page(client, plan_id)
    assert _page(client, plan_id) == shown  # a hit: what the miss rendered

    def write(change, text, present: bool = True) -> None:
        nonlocal shown
        with app.app_context():
            change(db.session())
            db.session().commit()
        _html(client, plan_id)
        page = _html(client, plan_id)  # the second from the cache, if the key did not move
        text = text() if callable(text) else text
        assert (text in page) is present, (change.__name__, text)
        shown = page

    def rename_convener(session: sa.orm.Session) -> None:  # a name: the generation
        session.get(Staff, session.get(Plan, plan_id).convener_id).given_name = "Omdöpt"

    write(rename_convener, "Omdöpt")

    def rename_unit(session: sa.orm.Session) -> None:
        staff = session.get(Staff, session.get(Plan, plan_id).convener_id)
        session.get(Unit, staff.unit_id).name = "Nya enheten"

    write(rename_unit, "Nya enheten")

    meeting_id = None

    def cancel_meeting(session: sa.orm.Session) -> None:  # the plan's rows: its counter
        nonlocal meeting_id
        meeting = session.scalar(
            sa.select(Meeting)
            .where(Meeting.plan_id == plan_id, Meeting.status == MeetingStatus.PLANNED)
            .order_by(Meeting.starts_at)
        )
        if meeting is None:
            pytest.skip("the demo's plan has no planned meeting")
        meeting_id = meeting.id
        assert f"/meetings/{meeting_id}/edit" in _html(client, plan_id)
        meeting_service.cancel(
            meeting=meeting,
            expected_version=meeting.row_version,
            reason="Sjuk",
            by=staff_account(session, "Fatima"),
        )

    write(cancel_meeting, lambda: f"/meetings/{meeting_id}/edit", present=False)

    def rename_individual(session: sa.orm.Session) -> None:
        session.get(Individual, session.get(Plan, plan_id).individual_id).given_name = "Gunnvor"

    write(rename_individual, "Gunnvor")


def _other_viewer(client: PageClient, demo: Demo, plan_id: int) -> str:
    for name in STAFF:
        if name == "fatima":
            continue
        sign_in(client, demo, name)
        if client.get(f"/staff/plans/{plan_id}").status_code == 200:
            return name
    pytest.skip("no other staff member of the demo sees Gunnel's plan")


def test_viewers_with_other_rights_and_locales_get_their_own_body(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id = _gunnels_plan(app)
    other = _other_viewer(client, demo, plan_id)
    sign_in(client, demo, "fatima")
    leader = _page(client, plan_id)
    english = client.get_page(f"/staff/plans/{plan_id}?lang=en").text
    client.get_page(f"/staff/plans/{plan_id}?lang=sv")
    sign_in(client, demo, other)
    colleague = _page(client, plan_id)

    assert "Avsluta planen" in leader  # the coordinator closes the plan
    assert "Avsluta planen" not in colleague
    assert "Planen avslutas av samordningsansvarig" in colleague
    assert "Den enskilde" not in english and "Plan SIP" in english
    with app.app_context():
        keys = kept.cache(plan_body.CACHE).entries()
        person = db.session().scalar(sa.select(Individual).join(Plan).where(Plan.id == plan_id))
        personal = [person.given_name, person.family_name, person.personal_identity_number]
    assert len(keys) == 3, keys  # the leader's in Swedish and English, the colleague's
    for key in keys:
        assert KEY.match(key), key
        assert not any(value.lower() in key.lower() for value in personal), key


def test_news_and_the_csrf_token_are_each_viewers_own(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id = _gunnels_plan(app)
    other = _other_viewer(client, demo, plan_id)
    sign_in(client, demo, "fatima")
    before = _html(client, plan_id)
    with app.app_context():
        session = db.session()
        account = staff_account(session, "Fatima")
        session.add(Notification(account_id=account.id, plan_id=plan_id, kind="consent.given"))
        session.commit()
    mine = _html(client, plan_id)
    assert "Nytt sedan sist" in mine and "Nytt sedan sist" not in before
    tokens = _tokens(mine)
    assert len(tokens) == 1, tokens  # every form of the page, the kept body's too, has it
    assert "sip-csrf-" not in mine and "sip-slot-" not in mine

    sign_in(client, demo, other)
    theirs = _html(client, plan_id)
    assert "Nytt sedan sist" not in theirs  # the message is Fatima's
    assert _tokens(theirs) and _tokens(theirs).isdisjoint(tokens)
    assert "sip-csrf-" not in theirs and "sip-slot-" not in theirs


def test_a_read_served_from_the_cache_is_audited(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    plan_id = _gunnels_plan(app)
    sign_in(client, demo, "fatima")

    def reads() -> int:
        with app.app_context():
            return db.session().scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(
                    AuditEvent.type == EventType.PLAN_READ.value, AuditEvent.object_id == plan_id
                )
            )

    before = reads()
    _page(client, plan_id)
    hits = _cache(app).hits
    _page(client, plan_id)
    _page(client, plan_id)
    assert _cache(app).hits == hits + 2
    assert reads() == before + 3


@pytest.mark.parametrize(
    "source",
    [
        "{{ current_user.name }}",
        "{% if request.args.get('x') %}x{% endif %}",
        "{{ session['locale'] }}",
        "{% isolated 'li' %}<li>{{ g.x }}</li>{% endisolated %}",  # not hidden as a left-out row
        "{{ acting_for }}",
    ],
)
def test_the_kept_body_cannot_read_the_viewer_or_the_request(app: Flask, source: str) -> None:
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(source)
        with pytest.raises(PerRequestReadError):
            template.render(**kept.REFUSING)


def test_a_slot_is_a_marker_nobody_can_type(app: Flask) -> None:
    with app.test_request_context("/"):
        typed = Markup(" &lt;!--sip-slot-x-news--&gt;")  # what a field with a marker shows
        block = Markup(kept._marker("news")) + typed
        filled = kept.filled(block, {"news": "<p>Nytt</p>"}, ("news",))
    assert str(filled).startswith("<p>Nytt</p>") and "&lt;!--sip-slot-x-news--&gt;" in filled


def test_a_signed_version_without_a_verification_code_shows_no_none(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    """A version signed before verification codes (the demo's first version) shows its
    signing, not "Kontrollkod None" (issue 12: no stored value breaks a page)."""
    plan_id = _gunnels_plan(app)
    with app.app_context():
        codes = db.session().scalars(
            sa.select(PlanVersion.verification_code).where(
                PlanVersion.plan_id == plan_id, PlanVersion.signed_at.is_not(None)
            )
        )
        assert None in list(codes), "the demo signs a version without a code"
    sign_in(client, demo, "fatima")
    for path in (f"/staff/plans/{plan_id}", f"/staff/plans/{plan_id}?lang=en"):
        text = client.get_page(path).text
        assert "Signerad" in text or "Signed" in text
        assert "None" not in text


def test_a_kept_body_is_never_served_to_staff_who_may_not_see_the_plan(
    client: PageClient, app: Flask, demo: Demo
) -> None:
    """Access is decided before the cache is asked: with Fatima's body kept, a staff member
    outside the plan (no consent for their unit, not its convener or coordinator) who has the
    plan's link gets 404 and nothing of the body, a hit or not."""
    plan_id = _gunnels_plan(app)
    sign_in(client, demo, "fatima")
    kept_body = _page(client, plan_id)
    assert _cache(app).entries()
    for name in STAFF:
        sign_in(client, demo, name)
        if client.get(f"/staff/plans/{plan_id}").status_code == 404:
            break
    else:
        pytest.skip("every staff member of the demo sees Gunnel's plan")
    for _ in range(2):
        response = client.get(f"/staff/plans/{plan_id}")
        assert response.status_code == 404
        assert "Gunnel" not in response.get_data(as_text=True)
    assert "Gunnel" in kept_body


@pytest.mark.parametrize("started", ["yes", "2", "%00", "1%0A", "1&started=1"])
def test_a_started_flag_that_is_not_the_start_forms_is_no_next_step(
    client: PageClient, app: Flask, demo: Demo, started: str
) -> None:
    """`?started=1` (the start form's redirect) shows the next step; any other value is no
    flag and never a 500, and the next plain request shows no next step (it is in the key)."""
    plan_id = _gunnels_plan(app)
    sign_in(client, demo, "fatima")
    assert "SIP:en är startad" in client.get_page(f"/staff/plans/{plan_id}?started=1").text
    assert "SIP:en är startad" not in client.get_page(f"/staff/plans/{plan_id}").text
    hostile = client.get_page(f"/staff/plans/{plan_id}?started={started}").text
    # A value is read trimmed (as every field is): "1\n" is the flag
    assert ("SIP:en är startad" in hostile) is (started in ("1%0A", "1&started=1"))

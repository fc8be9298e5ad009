"""Every endpoint × every role: the expected answer, written out. An endpoint missing here fails.

A = allowed through (any answer but 403/404/sign-in), D = 403, N = 404 (the object is not
theirs, and its existence is not told), S = sent to sign in. Roles: anonymous, individual
(Astrid), relative (Karin, acts for Astrid), representative (Per, god man for Gunnel), staff
of the region (Eva, health centre) and of the municipality (Peter, home help, unit admin).
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    ConsentEvent,
    CoordinatorAssignment,
    Delegation,
    FollowUp,
    Individual,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanRequest,
    PlanVersion,
    Staff,
)
from portal.rules.deadlines import acknowledgement_due
from portal.rules.vocabulary import ConsentMethod, ConsentStatus, PlanState, RequestKind
from portal.services.coordinators import hand_over
from portal.services.invitations import create_invitation
from portal.timeutil import now, today_stockholm
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.support.plans import sign_as_previewed

ROLES = ["anonymous", "karin", "per", "eva", "peter", "astrid"]
PUBLIC = dict.fromkeys(ROLES, "A")
PERSON = {"anonymous": "S", "karin": "A", "per": "A", "eva": "D", "peter": "D", "astrid": "A"}
MANAGER = {**PERSON, "karin": "D"}
SIGNED_IN = {**dict.fromkeys(ROLES, "A"), "anonymous": "S"}
OWN_OBJECT = {**dict.fromkeys(ROLES, "N"), "anonymous": "S"}
STAFF = {"anonymous": "S", "karin": "D", "per": "D", "eva": "A", "peter": "A", "astrid": "D"}

EXPECTED: dict[str, dict[str, str]] = {
    "public.landing": PUBLIC,
    "public.accessibility_statement": PUBLIC,
    "public.report_accessibility_problem": PUBLIC,
    "staff.accessibility_reports": STAFF,
    "staff.accessibility_report_handled": {**STAFF, "eva": "N", "peter": "N"},
    "public.sign_in": PUBLIC,
    "demo.demo_sign_in": PUBLIC,
    "public.sign_in_options": PUBLIC,
    "public.sign_in_with_passkey": PUBLIC,
    "public.enter_code": PUBLIC,
    "public.submit_code": PUBLIC,
    "public.register_from_invitation": PUBLIC,
    "public.invitation_passkey_options": PUBLIC,
    "public.finish_invitation": PUBLIC,
    "public.healthz": PUBLIC,
    # e-legitimation: not configured in the matrix's app, so not found for everyone
    "public.eid_start": dict.fromkeys(ROLES, "N"),
    "public.eid_callback": dict.fromkeys(ROLES, "N"),
    "public.eid_passkey": dict.fromkeys(ROLES, "A"),
    "public.eid_passkey_options": dict.fromkeys(ROLES, "A"),
    "public.eid_finish": dict.fromkeys(ROLES, "A"),
    "public.manifest": PUBLIC,
    "public.offline": PUBLIC,
    "public.service_worker": PUBLIC,
    "public.switch_language": PUBLIC,
    "static": PUBLIC,
    "public.sign_out": SIGNED_IN,
    "public.account": SIGNED_IN,
    "public.new_passkey_options": SIGNED_IN,
    "public.add_passkey": SIGNED_IN,
    "public.sign_out_everywhere": SIGNED_IN,
    "public.confirm_options": SIGNED_IN,
    "public.confirm_with_passkey": SIGNED_IN,
    "public.rename_passkey": OWN_OBJECT,
    "public.remove_passkey": OWN_OBJECT,
    "person.home": PERSON,
    "person.notifications_seen": PERSON,
    "person.plan": {**PERSON, "per": "N"},  # Astrid's plan: not Gunnel's
    "person.access_log": MANAGER,
    "person.access_log_pdf": MANAGER,
    "person.relatives": MANAGER,
    "person.invite_relative": MANAGER,
    "person.revoke_relative": {**MANAGER, "per": "N"},  # Karin's delegation is Astrid's
    "person.confirm_revoke_relative": {**MANAGER, "per": "N"},
    "person.choose_person": {**PERSON, "astrid": "D"},
    "person.act_for": {**PERSON, "astrid": "D", "per": "D"},  # acting for Astrid
    "staff.plans": STAFF,
    "staff.plan": STAFF,
    "staff.new_account_invitation": STAFF,
    "staff.create_account_invitation": STAFF,
    # A letter nobody asked for through the four-eyes route: nothing to approve or print.
    # Peter administers home help; Eva is not a unit administrator. The account is Eva's (not
    # of Peter's unit: refused).
    "staff.unit_staff": {**STAFF, "eva": "D"},
    "staff.disable_staff": {**STAFF, "eva": "D", "peter": "D"},
    "staff.approve_account_invitation": {**STAFF, "eva": "D", "peter": "D"},
    "staff.print_account_invitation": {**STAFF, "eva": "D", "peter": "D"},
    "staff.new_representative": STAFF,
    "staff.record_representative": STAFF,
    "staff.representatives": STAFF,
    # Gunnel's plan and Karin's delegation (for Astrid): no representative of Gunnel's
    "staff.confirm_end_representative": {**STAFF, "eva": "N", "peter": "N"},
    "staff.end_representative": {**STAFF, "eva": "N", "peter": "N"},
    "staff.revoke_account_invitation": STAFF,
    "staff.version_pdf": STAFF,
    "staff.sign": {**STAFF, "eva": "D", "peter": "D"},  # only Fatima, the coordinator, signs
    "staff.confirm_signing": {**STAFF, "eva": "D", "peter": "D"},  # the preview: Fatima
    "person.version_pdf": {**PERSON, "karin": "N", "astrid": "N"},  # Gunnel's plan: Per's
    "person.consent": {**PERSON, "karin": "N", "astrid": "N"},  # Gunnel's plan: Per's
    "person.confirm_withdrawal": {**PERSON, "karin": "N", "astrid": "N"},
    "person.change": {**PERSON, "karin": "N", "astrid": "N"},
    "person.prepare": {**PERSON, "karin": "N", "astrid": "N"},
    "person.save_preparation": {**PERSON, "karin": "N", "astrid": "N"},
    "person.save_draft": {**PERSON, "karin": "N", "astrid": "N"},
    "person.requests": {**PERSON, "karin": "N", "astrid": "N"},
    "person.send_request": {**PERSON, "karin": "N", "astrid": "N"},
    "person.coordinator_wish": {**PERSON, "karin": "N", "astrid": "N"},
    "person.save_coordinator_wish": {**PERSON, "karin": "N", "astrid": "N"},
    "person.meeting_ics": {**PERSON, "karin": "N", "astrid": "N"},
    "person.follow_up_ics": {**PERSON, "karin": "N", "astrid": "N"},
    "person.calendar_page": PERSON,
    "person.create_feed": PERSON,
    "person.revoke_feed": PERSON,
    "public.calendar_feed": dict.fromkeys(ROLES, "N"),  # without a valid key: not found
    "public.verify": PUBLIC,
    "public.verify_lookup": PUBLIC,
    "public.verify_code": PUBLIC,
    "public.verify_file": PUBLIC,
    # closing, new episode, short-term stay (issue 5, helper 5). Gunnel's plan: Fatima, the
    # coordinator, closes it; Eva (health centre) starts a new episode; nobody defers it (it is
    # following up); Eva (district nurse) may record a health-care-only re-assessment, but the
    # plan is not deferred, so she is sent back to the plan page.
    "staff.close_plan": {**STAFF, "eva": "D", "peter": "D"},
    "staff.new_episode": {**STAFF, "peter": "D"},
    "staff.defer_plan": {**STAFF, "eva": "D", "peter": "D"},
    "staff.reassess": {**STAFF, "peter": "D"},
    # Staff worklist, starting a SIP, staff-recorded consent (issue 5, helper 2)
    "staff.worklist": STAFF,
    "staff.start": STAFF,
    "staff.consent": STAFF,  # Gunnel's plan: Eva convenes, Peter's unit has consent
    "staff.add_unit": {**STAFF, "eva": "D", "peter": "D"},  # Fatima leads Gunnel's plan
    "staff.acknowledge_request": {**STAFF, "peter": "D"},  # Astrid's: Eva leads it
    "staff.handle_withdrawal": {**STAFF, "eva": "D"},  # Peter's unit withdrew; Fatima leads
    "staff.acknowledge_call": {**STAFF, "eva": "D"},  # Peter's own call only
    # Coordinator: choice, handover, acceptance (Gunnel's plan; Fatima coordinates)
    "staff.coordinator": STAFF,
    "staff.hand_over": {**STAFF, "eva": "D", "peter": "D"},  # only Fatima hands over
    # A handover from Fatima to Peter waits: only Peter, the receiver, accepts or declines
    # (Eva convenes the plan but does not lead it now).
    "staff.accept_handover": {**STAFF, "eva": "D"},
    "staff.decline_handover": {**STAFF, "eva": "D"},
    # Meeting invitations (helper 3). Gunnel's plan: Eva convened its first meeting (held),
    # Fatima coordinates. Anyone of the plan's units calls a home-health handover meeting;
    # only the meeting's convener or whoever leads changes it (Eva: held → sent to view it;
    # cancel without the row version → 409 conflict).
    "staff.new_meeting": STAFF,
    "staff.meeting": STAFF,
    "staff.edit_meeting": {**STAFF, "peter": "D"},
    "staff.cancel_meeting": {**STAFF, "peter": "D"},
    # Meeting record and follow-up (issue 5, helper 4): Gunnel's plan is led by Fatima, her
    # coordinator; Eva (convener) and Peter (home help) see it but may not record or revise it.
    "staff.notifications_seen": STAFF,  # one's own messages about a plan one may see
    "staff.record_meeting": {**STAFF, "eva": "D", "peter": "D"},
    "staff.save_meeting_record": {**STAFF, "eva": "D", "peter": "D"},
    "staff.record_suggestion": {**STAFF, "eva": "D", "peter": "D"},
    "staff.edit_version": {**STAFF, "eva": "D", "peter": "D"},
    "staff.save_version": {**STAFF, "eva": "D", "peter": "D"},
    "staff.follow_up": {**STAFF, "eva": "D", "peter": "D"},
    "staff.save_follow_up": {**STAFF, "eva": "D", "peter": "D"},
    # Reaching people (issue 16): one's own addresses (another's, or none: not found); failed
    # messages only for a system administrator (none of these roles); the demo's outbox.
    "public.notices": SIGNED_IN,
    "public.add_address": SIGNED_IN,
    "public.subscribe_push": SIGNED_IN,
    "public.quiet_hours": SIGNED_IN,  # one's own setting: a forged value is refused (400)
    "public.confirm_address": {**OWN_OBJECT, "astrid": "A"},
    "public.resend_code": {**OWN_OBJECT, "astrid": "A"},
    "public.switch_address": {**OWN_OBJECT, "astrid": "A"},
    "public.remove_address": {**OWN_OBJECT, "astrid": "A"},
    "demo.demo_outbox": PUBLIC,
    "staff.failed_messages": {**dict.fromkeys(ROLES, "D"), "anonymous": "S"},
    "staff.retry_message": {**dict.fromkeys(ROLES, "D"), "anonymous": "S"},
}
SIGNED_FIRST = {"person.version_pdf", "public.verify_code"}
HANDOVER_WAITING = {"staff.accept_handover", "staff.decline_handover"}


def _assignment_id(app: Flask, plan_id: int, waiting: bool) -> int:
    """Fatima's term on Gunnel's plan; or, when asked, a handover from her to Peter."""
    with app.app_context():
        session = db.session()
        if not waiting:
            return session.scalar(
                sa.select(CoordinatorAssignment.id).where(CoordinatorAssignment.plan_id == plan_id)
            )
        fatima, peter = (
            session.scalar(sa.select(Account).join(Staff).where(Staff.given_name == name))
            for name in ("Fatima", "Peter")
        )
        return hand_over(
            plan=session.get(Plan, plan_id),
            to=peter.staff,
            reason="Hemtjänsten är mest hos Gunnel nu.",
            effective_on=today_stockholm(),
            by=fatima,
        ).id


def _gunnel_draft(app: Flask, *, sign: bool) -> PlanVersion:
    """Gunnel's draft version 2; signed by Fatima, her coordinator, when asked."""
    with app.app_context():
        session = db.session()
        draft = session.scalar(
            sa.select(PlanVersion)
            .join(Plan)
            .join(Individual)
            .where(Individual.given_name == "Gunnel", PlanVersion.number == 2)
        )
        if sign:
            fatima = session.scalar(
                sa.select(Account).join(Staff).where(Staff.given_name == "Fatima")
            )
            sign_as_previewed(draft, fatima)
        session.expunge(draft)
        return draft


def _arguments(app: Flask, endpoint: str = "") -> dict[str, Any]:
    version = _gunnel_draft(app, sign=endpoint in SIGNED_FIRST)
    with app.app_context():
        session = db.session()
        gunnel = session.scalar(sa.select(Individual).where(Individual.given_name == "Gunnel"))
        astrid_plan = session.scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == "Astrid", Plan.state != PlanState.CLOSED)
        )
        astrid_id = session.scalar(
            sa.select(Individual.id).where(Individual.given_name == "Astrid")
        )
        gunnel_plan = session.scalar(sa.select(Plan.id).where(Plan.individual_id == gunnel.id))
        karin = session.scalar(
            sa.select(Delegation.id).join(Delegation.relative).where(sa.text("given_name='Karin'"))
        )
        issued = create_invitation(individual=gunnel, by=None)
        gunnel_meeting = session.scalar(sa.select(Meeting.id).where(Meeting.plan_id == gunnel_plan))
        gunnel_follow_up = session.scalar(
            sa.select(FollowUp.id).where(FollowUp.plan_id == gunnel_plan)
        )
        own = _worklist_objects(endpoint, astrid_plan, gunnel_plan)
        return {
            **own,
            "plan_id": gunnel_plan,
            "person_plan_id": astrid_plan,
            "delegation_id": karin,
            "invitation_id": issued.invitation.id,
            "token": issued.token,
            "passkey_id": 999_999,
            "report_id": 999_999,  # no such report: staff get 404, everyone else is stopped first
            "point_id": _astrid_point(),
            "message_id": 999_999,
            "account_id": session.scalar(
                sa.select(Account.id).join(Staff).where(Staff.given_name == "Eva")
            ),
            "lang": "en",
            "filename": "css/portal.css",
            "individual": str(astrid_id),
            "version_id": version.id,
            "number": version.number,
            "code": version.verification_code or "0000-0000-00",
            "meeting_id": gunnel_meeting,
            "follow_up_id": gunnel_follow_up,
            "assignment_id": _assignment_id(app, gunnel_plan, endpoint in HANDOVER_WAITING),
        }


def _astrid_point() -> int:
    """Astrid's confirmed e-mail address: hers alone (anyone else gets 404)."""
    from portal.models import ContactPoint

    astrid = db.session().scalar(
        sa.select(Account.id).join(Individual).where(Individual.given_name == "Astrid")
    )
    return db.session().scalar(sa.select(ContactPoint.id).where(ContactPoint.account_id == astrid))


def _worklist_objects(endpoint: str, astrid_plan: int, gunnel_plan: int) -> dict[str, int]:
    """A request on Astrid's plan, a withdrawal by Peter's unit on Gunnel's, Peter's call."""
    session = db.session()
    peter = session.scalar(sa.select(Staff).where(Staff.given_name == "Peter"))
    found = {"request_id": 0, "event_id": 0, "participant_id": 0}
    if endpoint == "staff.acknowledge_request":
        sent = now()
        request = PlanRequest(
            plan_id=astrid_plan,
            kind=RequestKind.SOONER_FOLLOW_UP,
            written_by_account_id=session.scalar(sa.select(Account.id)),
            acknowledgement_due_at=acknowledgement_due(sent),
        )
        session.add(request)
        session.commit()
        found["request_id"] = request.id
    if endpoint == "staff.handle_withdrawal":
        event = ConsentEvent(
            plan_id=gunnel_plan,
            unit_id=peter.unit_id,
            status=ConsentStatus.WITHDRAWN,
            method=ConsentMethod.DIGITAL,
            effective_at=now(),
            recorded_by_account_id=session.scalar(sa.select(Account.id)),
        )
        session.add(event)
        session.commit()
        found["event_id"] = event.id
    found["participant_id"] = session.scalar(
        sa.select(MeetingParticipant.id)
        .join(Meeting)
        .where(Meeting.plan_id == gunnel_plan, MeetingParticipant.staff_id == peter.id)
        .order_by(Meeting.starts_at.desc())
    )
    return found


def _url(app: Flask, endpoint: str, args: dict[str, Any]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: args[name] for name in rule.arguments}
    if endpoint == "person.plan":
        values["plan_id"] = args["person_plan_id"]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def _outcome(response: Any) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and location.endswith("/sign-in"):
        return "S"
    return {403: "D", 404: "N"}.get(response.status_code, "A")


def test_matrix_lists_every_endpoint(app: Flask) -> None:
    assert sorted(EXPECTED) == sorted(r.endpoint for r in app.url_map.iter_rules())


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_endpoint_answers_each_role_as_expected(endpoint: str, app: Flask, demo: Demo) -> None:
    args = _arguments(app, endpoint)
    url = _url(app, endpoint, args)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    method = "GET" if "GET" in rule.methods else "POST"
    answers = {}
    for role in ROLES:
        client = PageClient(app.test_client())
        if role != "anonymous":
            sign_in(client, demo, role)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post_form(url, {"individual": args["individual"]})
        answers[role] = _outcome(response)
    assert answers == EXPECTED[endpoint]

"""Every kind of message issue 16 lists, from its cause to what arrives (points 2 and 3).

One row per kind: the test makes the change through the web (or, where the web needs a
device, through the service the web calls; the clock's causes through the scheduler at a
moved clock), runs the worker, and reads what reached a real SMTP server (aiosmtpd), the
46elks fake and the push service (VAPID checked, payload decrypted). Every person told has
a confirmed address on every channel (staff: e-mail), so each message is read three times:
headers and encoding, the person's language, a link into the portal, and nothing of
ADR 0093's list (a name, an identity number, a plan number, an address, a unit, any plan
text, a health word) in the subject, the body, the SMS or the push payload.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from sqlalchemy.orm import Session

from portal import db as portal_db
from portal.models import (
    Account,
    ContactPoint,
    Delegation,
    FollowUp,
    Individual,
    Meeting,
    MeetingParticipant,
    OutboxMessage,
    Passkey,
    Plan,
    PlanRequest,
    Relative,
    Unit,
)
from portal.rules import notices
from portal.rules.vocabulary import MeetingStatus, PlanState, Scope
from portal.services import scheduler
from portal.timeutil import STOCKHOLM, now, today_stockholm
from portal.worker import deliver_due
from tests.conftest import Demo, sign_in
from tests.support.clock import daytime  # noqa: F401 (autouse)
from tests.support.pages import PageClient
from tests.support.privacy import forbidden
from tests.support.servers import (
    SMS_PASSWORD,
    SMS_USER,
    Device,
    push_service,
    sms_gateway,
    smtp_server,
)

ENGLISH = "astrid"  # Astrid reads English: her messages come in English


@contextmanager
def data(app: Flask) -> Iterator[Session]:
    with app.app_context():
        yield portal_db.session()


@dataclass
class World:
    app: Flask
    demo: Demo
    smtp: Any = None
    gateway: Any = None
    push: Any = None
    devices: dict[str, Device] = field(default_factory=dict)
    clients: dict[str, PageClient] = field(default_factory=dict)

    def client(self, name: str) -> PageClient:
        if name not in self.clients:
            client = PageClient(self.app.test_client())
            sign_in(client, self.demo, name)
            self.clients[name] = client
        return self.clients[name]

    def plan_id(self, given_name: str) -> int:
        with data(self.app) as db:
            return db.scalar(
                sa.select(Plan.id)
                .join(Individual)
                .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
            )

    def scheduler_at(self, moment: datetime) -> None:
        with time_machine.travel(moment, tick=False), data(self.app):
            scheduler.run(now())


def _first_name(account: Account) -> str:
    return account.name.split()[0].lower()


# ---- the causes -------------------------------------------------------------------------


def _call_astrids_first_meeting(world: World) -> int:
    """Eva calls Astrid's first meeting through the meeting form (her earlier one cancelled)."""
    from tests.support.meeting_forms import invitation_form

    plan_id = world.plan_id("Astrid")
    with data(world.app) as db:
        for meeting in db.scalars(sa.select(Meeting).where(Meeting.plan_id == plan_id)):
            meeting.status = MeetingStatus.CANCELLED
        db.commit()
    response = world.client("eva").post_form(
        f"/staff/plans/{plan_id}/meetings/new?kind=first", invitation_form(world.app)
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return plan_id


def _planned_meeting(world: World, given_name: str) -> tuple[int, int]:
    with data(world.app) as db:
        meeting = db.scalar(
            sa.select(Meeting)
            .where(
                Meeting.plan_id == world.plan_id(given_name),
                Meeting.status == MeetingStatus.PLANNED,
            )
            .order_by(Meeting.starts_at.desc())
        )
        return meeting.id, meeting.row_version


def meeting_called(world: World) -> None:
    _call_astrids_first_meeting(world)


def meeting_changed(world: World) -> None:
    from tests.support.meeting_forms import invitation_form

    meeting_id, version = _planned_meeting(world, "Astrid")
    form = invitation_form(world.app, starts="13:00", ends="14:00", row_version=str(version))
    response = world.client("eva").post_form(f"/staff/meetings/{meeting_id}/edit", form)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def meeting_cancelled(world: World) -> None:
    meeting_id, version = _planned_meeting(world, "Astrid")
    response = world.client("eva").post_form(
        f"/staff/meetings/{meeting_id}/cancel",
        {"reason": "Astrid är inlagd på sjukhuset igen.", "row_version": str(version)},
    )
    assert response.status_code == 303


def _ingrid_meeting_starts(world: World) -> datetime:
    with data(world.app) as db:
        return db.scalar(
            sa.select(Meeting.starts_at).join(Plan).where(Plan.number == "SIP-2026-0014")
        )


def reminder_day_before(world: World) -> None:
    world.scheduler_at(_ingrid_meeting_starts(world) - timedelta(hours=23))


def reminder_two_hours_before(world: World) -> None:
    world.scheduler_at(_ingrid_meeting_starts(world) - timedelta(minutes=90))


def _sign_gunnels_plan(world: World) -> None:
    from tests.support.plans import gunnel_version, sign_as_previewed, staff_account

    with data(world.app) as db:
        sign_as_previewed(gunnel_version(db), staff_account(db, "Fatima"))


def plan_signed(world: World) -> None:
    _sign_gunnels_plan(world)


def follow_up_coming_up(world: World) -> None:
    _sign_gunnels_plan(world)
    with data(world.app) as db:
        due_on = db.scalar(
            sa.select(FollowUp.due_on).where(
                FollowUp.plan_id == world.plan_id("Gunnel"), FollowUp.done_at.is_(None)
            )
        )
    world.scheduler_at(datetime.combine(due_on - timedelta(days=6), time(10), tzinfo=STOCKHOLM))


def request_answered(world: World) -> None:
    from portal.services.coordinators import leader_of

    plan_id = world.plan_id("Astrid")
    sent = world.client("astrid").post_form(
        f"/me/plans/{plan_id}/requests",
        {"kind": "sooner_follow_up", "message": "Min höft värker, kan vi ses tidigare?"},
    )
    assert sent.status_code == 303
    with data(world.app) as db:
        request_id = db.scalar(sa.select(PlanRequest.id).where(PlanRequest.plan_id == plan_id))
        leader = leader_of(db.get(Plan, plan_id)).given_name.lower()
    answered = world.client(leader).post_form(
        f"/staff/requests/{request_id}/acknowledge",
        {"response": "Vi ringer dig i morgon om höften."},
    )
    assert answered.status_code == 303


def coordinator_appointed(world: World) -> None:
    """Eva records Astrid's first meeting: Lena is appointed coordinator."""
    from tests.web.test_meeting_record import _form, _ids

    ids = _ids(world.app)
    response = world.client("eva").post_form(f"/staff/meetings/{ids['meeting']}/record", _form(ids))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def coordinator_handed_over(world: World) -> None:
    """Fatima hands Gunnel's plan over to Peter, who accepts."""
    from portal.models import CoordinatorAssignment
    from tests.web.test_coordinator_handover import _handover

    plan_id = world.plan_id("Gunnel")
    handed = world.client("fatima").post_form(
        f"/staff/plans/{plan_id}/coordinator", _handover(world.app)
    )
    assert handed.status_code == 303
    with data(world.app) as db:
        pending = db.scalar(
            sa.select(CoordinatorAssignment.id).where(CoordinatorAssignment.accepted_at.is_(None))
        )
    accepted = world.client("peter").post_form(f"/staff/coordinator-assignments/{pending}/accept")
    assert accepted.status_code == 303


def delegation_granted(world: World) -> None:
    """Astrid invites Olle; Olle redeems the letter (with his new passkey)."""
    from portal.services import access
    from portal.services.passkeys import NewCredential, redeem_invitation

    with data(world.app) as db:
        astrid = db.get(Account, world.demo.account_id("astrid"))
        issued = access.invite_relative(
            individual=astrid.individual,
            given_name="Olle",
            family_name="Berg",
            scopes=frozenset({Scope.VIEW_PLAN}),
            valid_until=None,
            by=astrid,
        )
        redeem_invitation(
            invitation=issued.invitation,
            credential=NewCredential(b"o" * 16, b"k", 0, "internal"),
            name="Telefon",
        )
        db.commit()


def _karins_delegation(world: World) -> int:
    with data(world.app) as db:
        return db.scalar(
            sa.select(Delegation.id).join(Relative).where(Relative.given_name == "Karin")
        )


def delegation_revoked_by_the_individual(world: World) -> None:
    response = world.client("astrid").post_form(
        f"/me/relatives/{_karins_delegation(world)}/revoke", {"confirmed": "yes"}
    )
    assert response.status_code == 303


def delegation_revoked_by_staff(world: World) -> None:
    from portal.services import access
    from tests.support.plans import staff_account

    with data(world.app) as db:
        delegation = db.get(Delegation, _karins_delegation(world))
        access.revoke_delegation(delegation=delegation, by=staff_account(db, "Eva"))


def delegation_revoked_by_the_representative(world: World) -> None:
    """Gunnel's relative Britt has an account; Per, her god man, removes Britt for her."""
    from portal.services import access
    from portal.services.passkeys import NewCredential, redeem_invitation

    with data(world.app) as db:
        gunnel = db.scalar(
            sa.select(Account).join(Individual).where(Individual.given_name == "Gunnel")
        )
        gunnel_id = gunnel.individual_id
        issued = access.invite_relative(
            individual=gunnel.individual,
            given_name="Britt",
            family_name="Berg",
            scopes=frozenset({Scope.VIEW_PLAN}),
            valid_until=None,
            by=gunnel,
        )
        delegation_id = issued.invitation.delegation_id
        britt = redeem_invitation(
            invitation=issued.invitation,
            credential=NewCredential(b"b" * 16, b"k", 0, "internal"),
            name="Telefon",
        )
        _reach_everywhere(db, britt, world.push, world)  # Britt gave her addresses
        db.commit()
    per = world.client("per")
    assert per.post_form("/me/acting-for", {"individual": str(gunnel_id)}).status_code == 303
    response = per.post_form(f"/me/relatives/{delegation_id}/revoke", {"confirmed": "yes"})
    assert response.status_code == 303


def passkey_added(world: World) -> None:
    from portal.services.passkeys import NewCredential, register_passkey

    with data(world.app) as db:
        register_passkey(
            account=db.get(Account, world.demo.account_id("astrid")),
            credential=NewCredential(b"a" * 16, b"k", 0, "internal"),
            name="Surfplatta",
        )
        db.commit()


def recovery_started(world: World) -> None:
    """Astrid lost her phone: Eva asks for a recovery letter (a colleague must approve)."""
    with data(world.app) as db:
        db.add(
            Passkey(
                account_id=world.demo.account_id("astrid"),
                credential_id=b"x" * 16,
                public_key=b"k",
                name="Telefon",
            )
        )
        db.commit()
    response = world.client("eva").post_form(
        f"/staff/plans/{world.plan_id('Astrid')}/account-invitation",
        {"identity_document": "passport"},
    )
    assert response.status_code == 303


def representative_recorded(world: World) -> None:
    from tests.web.test_trust_letters import _representative_form

    response = world.client("fatima").post_form(
        f"/staff/plans/{world.plan_id('Gunnel')}/representative", _representative_form()
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def _add_a_unit(world: World) -> tuple[int, int]:
    from tests.web.test_trust_plan_units import NOT_TAKING_PART, _ids

    plan_id, unit_id = _ids(world.app, NOT_TAKING_PART)
    response = world.client("eva").post_form(
        f"/staff/plans/{plan_id}/units", {"add_unit": str(unit_id)}
    )
    assert response.status_code == 303
    return plan_id, unit_id


def unit_added(world: World) -> None:
    """Eva adds Biståndshandläggningen to Astrid's plan (its name is in no message)."""
    _add_a_unit(world)


def consent_recorded_by_staff(world: World) -> None:
    plan_id, unit_id = _add_a_unit(world)
    yesterday = (today_stockholm() - timedelta(days=1)).isoformat()
    response = world.client("eva").post_form(
        f"/staff/plans/{plan_id}/consent",
        {"unit": str(unit_id), "status": "given", "effective_on": yesterday},
    )
    assert response.status_code == 303


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def morning_digest(world: World) -> None:
    day = _next_weekday(today_stockholm() + timedelta(days=1))
    world.scheduler_at(datetime.combine(day, time(8, 1), tzinfo=STOCKHOLM))


def acknowledgement_due(world: World) -> None:
    """Eva calls Lena and Anders; half an hour before their acknowledgement is due."""
    _call_astrids_first_meeting(world)
    meeting_id, _version = _planned_meeting(world, "Astrid")
    with data(world.app) as db:
        due = db.scalar(
            sa.select(sa.func.min(MeetingParticipant.acknowledgement_due_at)).where(
                MeetingParticipant.meeting_id == meeting_id,
                MeetingParticipant.acknowledged_at.is_(None),
            )
        )
    world.scheduler_at(due - timedelta(minutes=30))


def discharge_limit(world: World) -> None:
    """Eva starts Elsa's SIP after discharge (ready yesterday); the morning of the last day."""
    from portal.rules.deadlines import invitation_due_date
    from tests.web.test_start_plan import _start_form

    response = world.client("eva").post_form("/staff/start", _start_form(world.app))
    assert response.status_code == 303
    with data(world.app) as db:
        ready = db.scalar(
            sa.select(Plan.ready_for_discharge_at)
            .join(Individual)
            .where(Individual.given_name == "Elsa")
        )
    last = invitation_due_date(ready)
    world.scheduler_at(datetime.combine(last, time(9), tzinfo=STOCKHOLM))


@dataclass(frozen=True)
class Case:
    cause: Callable[[World], None]
    told: dict[str, frozenset[str]]  # kind -> the first names of those told


def _told(**kinds: str) -> dict[str, frozenset[str]]:
    return {kind.replace("__", "."): frozenset(names.split()) for kind, names in kinds.items()}


CASES = {
    "meeting called": Case(meeting_called, _told(meeting__invited="astrid karin")),
    "meeting changed": Case(meeting_changed, _told(meeting__changed="astrid karin")),
    "meeting cancelled": Case(meeting_cancelled, _told(meeting__cancelled="astrid karin")),
    "reminder the day before": Case(reminder_day_before, _told(meeting__reminder="ingrid")),
    "reminder two hours before": Case(reminder_two_hours_before, _told(meeting__reminder="ingrid")),
    "follow-up coming up": Case(follow_up_coming_up, _told(follow_up__soon="gunnel per")),
    "answer to a request": Case(request_answered, _told(request__answered="astrid karin")),
    "plan signed and ready": Case(plan_signed, _told(plan__signed="gunnel per")),
    "new coordinator appointed": Case(
        coordinator_appointed, _told(coordinator__appointed="astrid karin")
    ),
    "new coordinator handed over": Case(
        coordinator_handed_over, _told(coordinator__handed_over="gunnel per")
    ),
    "delegation granted": Case(delegation_granted, _told(delegation__granted="astrid")),
    "delegation revoked by the individual": Case(
        delegation_revoked_by_the_individual, _told(delegation__revoked="karin")
    ),
    "delegation revoked by staff": Case(
        delegation_revoked_by_staff, _told(delegation__revoked="karin", delegation__ended="astrid")
    ),
    "delegation revoked by the representative": Case(
        delegation_revoked_by_the_representative,
        _told(delegation__revoked="britt", delegation__ended="gunnel"),
    ),
    "passkey added": Case(passkey_added, _told(security__passkey_added="astrid")),
    "recovery started": Case(recovery_started, _told(security__recovery_started="astrid")),
    "representative recorded": Case(
        representative_recorded, _told(security__representative_recorded="gunnel")
    ),
    # not in the list, sent all the same (issue 11)
    "unit added to the plan": Case(unit_added, _told(plan__unit_added="astrid karin")),
    "consent recorded by staff": Case(
        consent_recorded_by_staff, _told(consent__recorded_by_staff="astrid karin")
    ),
    "staff: morning digest": Case(morning_digest, {}),
    "staff: acknowledgement due within two hours": Case(
        acknowledgement_due, _told(staff__acknowledgement_due="lena anders")
    ),
    "staff: invitation close to the three-day discharge limit": Case(
        discharge_limit, _told(staff__discharge_limit="eva")
    ),
}


# ---- the world the messages go out into ---------------------------------------------------


@dataclass
class Arrived:
    """One message as its receiver got it."""

    channel: str
    subject: str
    text: str  # everything a reader sees: subject and body, the SMS, the push title and body
    link: str


@pytest.fixture
def world(app: Flask, demo: Demo, tmp_path: Path) -> Iterator[World]:
    """Every individual and relative can be reached by e-mail, SMS and push; staff by e-mail."""
    with smtp_server(tmp_path) as smtp, sms_gateway() as gateway, push_service() as push:
        host = gateway.url.removeprefix("http://")
        app.config.update(
            SMTP_URL=smtp.url,
            SMTP_CA_FILE=smtp.ca_file,
            SMS_URL=f"http://{SMS_USER}:{SMS_PASSWORD}@{host}/a1/sms",
        )
        found = World(app, demo, smtp, gateway, push)
        with data(app) as db:
            people = db.scalars(sa.select(Account).where(Account.staff_id.is_(None))).all()
            for account in people:
                _reach_everywhere(db, account, push, found)
            db.get(Account, demo.account_id(ENGLISH)).locale = "en"
            db.commit()
        yield found


def _reach_everywhere(db: Session, account: Account, push: Any, world: World) -> None:
    have = {p.channel for p in db.scalars(sa.select(ContactPoint).filter_by(account_id=account.id))}
    if "email" not in have:
        db.add(_point(account, "email", f"person{account.id}@example.se"))
    if "sms" not in have:
        db.add(_point(account, "sms", f"+4670555{account.id:04d}"))
    endpoint, device = push.subscribe(f"device-{account.id}")
    world.devices[endpoint] = device
    point = _point(account, "push", endpoint)
    point.push_p256dh, point.push_auth = device.p256dh, _b64(device.auth)
    db.add(point)


def _b64(raw: bytes) -> str:
    from tests.support.servers import b64url

    return b64url(raw)


def _point(account: Account, channel: str, address: str) -> ContactPoint:
    return ContactPoint(
        account_id=account.id,
        channel=channel,
        address=address,
        confirmed_at=now(),
        show_details=channel == "email",
    )


def _deliver(world: World, messages: list[OutboxMessage]) -> None:
    latest = max([m.not_before for m in messages] + [now()])
    with data(world.app):
        while deliver_due("w", latest):
            pass


def _arrived(world: World, message: OutboxMessage, point: ContactPoint) -> list[Arrived]:
    """What reached the receiver: the e-mail by its Message-ID; the SMS and the push, which
    carry no id, by the address and the subject this kind has in the person's language."""
    from portal.channels.sms import e164
    from portal.message_text import render

    if message.channel == "email":
        mails = [m for m in world.smtp.messages if f"outbox-{message.id}@" in m["Message-ID"]]
        return [_read_mail(mail, message, point) for mail in mails]
    subject = render(message.kind, message.locale, message.params).subject
    if message.channel == "sms":
        return [
            Arrived("sms", subject, f["message"], _link_in(f["message"]))
            for f in world.gateway.received
            if f["to"] == e164(point.address) and f["message"].startswith(subject + ".")
        ]
    device = point.address.rsplit("/", 1)[-1]
    return [
        Arrived("push", p["title"], f"{p['title']}\n{p['body']}", p["url"])
        for p in world.push.received
        if p["device"] == device and p["title"] == subject
    ]


def _link_in(text: str) -> str:
    found = re.findall(r"https?://\S+", text)
    assert len(found) == 1, text
    return found[0]


def _read_mail(mail: Any, message: OutboxMessage, point: ContactPoint) -> Arrived:
    assert mail["To"] == point.address
    assert mail["From"] and mail["Date"] and mail["Subject"]
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["X-SIP-Kind"] == message.kind
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail["Content-Transfer-Encoding"] == "quoted-printable"
    assert mail["Content-Language"] == message.locale
    body = mail.get_content()
    return Arrived("email", mail["Subject"], f"{mail['Subject']}\n{body}", _link_in(body))


# ---- the test ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_message_from_its_cause_to_what_arrives(world: World, name: str) -> None:
    case = CASES[name]
    app = world.app
    with data(app) as db:
        before = db.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
        if any(kind in notices.SECURITY_KINDS for kind in case.told):
            # security notices cannot be switched off: every channel is switched off first
            db.execute(sa.update(ContactPoint).values(enabled=False))
            db.commit()
    case.cause(world)
    with data(app) as db:
        queued = db.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id > before).order_by(OutboxMessage.id)
        ).all()
        told: dict[str, set[str]] = {}
        for message in queued:
            told.setdefault(message.kind, set()).add(_first_name(message.account))
        if name == "staff: morning digest":
            assert told.get("staff.digest"), told  # each staff member with deadlines today
            wanted = {"staff.digest"}
        else:
            assert {k: told.get(k, set()) for k in case.told} == case.told, told
            wanted = set(case.told)
        mine = [m for m in queued if m.kind in wanted]
        for message in mine:
            # every address of the person told, on every channel; staff by e-mail only
            expected = {"email"} if message.account.staff_id else {"email", "sms", "push"}
            channels = {m.channel for m in mine if m.account_id == message.account_id}
            assert channels == expected, (message.kind, _first_name(message.account))
            # made in the day: nothing waits for quiet hours
            assert abs(message.not_before - message.created_at) < timedelta(seconds=5)
            params = json.loads(message.params)
            assert set(params) <= {"path", "when", "where", "count"}, params
        db.expunge_all()
    _deliver(world, mine)
    with data(app) as db:
        scan = forbidden(db)
        for message in mine:
            row = db.get(OutboxMessage, message.id)
            assert row.status == "sent", (row.kind, row.channel, row.last_error)
            point = db.get(ContactPoint, row.contact_point_id)
            [arrived] = _arrived(world, row, point)
            _check(app, db, row, point, arrived, scan)


def _check(app: Flask, db: Session, row: OutboxMessage, point, arrived: Arrived, scan) -> None:
    account = db.get(Account, row.account_id)
    english = account.locale == "en"
    assert row.locale == ("en" if english else "sv"), (row.kind, row.locale)
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert arrived.link.startswith(base + "/"), arrived.link
    path = arrived.link.removeprefix(base)
    assert re.fullmatch(r"/[a-z/_-]*", path), path  # no plan number, no id, no name
    if arrived.channel == "email":
        ending = "This message cannot be replied to." if english else "går inte att svara på"
        assert ending in arrived.text
        if english:
            assert "Det här" not in arrived.text and "SIP-portalen" not in arrived.text
    params = json.loads(row.params)
    text = arrived.text
    if params.get("where"):
        assert row.kind in notices.MEETING_KINDS and point.show_details
        assert params["where"] in text
        text = text.replace(params["where"], "")  # the place: only meeting messages, if chosen
    if "when" in params:
        assert row.kind in notices.MEETING_KINDS | notices.STAFF_KINDS
    leaked = scan.found_in(text)
    assert not leaked, (row.kind, row.channel, leaked, arrived.text)


def test_the_privacy_scan_finds_each_thing_it_looks_for(app: Flask, demo: Demo) -> None:
    """The scan is not blind: a name, an identity number (any shape), a plan number, a unit,
    a part of a plan text and a health word are each found; a clean message is not."""
    from portal.message_text import render

    with data(app) as db:
        scan = forbidden(db)
        pin = db.scalar(
            sa.select(Individual.personal_identity_number).where(Individual.given_name == "Astrid")
        )
        unit = db.scalar(sa.select(sa.func.max(Unit.name)))
        purpose = db.scalar(sa.select(Meeting.purpose).where(Meeting.purpose != ""))
        leaks = {
            "Hej Astrid!": "Astrid",
            f"Personnummer {pin[:8]}-{pin[8:]}": pin[:8],
            f"({pin[2:]})": pin[2:],
            "Planen SIP-2026-0014 är klar": "SIP-2026-0014",
            "Mötet på Hemsjukvården Norrsund": "hemsjukvård",
            f"Syfte: {purpose}": purpose,
            "Om diabetesen": "diabetes",
            "He was admitted to hospital": "hospital",
        }
        for text, what in leaks.items():
            found = [f.lower() for f in scan.found_in(text)]
            assert any(what.lower() in f or f in what.lower() for f in found), (text, found)
        assert unit and scan.found_in(f"Till {unit}")
        for kind in sorted(notices.KINDS):
            for locale in ("sv", "en"):
                params = json.dumps({"path": "/", "when": now().isoformat(), "count": 3})
                text = render(kind, locale, params)
                assert scan.found_in(f"{text.subject}\n{text.body}") == [], (kind, locale)

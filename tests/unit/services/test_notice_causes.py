"""Each kind of message is queued by the change that causes it (issue 16 point 2), and each
leaves through a real SMTP server (aiosmtpd) where the test parses it: headers, encoding,
the person's language, and no name, identity number or health word in any of them."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
import time_machine
from flask import Flask

from portal.models import (
    Account,
    Delegation,
    Individual,
    Meeting,
    OutboxMessage,
    Plan,
    PlanRequest,
    Relative,
    Staff,
)
from portal.rules.vocabulary import MeetingStatus, RequestKind, Scope
from portal.services import access, meetings, plans, scheduler
from portal.services.passkeys import NewCredential, redeem_invitation, register_passkey
from portal.services.requests import send_request
from portal.timeutil import STOCKHOLM, now, today_stockholm
from portal.worker import deliver_due
from tests.conftest import Demo
from tests.support.clock import daytime  # noqa: F401 (autouse)
from tests.support.servers import smtp_server

# names, parts of identity numbers, a home address and health words from the demo data
FORBIDDEN = (
    "Astrid",
    "Lindqvist",
    "Karin",
    "Ingrid",
    "Sandberg",
    "194103",
    "19380914",
    "Storgatan",
    "höft",
    "demens",
    "diabetes",
    "stroke",
)


def _account(db, given: str) -> Account:
    return db.scalar(
        sa.select(Account)
        .outerjoin(Individual, Individual.id == Account.individual_id)
        .outerjoin(Relative, Relative.id == Account.relative_id)
        .outerjoin(Staff, Staff.id == Account.staff_id)
        .where(
            sa.or_(
                Individual.given_name == given,
                Relative.given_name == given,
                Staff.given_name == given,
            )
        )
    )


def _astrid_meeting(db) -> Meeting:
    return db.scalar(
        sa.select(Meeting)
        .join(Plan)
        .join(Individual)
        .where(
            Individual.given_name == "Astrid",
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.invited_at.is_not(None),
        )
        .order_by(Meeting.starts_at.desc())
    )


def _new(db, since: int) -> list[OutboxMessage]:
    return db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id)
    ).all()


def _last_id(db) -> int:
    return db.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0


def _caused(db, change) -> list[tuple[str, int]]:
    """Run the change; what it queued, as (kind, account id)."""
    before = _last_id(db)
    change()
    return [(m.kind, m.account_id) for m in _new(db, before)]


def test_every_kind_is_queued_by_its_cause_and_parsed_from_smtp(
    app: Flask, demo: Demo, db, tmp_path: Path
) -> None:
    from tests.unit.services.test_meeting_service import _as_sent

    astrid, karin = _account(db, "Astrid"), _account(db, "Karin")
    eva = _account(db, "Eva")
    ingrid = _account(db, "Ingrid")
    astrid.locale = "en"  # Astrid reads English: her messages come in English
    db.commit()
    told: dict[str, set[int]] = {}

    def note(pairs: list[tuple[str, int]]) -> None:
        for kind, account_id in pairs:
            told.setdefault(kind, set()).add(account_id)

    meeting = _astrid_meeting(db)
    later = meeting.starts_at + timedelta(days=1)
    note(
        _caused(
            db,
            lambda: meetings.reschedule(
                meeting=meeting,
                expected_version=meeting.row_version,
                invitation=_as_sent(
                    db, meeting, starts_at=later, ends_at=later + timedelta(hours=1)
                ),
                by=eva,
            ),
        )
    )
    assert told["meeting.changed"] == {astrid.id, karin.id}  # Karin: meeting dates

    # the relative's scopes decide: without "meeting dates" Karin is not told of meetings
    delegation = db.scalar(sa.select(Delegation).where(Delegation.relative_id == karin.relative_id))
    access.change_scopes(
        delegation=delegation,
        scopes=frozenset({Scope.VIEW_PLAN}),
        valid_until=delegation.valid_until,
        by=astrid,
    )
    cancelled = _caused(
        db,
        lambda: meetings.cancel(
            meeting=meeting, expected_version=meeting.row_version, reason="Sjuk", by=eva
        ),
    )
    assert cancelled == [("meeting.cancelled", astrid.id)]
    note(cancelled)

    plan = db.get(Plan, meeting.plan_id)
    request = send_request(
        plan=plan, kind=RequestKind.SOONER_FOLLOW_UP, message="Snart?", by=astrid, on_behalf_of=None
    )
    db.commit()
    from portal.services.coordinators import leader_of

    leader = db.scalar(sa.select(Account).where(Account.staff_id == leader_of(plan).id))
    note(
        _caused(
            db,
            lambda: plans.acknowledge_request(
                request=db.get(PlanRequest, request.id), by=leader, response="Vi ringer dig."
            ),
        )
    )
    assert astrid.id in told["request.answered"] and karin.id in told["request.answered"]

    # a delegation granted: the individual is told when the relative's invitation is redeemed
    issued = access.invite_relative(
        individual=astrid.individual,
        given_name="Olle",
        family_name="Berg",
        scopes=frozenset({Scope.VIEW_PLAN}),
        valid_until=None,
        by=astrid,
    )
    db.commit()
    note(
        _caused(
            db,
            lambda: redeem_invitation(
                invitation=issued.invitation,
                credential=NewCredential(b"o" * 16, b"k", 0, "internal"),
                name="Telefon",
            ),
        )
    )
    assert told["delegation.granted"] == {astrid.id}
    note(_caused(db, lambda: access.revoke_delegation(delegation=delegation, by=astrid)))
    assert told["delegation.revoked"] == {karin.id}
    note(
        _caused(
            db,
            lambda: register_passkey(
                account=astrid,
                credential=NewCredential(b"a" * 16, b"k", 0, "internal"),
                name="Surfplatta",
            ),
        )
    )
    assert told["security.passkey_added"] == {astrid.id}

    # the clock's causes: Ingrid's meeting the day before and two hours before
    ingrid_meeting = db.scalar(sa.select(Meeting).join(Plan).where(Plan.number == "SIP-2026-0014"))
    for before in (timedelta(hours=23), timedelta(minutes=90)):
        with time_machine.travel(ingrid_meeting.starts_at - before, tick=False):
            note(_caused(db, lambda: scheduler.run(now())))
    assert told["meeting.reminder"] == {ingrid.id}
    keys = db.scalars(
        sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "meeting.reminder")
    ).all()
    assert {k.split(":")[3] for k in keys} == {"1440m", "120m"}

    # staff: an acknowledgement due within two hours (here a request), and the morning digest
    request = send_request(
        plan=plan, kind=RequestKind.END_PLAN, message="Sluta", by=astrid, on_behalf_of=None
    )
    db.commit()
    with time_machine.travel(request.acknowledgement_due_at - timedelta(minutes=30), tick=False):
        note(_caused(db, lambda: scheduler.run(now())))
    assert leader.id in told["staff.acknowledgement_due"]
    day = today_stockholm() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    with time_machine.travel(datetime.combine(day, time(8, 1), tzinfo=STOCKHOLM), tick=False):
        note(_caused(db, lambda: scheduler.run(now())))
    assert told["staff.digest"]

    messages = db.scalars(sa.select(OutboxMessage)).all()
    with smtp_server(tmp_path) as server:
        app.config.update(SMTP_URL=server.url, SMTP_CA_FILE=server.ca_file, SMS_URL="")
        db.execute(sa.update(OutboxMessage).values(not_before=now() - timedelta(minutes=1)))
        db.commit()
        while deliver_due("w", now()):
            pass
        emails = {m.id for m in messages if m.channel == "email"}
        assert len(server.messages) == len(emails)
        kinds = {mail["X-SIP-Kind"] for mail in server.messages}
        for mail in server.messages:
            assert mail.get_content_type() == "text/plain"
            assert mail.get_content_charset() == "utf-8"
            assert mail["Content-Transfer-Encoding"] == "quoted-printable"
            assert mail["Auto-Submitted"] == "auto-generated"
            body, subject = mail.get_content(), mail["Subject"]
            for word in FORBIDDEN:
                if word == "Storgatan" and mail["X-SIP-Kind"].startswith("meeting."):
                    continue  # the place, in meeting messages, for whoever chose it (ADR 0090)
                assert word.lower() not in (body + subject).lower(), (mail["X-SIP-Kind"], word)
            if mail["To"] == "astrid.lindqvist@example.se":
                assert mail["Content-Language"] == "en", mail["X-SIP-Kind"]
                assert "This message cannot be replied to." in body
                assert "Det här" not in body  # no Swedish left in an English message
            else:
                assert mail["Content-Language"] == "sv"
                assert "Det här meddelandet går inte att svara på." in body
    assert {
        "meeting.changed",
        "meeting.cancelled",
        "request.answered",
        "delegation.granted",
        "security.passkey_added",
        "meeting.reminder",
        "staff.acknowledgement_due",
        "staff.digest",
    } <= kinds
    sent = db.scalars(sa.select(OutboxMessage).execution_options(populate_existing=True)).all()
    assert {m.status for m in sent} == {"sent"}, [
        (m.kind, m.last_error) for m in sent if m.status != "sent"
    ]
    assert all(
        "when" not in json.loads(m.params) or m.kind.startswith(("meeting", "staff")) for m in sent
    )


def test_plan_signed_and_follow_up_coming_up_are_queued_and_parsed(
    app: Flask, demo: Demo, db, tmp_path: Path
) -> None:
    from portal.models import ContactPoint, FollowUp
    from tests.support.plans import gunnel_version, sign_as_previewed, staff_account

    version = gunnel_version(db)
    gunnel = db.scalar(
        sa.select(Account).where(Account.individual_id == version.plan.individual_id)
    )
    db.add(
        ContactPoint(
            account_id=gunnel.id, channel="email", address="gunnel@example.se", confirmed_at=now()
        )
    )
    db.commit()
    signed = _caused(db, lambda: sign_as_previewed(version, staff_account(db, "Fatima")))
    assert ("plan.signed", gunnel.id) in signed
    plan_id = version.plan_id
    follow_up = db.scalar(
        sa.select(FollowUp).where(FollowUp.plan_id == plan_id, FollowUp.done_at.is_(None))
    )
    assert follow_up is not None
    week_before = datetime.combine(
        follow_up.due_on - timedelta(days=6), time(10, 0), tzinfo=STOCKHOLM
    )
    with time_machine.travel(week_before, tick=False):
        soon = _caused(db, lambda: scheduler.run(now()))
    assert ("follow_up.soon", gunnel.id) in soon
    with smtp_server(tmp_path) as server:
        app.config.update(SMTP_URL=server.url, SMTP_CA_FILE=server.ca_file)
        db.execute(sa.update(OutboxMessage).values(not_before=now() - timedelta(minutes=1)))
        db.commit()
        while deliver_due("w", now()):
            pass
        mine = {m["X-SIP-Kind"]: m for m in server.messages if m["To"] == "gunnel@example.se"}
    assert {"plan.signed", "follow_up.soon"} <= set(mine)
    assert mine["plan.signed"]["Subject"] == "Din plan är klar och underskriven"
    assert mine["follow_up.soon"]["Subject"] == "Snart uppföljning av din plan"
    for mail in mine.values():
        body = mail.get_content()
        assert mail["Content-Language"] == "sv"
        assert "Gunnel" not in body and "1938" not in body and "När:" not in body

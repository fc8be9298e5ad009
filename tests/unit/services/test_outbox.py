"""The outbox (ADR 0090): same transaction as the change, leased claims, retries, two workers,
and each kind of message received by a real SMTP server and parsed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask

from portal.models import Account, ContactPoint, Individual, Meeting, OutboxMessage, Plan
from portal.rules import notices
from portal.services import meetings, outbox
from portal.timeutil import STOCKHOLM, now, today_stockholm
from portal.worker import deliver_due
from tests.conftest import Demo
from tests.support.servers import smtp_server

FORBIDDEN = ("Lindqvist", "Astrid", "194103", "höft", "Storgatan")


@pytest.fixture(autouse=True)
def daytime() -> Iterator[None]:
    """Noon in Stockholm today, so quiet hours (21–08) hold nothing back in these tests."""
    noon = datetime.combine(today_stockholm(), time(12, 0), tzinfo=STOCKHOLM)
    with time_machine.travel(noon, tick=True):
        yield


def _account(db, given: str) -> Account:
    return db.scalar(
        sa.select(Account).where(
            sa.or_(
                Account.individual_id.in_(
                    sa.select(Individual.id).where(Individual.given_name == given)
                ),
                Account.relative_id.in_(
                    sa.text(f"(SELECT id FROM relatives WHERE given_name='{given}')")
                ),
            )
        )
    )


def _astrid_meeting(db) -> Meeting:
    return db.scalar(
        sa.select(Meeting)
        .join(Plan)
        .join(Individual)
        .where(Individual.given_name == "Astrid", Meeting.invited_at.is_not(None))
        .order_by(Meeting.starts_at.desc())
    )


def test_outbox_rolled_back_change_writes_no_message(app: Flask, demo: Demo, db) -> None:
    astrid = _account(db, "Astrid")
    meeting = _astrid_meeting(db)
    meeting.place = "Någon annanstans"
    outbox.notify(astrid, "meeting.changed", plan_id=meeting.plan_id, when=meeting.starts_at)
    db.flush()
    assert db.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1
    db.rollback()
    assert db.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_outbox_cancelling_a_meeting_writes_messages_in_its_commit(
    app: Flask, demo: Demo, db
) -> None:
    eva = db.scalar(sa.select(Account).where(Account.staff_id.is_not(None)).order_by(Account.id))
    meeting = _astrid_meeting(db)
    meetings.cancel(meeting=meeting, expected_version=meeting.row_version, reason="Sjuk", by=eva)
    sent = db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    channels = sorted((m.kind, m.channel) for m in sent)
    # Astrid by e-mail, Karin (meeting dates in her scopes) by SMS
    assert channels == [("meeting.cancelled", "email"), ("meeting.cancelled", "sms")]


def test_outbox_relative_without_the_scope_is_not_told(app: Flask, demo: Demo, db) -> None:
    from portal.models import Delegation
    from portal.rules.vocabulary import Scope
    from portal.services.notifications import individual_side_accounts

    delegation = db.scalar(
        sa.select(Delegation).join(Delegation.relative).where(sa.text("given_name='Karin'"))
    )
    delegation.scopes = frozenset({Scope.VIEW_PLAN})
    db.commit()
    plan = db.get(Plan, _astrid_meeting(db).plan_id)
    meeting_told = {a.name for a in individual_side_accounts(plan, "meeting.reminder", now())}
    plan_told = {a.name for a in individual_side_accounts(plan, "plan.signed", now())}
    assert "Karin Lindqvist" not in meeting_told
    assert "Karin Lindqvist" in plan_told


def test_outbox_unconfirmed_or_switched_off_address_gets_nothing_but_security(
    app: Flask, demo: Demo, db
) -> None:
    astrid = _account(db, "Astrid")
    point = db.scalar(sa.select(ContactPoint).where(ContactPoint.account_id == astrid.id))
    point.enabled = False
    assert outbox.notify(astrid, "meeting.invited") == []
    assert len(outbox.security_notice(astrid, "security.passkey_added")) == 1
    point.confirmed_at = None
    assert outbox.security_notice(astrid, "security.recovery_started") == []
    with pytest.raises(ValueError):
        outbox.security_notice(astrid, "meeting.invited")


def test_outbox_claimed_message_is_not_claimed_again(app: Flask, demo: Demo, db) -> None:
    outbox.notify(_account(db, "Astrid"), "plan.signed")
    db.commit()
    at = now()
    assert len(outbox.claim("one", at)) == 1
    assert outbox.claim("two", at) == []


def test_outbox_failure_retries_with_backoff_then_fails_visibly(app: Flask, demo: Demo, db) -> None:
    app.config["SMTP_URL"] = "smtp://nobody@127.0.0.1:9"  # nothing listens: refused
    outbox.notify(_account(db, "Astrid"), "plan.signed")
    db.commit()
    at = now()
    for attempt in range(1, notices.MAX_ATTEMPTS + 1):
        assert deliver_due("w", at) == 1
        message = db.scalar(sa.select(OutboxMessage).execution_options(populate_existing=True))
        assert message.attempts == attempt
        assert deliver_due("w", at) == 0  # backoff: not due again at once
        at = message.not_before
    assert message.status == "failed"
    assert "SMTP" in message.last_error
    staff = db.scalar(sa.select(Account).where(Account.staff_id.is_not(None)))
    outbox.retry(message_id=message.id, by=staff)
    app.config["SMTP_URL"] = ""
    assert deliver_due("w", now()) == 1
    db.refresh(message)
    assert (message.status, message.delivered_to) == ("sent", "demo")
    with pytest.raises(outbox.OutboxError):
        outbox.retry(message_id=message.id, by=staff)


KINDS_TO_PERSON = sorted(notices.KINDS - notices.STAFF_KINDS - {notices.CODE_KIND})


def test_outbox_every_kind_reaches_a_real_smtp_server(
    app: Flask, demo: Demo, db, tmp_path: Path
) -> None:
    astrid = _account(db, "Astrid")
    meeting = _astrid_meeting(db)
    with smtp_server(tmp_path) as server:
        app.config.update(
            SMTP_URL=server.url,
            SMTP_CA_FILE=server.ca_file,
            MAIL_FROM="SIP-portalen <no-reply@norrsund.example>",
        )
        for kind in KINDS_TO_PERSON:
            outbox.notify(astrid, kind, plan_id=meeting.plan_id, when=meeting.starts_at)
        astrid.locale = "en"
        outbox.notify(astrid, "meeting.reminder", when=meeting.starts_at)
        db.commit()
        while deliver_due("w", now()):
            pass
        assert len(server.messages) == len(KINDS_TO_PERSON) + 1
        assert all(tls for _from, _to, tls in server.envelopes)
        for mail in server.messages:
            assert mail["From"] == "SIP-portalen <no-reply@norrsund.example>"
            assert mail["To"] == "astrid.lindqvist@example.se"
            assert mail["Message-ID"] and mail["Date"] and mail["Subject"]
            assert mail.get_content_type() == "text/plain"
            assert mail.get_content_charset() == "utf-8"
            body = mail.get_content()
            assert "http://localhost" in body
            for word in FORBIDDEN:
                assert word not in body and word not in mail["Subject"], (mail["X-SIP-Kind"], word)
        languages = [m["Content-Language"] for m in server.messages]
        assert languages.count("en") == 1
        english = next(m for m in server.messages if m["Content-Language"] == "en")
        assert english["Subject"] == "Reminder: SIP meeting"
        swedish = next(
            m
            for m in server.messages
            if m["X-SIP-Kind"] == "meeting.reminder" and m["Content-Language"] == "sv"
        )
        assert "Påminnelse" in swedish["Subject"]
        assert "När:" in swedish.get_content()
    statuses = set(
        db.scalars(sa.select(OutboxMessage.status).execution_options(populate_existing=True))
    )
    assert statuses == {"sent"}


def test_outbox_smtp_without_starttls_or_wrong_password_is_refused(
    app: Flask, demo: Demo, db, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        # the server answers at once (535, a failed handshake): a client left waiting for a
        # reply would fail only at its timeout, with another error than the one asserted
        app.config.update(
            SMTP_URL=server.url.replace("s3cret-smtp", "wrong"),
            SMTP_CA_FILE=server.ca_file,
            SMTP_TIMEOUT=5,
        )
        outbox.notify(_account(db, "Astrid"), "plan.signed")
        db.commit()
        deliver_due("w", now())
        message = db.scalar(sa.select(OutboxMessage).execution_options(populate_existing=True))
        assert "SMTPAuthenticationError" in message.last_error, message.last_error
        app.config.update(SMTP_URL=server.url, SMTP_CA_FILE="")  # the test CA is not trusted
        deliver_due("w", message.not_before)
        assert server.messages == []
        db.refresh(message)
        assert message.status == "pending" and message.attempts == 2
        assert "SSLCertVerificationError" in message.last_error, message.last_error


def test_outbox_two_worker_processes_never_send_twice(
    app: Flask, demo: Demo, db, database_url: str, tmp_path: Path
) -> None:
    astrid = _account(db, "Astrid")
    for _ in range(40):
        outbox.notify(astrid, "plan.signed")
    db.commit()
    # the worker processes run on the real clock
    db.execute(sa.update(OutboxMessage).values(not_before=datetime(2000, 1, 1, tzinfo=STOCKHOLM)))
    db.commit()
    with smtp_server(tmp_path) as server:
        env = {
            **os.environ,
            "SIP_CONFIG": "test",
            "TEST_DATABASE_URL": database_url,
            "SIP_INSTANCE_DIR": str(tmp_path),
            "SMTP_URL": server.url,
            "SMTP_CA_FILE": server.ca_file,
        }
        command = [sys.executable, "-m", "flask", "--app", "portal", "worker", "--drain"]
        workers = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(2)
        ]
        for worker in workers:
            output, _ = worker.communicate(timeout=120)
            assert worker.returncode == 0, output.decode()[-2000:]
        ids = [m["Message-ID"] for m in server.messages]
    assert len(ids) == 40 and len(set(ids)) == 40
    rows = db.scalars(sa.select(OutboxMessage).execution_options(populate_existing=True)).all()
    assert {m.status for m in rows} == {"sent"}
    assert {m.attempts for m in rows} == {1}


def _worker(env: dict[str, str], *, drain: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "flask", "--app", "portal", "worker"]
    if drain:
        command.append("--drain")
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_outbox_worker_killed_mid_delivery_the_message_goes_later_once(
    app: Flask, demo: Demo, db, database_url: str, tmp_path: Path
) -> None:
    """SIGKILL after the claim, before "sent": the lease runs out, another worker sends it."""
    import signal
    import time as clock

    [message] = outbox.notify(_account(db, "Astrid"), "plan.signed")
    db.commit()
    db.execute(sa.update(OutboxMessage).values(not_before=datetime(2000, 1, 1, tzinfo=STOCKHOLM)))
    db.commit()
    with smtp_server(tmp_path, stall_first=True) as server:
        env = {
            **os.environ,
            "SIP_CONFIG": "test",
            "TEST_DATABASE_URL": database_url,
            "SIP_INSTANCE_DIR": str(tmp_path),
            "SMTP_URL": server.url,
            "SMTP_CA_FILE": server.ca_file,
            "OUTBOX_LEASE_SECONDS": "3",  # 5 min by default; waited out below
        }
        first = _worker(env, drain=True)
        assert server.stalled.wait(timeout=60), first.stdout.read1().decode()  # mid-delivery
        claimed = db.scalar(sa.select(OutboxMessage).execution_options(populate_existing=True))
        assert (claimed.status, claimed.attempts) == ("pending", 1)
        assert claimed.leased_by.endswith(f":{first.pid}")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        assert server.messages == []  # the server never answered its DATA
        # while the dead worker's lease holds, nobody takes the message
        # (the worker processes run on the real clock, this test at noon: ask at the lease's end)
        assert outbox.claim("another", claimed.lease_until - timedelta(seconds=1)) == []
        db.rollback()
        # wait out the lease on the real clock, which the workers keep (this test's is moved)
        left = claimed.lease_until.timestamp() - time_machine.escape_hatch.time.time()
        assert left <= 3, left
        clock.sleep(max(left, 0) + 0.2)
        second = _worker(env, drain=True)
        output, _ = second.communicate(timeout=120)
        assert second.returncode == 0, output.decode()[-2000:]
        assert len(server.messages) == 1
        assert f"outbox-{message.id}" in server.messages[0]["Message-ID"]
        third = _worker(env, drain=True)  # nothing left: not sent a second time
        third.communicate(timeout=120)
        assert len(server.messages) == 1
    row = db.scalar(sa.select(OutboxMessage).execution_options(populate_existing=True))
    assert (row.status, row.attempts, row.delivered_to) == ("sent", 2, "smtp")
    assert row.leased_by.endswith(f":{second.pid}")


def test_outbox_time_and_place_only_where_the_person_chose_them(app: Flask, demo: Demo, db) -> None:
    import json

    karin = _account(db, "Karin")  # SMS, time and place not chosen
    astrid = _account(db, "Astrid")  # e-mail, chose time and place
    meeting = _astrid_meeting(db)
    [plain] = outbox.notify(karin, "meeting.changed", when=meeting.starts_at, where=meeting.place)
    [detailed] = outbox.notify(
        astrid, "meeting.changed", when=meeting.starts_at, where=meeting.place
    )
    assert set(json.loads(plain.params)) == {"path"}
    assert json.loads(detailed.params)["where"] == meeting.place


def test_outbox_recovery_letter_tells_the_individual_once(app: Flask, demo: Demo, db) -> None:
    """Issue 11's recovery letter is a security notice: to Astrid, not to Karin, once."""
    from portal.models import Passkey, Staff
    from portal.rules import letters as letter_rules
    from portal.services.letters import ask_for_account_letter

    astrid = _account(db, "Astrid")
    db.add(Passkey(account=astrid, credential_id=b"x" * 16, public_key=b"k", name="Telefon"))
    db.commit()
    eva = db.scalar(sa.select(Account).join(Staff).where(Staff.given_name == "Eva"))
    document = next(iter(letter_rules.IdentityDocument)).value
    ask_for_account_letter(individual=astrid.individual, identity_document=document, by=eva)
    sent = db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "security.recovery_started")
    ).all()
    assert [(m.account_id, m.channel) for m in sent] == [(astrid.id, "email")]

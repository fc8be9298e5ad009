"""Where I want to be reached: an address is used only after its code; the misuser fails
(ADR 0090). The failed-messages page, the demo outbox, and the reminder on the plan page.

Database work runs in its own app context (a test client's request must not share `g`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
import time_machine
from flask import Flask
from sqlalchemy.orm import Session

from portal import db as portal_db
from portal.models import Account, ContactPoint, Individual, Meeting, OutboxMessage, Plan
from portal.services import outbox, scheduler
from portal.timeutil import now
from portal.worker import deliver_due
from tests.conftest import Demo
from tests.support.clock import daytime  # noqa: F401 (autouse)


@contextmanager
def data(app: Flask) -> Iterator[Session]:
    with app.app_context():
        yield portal_db.session()


def _code(app: Flask, point_id: int) -> str:
    with data(app) as db:
        message = db.scalar(
            sa.select(OutboxMessage)
            .where(OutboxMessage.contact_point_id == point_id, OutboxMessage.kind == "contact.code")
            .order_by(OutboxMessage.id.desc())
        )
        return json.loads(message.params)["code"]


def _point(app: Flask, account_id: int) -> ContactPoint | None:
    with data(app) as db:
        point = db.scalar(
            sa.select(ContactPoint)
            .where(ContactPoint.account_id == account_id)
            .order_by(ContactPoint.id.desc())
        )
        if point is not None:
            db.expunge(point)
        return point


def _written(app: Flask, account_id: int, kind: str, security: bool = False) -> int:
    with data(app) as db:
        account = db.get(Account, account_id)
        if security:
            return len(outbox.security_notice(account, kind))
        return len(outbox.notify(account, kind))


def test_notices_address_confirmed_with_its_code_then_used(
    app: Flask, demo: Demo, signed_in
) -> None:
    client = signed_in("sture")
    page = client.get_page("/account/notices")
    assert page.one("h1").text == "Meddelanden till mig"
    response = client.post_form(
        "/account/notices/addresses", {"channel": "email", "address": "Sture@Example.se"}
    )
    assert response.status_code == 303
    sture = demo.account_id("sture")
    point = _point(app, sture)
    assert (point.address, point.confirmed_at) == ("sture@example.se", None)
    assert _written(app, sture, "meeting.invited") == 0  # before confirmation: only the code
    client.post_form(
        f"/account/notices/addresses/{point.id}/confirm", {"code": _code(app, point.id)}
    )
    point = _point(app, sture)
    assert point.confirmed_at is not None and point.code_hash == ""
    assert _written(app, sture, "meeting.invited") == 1


def test_notices_wrong_codes_lock_the_address(app: Flask, demo: Demo, signed_in) -> None:
    client = signed_in("sture")
    client.post_form("/account/notices/addresses", {"channel": "sms", "address": "070-123 45 67"})
    point = _point(app, demo.account_id("sture"))
    assert point.address == "+46701234567"
    right = _code(app, point.id)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        client.post_form(f"/account/notices/addresses/{point.id}/confirm", {"code": wrong})
    client.post_form(f"/account/notices/addresses/{point.id}/confirm", {"code": right})
    point = _point(app, demo.account_id("sture"))
    assert point.confirmed_at is None and point.code_attempts == 5
    assert "för många gånger" in client.get_page("/account/notices").text


def test_notices_expired_code_is_refused(app: Flask, demo: Demo, signed_in) -> None:
    client = signed_in("sture")
    client.post_form("/account/notices/addresses", {"channel": "email", "address": "s@example.se"})
    point = _point(app, demo.account_id("sture"))
    code = _code(app, point.id)
    with data(app) as db:
        db.get(ContactPoint, point.id).code_expires_at = now() - timedelta(minutes=1)
        db.commit()
    client.post_form(f"/account/notices/addresses/{point.id}/confirm", {"code": code})
    assert _point(app, demo.account_id("sture")).confirmed_at is None


def test_notices_someone_elses_address_is_not_found(app: Flask, demo: Demo, signed_in) -> None:
    astrid_point = _point(app, demo.account_id("astrid"))
    client = signed_in("karin")
    for action in ("confirm", "resend", "switch", "remove"):
        response = client.post_form(
            f"/account/notices/addresses/{astrid_point.id}/{action}", {"code": "000000"}
        )
        assert response.status_code == 404
    assert _point(app, demo.account_id("astrid")).address == "astrid.lindqvist@example.se"


def test_notices_bad_address_and_channel_are_refused(app: Flask, demo: Demo, signed_in) -> None:
    client = signed_in("sture")
    for channel, address in (("email", "not an address"), ("sms", "12"), ("fax", "0701234567")):
        client.post_form("/account/notices/addresses", {"channel": channel, "address": address})
    assert _point(app, demo.account_id("sture")) is None


def test_notices_switched_off_channel_still_gets_security_notices(
    app: Flask, demo: Demo, signed_in
) -> None:
    client = signed_in("astrid")
    point = _point(app, demo.account_id("astrid"))
    client.post_form(f"/account/notices/addresses/{point.id}/switch", {"on": "0"})
    astrid = demo.account_id("astrid")
    assert _written(app, astrid, "plan.signed") == 0
    assert _written(app, astrid, "security.passkey_added", security=True) == 1


def test_notices_push_subscription_from_the_service_worker(
    app: Flask, demo: Demo, signed_in
) -> None:
    client = signed_in("karin")
    page = client.get_page("/account/notices")
    box = page.one("div", id="push")
    assert box.attrs["data-key"] and box.attrs["data-url"] == "/account/notices/push"
    body = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BXYZ", "auth": "c2Vj"}}
    without_csrf = client.post("/account/notices/push", json=body)
    assert without_csrf.status_code in (400, 403)
    response = client.post(
        "/account/notices/push", json=body, headers={"X-CSRFToken": client.token()}
    )
    assert response.status_code == 201
    point = _point(app, demo.account_id("karin"))
    assert (point.channel, point.address) == ("push", "https://push.example/abc")


def test_failed_messages_only_for_a_system_administrator(app: Flask, demo: Demo, signed_in) -> None:
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    with data(app) as db:
        [message] = outbox.security_notice(
            db.get(Account, demo.account_id("astrid")), "security.passkey_added"
        )
        message.attempts = 5
        db.commit()
        deliver_due("w", now())
        message_id = message.id
        db.expire_all()
        assert db.get(OutboxMessage, message_id).status == "failed"
    client = signed_in("eva")
    assert client.get("/staff/admin/outbox").status_code == 403
    assert client.post_form(f"/staff/admin/outbox/{message_id}/retry", {}).status_code == 403
    client = signed_in("ylva")
    assert "SMTP" in client.get_page("/staff/admin/outbox").text
    client.post_form(f"/staff/admin/outbox/{message_id}/retry", {})
    with data(app) as db:
        message = db.get(OutboxMessage, message_id)
        assert (message.status, message.attempts) == ("pending", 0)


def test_demo_outbox_shows_what_went_out_and_is_absent_in_production(
    app: Flask, demo: Demo, client
) -> None:
    with data(app) as db:
        outbox.security_notice(db.get(Account, demo.account_id("astrid")), "security.passkey_added")
        db.commit()
        deliver_due("w", now())
    page = client.get_page("/demo/outbox")
    assert "En ny inloggningsnyckel har lagts till" in page.text
    assert "bara i demon" in page.text
    app.config["DEMO"] = False
    assert client.get("/demo/outbox").status_code == 404


def test_staff_see_on_the_plan_that_a_reminder_went_out(app: Flask, demo: Demo, signed_in) -> None:
    with data(app) as db:
        meeting = db.scalar(
            sa.select(Meeting).join(Plan).join(Individual).where(Individual.given_name == "Ingrid")
        )
        with time_machine.travel(meeting.starts_at - timedelta(minutes=90), tick=False):
            scheduler.run(now())
            deliver_due("w", now())
        plan_id = meeting.plan_id
    client = signed_in("anders")
    page = client.get_page(f"/staff/plans/{plan_id}")
    assert "Påminnelse skickad" in page.text and "e-post" in page.text


def test_notices_quiet_hours_are_the_persons_own_choice(app: Flask, demo: Demo, signed_in) -> None:
    client = signed_in("karin")
    karin = demo.account_id("karin")
    page = client.get_page("/account/notices")
    assert "Vi skickar inget mellan 21 och 08" in page.text
    assert client.post("/account/notices/quiet-hours", data={"quiet": "0"}).status_code in (
        400,
        403,
    )  # no CSRF token
    for forged in ("", "2", "yes", "0; 1"):
        response = client.post_form("/account/notices/quiet-hours", {"quiet": forged})
        assert response.status_code == 400, forged
    with data(app) as db:
        assert db.get(Account, karin).quiet_hours is True
    assert client.post_form("/account/notices/quiet-hours", {"quiet": "0"}).status_code == 303
    with data(app) as db:
        assert db.get(Account, karin).quiet_hours is False
    assert "när som helst på dygnet" in client.get_page("/account/notices").text
    with data(app) as db:
        assert db.get(Account, demo.account_id("astrid")).quiet_hours is True  # hers only


def test_demo_meeting_moves_to_a_new_slot_on_a_later_make_run(app: Flask, demo: Demo) -> None:
    from portal.services import demo_data

    with data(app) as db:
        later = now() + timedelta(days=3)
        with time_machine.travel(later, tick=False):
            assert demo_data.load(db) is False  # loaded already: only the meeting moves
            meeting = db.scalar(sa.select(Meeting).join(Plan).where(Plan.number == "SIP-2026-0014"))
            assert now() < meeting.starts_at <= now() + timedelta(days=1)
            scheduler.run(now())
            # The moved meeting's reminders only: another demo meeting (Astrid's, set some
            # working days from the day of seeding) may also be due within a day of `later`,
            # depending on the weekday the suite runs on.
            reminders = db.scalars(
                sa.select(OutboxMessage).where(
                    OutboxMessage.kind == "meeting.reminder",
                    OutboxMessage.plan_id == meeting.plan_id,
                )
            ).all()
            assert [m.account_id for m in reminders] == [demo.account_id("ingrid")]
            assert reminders[0].not_before <= now()  # Ingrid chose any hour


def test_outsiders_reach_neither_the_failed_messages_nor_a_production_demo_outbox(
    app: Flask, demo: Demo, client, signed_in
) -> None:
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    with data(app) as db:
        [message] = outbox.notify(db.get(Account, demo.account_id("astrid")), "plan.signed")
        message.attempts = 5
        db.commit()
        deliver_due("w", now())
        message_id = message.id
    # a stranger: sent to sign in, the retry refused, nothing shown
    page = client.get("/staff/admin/outbox")
    assert page.status_code in (302, 303) and "/sign-in" in page.headers["Location"]
    assert "SMTP" not in page.get_data(as_text=True)
    assert client.post_form(f"/staff/admin/outbox/{message_id}/retry", {}).status_code in (
        302,
        303,
        403,
    )
    # staff who are not system administrators: refused
    for name in ("eva", "anders"):
        staff = signed_in(name)
        assert staff.get("/staff/admin/outbox").status_code == 403
        assert staff.post_form(f"/staff/admin/outbox/{message_id}/retry", {}).status_code == 403
    with data(app) as db:
        assert db.get(OutboxMessage, message_id).status == "failed"  # nobody retried it
    # outside the demo the demo outbox does not exist, for staff and strangers alike
    ylva = signed_in("ylva")  # the demo's sign-in exists only in the demo: sign in first
    app.config["DEMO"] = False
    assert client.get("/demo/outbox").status_code == 404
    assert ylva.get("/demo/outbox").status_code == 404

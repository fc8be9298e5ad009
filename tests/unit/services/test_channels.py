"""SMS through a fake 46elks gateway that checks what 46elks checks, and Web Push to a local
push service that verifies the VAPID JWT and decrypts the aes128gcm payload (ADR 0090)."""

from __future__ import annotations

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask

from portal.channels import push as push_channel
from portal.models import Account, ContactPoint, OutboxMessage, Relative
from portal.services import outbox
from portal.timeutil import now
from portal.worker import deliver_due
from tests.conftest import Demo
from tests.support.clock import daytime  # noqa: F401 (autouse)
from tests.support.servers import (
    SMS_PASSWORD,
    SMS_USER,
    b64url,
    push_service,
    sms_gateway,
    verify_vapid,
)


def _karin(db) -> Account:
    return db.scalar(sa.select(Account).join(Relative).where(Relative.given_name == "Karin"))


def _deliver_all(db) -> list[OutboxMessage]:
    deliver_due("w", now())
    return db.scalars(sa.select(OutboxMessage).execution_options(populate_existing=True)).all()


def test_sms_reaches_the_gateway_in_its_form(app: Flask, demo: Demo, db) -> None:
    with sms_gateway() as gateway:
        host = gateway.url.removeprefix("http://")
        app.config["SMS_URL"] = f"http://{SMS_USER}:{SMS_PASSWORD}@{host}/a1/sms"
        outbox.security_notice(_karin(db), "security.passkey_added")
        db.commit()
        [message] = _deliver_all(db)
    assert (message.status, message.delivered_to) == ("sent", "gateway")
    [form] = gateway.received
    assert form["to"] == "+46700000001"
    assert form["from"] == "SIPportalen"
    assert "inloggningsnyckel" in form["message"]
    assert "Karin" not in form["message"] and "Lindqvist" not in form["message"]


def test_sms_with_wrong_credentials_is_refused_and_retried(app: Flask, demo: Demo, db) -> None:
    with sms_gateway() as gateway:
        host = gateway.url.removeprefix("http://")
        app.config["SMS_URL"] = f"http://{SMS_USER}:wrong@{host}/a1/sms"
        outbox.security_notice(_karin(db), "security.passkey_added")
        db.commit()
        [message] = _deliver_all(db)
    assert gateway.refused == ["auth"] and gateway.received == []
    assert message.status == "pending" and "401" in message.last_error


def _subscribe(db, account: Account, endpoint: str, device) -> ContactPoint:
    point = ContactPoint(
        account_id=account.id,
        channel="push",
        address=endpoint,
        push_p256dh=device.p256dh,
        push_auth=b64url(device.auth),
        confirmed_at=now(),
    )
    db.add(point)
    db.commit()
    return point


def test_push_is_signed_with_vapid_and_decrypts_on_the_device(app: Flask, demo: Demo, db) -> None:
    karin = _karin(db)
    with push_service() as service:
        endpoint, device = service.subscribe("karins-phone")
        _subscribe(db, karin, endpoint, device)
        outbox.security_notice(karin, "security.recovery_started")
        db.commit()
        messages = _deliver_all(db)
    pushed = [m for m in messages if m.channel == "push"]
    assert [m.status for m in pushed] == ["sent"], [m.last_error for m in pushed]
    [received] = service.received
    assert received["device"] == "karins-phone"
    assert received["title"] == "Någon har börjat återställa ditt konto"
    assert received["url"].startswith("http://localhost")
    assert service.refused == []
    assert len(b64url(b"x")) and push_channel.application_server_key(app.config)


def test_push_with_another_servers_key_is_refused(app: Flask, demo: Demo, db, tmp_path) -> None:
    karin = _karin(db)
    with push_service() as service:
        endpoint, device = service.subscribe("phone")
        _subscribe(db, karin, endpoint.replace("/push/phone", "/push/gone"), device)
        outbox.security_notice(karin, "security.recovery_started")
        db.commit()
        messages = _deliver_all(db)
    assert service.refused == ["gone"]
    assert [m.status for m in messages if m.channel == "push"] == ["pending"]
    # the verifier refuses a forged header: a key that did not sign the token
    other = ec.generate_private_key(ec.SECP256R1())
    from py_vapid import Vapid02

    vapid = Vapid02()
    vapid.private_key = other
    headers = vapid.sign(
        {"aud": service.url, "exp": int(now().timestamp()) + 600, "sub": "mailto:a@b.se"}
    )
    token = headers["Authorization"].split(" ", 1)[1].split(",")[0]
    forged_key = b64url(
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    assert (
        verify_vapid(f"vapid {token}, k={forged_key}", service.url, now().timestamp())
        == "signature"
    )
    assert verify_vapid(headers["Authorization"], "http://elsewhere", now().timestamp()) in (
        "aud",
        "signature",
    )

"""Web Push from the installed PWA in real Chromium (ADR 0090, issue 16 point 1).

Chromium cannot reach a real push service on this closed network, so the page's own code
(static/js/push.js) runs with `PushManager.subscribe` replaced only where it would contact
the push service: it returns a subscription whose endpoint is the suite's local push
endpoint (tests/support/servers.py) and whose p256dh/auth keys are made in the page with
WebCrypto, as the browser makes them. The server stores and confirms the subscription; a
message leaves the worker signed with VAPID and encrypted (aes128gcm); the endpoint verifies
and decrypts it with the page's keys; the decrypted payload is handed to the service worker
with CDP `ServiceWorker.deliverPushMessage`, which shows the notification.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from playwright.sync_api import Page, expect

from portal import db as portal_db
from portal.channels.push import application_server_key
from portal.models import Account, ContactPoint, OutboxMessage, Relative
from portal.services import outbox
from portal.timeutil import now
from portal.worker import deliver_due
from tests.browser.conftest import demo_sign_in
from tests.conftest import Demo
from tests.support.clock import daytime  # noqa: F401 (autouse)
from tests.support.servers import Device, push_service, unb64url

# Only the call that would reach the push service is replaced; everything else is Chromium's.
FAKE_SUBSCRIBE = """
(endpoint) => {
  const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  window.__push = {};
  PushManager.prototype.subscribe = async function (options) {
    const pair = await crypto.subtle.generateKey(
        { name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const p256dh = b64(await crypto.subtle.exportKey("raw", pair.publicKey));
    const auth = b64(crypto.getRandomValues(new Uint8Array(16)));
    window.__push = {
      options: { userVisibleOnly: options.userVisibleOnly,
                 applicationServerKey: b64(options.applicationServerKey) },
      privateKey: await crypto.subtle.exportKey("jwk", pair.privateKey),
      p256dh, auth,
    };
    return {
      endpoint,
      expirationTime: null,
      toJSON() { return { endpoint, expirationTime: null, keys: { p256dh, auth } }; },
    };
  };
}
"""


def _device(pushed: dict[str, Any]) -> Device:
    jwk = pushed["privateKey"]
    key = ec.derive_private_key(int.from_bytes(unb64url(jwk["d"])), ec.SECP256R1())
    return Device(private_key=key, auth=unb64url(pushed["auth"]))


def _karin(app: Flask) -> int:
    with app.app_context():
        return portal_db.session().scalar(
            sa.select(Account.id).join(Relative).where(Relative.given_name == "Karin")
        )


def _registration_id(cdp: Any, scope: str) -> str:
    found: dict[str, str] = {}

    def seen(event: dict[str, Any]) -> None:
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope and not registration.get("isDeleted"):
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 15
    while "id" not in found and time.monotonic() < deadline:
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets the event arrive
        time.sleep(0.1)
    assert "id" in found, "no service worker registration for " + scope
    return found["id"]


def test_push_from_the_installed_pwa_reaches_the_service_worker(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    demo_sign_in(page, live_server, "Karin")
    # the person allows notifications (CDP Browser.grantPermissions for this context)
    cdp = page.context.new_cdp_session(page)
    context_id = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    browser_cdp = page.context.browser.new_browser_cdp_session()
    browser_cdp.send(
        "Browser.grantPermissions",
        {"origin": live_server, "permissions": ["notifications"], "browserContextId": context_id},
    )
    page.goto(f"{live_server}/account/notices")
    assert page.evaluate("Notification.permission") == "granted"
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)").endswith(
        "/sw.js"
    )
    with push_service() as service:
        endpoint = f"{service.url}/push/karins-phone"
        page.evaluate(FAKE_SUBSCRIBE, endpoint)
        page.get_by_role("button", name="Slå på pushnotiser").click()
        expect(page.locator("#push-status")).to_have_text(
            "Pushnotiser är påslagna på den här enheten."
        )
        pushed = page.evaluate("window.__push")
        # the page subscribed with the server's VAPID key, for visible notifications only
        with app.app_context():
            server_key = application_server_key(app.config)
        assert pushed["options"] == {"userVisibleOnly": True, "applicationServerKey": server_key}
        service.devices["karins-phone"] = _device(pushed)

        # the server stored the subscription and it is confirmed (the browser made it)
        karin = _karin(app)
        with app.app_context():
            session = portal_db.session()
            point = session.scalar(
                sa.select(ContactPoint).where(
                    ContactPoint.account_id == karin, ContactPoint.channel == "push"
                )
            )
            assert point.address == endpoint
            assert (point.push_p256dh, point.push_auth) == (pushed["p256dh"], pushed["auth"])
            assert point.confirmed_at is not None and point.enabled
            # a message to Karin: her meeting-dates scope lets a meeting notice through
            meeting_day = now().replace(hour=14, minute=0, second=0, microsecond=0)
            outbox.notify(session.get(Account, karin), "meeting.changed", when=meeting_day)
            session.commit()
            deliver_due("w", now())
            sent = session.scalar(
                sa.select(OutboxMessage).where(OutboxMessage.contact_point_id == point.id)
            )
            assert (sent.status, sent.delivered_to) == ("sent", "push"), sent.last_error
        # the push endpoint verified the VAPID JWT and decrypted with the page's keys
        assert service.refused == []
        [received] = service.received
        assert received["device"] == "karins-phone"
        assert received["vapid_key"] == server_key
        assert received["title"] == "Ett SIP-möte har ändrats"
        assert received["url"] == f"{live_server}/"
        for word in ("Karin", "Lindqvist", "Astrid", "1941"):
            assert word not in received["raw"].decode()

    # what the push service would hand the browser, delivered to the service worker
    registration_id = _registration_id(cdp, f"{live_server}/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server,
            "registrationId": registration_id,
            "data": received["raw"].decode(),
        },
    )
    shown: list[dict[str, Any]] = []
    deadline = time.monotonic() + 15
    while not shown and time.monotonic() < deadline:
        shown = page.evaluate(
            """navigator.serviceWorker.ready
                 .then((r) => r.getNotifications())
                 .then((ns) => ns.map((n) => ({title: n.title, body: n.body, data: n.data})))"""
        )
        time.sleep(0.2)
    assert shown == [
        {"title": received["title"], "body": received["body"], "data": {"url": received["url"]}}
    ]
    assert not [e for e in errors if "Content Security Policy" in e]

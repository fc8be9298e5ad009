"""Protocol servers the notices are tested against (ADR 0090), on free loopback ports.

- `smtp_server()`: a real aiosmtpd SMTP server that requires STARTTLS and AUTH, keeping
  every message it receives (parsed with the standard library).
- `sms_gateway()`: a fake of 46elks' `/a1/sms` endpoint that checks what 46elks checks:
  HTTP basic auth, a form body with `from`, `to` (E.164) and `message`.
- `push_service()`: a push endpoint that checks the VAPID JWT (ES256, `aud`, `exp`) against
  the key in the `Authorization: vapid t=…, k=…` header and decrypts the aes128gcm body
  with the subscription's private key and auth secret (`http_ece`), as a push service and
  the browser would.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email
import email.policy
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SMTP_USER, SMTP_PASSWORD = "portal", "s3cret-smtp"
SMS_USER, SMS_PASSWORD = "u1234567890abcdef", "elks-secret"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=2))  # tests may move the clock
        .not_valid_after(now + dt.timedelta(days=3))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    url: str
    ca_file: str
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str], bool]] = field(default_factory=list)
    # with stall_first: set once the first message's DATA arrived and is being held unanswered
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@contextmanager
def smtp_server(directory: Path, *, stall_first: bool = False) -> Iterator[SmtpServer]:
    """With `stall_first`, the first message's DATA is never answered (a sender that dies
    then has not delivered it, as with a real server); it is not kept."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = self_signed(directory)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = SmtpServer(url="", ca_file=str(cert))

    class Handler:
        async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            if stall_first and not server.stalled.is_set():
                server.stalled.set()
                while not server.release.is_set():
                    await asyncio.sleep(0.05)
                return "451 Aborted"
            parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.SMTP)
            server.messages.append(parsed)
            tls = session.ssl is not None
            server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), tls))
            return "250 OK"

    def authenticator(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any):
        ok = (
            isinstance(data, LoginPassword)
            and data.login == SMTP_USER.encode()
            and data.password == SMTP_PASSWORD.encode()
        )
        # handled=False: aiosmtpd answers a refusal with 535, as a real server does (its
        # default, handled=True, leaves the client waiting for a reply until its timeout)
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
        server_hostname="localhost",
    )
    controller.start()
    try:
        port = controller.port
        server.url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@localhost:{port}"
        yield server
    finally:
        server.release.set()
        controller.stop()


@dataclass
class Recorded:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@contextmanager
def _http(handler_for: Any) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def sms_gateway() -> Iterator[Recorded]:
    record = Recorded(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any] | str) -> None:
            data = (json.dumps(body) if isinstance(body, dict) else body).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            expected = "Basic " + base64.b64encode(f"{SMS_USER}:{SMS_PASSWORD}".encode()).decode()
            if self.path != "/a1/sms":
                record.refused.append("path")
                return self._answer(404, "Not found")
            if self.headers.get("Authorization") != expected:
                record.refused.append("auth")
                return self._answer(401, "API access denied")
            if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                record.refused.append("content-type")
                return self._answer(400, "Bad request")
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            form = {k: v[0] for k, v in parse_qs(raw.decode(), strict_parsing=True).items()}
            sender, to, message = form.get("from", ""), form.get("to", ""), form.get("message", "")
            if not (to.startswith("+") and to[1:].isdigit() and 8 <= len(to) <= 16):
                record.refused.append("to")
                return self._answer(403, "Invalid to number")
            if (
                not sender
                or (not sender.isalnum() and not sender.startswith("+"))
                or (not sender.startswith("+") and len(sender) > 11)
            ):
                record.refused.append("from")
                return self._answer(403, "Invalid from")
            if not message:
                record.refused.append("message")
                return self._answer(403, "Missing message")
            record.received.append(form)
            return self._answer(
                200,
                {
                    "status": "created",
                    "direction": "outgoing",
                    "from": sender,
                    "to": to,
                    "message": message,
                    "id": f"s{len(record.received)}",
                },
            )

    with _http(Handler) as (_httpd, url):
        record.url = url
        yield record


@dataclass
class Device:
    """What a browser keeps for one push subscription."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


def new_device() -> Device:
    import os

    return Device(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))


@dataclass
class PushService:
    url: str
    devices: dict[str, Device] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def subscribe(self, name: str) -> tuple[str, Device]:
        device = new_device()
        self.devices[name] = device
        return f"{self.url}/push/{name}", device


def verify_vapid(header: str, audience: str, at: float) -> str:
    """The claims check a push service makes; returns the problem, or '' when valid."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    if not header.startswith("vapid "):
        return "scheme"
    parts = dict(p.strip().split("=", 1) for p in header[6:].split(","))
    token, key = parts.get("t", ""), parts.get("k", "")
    try:
        head_b64, claims_b64, signature_b64 = token.split(".")
        head = json.loads(unb64url(head_b64))
        claims = json.loads(unb64url(claims_b64))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        raw = unb64url(signature_b64)
        signature = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
        public.verify(signature, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except (ValueError, KeyError, InvalidSignature):
        return "signature"
    if head.get("alg") != "ES256":
        return "alg"
    if claims.get("aud") != audience:
        return "aud"
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= at or exp > at + 24 * 3600:
        return "exp"
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        return "sub"
    return ""


@contextmanager
def push_service() -> Iterator[PushService]:
    import http_ece

    service = PushService(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            device = service.devices.get(name)
            if device is None:
                service.refused.append("gone")
                return self._answer(410)
            problem = verify_vapid(self.headers.get("Authorization", ""), service.url, time.time())
            if problem:
                service.refused.append(problem)
                return self._answer(403)
            if self.headers.get("Content-Encoding") != "aes128gcm" or not self.headers.get("TTL"):
                service.refused.append("headers")
                return self._answer(400)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                plain = http_ece.decrypt(
                    body,
                    private_key=device.private_key,
                    auth_secret=device.auth,
                    version="aes128gcm",
                )
            except Exception:
                service.refused.append("decrypt")
                return self._answer(400)
            vapid = dict(
                p.strip().split("=", 1)
                for p in self.headers.get("Authorization", "")[6:].split(",")
            )
            service.received.append(
                {"device": name, "vapid_key": vapid.get("k", ""), "raw": plain, **json.loads(plain)}
            )
            return self._answer(201)

    with _http(Handler) as (_httpd, url):
        service.url = url
        yield service

"""Configuration. `SIP_CONFIG` picks a class: production (default), demo, or test.

Everything that differs between machines comes from the environment (see README).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("SIP_INSTANCE_DIR", ROOT / "instance"))


class Config:
    ENV_NAME = "production"
    DEMO = False
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    DATABASE_URL: str | None = os.environ.get("DATABASE_URL")
    INSTANCE_DIR = INSTANCE
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000")
    # WebAuthn: the relying party and the origin come from configuration, never from Host.
    WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "localhost")
    WEBAUTHN_RP_NAME = "SIP Portal"
    WEBAUTHN_ORIGIN = os.environ.get("WEBAUTHN_ORIGIN", PUBLIC_BASE_URL)

    # __Host-: only over HTTPS, for this host only, Path=/ (the browser refuses anything else).
    SESSION_COOKIE_NAME = "__Host-sip_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    # Idle timeout and absolute lifetime, shorter for staff.
    SESSION_IDLE = {"staff": timedelta(minutes=30), "other": timedelta(minutes=60)}
    # Absolute lifetime, enforced on the server: at most 12 hours for everyone (ASVS 3.3.2).
    SESSION_ABSOLUTE = {"staff": timedelta(hours=10), "other": timedelta(hours=12)}
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # The cookie is written when the session changes (at least each LAST_SEEN_STEP while
    # active), not on every response; its expiry is never before the absolute lifetime.
    SESSION_REFRESH_EACH_REQUEST = False

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "locales")
    LANGUAGES = ("sv", "en")

    # Behind a TLS-terminating proxy: how many proxies in front of the app to trust for the
    # client address and scheme (werkzeug ProxyFix). 0 = no proxy (the demo on localhost).
    PROXY_TRUSTED_HOPS = int(os.environ.get("PROXY_TRUSTED_HOPS", "1"))
    HSTS = "max-age=63072000; includeSubDomains"  # production is HTTPS only

    # Limits hold across workers and instances only in a shared store: Redis in production.
    # No silent default in production: each worker counting alone multiplies the limits.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_RATE_LIMIT = "20 per minute;200 per day"
    # A PDF drawn on request (an access-log extract, a draft) holds a worker for up to a
    # second or two; per account, so one person cannot keep the workers busy (ADR 0105)
    DRAWN_PDF_RATE_LIMIT = "6 per minute;60 per hour"
    CODE_RATE_LIMIT = "10 per minute;50 per hour"

    VERIFY_RATE_LIMIT = "30 per minute;300 per day"
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # an uploaded plan to verify; forms are far smaller
    # Demo data gets real signed PDFs (off in tests, where each test loads the demo).
    DEMO_SIGNED_PDFS = False

    # E-legitimation (BankID, Freja eID) through an OpenID Connect broker. Off when unset.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET")
    OIDC_PIN_CLAIM = os.environ.get("OIDC_PIN_CLAIM", "personal_identity_number")

    INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
    # PAdES signing key: PKCS#12 (SIGNING_PKCS12 + SIGNING_PASSPHRASE) or PEM key + certificate.
    SIGNING_PKCS12 = os.environ.get("SIGNING_PKCS12")
    SIGNING_PASSPHRASE = os.environ.get("SIGNING_PASSPHRASE")
    SIGNING_KEY = os.environ.get("SIGNING_KEY")
    SIGNING_CERT = os.environ.get("SIGNING_CERT")
    SIGNING_TRUST_ROOTS = os.environ.get("SIGNING_TRUST_ROOTS")  # PEM file(s), colon-separated
    DEV_SIGNING_KEY = False
    # The audit log's MAC key (ADR 0080); derived from the signing key when neither is set.
    AUDIT_KEY = os.environ.get("AUDIT_KEY")
    AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE")
    # audit-verify leaves events younger than this for its next run (late commits, ADR 0080).
    AUDIT_SETTLE_SECONDS = int(os.environ.get("AUDIT_SETTLE_SECONDS", "60"))

    # Reaching people (ADR 0090): e-mail, SMS gateway (46elks), Web Push; reminder offsets.
    SMTP_URL = os.environ.get("SMTP_URL", "")  # smtp://user:pass@host:587 (STARTTLS)
    SMTP_CA_FILE = os.environ.get("SMTP_CA_FILE", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "SIP-portalen <no-reply@localhost>")
    SMS_URL = os.environ.get("SMS_URL", "")  # https://user:pass@api.46elks.com/a1/sms
    SMS_FROM = os.environ.get("SMS_FROM", "SIPportalen")
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")  # PEM file
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:no-reply@localhost")
    REMINDERS = os.environ.get("REMINDERS", "24h,2h")
    # How long a claimed message is a worker's alone; after it, another worker may send it.
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))


class DemoConfig(Config):
    ENV_NAME = "demo"
    DEMO = True
    SECRET_KEY = os.environ.get("SECRET_KEY")  # made and kept under instance/ when unset
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'sip-portal.sqlite'}")
    SESSION_COOKIE_SECURE = False  # served on localhost over plain HTTP
    SESSION_COOKIE_NAME = "sip_session"  # __Host- needs HTTPS
    PROXY_TRUSTED_HOPS = int(os.environ.get("PROXY_TRUSTED_HOPS", "0"))
    HSTS = ""  # plain HTTP on localhost
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")  # one process
    DEV_SIGNING_KEY = True
    DEMO_SIGNED_PDFS = True


class TestConfig(DemoConfig):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = True
    DEMO_SIGNED_PDFS = False
    AUDIT_SETTLE_SECONDS = 0


CONFIGS: dict[str, type[Config]] = {"production": Config, "demo": DemoConfig, "test": TestConfig}


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    name = os.environ.get("SIP_CONFIG", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"SIP_CONFIG must be one of {sorted(CONFIGS)}, not {name!r}")
    source = CONFIGS[name]
    values = {key: getattr(source, key) for key in dir(source) if key.isupper()}
    values.update(overrides or {})
    _refuse_demo_on_a_real_database(values)
    _refuse_production_without_a_rate_limit_store(values)
    return values


def _refuse_production_without_a_rate_limit_store(values: dict[str, Any]) -> None:
    """Production names its rate-limit store: a shared one (Redis) holds across workers."""
    if values.get("ENV_NAME") == "production" and not values.get("RATELIMIT_STORAGE_URI"):
        raise RuntimeError(
            "Set RATELIMIT_STORAGE_URI to a store every worker shares, e.g. redis://host:6379/0 "
            "(memory:// counts per process and is only for a single process)."
        )


def _refuse_demo_on_a_real_database(values: dict[str, Any]) -> None:
    """The demo (one-click sign-in as anyone) never runs against a real database by mistake."""
    url = str(values.get("DATABASE_URL") or "")
    allowed = os.environ.get("SIP_DEMO_ALLOW_DATABASE") == "yes" or values.get(
        "DEMO_ALLOW_DATABASE"
    )
    if values.get("ENV_NAME") == "demo" and not url.startswith("sqlite") and not allowed:
        raise RuntimeError(
            "The demo configuration runs on SQLite only. To run it on another database anyway, "
            "set SIP_DEMO_ALLOW_DATABASE=yes."
        )

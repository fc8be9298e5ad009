"""Exploit 8 (proxy part): behind the proxy every client shared one rate-limit bucket, and
there was no HSTS. ProxyFix trusts a configured number of hops; HSTS in production."""

from __future__ import annotations

import pytest
from flask import Flask

from portal import create_app
from portal.config import load


@pytest.fixture
def behind_proxy(migrated: str, tmp_path) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": migrated,
            "INSTANCE_DIR": tmp_path,
            "PROXY_TRUSTED_HOPS": 1,
            "CODE_RATE_LIMIT": "3 per minute",
        }
    )
    return app


def _submit(app: Flask, address: str) -> int:
    """A typed code from `address`, as the proxy (10.0.0.1) forwards it."""
    response = app.test_client().post(
        "/invitation",
        data={"code": "AAAA-BBBB"},
        headers={"X-Forwarded-For": address},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    return response.status_code


def test_clients_behind_the_proxy_have_their_own_limits(behind_proxy: Flask) -> None:
    behind_proxy.config["WTF_CSRF_ENABLED"] = False
    answers = [_submit(behind_proxy, "203.0.113.7") for _ in range(4)]
    assert answers[-1] == 429, answers
    assert _submit(behind_proxy, "198.51.100.9") == 400, "another client was locked out too"


def test_a_forged_forwarded_for_does_not_escape_the_limit(behind_proxy: Flask) -> None:
    """One trusted hop: only the address the proxy appended counts, not one the client wrote."""
    behind_proxy.config["WTF_CSRF_ENABLED"] = False
    answers = [_submit(behind_proxy, f"1.2.3.{n}, 203.0.113.7") for n in range(4)]
    assert answers[-1] == 429, answers


def test_production_sends_hsts(monkeypatch: pytest.MonkeyPatch, migrated: str, tmp_path) -> None:
    monkeypatch.setenv("SIP_CONFIG", "production")
    app = create_app(
        {
            "DATABASE_URL": migrated,
            "SECRET_KEY": "x" * 40,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    response = app.test_client().get("/healthz", base_url="https://sip.example.se")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert (
        int(response.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000
    )


def test_production_refuses_to_start_without_a_named_rate_limit_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No silent memory:// in production: two workers would each count alone (issue 11, E8)."""
    monkeypatch.setenv("SIP_CONFIG", "production")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        load({"SECRET_KEY": "x" * 40, "RATELIMIT_STORAGE_URI": ""})
    named = load({"SECRET_KEY": "x" * 40, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})
    assert named["RATELIMIT_STORAGE_URI"].startswith("redis://")

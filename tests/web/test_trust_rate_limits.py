"""Exploit 8 (limits): with `memory://` each worker counted alone, and every client behind the
proxy shared one bucket. Against a real redis-server (started here, on a free port), two app
instances — two workers — share one count; limits are also kept per credential and per
invitation, so spreading guesses over many addresses does not help."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal import create_app
from tests.support.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


def _worker(migrated: str, tmp_path, redis_url: str) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": migrated,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_STORAGE_URI": redis_url,
            "PROXY_TRUSTED_HOPS": 1,
            "CODE_RATE_LIMIT": "4 per minute",
            "SIGN_IN_RATE_LIMIT": "4 per minute",
            "WTF_CSRF_ENABLED": False,
        }
    )
    return app


@pytest.fixture
def workers(migrated: str, tmp_path, redis_url: str) -> Iterator[list[Flask]]:
    import redis

    redis.Redis.from_url(redis_url).flushall()
    yield [
        _worker(migrated, tmp_path / "a", redis_url),
        _worker(migrated, tmp_path / "b", redis_url),
    ]


def _post(app: Flask, path: str, address: str, data: dict[str, str]) -> int:
    response = app.test_client().post(
        path,
        data=data,
        headers={"X-Forwarded-For": address},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    return response.status_code


def test_two_workers_share_one_count(workers: list[Flask]) -> None:
    answers = [
        _post(workers[n % 2], "/invitation", "203.0.113.7", {"code": "AAAA-BBBB"}) for n in range(5)
    ]
    assert answers == [400, 400, 400, 400, 429], answers


def test_one_credential_is_limited_across_addresses(workers: list[Flask]) -> None:
    credential = '{"rawId": "c2FtZS1jcmVkZW50aWFs", "id": "c2FtZS1jcmVkZW50aWFs"}'
    answers = [
        _post(workers[n % 2], "/sign-in/passkey", f"198.51.100.{n}", {"credential": credential})
        for n in range(5)
    ]
    assert answers[:4] == [400] * 4 and answers[4] == 429, answers


def test_one_invitation_is_limited_across_addresses(workers: list[Flask]) -> None:
    """Finishing the registration of one pending invitation, from many addresses."""
    answers = []
    for n in range(5):
        client = workers[n % 2].test_client()
        with client.session_transaction() as session:
            session["pending_invitation"] = 4242
        response = client.post(
            "/invitation/register",
            data={"credential": "{}"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        answers.append(response.status_code)
    assert answers[:4] == [410] * 4 and answers[4] == 429, answers

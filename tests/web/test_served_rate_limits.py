"""A rate limit holds for the whole server as gunicorn serves it, however many workers are
asked for (ADR 0115): with a shared store (Redis) in every worker, and with `memory://` by
serving from one process, also when the number is asked for on gunicorn's command line. Real gunicorn with `gunicorn.conf.py`, as `make run` starts it."""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest

from portal.config import Config
from scripts.bench import servers
from scripts.bench.servers import app_env, flask, gunicorn
from tests.support.redis_server import redis_server

LIMIT = int(Config.VERIFY_RATE_LIMIT.split()[0])  # "30 per minute;…" for one address


def _env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "RATELIMIT_STORAGE_URI"}
    return {**env, **settings}


@pytest.mark.parametrize(
    ("settings", "workers"),
    [
        ({"SIP_CONFIG": "demo"}, 1),
        ({"SIP_CONFIG": "demo", "RATELIMIT_STORAGE_URI": "memory://"}, 1),
        ({"SIP_CONFIG": "demo", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}, 3),
        ({"SIP_CONFIG": "production", "RATELIMIT_STORAGE_URI": "memory://"}, 1),
        ({"SIP_CONFIG": "production", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}, 3),
    ],
)
def test_limits_counted_per_process_are_served_by_one_process(
    settings: dict[str, str], workers: int
) -> None:
    env = _env(WEB_WORKERS="3", SECRET_KEY="x" * 32, **settings)
    assert servers.workers(env)[0] == workers


@contextmanager
def _served(store: str | None) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="sip-served-") as folder:
        env = app_env(f"sqlite:///{folder}/sip-portal.sqlite", Path(folder))
        env.pop("RATELIMIT_STORAGE_URI", None)
        env["WEB_WORKERS"] = "2"
        if store:
            env["RATELIMIT_STORAGE_URI"] = store
        else:  # two asked for on the command line too, which gunicorn prefers to its file's
            env["GUNICORN_CMD_ARGS"] = "--workers 2"
        done = flask(env, "db-upgrade")
        assert done.returncode == 0, done.stderr
        with gunicorn("portal:create_app()", env, Path(folder) / "access.log") as base:
            yield base


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.parametrize("shared", [True, False], ids=["redis", "memory"])
def test_the_limit_is_the_limit_for_the_whole_server(shared: bool) -> None:
    """Two workers asked for, twice the limit and one more look-ups of a code at once, eight
    at a time: 30 are looked up and the rest refused, not 30 for each worker."""
    with (
        redis_server() if shared else nullcontext() as store,
        _served(store) as base,
        ThreadPoolExecutor(8) as pool,
    ):
        url = f"{base}/verify/7K2M-Q9XD-4T"
        statuses = Counter(pool.map(_status, [url] * (2 * LIMIT + 1)))
    assert statuses == {404: LIMIT, 429: LIMIT + 1}  # 404: no such plan, but looked up

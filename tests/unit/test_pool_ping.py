"""PostgreSQL's pool pings only a connection that has been idle, or that the server has
dropped (ADR 0103).

A connection killed on the server while it waited in the pool, past the threshold or
within it, is replaced at checkout, with no error for the request; a fresh connection, or a
live one used moments ago, costs no ping. Runs on PostgreSQL only (`--postgres`)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from portal.db import make_engine

IDLE = 0.3  # s, DB_PING_AFTER_IDLE for these tests


@pytest.fixture
def url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's pool (run with --postgres)")
    return database_url


@pytest.fixture
def engine(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    monkeypatch.setenv("DB_PING_AFTER_IDLE", str(IDLE))
    engine = make_engine(url, pool_size=2, max_overflow=0)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each ping the pool sends (it goes to the driver, past the statement events)."""
    sent: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection) -> bool:
        sent.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return sent


def _backend(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


def _kill(url: str, *pids: int) -> None:
    admin = make_engine(url, poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        for pid in pids:
            # waits (up to 5 s) until the backend has gone, as after a restart
            sql = sa.text("SELECT pg_terminate_backend(:p, 5000)")
            assert connection.execute(sql, {"p": pid}).scalar_one()
    admin.dispose()


def test_a_fresh_or_recently_used_connection_is_not_pinged(
    engine: sa.Engine, pings: list[int]
) -> None:
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    first = _backend(engine)  # fresh
    again = _backend(engine)  # back from the pool at once
    assert again == first
    assert pings == []
    assert statements == ["SELECT pg_backend_pid()"] * 2


def test_a_connection_idle_past_the_threshold_is_pinged_once(
    engine: sa.Engine, pings: list[int]
) -> None:
    first = _backend(engine)
    time.sleep(IDLE + 0.1)
    assert _backend(engine) == first and pings == [1]
    assert _backend(engine) == first and pings == [1]  # just used: not again


def test_connections_killed_while_idle_are_replaced_without_an_error(
    url: str, engine: sa.Engine, pings: list[int]
) -> None:
    with engine.connect() as one, engine.connect() as two:  # two connections in the pool
        killed = {
            int(c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()) for c in (one, two)
        }
    _kill(url, *killed)
    time.sleep(IDLE + 0.1)
    with engine.connect() as one, engine.connect() as two:
        now = {int(c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()) for c in (one, two)}
    assert len(now) == 2 and not now & killed
    assert pings  # the first checkout found its connection dead; the pool was renewed


def test_a_connection_killed_within_the_threshold_is_replaced_without_an_error(
    url: str, engine: sa.Engine, pings: list[int]
) -> None:
    """A server that drops a connection used moments ago (a restart, `pg_terminate_backend`)
    leaves its socket readable: the checkout sees it without a round trip, pings, and the
    pool replaces the connection before the request's first statement."""
    killed = _backend(engine)
    _kill(url, killed)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1
    assert pings == [1]
    assert _backend(engine) != killed
    assert pings == [1]  # the new connection, used moments ago and alive: not pinged


def test_every_connection_of_a_restarted_server_is_replaced(
    url: str, engine: sa.Engine, pings: list[int]
) -> None:
    """All the pool's connections dropped at once, within the threshold: each request gets a
    live one (the first failed ping renews the pool)."""
    with engine.connect() as one, engine.connect() as two:
        killed = {
            int(c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()) for c in (one, two)
        }
    _kill(url, *killed)
    with engine.connect() as one, engine.connect() as two:
        now = {int(c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()) for c in (one, two)}
    assert len(now) == 2 and not now & killed
    assert pings == [1]  # the first found its connection dead; the renewed pool needs none

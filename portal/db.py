"""The database: one engine per app, one session per app context.

`session()` is the session of the current request (or app context). Views read with it;
only services write and commit.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


def _pool_settings() -> dict[str, Any]:
    """PostgreSQL pool per process, from the environment (README: PostgreSQL and pooling).
    No `pool_pre_ping`: `_ping_when_idle` pings only a connection that has been idle."""
    env = os.environ.get
    return {
        "pool_size": int(env("DB_POOL_SIZE", "5")),
        "max_overflow": int(env("DB_MAX_OVERFLOW", "5")),
        "pool_timeout": float(env("DB_POOL_TIMEOUT", "10")),
        "pool_recycle": int(env("DB_POOL_RECYCLE", "1800")),
    }


def make_engine(url: str, **overrides: Any) -> sa.Engine:
    # Statement parameters (identity numbers, names) never reach a log or an error message.
    kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs.update(_pool_settings())
    kwargs.update(overrides)
    if "poolclass" in overrides:
        for name in ("pool_size", "max_overflow", "pool_timeout", "pool_recycle"):
            kwargs.pop(name, None)
    engine = sa.create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        _ping_when_idle(engine, float(os.environ.get("DB_PING_AFTER_IDLE", "5")))
    return engine


_IDLE_SINCE = "sip_idle_since"


def _ping_when_idle(engine: sa.Engine, after: float) -> None:
    """Ping a pooled connection at checkout only when it has been idle `after` seconds or
    more, or when its socket shows the server has dropped it (ADR 0103); a connection used
    moments ago, or just opened, is otherwise not pinged (one round trip less per request).
    A failed ping invalidates the pool, as `pool_pre_ping` does: this connection and every
    other opened before it are replaced, and the request goes on."""
    dialect = engine.dialect

    def checkin(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop(_IDLE_SINCE, None)
        if idle_since is None:
            return
        if time.monotonic() - idle_since < after and not _server_spoke(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise sa.exc.InvalidatePoolError("ping at checkout failed") from error
            raise

    sa.event.listen(engine, "checkin", checkin)
    sa.event.listen(engine, "checkout", checkout)


def _server_spoke(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has something to read, asked of the kernel (no
    round trip). Between transactions the server sends nothing unasked; a backend that is
    terminated (`pg_terminate_backend`, a restart, a crash) writes its FATAL and closes, so
    the socket turns readable. Anything readable, or no socket, is worth the ping."""
    try:
        fd = dbapi_connection.fileno()
    except Exception:  # closed or broken: the ping will tell
        return True
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Tuning for a small installation on one machine (README: SQLite; ADR 0081).

    WAL lets readers go on while one writer commits; synchronous=NORMAL is durable against
    a crash of the app (a power cut may lose the last commits, never corrupt the file);
    a writer waits up to 10 s for the lock instead of failing at once.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-16000")  # 16 MB per connection
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["sip_db"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.extensions["sip_engine"] = engine
    app.teardown_appcontext(_close_session)


def engine() -> sa.Engine:
    return current_app.extensions["sip_engine"]


def session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["sip_db"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.rollback()
        db_session.close()


class BuiltOnce:
    """A statement built once per key (a tuple of loader options), because building a
    statement costs more CPU than running it (ADR 0084). Only a few constant keys are ever
    passed; past 16 the statement is built each time rather than kept, so it never grows."""

    def __init__(self, build: Callable[[Any], sa.Select]) -> None:
        self._build = build
        self._built: dict[Hashable, sa.Select] = {}

    def __call__(self, key: Hashable) -> sa.Select:
        statement = self._built.get(key)
        if statement is None:
            statement = self._build(key)
            if len(self._built) < 16:
                self._built.setdefault(key, statement)
        return statement

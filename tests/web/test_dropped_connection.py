"""A PostgreSQL server that drops the pool's connections moments after they were used (a
restart, `pg_terminate_backend`) costs the next request nothing: no error page, the read
audited, the log intact (ADR 0103). Runs on PostgreSQL only (`--postgres`)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.db import make_engine
from portal.models import AuditEvent
from portal.services.audit_verify import verify
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _drop_every_connection_but_this(url: str) -> int:
    """As a restart does: every other client backend of the database terminated, waited for."""
    admin = make_engine(url, poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        killed = connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
            )
        ).scalars()
        count = sum(1 for ok in killed if ok)
    admin.dispose()
    return count


def _events(app: Flask) -> int:
    with app.app_context():
        return int(db.session().scalar(sa.select(sa.func.count()).select_from(AuditEvent)))


def test_pages_after_the_server_dropped_the_pool_s_connections(
    app: Flask, client: PageClient, demo: Demo
) -> None:
    url = app.config["DATABASE_URL"]
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL's pool (run with --postgres)")
    sign_in(client, demo, "gunnel")
    assert "Nästa möte" in client.get_page("/me/").text
    for _ in range(2):  # twice: the connections the first renewal opened go the same way
        before = _events(app)
        assert _drop_every_connection_but_this(url) >= 1
        page = client.get_page("/me/")  # 200, not the error page
        assert "Nästa möte" in page.text
        assert _events(app) == before + 1  # the home page's read, audited once
    with app.app_context():
        report = verify(db.session(), full=True)
    assert report.intact, report.reason

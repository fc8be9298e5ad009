"""What PostgreSQL receives for one request of each measured page: python -m
scripts.bench.pg_round_trips [IDLE_SECONDS].

A throw-away cluster (as `make bench-load`), the demo, the app in-process (test client). Each
page is requested four times and the server's log (`log_statement = all`) of the fourth is
printed: every message, BEGIN, COMMIT and the pool's ping included. With IDLE_SECONDS the
connection waits that long in the pool before the fourth request (ADR 0103).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from scripts.bench import load, sessions
from scripts.bench.cpu import _signed_in
from scripts.bench.servers import app_env, demo_database


def _logged(log: Path, since: int) -> list[str]:
    text = log.read_bytes()[since:].decode(errors="replace")
    return [
        line.split("LOG:  ", 1)[1]
        for line in text.splitlines()
        if "LOG:  statement: " in line or "LOG:  execute " in line
    ]


def main(idle: float = 0.0) -> None:
    with load.database("postgres") as url, tempfile.TemporaryDirectory() as folder:
        env = app_env(url, Path(folder))
        demo_database(env)
        ids = sessions._ids(url)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as connection:
            name = connection.execute(sa.text("SELECT current_database()")).scalar_one()
            connection.execute(sa.text(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'"))
            data = connection.execute(sa.text("SHOW data_directory")).scalar_one()
        engine.dispose()
        log = Path(data) / "log"  # tests/support/postgres.py: pg_ctl -l
        os.environ.update(env)
        from portal import create_app

        app = create_app()
        individual, staff = _signed_in(app, ids["individual"]), _signed_in(app, ids["staff"])
        pages = [
            ("individual's home", individual, "/me/"),
            ("individual's plan page", individual, f"/me/plans/{ids['plan']}"),
            ("staff worklist", staff, "/staff/"),
            ("staff plan page", staff, f"/staff/plans/{ids['plan']}"),
        ]
        for title, client, path in pages:
            for _ in range(3):
                assert client.get(path).status_code == 200
            time.sleep(idle)
            since = log.stat().st_size
            assert client.get(path).status_code == 200
            time.sleep(0.3)  # the server writes its log asynchronously
            statements = _logged(log, since)
            print(f"{title} ({path}): {len(statements)}")
            for statement in statements:
                print("   ", statement[:110])


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)

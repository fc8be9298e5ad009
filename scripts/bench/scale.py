"""make bench-scale: the same paths at 1 k and at 1 M individuals, in one run, on PostgreSQL.

A throw-away cluster gets two databases, each with the demo (whose accounts sign in) and a
generated region (set-based SQL, see scale_data.py): one at 1/1000 of the target, one at the
target; both are VACUUM ANALYZEd once built. The same paths are measured on both, one call at
each size in turn with the order swapped every pair, so that the shared machine's noise falls
on both alike (ADR 0100). Every statement the paths run is EXPLAINed at full size and any
sequential scan of a big table is named.

    BENCH_SCALE=1.0   (the region: 1 M individuals, 200 k plans, 20 k staff in 2 k units,
                       10 M audit events; 0.1 for a tenth)
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("SIP_CONFIG", "demo")
os.environ.setdefault("SIP_DEMO_ALLOW_DATABASE", "yes")  # a throw-away cluster

import sqlalchemy as sa

from scripts.bench.scale_data import REGION, Size, access_history, grow

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
BIG = ("individuals", "plans", "audit_events", "meetings", "plan_versions", "goals",
       "interventions", "meeting_participants", "consent_events", "follow_ups", "staff",
       "coordinator_assignments", "units", "audit_heads", "notifications")  # fmt: skip
HISTORY = 10_000


@contextmanager
def captured(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_a: Any) -> None:
        statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)


def once_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    own = action()  # an action may time only its own part (and return it, in ms)
    spent = (time.perf_counter() - start) * 1000
    return own if isinstance(own, float) else spent


def paired(small: Callable[[], object], large: Callable[[], object]) -> list[tuple[float, float]]:
    """(ms at 1 k, ms at 1 M) for REPEAT × 3 pairs of calls, one call at each size in turn and
    the order swapped every pair (ADR 0100): a burst of the shared machine's load falls on
    both sizes alike, and neither size always runs first (in blocks of 15, 1 k first, two
    identical databases measured 0.6 to 2.1 x apart)."""
    for _ in range(2):  # warm both alike
        small()
        large()
    pairs = []
    for n in range(REPEAT * 3):
        if n % 2:
            at_large = once_ms(large)
            at_small = once_ms(small)
        else:
            at_small = once_ms(small)
            at_large = once_ms(large)
        pairs.append((at_small, at_large))
    return pairs


class Paths:
    def __init__(self, app: Any, ids: dict[str, int]) -> None:
        self.app, self.ids = app, ids
        self.staff = self._client(ids["fatima_account"])
        self.person = self._client(ids["gunnel_account"])
        self.engine = app.extensions["sip_engine"]

    def _client(self, account: int) -> Any:
        client = self.app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        client.post("/sign-in/demo", data={"csrf_token": token, "account": str(account)})
        return client

    def _get(self, client: Any, path: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    def actions(self) -> dict[str, Callable[[], object]]:
        from portal import db
        from portal.services.access_log import LogQuery, log_page
        from portal.services.plans import find_individual

        log = LogQuery(self.ids["gunnel"], self.ids["gunnel_account"])

        pins = [f"1{n:011d}" for n in range(0, 997, 7)]

        def search() -> None:
            with self.app.app_context():
                for pin in pins[:20]:
                    assert find_individual(pin) is not None

        def access_log() -> None:  # the app's own query (services.access_log), page by page
            with self.app.app_context():
                session, cursor, pages = db.session(), None, 0
                while pages < 200:  # every page of 50 of the 10,000 events, by keyset
                    cursor = log_page(session, log, after=cursor).next_cursor
                    if cursor is None:
                        break
                    pages += 1

        def first_page() -> None:
            with self.app.app_context():
                log_page(db.session(), log)

        def verify() -> float:
            return append_and_verify(self.app, self.ids)

        return {
            "individual's plan page": self._get(self.person, f"/me/plans/{self.ids['plan']}"),
            "busy staff worklist": self._get(self.staff, "/staff/"),
            "staff plan page": self._get(self.staff, f"/staff/plans/{self.ids['plan']}"),
            "search by identity number (20)": search,
            "access log, first page (keyset)": first_page,
            "access log, all 200 pages (keyset)": access_log,
            "incremental verify of 1,000 new events": verify,
        }


def append_and_verify(app: Any, ids: dict[str, int]) -> float:
    from portal import db
    from portal.models.audit_types import EventType
    from portal.services import audit
    from portal.services.audit_verify import verify

    with app.app_context():
        session = db.session()
        # the pages measured before audited their reads: checkpoint those first, untimed
        verify(session)
        for n in range(1000):
            audit.record(
                session,
                type=EventType.PLAN_READ,
                by=None,
                subject_individual_id=ids["gunnel"] + n % 50,
            )
        session.commit()
        start = time.perf_counter()
        report = verify(session)
        spent = (time.perf_counter() - start) * 1000
        # Exactly the 1,000 new events: the bench appends alone and settles at once (ADR 0100)
        assert report.intact and report.checked == 1000, report
        return spent


def checkpoint_filler(app: Any) -> None:
    """What audit-verify would write after checking the generated history."""
    from portal import db
    from portal.models import AuditEvent
    from portal.services.audit_verify import _checkpoint

    with app.app_context():
        session = db.session()
        last = session.execute(
            sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).one()
        total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        _checkpoint(session, last.id, last.hash, int(total or 0))


def _is_read(statement: str) -> bool:
    """A SELECT, or a WITH … SELECT (a read with a common table expression), not a write
    such as the audit append's WITH … INSERT (ADR 0113)."""
    words = statement.upper().split()
    writes = {"INSERT", "UPDATE", "DELETE"}
    return bool(words) and (
        words[0] == "SELECT" or (words[0] == "WITH" and not writes.intersection(words))
    )


def explain(paths: Paths, actions: dict[str, Callable[[], object]]) -> list[str]:
    lines, scans = [], []
    raw = paths.engine.raw_connection()
    try:
        for name, action in actions.items():
            if name.startswith("append"):
                continue
            with captured(paths.engine) as statements:
                action()
            seen = set()
            lines.append(f"\n### {name}: {len(statements)} statements")
            for statement, parameters in statements:
                if not _is_read(statement) or statement in seen:
                    continue
                seen.add(statement)
                cursor = raw.cursor()
                cursor.execute("EXPLAIN " + statement, parameters)
                plan = [row[0] for row in cursor.fetchall()]
                cursor.close()
                lines.append("  " + " ".join(statement.split())[:160])
                lines += [f"      {row}" for row in plan]
                for row in plan:
                    match = re.search(r"Seq Scan on (\w+)", row)
                    if match and match.group(1) in BIG:
                        scans.append(f"{name}: Seq Scan on {match.group(1)}")
    finally:
        raw.close()
    return [*lines, "", "sequential scans of big tables: " + (", ".join(scans) or "none")]


def demo_ids(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as db:
        gunnel = db.execute(
            sa.text(
                "SELECT i.id, a.id, p.id FROM individuals i JOIN accounts a "
                "ON a.individual_id = i.id JOIN plans p ON p.individual_id = i.id "
                "WHERE i.given_name = 'Gunnel' AND p.state = 'following_up'"
            )
        ).one()
        fatima = db.execute(
            sa.text(
                "SELECT s.id, a.id FROM staff s JOIN accounts a ON a.staff_id = s.id "
                "WHERE s.given_name = 'Fatima'"
            )
        ).one()
    return {
        "gunnel": gunnel[0],
        "gunnel_account": gunnel[1],
        "plan": gunnel[2],
        "fatima": fatima[0],
        "fatima_account": fatima[1],
    }


def counts(engine: sa.Engine) -> str:
    with engine.connect() as db:
        parts = [
            f"{t} {db.scalar(sa.text(f'SELECT count(*) FROM {t}')):,}"
            for t in (
                "individuals",
                "plans",
                "staff",
                "units",
                "audit_events",
                "audit_heads",
                "notifications",
            )
        ]
    return ", ".join(parts)


def _region(url: str, instance: str, size: Size) -> tuple[Any, dict[str, int]]:
    """A database with the demo and a generated region of this size; its app and ids."""
    from portal import create_app, db, migrate
    from portal.services import demo_data

    # Nothing else appends while the bench verifies, so its events settle at once: each
    # verify walks the 1,000 it appended, not every event of the last minute (ADR 0100).
    app = create_app({"DATABASE_URL": url, "INSTANCE_DIR": Path(instance),
                      "DEMO_SIGNED_PDFS": False, "AUDIT_SETTLE_SECONDS": 0})  # fmt: skip
    engine = app.extensions["sip_engine"]
    migrate.upgrade(engine)
    with app.app_context():
        demo_data.load(db.session())
    ids = demo_ids(engine)
    started = time.perf_counter()
    grow(engine, Size(0, 0, 0, 0, 0), size, ids)
    access_history(engine, ids["gunnel"], HISTORY, ids)
    checkpoint_filler(app)
    settle(engine)
    print(f"built ({counts(engine)}) in {time.perf_counter() - started:.0f} s", flush=True)
    return app, ids


def settle(engine: sa.Engine) -> None:
    """VACUUM ANALYZE, as a region's tables would be: statistics that include the individual's
    10,000 events, and no autovacuum of ten million fresh rows running under the 1 M
    measurements only (ADR 0100)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(sa.text("VACUUM ANALYZE"))


def main() -> int:
    from tests.support.postgres import cluster

    target = REGION.scaled(SCALE)
    small = REGION.scaled(0.001)
    with cluster() as url, tempfile.TemporaryDirectory(prefix="sip-scale-") as instance:
        os.environ.update(DATABASE_URL=url, SIP_INSTANCE_DIR=instance)
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as db:
            db.execute(sa.text("CREATE DATABASE sip_large"))
        admin.dispose()
        large_url = url.rsplit("/", 1)[0] + "/sip_large"
        apps = {"1k": _region(url, instance, small), "1M": _region(large_url, instance, target)}
        paths = {key: Paths(app, ids) for key, (app, ids) in apps.items()}
        actions = {key: p.actions() for key, p in paths.items()}
        print(f"\n| path (median of {REPEAT * 3} pairs, one call at each size in turn) "
              f"| at 1 k ms | at {SCALE:g} x 1 M ms | ratio | pairs' ratios, middle half |")  # fmt: skip
        print("|---|---:|---:|---:|---:|")
        over = []
        for name in actions["1k"]:
            pairs = paired(actions["1k"][name], actions["1M"][name])
            at_small = statistics.median(p[0] for p in pairs)
            at_large = statistics.median(p[1] for p in pairs)
            ratio = at_large / at_small
            quartiles = statistics.quantiles([b / a for a, b in pairs], n=4)
            print(f"| {name} | {at_small:.1f} | {at_large:.1f} | {ratio:.2f} "
                  f"| {quartiles[0]:.2f} – {quartiles[2]:.2f} |", flush=True)  # fmt: skip
            if ratio > 1.2:
                over.append(f"{name}: {ratio:.2f} x")
        print("\n## EXPLAIN of every read (SELECT, WITH … SELECT) on these paths, at full size")
        print("\n".join(explain(paths["1M"], actions["1M"])))
        print("\nwithin 1.2 x: " + ("all" if not over else "NOT " + "; ".join(over)))
        for app, _ids in apps.values():
            app.extensions["sip_engine"].dispose()
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""make bench-load: the app under wrk beside a bare Flask route, on SQLite and PostgreSQL.

For each database: a fresh demo database (as `make run` makes it), the app and the bare
route under the same gunicorn settings (gunicorn.conf.py), wrk -t2 -c50 on the
individual's home and plan page, a staff worklist and the staff plan page, the bare route
before and after; then `audit-verify --full` and a profile of one plan-page request.
Prints req/s, p50, p99, errors (socket errors, and any answer but 200 in the access log)
and the share of bare-Flask throughput, then whether the targets of issue 15 hold.

    BENCH_SECONDS=8 BENCH_WARM_SECONDS=1 BENCH_CONNECTIONS=50 BENCH_DATABASES=sqlite,postgresql

Each page gets BENCH_WARM_SECONDS of the same load first, not measured but its errors
counted: the steady state is measured, not each worker process's first request of a page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import servers, sessions
from scripts.bench.servers import ROOT, app_env, demo_database, flask, gunicorn
from tests.support.redis_server import redis_server

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WARM_SECONDS = int(os.environ.get("BENCH_WARM_SECONDS", "1"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
# Issue 15's share targets: "the plan page" is the individual's (its table's row); every
# page is held to p99 and zero errors.
TARGETS = {"individual's plan page": 0.20, "staff worklist": 0.10}
P99_LIMIT_MS = 150.0


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:  # no request finished: wrk prints nan
        return float("inf")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _statuses(log: Path, start: int) -> list[str]:
    with log.open() as handle:
        handle.seek(start)
        return [line.rsplit(" ", 2)[-2] for line in handle if line.strip()]


def _socket_errors(out: str) -> int:
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return sum(int(n) for n in socket.groups()) if socket else 0


def wrk(name: str, url: str, cookie: str, log: Path) -> Result:
    """WARM_SECONDS of the same load first, not measured (every worker process has then
    served the page: its first request compiles statements), then SECONDS measured. Errors
    count from both."""
    start = log.stat().st_size if log.exists() else 0
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    base = ["wrk", "-t2", f"-c{CONNECTIONS}", "--latency", "--timeout", "5s", *headers]
    warm_errors = 0
    if WARM_SECONDS:
        warm = [*base, f"-d{WARM_SECONDS}s", url]
        warm_errors = _socket_errors(subprocess.run(warm, capture_output=True, text=True).stdout)
    out = subprocess.run(
        [*base, f"-d{SECONDS}s", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # The distribution's own lines ("     99%    1.70s"), not a "63.99%" in the stats above.
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    if p99 == float("inf"):
        print(out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = warm_errors + _socket_errors(out)
    errors += sum(1 for status in _statuses(log, start) if status != "200")
    return Result(name, rps, p50, p99, errors, requests)


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="sip-bench-") as folder:
            yield f"sqlite:///{folder}/sip-portal.sqlite"
        return
    from tests.support.postgres import cluster

    with cluster() as url:
        yield url


def run(kind: str) -> tuple[list[Result], bool, str, str]:
    with (
        database(kind) as url,
        redis_server() as store,
        tempfile.TemporaryDirectory(prefix="sip-bench-i-") as instance,
    ):
        folder = Path(instance)
        # rate limits in a store every worker shares, as `make run` has them (ADR 0115)
        env = {**app_env(url, folder), "RATELIMIT_STORAGE_URI": store}
        sessions.use_database(url)
        demo_database(env)
        app_log, bare_log = folder / "app-access.log", folder / "bare-access.log"
        bare_dir = Path(__file__).resolve().parent
        with (
            gunicorn("portal:create_app()", env, app_log) as app,
            gunicorn("bare_flask:app", env, bare_log, chdir=bare_dir) as bare,
        ):
            pages = sessions.pages(app)
            results = [wrk("bare Flask (before)", bare + "/", "", bare_log)]
            for page in pages:
                page = sessions.signed_in_now(app, page)
                results.append(wrk(page.name, app + page.path, page.cookie, app_log))
            results.append(wrk("bare Flask (after)", bare + "/", "", bare_log))
        verified = flask(env, "audit-verify", "--full")
        intact = verified.returncode == 0
        print(f"  audit-verify --full: {(verified.stdout or verified.stderr).strip()}")
        profile = sessions.profile(env, pages)
    return results, intact, profile, servers.settings(env)


def report(kind: str, results: list[Result], intact: bool, settings: str) -> list[str]:
    bare = sum(r.rps for r in results if r.name.startswith("bare")) / 2
    print(
        f"\n## {kind}: wrk -t2 -c{CONNECTIONS} -d{SECONDS}s after {WARM_SECONDS} s warm-up, gunicorn {settings}"
    )
    print("| page | req/s | share of bare | p50 ms | p99 ms | errors | requests |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    for r in results:
        share = r.rps / bare if bare else 0.0
        print(
            f"| {r.name} | {r.rps:,.0f} | {share:.1%} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.errors} | {r.requests} |"
        )
        if r.errors:
            failures.append(f"{kind}: {r.name}: {r.errors} errors")
        if r.name.startswith("bare"):
            continue
        if r.p99_ms > P99_LIMIT_MS:
            failures.append(f"{kind}: {r.name}: p99 {r.p99_ms:.0f} ms > {P99_LIMIT_MS:.0f} ms")
        for target, share_needed in TARGETS.items():
            if r.name == target and share < share_needed:
                failures.append(f"{kind}: {r.name}: {share:.1%} of bare < {share_needed:.0%}")
    if not intact:
        failures.append(f"{kind}: audit log not intact after the load")
    return failures


def main() -> int:
    kinds = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    failures: list[str] = []
    profiles = []
    for kind in kinds:
        print(f"# {kind}: building the demo database and starting the servers …", flush=True)
        results, intact, profile, settings = run(kind)
        failures += report(kind, results, intact, settings)
        profiles.append((kind, profile))
    for kind, profile in profiles:
        print(f"\n## Profile of one request ({kind}): the individual's plan page\n")
        print(profile)
    print("\n## Targets (issue 15): plan page >= 20 % of bare, worklist >= 10 %, p99 <= 150 ms,")
    print("## zero errors, audit log intact")
    for failure in failures:
        print(f"NOT MET  {failure}")
    if not failures:
        print("all met")
    print(f"(cores: {os.cpu_count()}; load from the same machine; ROOT {ROOT})")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CPU per request in-process: python -m scripts.bench.cpu [ROUNDS] [REQUESTS].

A fresh demo database (SQLite, as `make run` makes it), then test-client requests measured
with `time.process_time`, interleaved round by round: the bare Flask route of make bench-load,
the individual's plan page (Gunnel's signed plan in follow-up) from the content cache and with
the cache emptied before each request (a miss), her home and Fatima's worklist.
Prints the median over rounds of the mean CPU per request, in ms, and one JSON line. No
network and no gunicorn: what one request costs the process, not throughput.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _signed_in(app, account_id: int):  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/sign-in/demo", data={"csrf_token": token, "account": str(account_id)})
    return client


@contextmanager
def demo_app() -> Iterator[tuple[Any, dict[str, int], Any]]:
    """A fresh demo database (SQLite, as `make run` makes it) and the app on it: (app, the
    demo's ids as scripts.bench.sessions reads them, the bare Flask app)."""
    with tempfile.TemporaryDirectory(prefix="sip-cpu-") as folder:
        url = f"sqlite:///{folder}/sip-portal.sqlite"
        os.environ.update(
            SIP_CONFIG="demo",
            DATABASE_URL=url,
            SIP_INSTANCE_DIR=folder,
            PUBLIC_BASE_URL="http://localhost:5000",
            SIP_DEMO_ALLOW_DATABASE="yes",
        )
        from scripts.bench import sessions
        from scripts.bench.servers import app_env, demo_database

        env = app_env(url, Path(folder))
        demo_database(env)
        ids = sessions._ids(url)

        from portal import create_app
        from scripts.bench.bare_flask import app as bare_app

        yield create_app(), ids, bare_app


def measure(
    app: Any, pages: dict[str, tuple[Any, str]], rounds: int, requests: int
) -> dict[str, float]:
    """Warm every page, then CPU per request interleaved round by round; prints the median
    over rounds of the mean per request and one JSON line. A page named "... (miss)" has the
    plan-content cache emptied before each request (ADR 0084)."""
    for client, path in pages.values():  # warm: templates compiled, caches filled
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    measured: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(rounds):
        for name, (client, path) in pages.items():
            cache = app.extensions.get("plan_content_cache") if "miss" in name else None
            start = time.process_time()
            for _ in range(requests):
                if cache is not None:  # every request rebuilds the block (ADR 0084)
                    cache.clear()
                client.get(path)
            measured[name].append((time.process_time() - start) * 1000 / requests)
    result = {name: round(statistics.median(values), 2) for name, values in measured.items()}
    for name, values in measured.items():
        spread = f"{min(values):.2f}–{max(values):.2f}"
        print(f"{name:12} {result[name]:6.2f} ms per request (rounds {spread})")
    print(json.dumps(result))
    return result


def main(rounds: int = 5, requests: int = 40) -> dict[str, float]:
    with demo_app() as (app, ids, bare_app):
        individual = _signed_in(app, ids["individual"])
        staff = _signed_in(app, ids["staff"])
        pages = {
            "bare Flask": (bare_app.test_client(), "/"),
            "plan page": (individual, f"/me/plans/{ids['plan']}"),
            "plan (miss)": (individual, f"/me/plans/{ids['plan']}"),
            "home": (individual, "/me/"),
            "worklist": (staff, "/staff/"),
        }
        return measure(app, pages, rounds, requests)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

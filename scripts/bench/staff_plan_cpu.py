"""CPU per request of the staff plan page in-process: python -m scripts.bench.staff_plan_cpu
[ROUNDS] [REQUESTS] [--html FILE] [--only].

As scripts.bench.cpu: a fresh demo database (SQLite), then test-client requests measured with
`time.process_time`, interleaved round by round with the bare Flask route: Fatima (Gunnel's
coordinator) on Gunnel's signed plan in follow-up, /staff/plans/<id>. Prints the median over
rounds of the mean CPU per request in ms and one JSON line. `--html FILE` writes the page as
served (to compare the content before and after a change); `--only` runs just the staff plan
page in a loop (for py-spy).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(rounds: int = 5, requests: int = 40, html: str = "", only: bool = False) -> dict:
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
        from scripts.bench.cpu import _signed_in
        from scripts.bench.servers import app_env, flask

        env = app_env(url, Path(folder))
        for step in (("db-upgrade",), ("seed-demo",)):
            done = flask(env, *step)
            if done.returncode:
                raise RuntimeError(done.stderr)
        ids = sessions._ids(url)

        from portal import create_app
        from scripts.bench.bare_flask import app as bare_app

        app = create_app()
        staff = _signed_in(app, ids["staff"])
        pages = {"staff plan": (staff, f"/staff/plans/{ids['plan']}")}
        if not only:
            pages = {"bare Flask": (bare_app.test_client(), "/"), **pages}
        for client, path in pages.values():  # warm: templates compiled, caches filled
            for _ in range(3):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
        if html:
            Path(html).write_text(staff.get(pages["staff plan"][1]).get_data(as_text=True))
        measured: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(rounds):
            for name, (client, path) in pages.items():
                start = time.process_time()
                for _ in range(requests):
                    client.get(path)
                measured[name].append((time.process_time() - start) * 1000 / requests)
    result = {name: round(statistics.median(values), 2) for name, values in measured.items()}
    for name, values in measured.items():
        spread = f"{min(values):.2f}–{max(values):.2f}"
        print(f"{name:12} {result[name]:6.2f} ms per request (rounds {spread})")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    args = sys.argv[1:]
    out = ""
    if "--html" in args:
        at = args.index("--html")
        out = args[at + 1]
        del args[at : at + 2]
    only = "--only" in args
    numbers = [int(a) for a in args if a != "--only"]
    main(*numbers[:2], html=out, only=only)  # type: ignore[arg-type]

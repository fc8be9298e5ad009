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

import sys
from pathlib import Path

from scripts.bench.cpu import _signed_in, demo_app, measure


def main(rounds: int = 5, requests: int = 40, html: str = "", only: bool = False) -> dict:
    with demo_app() as (app, ids, bare_app):
        staff = _signed_in(app, ids["staff"])
        pages = {"staff plan": (staff, f"/staff/plans/{ids['plan']}")}
        if not only:
            pages = {"bare Flask": (bare_app.test_client(), "/"), **pages}
        if html:
            Path(html).write_text(staff.get(pages["staff plan"][1]).get_data(as_text=True))
        return measure(app, pages, rounds, requests)


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

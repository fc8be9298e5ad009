"""Profile one request (pyinstrument): python -m scripts.bench.profile_one PATH."""

from __future__ import annotations

import os
import re
import sys

from pyinstrument import Profiler

from portal import create_app


def main(path: str) -> None:
    app = create_app()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/sign-in/demo", data={"csrf_token": token, "account": os.environ["BENCH_ACCOUNT"]})
    for _ in range(3):  # warm: templates compiled, caches filled
        assert client.get(path).status_code == 200
    profiler = Profiler(interval=0.0005)
    profiler.start()
    response = client.get(path)
    profiler.stop()
    assert response.status_code == 200
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main(sys.argv[1])

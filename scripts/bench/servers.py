"""Start the app as `make run` does, and the bare Flask route, under the same gunicorn flags."""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN_FLAGS = ["--config", str(ROOT / "gunicorn.conf.py")]  # what `make run` reads (ADR 0105)


def _conf(env: dict[str, str]) -> dict[str, Any]:
    """gunicorn.conf.py's settings under the environment `env`, read in a process of its own."""
    read = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('workers', 'worker_class', 'PIN_WORKERS')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", read], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def workers(env: dict[str, str]) -> tuple[int, str]:
    """How many workers of which class gunicorn.conf.py gives under the environment `env`
    (the number depends on the rate-limit store, ADR 0115)."""
    conf = _conf(env)
    return int(conf["workers"]), str(conf["worker_class"])


def settings(env: dict[str, str]) -> str:
    """The worker settings under the servers' environment `env`, as a report names them."""
    conf = _conf(env)
    placed = conf["PIN_WORKERS"] and len(os.sched_getaffinity(0)) > 1
    return (
        f"{conf['workers']} {conf['worker_class']} workers (gunicorn.conf.py"
        f"{', each on a core of its own' if placed else ''}), {interpreter()}"
    )


def interpreter() -> str:
    """The venv's Python and the interpreter it was made from (Makefile: PYTHON, ADR 0114)."""
    base = Path(getattr(sys, "_base_executable", sys.executable)).resolve()
    return f"Python {platform.python_version()} ({base})"


ACCESS_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(L)ss'


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A free port: from BENCH_PORTS ("5151-5159", an engineer's own range) when set."""
    wanted = os.environ.get("BENCH_PORTS", "")
    if wanted:
        low, _, high = wanted.partition("-")
        for port in range(int(low), int(high or low) + 1):
            if _bindable(port):
                return port
        raise RuntimeError(f"no free port in BENCH_PORTS={wanted}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(database_url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SIP_CONFIG="demo",
        DATABASE_URL=database_url,
        SIP_INSTANCE_DIR=str(instance),
        PUBLIC_BASE_URL="http://localhost:5000",
        PYTHONPATH=str(ROOT),
        SIP_DEMO_ALLOW_DATABASE="yes",  # a throw-away cluster, not a real database
    )
    return env


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "flask"), "--app", "portal", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def demo_database(env: dict[str, str]) -> None:
    """The database in `env` migrated and seeded with the demo, as `make run` does."""
    for step in (("db-upgrade",), ("seed-demo",)):
        done = flask(env, *step)
        if done.returncode:
            raise RuntimeError(done.stderr)


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer: {url}")


@contextmanager
def gunicorn(
    target: str, env: dict[str, str], access_log: Path, chdir: Path = ROOT
) -> Iterator[str]:
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        *GUNICORN_FLAGS,
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_FORMAT,
        "--chdir",
        str(chdir),
        target,
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

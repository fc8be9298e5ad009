"""gunicorn.conf.py places each sync worker on a core of its own (ADR 0117), a replacement
on the core its predecessor left, and leaves placing to the kernel with WEB_PIN_WORKERS=0.
Real gunicorn, as `make run` starts it; the cores are read from /proc."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.bench.servers import app_env, flask, gunicorn

CORES = sorted(os.sched_getaffinity(0))

pytestmark = pytest.mark.skipif(len(CORES) < 2, reason="one core: nothing to place")


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def _workers(port: str) -> dict[int, str]:
    """The arbiter's children serving on `port`, with the cores each may run on."""
    serving = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "gunicorn" in command and f"127.0.0.1:{port}" in command:
            serving.append(int(entry.name))
    found = {}
    for pid in serving:
        try:
            status = _status(pid)
        except OSError:
            continue
        if int(status["PPid"]) in serving:
            found[pid] = status["Cpus_allowed_list"]
    return found


def _wait_for(port: str, count: int) -> dict[int, str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = _workers(port)
        if len(found) == count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{count} workers expected, found {_workers(port)}")


@contextmanager
def _served(**settings: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="sip-workers-") as folder:
        env = app_env(f"sqlite:///{folder}/sip-portal.sqlite", Path(folder))
        env.pop("WEB_PIN_WORKERS", None)
        # a shared store named (never reached here), so the workers asked for are started
        env.update(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", WEB_WORKERS="2")
        env.update(settings)
        if not env["RATELIMIT_STORAGE_URI"]:  # memory://, the demo's default without a store
            del env["RATELIMIT_STORAGE_URI"]
        done = flask(env, "db-upgrade")
        assert done.returncode == 0, done.stderr
        with gunicorn("portal:create_app()", env, Path(folder) / "access.log") as base:
            yield base.rsplit(":", 1)[1]


def test_each_worker_has_a_core_of_its_own_and_a_replacement_takes_the_one_left() -> None:
    with _served() as port:
        workers = _wait_for(port, 2)
        assert sorted(workers.values()) == [str(CORES[0]), str(CORES[1])]
        gone, its_core = next(iter(workers.items()))
        os.kill(gone, signal.SIGKILL)  # a worker that dies is replaced by the arbiter
        deadline = time.monotonic() + 30
        while gone in (now := _workers(port)) or len(now) < 2:
            assert time.monotonic() < deadline, f"no replacement for {gone}: {now}"
            time.sleep(0.1)
        replacement = next(pid for pid in now if pid not in workers)
        assert now[replacement] == its_core
        assert sorted(now.values()) == [str(CORES[0]), str(CORES[1])]


def test_placing_is_left_to_the_kernel_when_asked() -> None:
    every = _status(os.getpid())["Cpus_allowed_list"]
    with _served(WEB_PIN_WORKERS="0") as port:
        assert list(_wait_for(port, 2).values()) == [every, every]


def _arbiter(port: str) -> int:
    (worker, *_) = _wait_for_any(port)
    return int(_status(worker)["PPid"])


def _wait_for_any(port: str) -> list[int]:
    deadline = time.monotonic() + 30
    while not (found := list(_workers(port))):
        assert time.monotonic() < deadline, "no worker"
        time.sleep(0.1)
    return found


@pytest.mark.parametrize(
    ("store", "served"), [("redis://127.0.0.1:1/0", 4), ("", 1)], ids=["shared", "memory"]
)
def test_more_workers_asked_of_a_running_server_keep_the_one_worker_rule(
    store: str, served: int
) -> None:
    """TTIN to the arbiter adds a worker; with memory:// it stays one (ADR 0115), as when the
    number is asked for in the file or on the command line."""
    with _served(RATELIMIT_STORAGE_URI=store) as port:
        arbiter = _arbiter(port)
        _wait_for(port, 2 if store else 1)
        for _ in range(2):
            os.kill(arbiter, signal.SIGTTIN)
            time.sleep(0.5)  # the arbiter handles one signal per turn of its loop
        _wait_for(port, served)
        time.sleep(2)  # and no more come later
        assert len(_workers(port)) == served

"""A real OpenID Connect provider for the suite: `oidc-provider-mock` as its own process on a
free loopback port, with users whose claims carry a personal identity number."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def oidc_provider(users: list[dict[str, str]]) -> Iterator[str]:
    binary = shutil.which("oidc-provider-mock", path=str(Path(sys.executable).parent))
    if binary is None:
        raise RuntimeError("oidc-provider-mock not installed: run `make install`")
    port = _free_port()
    args = [binary, "-p", str(port), "--require-nonce", "true"]
    for user in users:
        args += ["--user-claims", json.dumps(user)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=0.5)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("oidc-provider-mock did not start") from None
                time.sleep(0.05)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)

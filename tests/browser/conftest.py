"""Real Chromium (the system browser) against a live server on localhost, with axe and passkeys."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.support.live_app import live_app

CHROMIUM = os.environ.get("SIP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A Swedish phone user's browser: Swedish first."""
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture
def live_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app(migrated: str, tmp_path: os.PathLike[str], live_port: int) -> Iterator[Flask]:
    with live_app(migrated, tmp_path, live_port) as made:
        yield made


@pytest.fixture
def live_server(app: Flask, live_port: int) -> Iterator[str]:
    """Serve on 127.0.0.1, browse to localhost (a secure context for WebAuthn)."""
    server = make_server("127.0.0.1", live_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{live_port}"
    server.shutdown()
    thread.join(timeout=5)


def add_virtual_authenticator(page: Any) -> tuple[Any, str]:
    """A CDP virtual authenticator: must exist before the page calls navigator.credentials."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


def assert_accessible(page: Any) -> None:
    """An axe scan of the page as it is now; fails on any violation, naming each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    summary = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations
    ]
    assert not violations, f"axe violations on {page.url}: {summary}"


def demo_sign_in(page: Any, live_server: str, name: str) -> None:
    """Sign in with the demo form's button for this person, as a newcomer would."""
    import re

    page.goto(f"{live_server}/sign-in")
    page.get_by_role("button", name=re.compile(name)).click()
    page.wait_for_load_state()


def open_menu(page: Any) -> None:
    """On a small screen (or at 200 % zoom) the menu is behind one "Meny" button."""
    summary = page.locator(".site-menu > summary")
    if summary.is_visible() and page.locator(".site-menu[open]").count() == 0:
        summary.click()

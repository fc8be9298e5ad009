"""Who the load signs in as, which pages it asks for, and the profile of one request."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    cookie: str
    account_id: int
    h1: str = ""


def _ids(database_url: str) -> dict[str, int]:
    """The demo's Gunnel (signed plan in follow-up) and Fatima, her coordinator."""
    engine = sa.create_engine(database_url)
    with engine.connect() as db:
        gunnel = db.execute(
            sa.text(
                "SELECT a.id, p.id FROM accounts a JOIN individuals i ON i.id = a.individual_id "
                "JOIN plans p ON p.individual_id = i.id "
                "WHERE i.given_name = 'Gunnel' AND p.state = 'following_up'"
            )
        ).one()
        fatima = db.execute(
            sa.text(
                "SELECT a.id FROM accounts a JOIN staff s ON s.id = a.staff_id "
                "WHERE s.given_name = 'Fatima'"
            )
        ).scalar_one()
    engine.dispose()
    return {"individual": gunnel[0], "plan": gunnel[1], "staff": fatima}


def sign_in(base: str, account_id: int) -> str:
    """Sign in through the demo sign-in form; the session cookie as a Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/sign-in").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode({"csrf_token": token, "account": str(account_id)}).encode()
    opener.open(urllib.request.Request(base + "/sign-in/demo", data=form)).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _check(base: str, page: Page) -> None:
    request = urllib.request.Request(base + page.path, headers={"Cookie": page.cookie})
    with urllib.request.urlopen(request) as response:
        body = response.read().decode()
        if response.status != 200 or response.url != base + page.path or "<h1" not in body:
            raise RuntimeError(f"{page.name}: not the page ({response.status} {response.url})")


def pages(base: str) -> list[Page]:
    ids = _ids(os.environ.get("BENCH_DATABASE_URL") or _database_url())
    individual, staff = sign_in(base, ids["individual"]), sign_in(base, ids["staff"])
    listed = [
        Page("individual's home", "/me/", individual, ids["individual"]),
        Page("individual's plan page", f"/me/plans/{ids['plan']}", individual, ids["individual"]),
        Page("staff worklist", "/staff/", staff, ids["staff"]),
        Page("staff plan page", f"/staff/plans/{ids['plan']}", staff, ids["staff"]),
    ]
    for page in listed:
        _check(base, page)
    return listed


def signed_in_now(base: str, page: Page) -> Page:
    """The page with a cookie from a sign-in just now. wrk replays one cookie and never takes
    a new one, so a cookie older than `LAST_SEEN_STEP` would make every request write and sign
    a new session cookie, as no browser would (ADR 0096)."""
    fresh = replace(page, cookie=sign_in(base, page.account_id))
    _check(base, fresh)
    return fresh


_current_url: list[str] = []


def _database_url() -> str:
    return _current_url[-1]


def use_database(url: str) -> None:
    _current_url.append(url)


def profile(env: dict[str, str], listed: list[Page]) -> str:
    """One plan-page request under pyinstrument, in a fresh process with the app's config."""
    done = subprocess.run(
        [sys.executable, "-m", "scripts.bench.profile_one", listed[1].path],
        env={**env, "BENCH_ACCOUNT": str(_ids(env["DATABASE_URL"])["individual"])},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout if done.returncode == 0 else done.stderr

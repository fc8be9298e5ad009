"""Point 12: the demo cannot leak into production. The demo sign-in route is not registered
outside the demo; the demo refuses a non-SQLite database unless told; secret and key files
are created with mode 0600 from the start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from portal import create_app
from portal.config import load
from portal.private_files import write_private


def test_production_has_no_demo_sign_in_route(
    monkeypatch: pytest.MonkeyPatch, migrated: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("SIP_CONFIG", "production")
    app = create_app(
        {
            "DATABASE_URL": migrated,
            "SECRET_KEY": "x" * 40,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert "/sign-in/demo" not in rules
    assert not any(endpoint.startswith("demo.") for endpoint in app.view_functions)


def test_the_demo_refuses_a_real_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIP_CONFIG", "demo")
    monkeypatch.delenv("SIP_DEMO_ALLOW_DATABASE", raising=False)
    with pytest.raises(RuntimeError, match="SQLite only"):
        load({"DATABASE_URL": "postgresql+psycopg://sip@db.region.se/sip"})
    monkeypatch.setenv("SIP_DEMO_ALLOW_DATABASE", "yes")
    assert load({"DATABASE_URL": "postgresql+psycopg://sip@localhost/demo"})["DEMO"]


def test_private_files_are_never_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "secret"
        write_private(path, b"s")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_the_demo_secret_key_is_made_with_mode_0600(
    monkeypatch: pytest.MonkeyPatch, migrated: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("SIP_CONFIG", "demo")
    monkeypatch.setenv("SIP_DEMO_ALLOW_DATABASE", "yes")  # the suite's database may be PostgreSQL
    monkeypatch.delenv("SECRET_KEY", raising=False)
    create_app({"DATABASE_URL": migrated, "INSTANCE_DIR": tmp_path, "SECRET_KEY": None})
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600

"""The secret key: from the environment in production; made once under instance/ for demo."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask


def ensure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if not app.config.get("DEMO"):
        raise RuntimeError("SECRET_KEY must be set in production (see README: Configuration)")
    path = Path(app.config["INSTANCE_DIR"]) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()

"""The secret key: from the environment in production; made once under instance/ for demo."""

from __future__ import annotations

import contextlib
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
        from portal.private_files import write_private

        with contextlib.suppress(FileExistsError):  # another worker made it first
            write_private(path, secrets.token_urlsafe(48).encode())
    app.config["SECRET_KEY"] = path.read_text().strip()

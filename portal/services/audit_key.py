"""The audit key: the MAC key of the audit log's links, heads and checkpoints (ADR 0080).

It never lives in the database, so someone who can write the database cannot forge the log.
Where it comes from, first match wins:
1. `AUDIT_KEY` (environment): the key itself, at least 32 characters;
2. `AUDIT_KEY_FILE` (environment): a file holding it;
3. derived from the PAdES signing key (`SIGNING_PKCS12` or `SIGNING_KEY`): HMAC-SHA256 of the
   key file under a fixed label, so an installation with a signing key needs nothing more;
4. demo and test only: `instance/audit_key`, made once (mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from flask import current_app

LABEL = b"sip-portal audit log MAC v1"
_cache: dict[tuple[str, ...], bytes] = {}
_lock = threading.Lock()


class AuditKeyMissingError(RuntimeError):
    """No audit key is configured (see README: Configuration)."""


def _from_config(config: dict[str, Any]) -> bytes:
    if config.get("AUDIT_KEY"):
        key = str(config["AUDIT_KEY"]).encode()
        if len(key) < 32:
            raise AuditKeyMissingError("AUDIT_KEY must be at least 32 characters.")
        return key
    if config.get("AUDIT_KEY_FILE"):
        return Path(config["AUDIT_KEY_FILE"]).read_bytes().strip()
    signing_file = config.get("SIGNING_PKCS12") or config.get("SIGNING_KEY")
    if signing_file:
        return hmac.new(LABEL, Path(signing_file).read_bytes(), hashlib.sha256).digest()
    if config.get("DEMO"):
        path = Path(config["INSTANCE_DIR"]) / "audit_key"
        if not path.exists():
            _make_once(path)
        return path.read_bytes().strip()
    raise AuditKeyMissingError("Set AUDIT_KEY, AUDIT_KEY_FILE or a signing key.")


def _make_once(path: Path) -> None:
    """Write a new key, atomically: of two processes starting at once, one key wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".audit_key.{os.getpid()}.{threading.get_ident()}")
    from portal.private_files import write_private

    write_private(draft, secrets.token_urlsafe(48).encode())
    try:
        os.link(draft, path)  # fails when another process made it first
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def key(config: dict[str, Any] | None = None) -> bytes:
    """The key for this app's configuration, read once per process."""
    config = config if config is not None else current_app.config
    names = ("AUDIT_KEY", "AUDIT_KEY_FILE", "SIGNING_PKCS12", "SIGNING_KEY", "INSTANCE_DIR")
    cache_key = tuple(str(config.get(name)) for name in names)
    if cache_key not in _cache:
        with _lock:
            if cache_key not in _cache:
                _cache[cache_key] = _from_config(config)
    return _cache[cache_key]


def mac(*parts: object) -> str:
    """HMAC-SHA256 (hex) of the parts, joined unambiguously."""
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(key(), message, hashlib.sha256).hexdigest()

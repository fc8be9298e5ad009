"""The app a real browser talks to on localhost (a secure context for WebAuthn), emptied after."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from portal import create_app
from tests.conftest import _empty_tables


@contextmanager
def live_app(
    migrated: str, tmp_path: os.PathLike[str], live_port: int, **config: object
) -> Iterator[Flask]:
    """The app served at http://localhost:`live_port`, with `config` on top."""
    origin = f"http://localhost:{live_port}"
    app = create_app(
        {
            "DATABASE_URL": migrated,
            "INSTANCE_DIR": tmp_path,
            "PUBLIC_BASE_URL": origin,
            "WEBAUTHN_ORIGIN": origin,
            "WEBAUTHN_RP_ID": "localhost",
            **config,
        }
    )
    try:
        yield app
    finally:
        engine = app.extensions["sip_engine"]
        _empty_tables(engine)
        engine.dispose()

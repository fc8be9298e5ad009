"""SIP Portal: the individual's side of a samordnad individuell plan."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal import config as config_module


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Wiring only: configuration, extensions, blueprints, hooks."""
    root = config_module.ROOT
    app = Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        instance_path=str(config_module.INSTANCE),
    )
    from portal.web.environment import PortalEnvironment

    app.jinja_environment = PortalEnvironment  # before the environment is made (ADR 0104)
    app.config.update(config_module.load(config))
    from portal import secrets_setup

    secrets_setup.ensure_secret_key(app)

    from portal import db, errors, i18n, security
    from portal.auth import permissions, sessions
    from portal.extensions import csrf, htmx, limiter

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)
    from portal.auth import eid

    eid.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.before_request(permissions.gate)

    from portal.web import register_blueprints

    register_blueprints(app)
    permissions.allow(permissions.PUBLIC)(app.view_functions["static"])

    from portal import cli

    cli.init_app(app)
    return app

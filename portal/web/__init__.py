"""One blueprint per audience: public, person (individual and relatives), staff."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from portal.web import context
    from portal.web.public import blueprint as public

    app.register_blueprint(public)
    for name in ("portal.web.person", "portal.web.staff"):
        module = __import__(name, fromlist=["blueprint"])
        if hasattr(module, "blueprint"):
            app.register_blueprint(module.blueprint)
    context.init_app(app)

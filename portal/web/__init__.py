"""One blueprint per audience: public, person (individual and relatives), staff."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from portal.web import context, converters
    from portal.web.person import blueprint as person
    from portal.web.public import blueprint as public
    from portal.web.staff import blueprint as staff

    converters.init_app(app.url_map)

    for blueprint in (public, person, staff):
        app.register_blueprint(blueprint)
    if app.config.get("DEMO") and app.config.get("ENV_NAME") != "production":
        from portal.web.public.demo import demo

        app.register_blueprint(demo)
    context.init_app(app)

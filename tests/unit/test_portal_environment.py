"""The app's Jinja environment (ADR 0104): a template shares the environment's globals dict,
so globals set after start-up are seen, and templates' gettext is ADR 0102's one call."""

from __future__ import annotations

from collections import ChainMap

from flask import Flask

from portal.web import template_gettext
from portal.web.environment import PortalEnvironment


def test_a_template_shares_the_environments_globals(app: Flask) -> None:
    env = app.jinja_env
    assert isinstance(env, PortalEnvironment)
    template = env.get_template("staff/_worklist_row.html")
    assert template.globals is env.globals
    assert template.globals["_"] is template_gettext.gettext  # ADR 0102 kept
    env.globals["portal_test_late"] = "late"
    try:
        assert env.from_string("{{ portal_test_late }}").render() == "late"
    finally:
        del env.globals["portal_test_late"]


def test_a_template_with_globals_of_its_own_still_gets_a_chain_over_them() -> None:
    env = PortalEnvironment(Flask(__name__))
    env.globals["shared"] = "env"
    template = env.from_string("{{ shared }} {{ own }}", globals={"own": "mine"})
    assert isinstance(template.globals, ChainMap)
    assert template.render() == "env mine"
    assert "own" not in env.globals

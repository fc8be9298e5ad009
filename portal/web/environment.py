"""The app's Jinja environment: a template without globals of its own shares the
environment's globals dict instead of a ChainMap over it (ADR 0104).

Jinja reads a template's globals on every context it makes (`set(globals)`, for each include)
and every import (`context.globals_keys - template.globals.keys()`); over a ChainMap each
is a Python-level walk of every key, over a dict it is one C call. No template here has
globals of its own and none are changed after start-up, so both see the same names.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment


class PortalEnvironment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        if not d:
            return self.globals
        return super().make_globals(d)

"""Import every view module of a blueprint package, so features add files, not edits."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def import_views(package: ModuleType) -> None:
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")

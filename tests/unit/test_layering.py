"""The layers hold: rules are pure, refusals are the project's own (ADR 0061)."""

from __future__ import annotations

import ast
from pathlib import Path

import portal

PORTAL = Path(portal.__file__).parent
RULES = PORTAL / "rules"
# What a rule may not lean on: the web, the database, or the code that reads and writes it.
NOT_IN_RULES = ("flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "sqlalchemy")
NOT_IN_RULES_FROM_PORTAL = ("portal.models", "portal.services", "portal.web", "portal.db")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def test_rules_import_neither_flask_nor_sqlalchemy() -> None:
    offending = []
    for path in sorted(RULES.rglob("*.py")):
        for module in _imports(path):
            top = module.split(".")[0]
            if top in NOT_IN_RULES or module.startswith(NOT_IN_RULES_FROM_PORTAL):
                offending.append(f"{path.relative_to(PORTAL)}: {module}")
    assert not offending, "portal/rules/ must stay pure:\n" + "\n".join(offending)


def test_rules_are_plenty_and_the_check_sees_them() -> None:
    assert len(list(RULES.glob("*.py"))) > 10
    assert "portal.rules.vocabulary" in _imports(RULES / "access.py")


def test_no_domain_refusal_is_a_builtin_permission_error() -> None:
    offending = [
        str(path.relative_to(PORTAL))
        for path in sorted(PORTAL.rglob("*.py"))
        if "PermissionError" in _names_used(path)
    ]
    assert not offending, "use portal.services.errors.NotAllowedError: " + ", ".join(offending)

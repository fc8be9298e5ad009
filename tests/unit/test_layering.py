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


STAFF_VIEWS = PORTAL / "web" / "staff"
TEMPLATES = PORTAL.parent / "templates"
# Where a view would assemble a permission itself: the access facts and the rules that read
# them are the loaders' (portal/web/staff/loaders.py), which answer 404/403.
NOT_IN_VIEWS = ("portal.services.viewers", "portal.rules.access")


def _imported_names(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        (node.module or "", alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def test_staff_views_load_plans_through_the_loaders() -> None:
    offending = []
    for path in sorted(STAFF_VIEWS.glob("*.py")):
        if path.name == "loaders.py":
            continue
        for module, name in _imported_names(path):
            if module.startswith(NOT_IN_VIEWS) or module in ("portal.rules", "portal.services"):
                if module.startswith(NOT_IN_VIEWS) or name in ("access", "viewers"):
                    offending.append(f"{path.name}: {module}.{name}")
            elif module.startswith("portal.services") and name.startswith("may_"):
                offending.append(f"{path.name}: {module}.{name} (a permission from a service)")
    assert not offending, "ask portal.web.staff.loaders instead:\n" + "\n".join(offending)


def test_staff_templates_do_not_work_out_permissions() -> None:
    """Who leads, who must acknowledge, whether a plan may be followed up: the view passes
    the rule's answer; a template only shows it."""
    signs = (
        "current_user.staff_id ==",
        "facts.coordinator_id or facts.convener_id",
        'state.value in ("established"',
        'selectattr("accepted_at")',
        'rejectattr("done_at")',
        'selectattr("role.value", "equalto", "called")',
    )
    offending = [
        f"{path.relative_to(TEMPLATES)}: {sign}"
        for path in sorted((TEMPLATES / "staff").rglob("*.html"))
        for sign in signs
        if sign in path.read_text()
    ]
    assert not offending, "\n".join(offending)

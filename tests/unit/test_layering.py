"""The layers hold: rules are pure, refusals are the project's own (ADR 0061)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


def _templates_with(folder: Path, signs: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(TEMPLATES)}: {sign}"
        for path in sorted(folder.rglob("*.html"))
        for sign in signs
        if sign in path.read_text()
    ]


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
    offending = _templates_with(TEMPLATES / "staff", signs)
    assert not offending, "\n".join(offending)


PERSON_VIEWS = PORTAL / "web" / "person"
PUBLIC_VIEWS = PORTAL / "web" / "public"
# The facts and the rules that read them belong to a loaders module; a view only asks it.
ACCESS_MODULES = ("portal.rules.access", "portal.services.viewers")


# Answers to "may this person do this?" — a predicate, the reasons or answers offered, or what
# stands in the way — whether a rule or a service gives them: a view gets them from a loader.
PERMISSION_PREFIXES = ("may_", "can_")
PERMISSION_ENDINGS = ("reasons_for", "outcomes_for", "problems_for", "_problems", "callable_kinds")
DOMAIN_PACKAGES = ("portal.rules", "portal.services")


def is_permission_answer(name: str) -> bool:
    return name.startswith(PERMISSION_PREFIXES) or name.endswith(PERMISSION_ENDINGS)


def _domain_modules(path: Path) -> set[str]:
    """The local names under which a module imports a rules or services module (`from
    portal.rules import access`, `from portal.services import closing`, `import
    portal.rules.closing as closing`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module in DOMAIN_PACKAGES:
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {
                alias.asname or alias.name
                for alias in node.names
                if alias.name.startswith(tuple(f"{p}." for p in DOMAIN_PACKAGES))
            }
    return names


def permission_assembled(path: Path) -> list[str]:
    """Where a view module reads access facts or asks a permission question itself."""
    found = []
    for module, name in _imported_names(path):
        qualified = f"{module}.{name}"
        if module in ACCESS_MODULES or qualified in ACCESS_MODULES:
            found.append(f"imports {qualified}")
        elif module.startswith(DOMAIN_PACKAGES) and is_permission_answer(name):
            found.append(f"imports the predicate {qualified}")
    modules = _domain_modules(path)
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [f"imports {a.name}" for a in node.names if a.name in ACCESS_MODULES]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in modules
            and is_permission_answer(node.func.attr)
        ):
            found.append(f"calls {node.func.value.id}.{node.func.attr}")
    return found


def _views(folder: Path) -> list[Path]:
    return [path for path in sorted(folder.glob("*.py")) if path.name != "loaders.py"]


@pytest.mark.parametrize(
    "folder", [PERSON_VIEWS, PUBLIC_VIEWS, STAFF_VIEWS], ids=["person", "public", "staff"]
)
def test_views_load_through_the_loaders(folder: Path) -> None:
    offending = [
        f"{path.name}: {problem}"
        for path in _views(folder)
        for problem in permission_assembled(path)
    ]
    assert not offending, "ask the loaders (web/person, web/staff) instead:\n" + "\n".join(
        offending
    )


def test_the_check_sees_a_view_that_assembles_a_permission(tmp_path: Path) -> None:
    view = tmp_path / "view.py"
    view.write_text(
        "from portal.rules.access import may_prepare\n"
        "from portal.rules import closing\n"
        "from portal.services.viewers import plan_facts\n"
        "import portal.rules.access\n"
        "closing.may_close(viewer, facts)\n"
    )
    assert permission_assembled(view) == [
        "imports portal.rules.access.may_prepare",
        "imports portal.services.viewers.plan_facts",
        "imports portal.rules.access",
        "calls closing.may_close",
    ]
    # a service that hands out what is allowed is asked by the loader too (issue 13.1)
    view.write_text(
        "from portal.services import closing, signing\n"
        "from portal.rules.closing import reassess_outcomes_for\n"
        "closing.reasons_for(plan, current_user)\n"
        "signing.signing_problems_for(version, staff)\n"
        "closing.closed_summary(plan)\n"
    )
    assert permission_assembled(view) == [
        "imports the predicate portal.rules.closing.reassess_outcomes_for",
        "calls closing.reasons_for",
        "calls signing.signing_problems_for",
    ]
    view.write_text("from portal.web.person.loaders import load_plan\nfound.may_prepare\n")
    assert permission_assembled(view) == []


def test_person_templates_leave_meeting_content_to_the_rule() -> None:
    """Whether a meeting's purpose and who is called or invited are shown is
    `rules.access.may_see_meeting_content`, applied by `presenters.meetings`."""
    signs = (
        'selectattr("role.value", "equalto", "called")',
        'selectattr("role.value", "equalto", "invited")',
        "full is not defined",
        "meeting.purpose",
    )
    offending = _templates_with(TEMPLATES / "person", signs)
    assert not offending, "\n".join(offending)


WEB = PORTAL / "web"


def test_views_never_call_the_audit_writer() -> None:
    """Reads are audited through portal.services.reads (issue 15 point 4): no view imports
    the writer or calls it, so every read has its actor and on-behalf-of from one place."""
    offending = []
    for path in sorted(WEB.rglob("*.py")):
        text = path.read_text()
        imports = _imports(path)
        if "portal.services.audit" in imports or "audit.record" in text:
            offending.append(str(path.relative_to(PORTAL)))
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "portal.services"
                and any(alias.name == "audit" for alias in node.names)
            ):
                offending.append(str(path.relative_to(PORTAL)))
    assert not offending, "audit reads through portal.services.reads: " + ", ".join(offending)
    assert "record_read" not in (PORTAL / "services" / "audit.py").read_text()

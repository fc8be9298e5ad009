"""Every field goes through a form class of field contracts (ADR 0050, 0051): no view reads
request.form, request.args or request.values by hand, nor a JSON body (request.get_json(),
request.json, request.data, request.get_data(), request.stream) or an upload (request.files).

Allowed: handing the whole MultiDict to `read(...)` (or `expected_version(...)`), the body's
bytes to `read_json(...)`, and handing it back to a page to re-render what was typed (a
`values=`/`form=` keyword, or an argument of a function whose name ends in `page`). Anything
else — `.get`, `[...]`, `.getlist`, `in`, iterating, aliasing it to a name, passing it to a
hand-written parser, `request.get_json()` itself — fails here unless the place is named below
with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"
SOURCES = ("form", "args", "values", "files", "get_json", "json", "data", "get_data", "stream")
PARSERS = {"read", "expected_version", "read_json"}
# Readers of forms whose field names depend on the rows shown: each builds its form class
# (fields.form_class) and reads the MultiDict through `read` itself (checked below).
READERS = {
    "web/staff/_record_form.py": ("parse_content", "parse_evaluations", "adding"),
    "web/staff/records.py": ("read_meeting_record",),
}
RE_RENDER_KEYWORDS = {"values", "form"}

# (module, function) → why this read is not a form class.
WHITELIST: dict[tuple[str, str], str] = {
    ("auth/rate_keys.py", "by_credential"): (
        "the rate-limit key is computed before the view runs; it reads the WebAuthn "
        "credential's rawId only to count attempts per key, bounded to 400 characters, and "
        "the passkey views read it through PasskeyForm (portal/web/public/passkeys.py)"
    ),
    ("web/staff/meetings.py", "_conflict"): (
        "copies the posted MultiDict to show it again at the saved version on a conflict; "
        "nothing is parsed here (the invitation was read through InvitationForm)"
    ),
    ("i18n.py", "select_locale"): (
        "?lang= on any page is checked against the shipped locales and otherwise ignored; "
        "it is not a form and answers nothing"
    ),
}

# Modules still parsing by hand, being moved to form classes (issue 12, point 1). This set
# only shrinks: a module listed here that no longer parses by hand fails the test below.
NOT_YET: set[str] = set()


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _allowed(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents[node]
    if isinstance(parent, ast.Call) and parent.func is node:  # request.get_data(): its value
        node, parent = parent, parents[parent]
    grand = parents.get(parent)
    if isinstance(parent, ast.Call) and node in parent.args:
        called = _name(parent.func)
        readers = {name for names in READERS.values() for name in names}
        return called in PARSERS | readers or called.endswith("page") or called == "render_template"
    if isinstance(parent, ast.keyword) and isinstance(grand, ast.Call):
        if _name(grand.func) in PARSERS:
            return True
        return parent.arg in RE_RENDER_KEYWORDS
    return False


def hand_parsing(source: str) -> list[tuple[int, str]]:
    """(line, enclosing function) of every read of request.form/args/values not allowed."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    functions: dict[ast.AST, str] = {}
    for outer in ast.walk(tree):
        for child in ast.iter_child_nodes(outer):
            parents[child] = outer
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in SOURCES
            and isinstance(node.value, ast.Name)
            and node.value.id == "request"
        ):
            continue
        if _allowed(node, parents):
            continue
        scope: ast.AST | None = node
        while scope is not None and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            scope = parents.get(scope)
        functions[node] = scope.name if isinstance(scope, ast.FunctionDef) else "<module>"
        found.append((node.lineno, functions[node]))
    return found


def _scan() -> dict[str, list[tuple[int, str]]]:
    result = {}
    for path in sorted(PORTAL.rglob("*.py")):
        module = path.relative_to(PORTAL).as_posix()
        hits = [
            (line, function)
            for line, function in hand_parsing(path.read_text(encoding="utf-8"))
            if (module, function) not in WHITELIST
        ]
        if hits:
            result[module] = hits
    return result


def test_no_view_parses_a_form_a_json_body_or_a_file_by_hand() -> None:
    found = {module: hits for module, hits in _scan().items() if module not in NOT_YET}
    assert not found, (
        "Read these through a form class of field contracts (portal/web/fields.py, ADR 0050): "
        + "; ".join(f"{m} line {line} in {fn}()" for m, hits in found.items() for line, fn in hits)
    )


def test_the_not_yet_list_only_names_modules_that_still_parse_by_hand() -> None:
    assert NOT_YET <= set(_scan()), f"remove from NOT_YET: {sorted(NOT_YET - set(_scan()))}"


def test_every_whitelisted_place_still_exists_and_says_why() -> None:
    for (module, function), reason in WHITELIST.items():
        source = (PORTAL / module).read_text(encoding="utf-8")
        assert f"def {function}(" in source, f"{module}: {function} is gone; drop it here"
        assert len(reason) > 40


def test_every_reader_reads_through_a_form_class() -> None:
    for module, names in READERS.items():
        tree = ast.parse((PORTAL / module).read_text(encoding="utf-8"))
        defined = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        for name in names:
            assert name in defined, f"{module}: {name} is gone; drop it here"
            calls = {_name(c.func) for c in ast.walk(defined[name]) if isinstance(c, ast.Call)}
            assert calls & (PARSERS | set(names) | {"parse_content"}), f"{name} reads by hand"


def test_the_scan_catches_the_shapes_of_hand_parsing() -> None:
    caught = """
def a():
    x = request.form.get("a")
    y = request.args["b"]
    z = request.form.getlist("c")
    if "d" in request.form: pass
    form = request.form
    _parse(request.form)
    for key in request.values: pass
    body = request.get_json(silent=True) or {}
    raw = request.data
    upload = request.files.get("document")
    also = json.loads(request.get_data())
    parsed = request.json["endpoint"]
    chunk = request.stream.read(10)
"""
    assert sorted(line for line, _ in hand_parsing(caught)) == list(range(3, 16))
    allowed = """
def b():
    typed = read(SomeForm, request.form)
    also = fields.read(SomeForm, request.args)
    version = expected_version(request.form)
    pushed = read_json(PushForm, request.get_data(), most=4096)
    upload = fields.read(FileForm, request.files)
    return _page(plan, request.form, errors), render_template("x.html", values=request.form)
"""
    assert hand_parsing(allowed) == []

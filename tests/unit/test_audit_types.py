"""Every audit event type written anywhere is named in EventType and has plain words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal import create_app, db
from portal.models.audit_types import EventType
from portal.presenters.audit import WORDS, describe
from portal.services import audit

ROOT = Path(__file__).resolve().parents[2] / "portal"
# an audit type written as a string: `type="plan.read"`, `type=f"..."`, or a helper's argument
BARE = re.compile(
    r"""(\btype\s*=\s*f?["'][a-z_{]|audit_read\(\s*[\w.]+\s*,\s*["']|"""
    r"""_(save_change|end_pending)\([^)]*["'][a-z_]+\.[a-z_]+["'])"""
)
NAMED = re.compile(r"\bEventType\.([A-Z_]+)")


def test_every_audit_call_names_its_type_with_the_enum() -> None:
    bare = [
        f"{path.relative_to(ROOT.parent)}:{number}"
        for path in ROOT.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE.search(line) and "object_type" not in line
    ]
    assert not bare, f"use portal.models.audit_types.EventType, not a string: {bare}"


def test_a_bare_string_is_refused_when_recording() -> None:
    app = create_app({"DATABASE_URL": "sqlite://"})
    with app.app_context(), pytest.raises(TypeError):
        audit.record(db.session(), type="plan.read", by=None, subject_individual_id=None)  # type: ignore[arg-type]


def test_every_named_type_exists() -> None:
    sources = [p for p in ROOT.rglob("*.py") if p.name != "audit_types.py"]
    named = {m for p in sources for m in NAMED.findall(p.read_text(encoding="utf-8"))}
    assert named <= {t.name for t in EventType}


def test_every_type_has_plain_words_without_codes() -> None:
    assert set(WORDS) == set(EventType)
    app = create_app({"DATABASE_URL": "sqlite://"})
    for locale in ("sv", "en"):
        with app.test_request_context(f"/?lang={locale}"):
            for type_ in EventType:
                words = describe(type_.value)
                assert words and "." not in words and "_" not in words, (type_, words)


def test_an_unknown_type_still_gets_words_not_its_code() -> None:
    app = create_app({"DATABASE_URL": "sqlite://"})
    with app.test_request_context("/"):
        assert describe("something_new.read") == "läste uppgifter"
        assert describe("something_new.change") == "ändrade uppgifter"

"""Every audit event type written anywhere is named in EventType and has plain words."""

from __future__ import annotations

import re
from pathlib import Path

from portal import create_app
from portal.models.audit_types import EventType
from portal.presenters.audit import WORDS, describe

ROOT = Path(__file__).resolve().parents[2] / "portal"
TYPE_LINE = re.compile(r"\btype\s*=\s*(.+)")
LITERAL = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
READ = re.compile(r"""audit_read\(\s*[\w.]+\s*,\s*["']([a-z_]+)["']""")


def _written_types() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in TYPE_LINE.findall(text):
            found |= set(LITERAL.findall(line))
        found |= {f"{what}.read" for what in READ.findall(text)}
    found |= {"consent.give", "consent.withdraw"}  # written as f"consent.{...}"
    return found


def test_every_written_type_is_in_the_enum() -> None:
    missing = _written_types() - {t.value for t in EventType}
    assert not missing, (
        f"add to portal/models/audit_types.py and portal/presenters/audit.py: {missing}"
    )


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

"""docs/threat-model.md names, for every control, the test that tries the abuse: each named
test file and test function must exist (so a renamed or deleted test is noticed)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "docs" / "threat-model.md"
NAMED = re.compile(r"`((?:(?:web|unit|browser|fuzz)/[\w/]+\.py)?(?:::\w+)?)`")


def _references() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for line in MODEL.read_text(encoding="utf-8").splitlines():
        path = None
        for token in NAMED.findall(line):
            if not token:
                continue
            file, _, name = token.partition("::")
            path = file or path
            if path is None:  # a `::name` before any file on this line
                found.append(("?", name))
                continue
            found.append((path, name or None))
    return found


def test_every_test_the_threat_model_names_exists() -> None:
    missing = []
    for path, name in _references():
        file = ROOT / "tests" / path
        if path == "?" and name == "name":  # the legend: "`::name` is the test function"
            continue
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"^(async )?def {name}\(", file.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert not missing, missing


def test_each_of_the_ten_exploits_is_named() -> None:
    text = MODEL.read_text(encoding="utf-8")
    for n in range(1, 11):
        assert f"| E{n} |" in text, f"E{n} has no row in the old-code table"

"""Write a pending translation file from a dict: `python scripts/i18n_pending.py DICT.py AREA`.

DICT.py defines `T = {"svenska": "English", ...}`; the result is locales/en/pending/AREA.po,
which `make i18n` merges into the catalogue.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    source, area = sys.argv[1], sys.argv[2]
    translations: dict[str, str] = runpy.run_path(source)["T"]
    catalog = Catalog(locale="en")
    for swedish, english in translations.items():
        catalog.add(swedish, english)
    target = ROOT / "locales" / "en" / "pending" / f"{area}.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, catalog, omit_header=True, sort_output=True)
    print(f"{len(translations)} translations written to {target.relative_to(ROOT)}")

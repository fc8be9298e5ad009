"""Merge translations from locales/<lang>/pending/*.po into locales/<lang>/LC_MESSAGES/messages.po.

Engineers working in parallel each keep their new translations in a pending file of their
own; `make i18n` merges them all (pending files win for entries that are empty or fuzzy).
Then the pending file can be deleted.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def merge(lang: str) -> int:
    catalogue_path = ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with catalogue_path.open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    filled = 0
    for pending_path in sorted((ROOT / "locales" / lang / "pending").glob("*.po")):
        with pending_path.open("rb") as handle:
            pending = read_po(handle, locale=lang)
        for message in pending:
            if not message.id or not message.string:
                continue
            target = catalogue.get(message.id)
            if target is not None and (not target.string or target.fuzzy):
                target.string = message.string
                target.flags.discard("fuzzy")
                filled += 1
    with catalogue_path.open("wb") as handle:
        write_po(handle, catalogue, omit_header=False, no_location=True, sort_output=True)
    return filled


if __name__ == "__main__":
    for language in sys.argv[1:] or ["en"]:
        print(f"{language}: {merge(language)} translations merged from pending files")

"""URL converters: a path parameter is parsed as strictly as a form field (ADR 0051)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from portal.rules.row_ids import MAX_ID


def up_to(limit: int) -> str:
    """A pattern for the whole numbers 1 … `limit` in ASCII digits, without leading zeros.
    The bound is in the pattern itself: a path that matches no rule is 404, while a value a
    converter refuses after matching can be 405 where another method has the same path."""
    digits = str(limit)
    parts = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for at, digit in enumerate(digits):
        low = 1 if at == 0 else 0
        if int(digit) > low:
            parts.append(f"{digits[:at]}[{low}-{int(digit) - 1}][0-9]{{{len(digits) - at - 1}}}")
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>` in every URL names a row: ASCII digits, 1 … MAX_ID (2**31-1, the id columns'
    range). Werkzeug's own matches `\\d+`, which takes fullwidth and Arabic-Indic digits that
    `int()` then reads ('１２' is plan 12), and ids the database cannot compare (beyond 64
    bits on SQLite, beyond 32 on PostgreSQL); here they match no rule, so the answer is 404
    before any view runs."""

    regex = up_to(MAX_ID)

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def init_app(url_map: Map) -> None:
    """Before any rule is added: rules bind their converters when they are added."""
    url_map.converters["int"] = IdConverter

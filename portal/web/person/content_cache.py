"""The cache of a plan's rendered content block (ADR 0084).

Per process and per app: a small LRU of HTML keyed by
`plan-content:{plan_id}:{created}:{counter}:{generation}:{locale}:{variant}` — ids, a creation
time, counters, a locale and the viewer-independent switches the block depends on; nothing
personal, safe in a log. It is correct across processes because the counter and the
generation are read from the database with the plan's row on every request
(`loaders.load_plan_row`). The view audits the read and decides access before it asks.
"""

from __future__ import annotations

from portal.web import kept

CACHE = "plan_content_cache"


def cache() -> kept.ContentCache:
    return kept.cache(CACHE)


def key(
    *,
    plan_id: int,
    created: str,
    counter: int,
    generation: int,
    locale: str,
    variant: tuple[str, ...],
) -> str:
    return f"plan-content:{plan_id}:{created}:{counter}:{generation}:{locale}:{'-'.join(variant)}"

"""The cache of a plan's rendered content block (ADR 0084).

Per process and per app: a small LRU of HTML keyed by
`plan-content:{plan_id}:{created}:{counter}:{generation}:{locale}:{variant}` — ids, a creation
time, counters, a locale and the viewer-independent switches the block depends on; nothing
personal, safe in a log. It is correct across processes because the counter and the
generation are read from the database with the plan's row on every request
(`loaders.load_plan_row`). The view audits the read and decides access before it asks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from markupsafe import Markup

from portal.web.isolated import rows_left_out

ENTRIES = 512  # a block is a few kB: a few MB per process at most


class ContentCache:
    def __init__(self, entries: int = ENTRIES) -> None:
        self._entries = entries
        self._items: OrderedDict[str, Markup] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_render(self, key: str, render: Callable[[], str]) -> Markup:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        # A rendered, autoescaped template; outside the lock: two first renders are harmless
        left_out = rows_left_out()
        html = Markup(render())  # noqa: S704
        if rows_left_out() > left_out:  # a row could not be shown: try it again next time
            return html
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self._entries:
                self._items.popitem(last=False)
        return html

    def entries(self) -> list[str]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def cache() -> ContentCache:
    found = current_app.extensions.get("plan_content_cache")
    if found is None:
        found = current_app.extensions.setdefault("plan_content_cache", ContentCache())
    return found


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

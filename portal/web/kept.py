"""Blocks of HTML kept rendered, per process (ADR 0120).

A kept block is a pure function of what its key names: the caller passes every value it is
rendered from, and keys it by those values' digest (portal.web.fingerprint) or by counters
that move with them (ADR 0084). What differs per request is kept out of it:
- **slots**: `{{ slot("name") }}` leaves a marker the caller fills per request (`filled`);
- **the CSRF token**: the block's forms carry a marker, replaced with the session's token;
- **the viewer and the request**: `current_user`, `request`, `session`, `g` and what the page
  shell reads of them are bound, inside the block, to objects that raise
  `PerRequestReadError` on any use. A block that came to depend on one of them without a key
  for it fails loudly instead of serving one person's page to another.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from flask import current_app, render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.web.fingerprint import PerRequestReadError
from portal.web.isolated import rows_left_out

# Per process, unguessable: nobody can type a marker into a field in advance (and what
# anyone typed is escaped: '<!--' can only come from a template).
_TOKEN = secrets.token_hex(12)
_CSRF = f"sip-csrf-{_TOKEN}"
PER_REQUEST = (
    "current_user",
    "request",
    "session",
    "g",
    "get_flashed_messages",
    "acting_for",
    "request_path",
    "audience",
    "nav_items",
)


class _PerRequest:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise PerRequestReadError(f"{self._name} read in a kept block (ADR 0120)")

    __getattr__ = __call__ = __getitem__ = __iter__ = __len__ = __contains__ = _refuse
    __bool__ = __str__ = __html__ = __eq__ = _refuse
    __hash__ = None  # type: ignore[assignment]


REFUSING = {name: _PerRequest(name) for name in PER_REQUEST}


ENTRIES = 512  # a block is a few kB: a few MB per process at most


class ContentCache:
    """A small LRU of kept blocks. Correct across processes because every key holds what the
    block is a function of, read from the database on each request (counters, a digest)."""

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


def _marker(name: str) -> str:
    return f"<!--sip-slot-{_TOKEN}-{name}-->"


def cache(name: str) -> ContentCache:
    """The app's cache of that name (one per app and process)."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(name, ContentCache())
    return found


def render(template: str, *, slots: Iterable[str] = (), **context: Any) -> str:
    """The template rendered with `context` alone, for keeping: the named `slots` as markers,
    the CSRF token as a marker, and every other per-request name refusing to be read."""
    names = frozenset(slots)

    def slot(name: str) -> Markup:
        if name not in names:
            raise ValueError(f"no slot {name!r}")
        return Markup(_marker(name))  # noqa: S704 - a constant of ours

    # What the caller passes is the block's (and in its key); the rest refuses to be read.
    values = {**REFUSING, **context, "slot": slot, "csrf_token": lambda: _CSRF}
    return render_template(template, **values)


def kept(
    cache_name: str, key: str, template: str, *, slots: Iterable[str] = (), **context: Any
) -> Markup:
    """`render`'s block, from the cache `cache_name` under `key`, or rendered now."""
    return cache(cache_name).get_or_render(key, lambda: render(template, slots=slots, **context))


def filled(block: Markup, slots: dict[str, str] | None = None, names: Iterable[str] = ()) -> Markup:
    """The kept block with this request's `slots` (of the `names` it has) and CSRF token."""
    html = str(block)
    for name in names:
        html = html.replace(_marker(name), (slots or {}).get(name, ""), 1)
    if _CSRF in html:
        html = html.replace(_CSRF, generate_csrf())
    return Markup(html)  # noqa: S704 - our templates' output, autoescaped

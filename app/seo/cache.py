"""Rendered public pages, kept per process and checked against the database's content version.

``content_version`` is one row whose counter triggers (migration f6a8b0c2d4e6) raise whenever a
table a public page shows changes: gigs and their packages, FAQ and media, reviews, accounts and
seller profiles, the taxonomy and the search lexicon. No service has to remember to invalidate,
and every worker sees a change made by any other at its next request: a page is served from the
cache only when it was rendered at the version read now (one primary-key read per request).

On Postgres the triggers are deferred constraint triggers, so the counter row is locked only in
the instant before a transaction commits (never while it still takes other locks: no new
deadlocks, and the shortest possible queue of writers). The version is read before the page's
data, in the same session: a page may be rendered from data newer than its version (it is then
rendered again at the next version) but never from older data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

DEFAULT_SIZE = 4096


def content_version(session: Session) -> int:
    """The current content version (0 on a database without the counter, e.g. ``create_all``)."""
    try:
        value = session.exec(text("SELECT version FROM content_version WHERE id = 1")).scalar()  # type: ignore[call-overload]
    except DBAPIError:
        session.rollback()
        return 0
    return int(value or 0)


@dataclass(frozen=True)
class Rendered:
    """A response ready to send again: status, body and the headers that depend on it."""

    status: int
    body: bytes
    media_type: str = "text/html; charset=utf-8"
    location: str = ""


Value = TypeVar("Value")


class PageCache(Generic[Value]):
    """A thread-safe LRU keyed by URL (or any string), each entry tagged with its version."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, tuple[int, Value]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, version: int) -> Value | None:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != version:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: str, version: int, page: Value) -> None:
        with self._lock:
            self._items[key] = (version, page)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


PAGES: PageCache[Rendered] = PageCache()
# Read models several pages share (the landing set): computed once per version, not per page.
SHARED: PageCache[object] = PageCache(size=16)


def clear() -> None:
    """Forget everything (tests: a fresh database restarts the version)."""
    PAGES.clear()
    SHARED.clear()

"""A page of a list paged in SQL, as the list pages show it: the rows as display dicts and the
pager's links (``pages.catalog.pager`` reads ``page``, ``pages``, ``prev_href``, ``next_href``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.core.db import reading


class PagedList(rx.State, mixin=True):
    loaded: bool = False
    items: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""

    def _window(self, total: int, page: int, per_page: int, href: Callable[[int], str]) -> int:
        """Show ``page`` (kept between 1 and the last) of ``total`` rows; return its first row's offset."""
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        self.total, self.page, self.pages = total, page, pages
        self.prev_href = href(page - 1) if page > 1 else ""
        self.next_href = href(page + 1) if page < pages else ""
        return (page - 1) * per_page

    def _show_rows(
        self,
        path: str,
        page: int,
        per_page: int,
        count: Callable[[Session], int],
        fetch: Callable[[Session, int], Sequence[Any]],
        view: Callable[[Any], dict[str, str]],
    ) -> None:
        """Read page ``page`` of ``path``'s list: ``count`` the rows, ``fetch`` (session,
        offset) the window, ``view`` each row as display strings."""
        with reading() as session:
            offset = self._window(count(session), page, per_page, lambda n: f"{path}?page={n}")
            found = fetch(session, offset)
        self.items = [view(item) for item in found]
        self.loaded = True

"""The /favourites page (المفضلة): the signed-in viewer's saved gigs, as the search page's cards.

Whose favourites are shown comes only from the session; the page number is the one thing the
URL controls (``?page=``), cleaned like the catalogue's and clamped by the service.
"""

from __future__ import annotations

from collections.abc import Mapping

import reflex as rx

from app import catalog
from app.core.db import reading
from app.core.errors import MihanError
from state.catalog import MAX_PAGE, _int, card_view
from state.session import SessionState

FAVOURITES_PATH = "/favourites"
PER_PAGE = 24


def page_number(query: Mapping[str, object]) -> int:
    """``?page=`` as a whole number from 1 to MAX_PAGE; anything else is page 1."""
    return _int(query.get("page"), 1, MAX_PAGE) or 1


def page_href(path: str, number: int) -> str:
    return path if number <= 1 else f"{path}?page={number}"


def show_cards(state: rx.State, path: str, found: catalog.Page) -> None:
    """Fill a page's card vars (``results``, ``total``, ``page``, ``pages``, ``prev_href``, ``next_href``)."""
    state.results = [card_view(card) for card in found.cards]  # type: ignore[attr-defined]
    state.total, state.page, state.pages = found.total, found.page, found.pages  # type: ignore[attr-defined]
    state.prev_href = page_href(path, found.page - 1) if found.page > 1 else ""  # type: ignore[attr-defined]
    state.next_href = page_href(path, found.page + 1) if found.page < found.pages else ""  # type: ignore[attr-defined]


class FavouritesState(SessionState):
    """One page of the viewer's favourites, as display cards."""

    results: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""
    loaded: bool = False

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /favourites: signed-out visitors log in first."""
        self.reset()
        try:
            viewer = self._require()
        except MihanError:
            return rx.redirect(f"/login?next={FAVOURITES_PATH}")
        self._show(viewer)
        with reading() as session:
            found = catalog.list_favourites(
                session, user_id=viewer.id, page=page_number(self.router.url.query_parameters), per_page=PER_PAGE
            )
        show_cards(self, FAVOURITES_PATH, found)
        self.loaded = True

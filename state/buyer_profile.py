"""The public buyer page /buyers/<n>: the buyer's name, since when they are a member, and what
sellers said of them (revealed reviews only), linked from the seller's order page.

The buyer comes from the route only (a positive integer); an unknown or deactivated account, or
one that never paid for an order, shows the same "not found" (``reviews.get_buyer_profile``).
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app import reviews
from app.core.db import reading
from app.reviews import ReviewError, ReviewPage
from state.reviews import ReviewsList
from state.seller import positive_int
from state.seller_profile import SELLER_PREFIX, PublicPerson
from state.session import SessionState

BUYER_PREFIX = "/buyers/"


def buyer_key_of(path: object) -> int | None:
    """The number of a ``/buyers/<n>`` path: ASCII digits, positive, within a BIGINT."""
    if not isinstance(path, str) or not path.startswith(BUYER_PREFIX):
        return None
    return positive_int(path[len(BUYER_PREFIX) :].rstrip("/"))


class BuyerProfileState(PublicPerson, ReviewsList, SessionState):
    """What the buyer page shows; no table row, only text."""

    seller_href: str = ""  # the same person's seller page, when they sell too

    def _fetch_reviews(self, session: Session, key: int, page: int) -> ReviewPage:
        reviews.get_buyer_profile(session, buyer_key=key)  # still a public buyer
        return reviews.list_buyer_reviews(session, buyer_id=key, page=page)

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /buyers/<n>: the buyer and the first page of sellers' reviews of them."""
        self.reset()
        key = buyer_key_of(self.router.url.path)
        if key is None:
            self.loaded = self.not_found = True
            return
        try:
            with reading() as session:
                profile = reviews.get_buyer_profile(session, buyer_key=key)
                rating = reviews.buyer_rating(session, buyer_id=key)
                found = reviews.list_buyer_reviews(session, buyer_id=key)
        except ReviewError:
            self.loaded = self.not_found = True
            return
        self._show_person(key, profile.name, profile.avatar_file, profile.member_since)
        self.seller_href = f"{SELLER_PREFIX}{profile.id}" if profile.seller else ""
        self._show_reviews(key, found, rating)
        self.loaded = True

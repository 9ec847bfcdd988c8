"""The public seller page /sellers/<n>: who the seller is, their active gigs and what buyers said
of them (revealed reviews across their gigs, averaged in SQL).

The seller comes from the route only and must be a positive integer; unknown accounts, buyers
and deactivated accounts all show the same "not found". Public vars are display strings.
"""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from babel.dates import format_date
from sqlmodel import Session

from app import catalog, reviews
from app.accounts.profile import avatar_url
from app.catalog import CatalogError
from app.core import clock
from app.core.db import reading
from app.core.i18n import translate
from app.reviews import ReviewPage
from app.trust import seller_metrics
from state.catalog import both
from state.favourites import page_number, show_cards
from state.reviews import ReviewsList
from state.seller import positive_int
from state.session import SessionState
from state.trust import signal_rows

SELLER_PREFIX = "/sellers/"
PER_PAGE = 24


def seller_key_of(path: object) -> int | None:
    """The number of a ``/sellers/<n>`` path: ASCII digits, positive, within a BIGINT."""
    if not isinstance(path, str) or not path.startswith(SELLER_PREFIX):
        return None
    return positive_int(path[len(SELLER_PREFIX) :].rstrip("/"))


def _since(moment: datetime) -> dict[str, str]:
    return both(lambda lang: format_date(moment, format="MMMM y", locale="ar" if lang == "ar" else "en"))


class PublicPerson(rx.State, mixin=True):
    """What a public person's page (a seller's, a buyer's) shows first: name, photo, member since."""

    loaded: bool = False
    not_found: bool = False
    name: str = ""
    photo: str = ""
    since_ar: str = ""
    since_en: str = ""
    person_key: str = ""  # the person's number, for «إبلاغ»

    def _show_person(self, key: int, name: str, avatar_file: str, member_since: datetime) -> None:
        self.person_key = str(key)
        self.name, self.photo = name, avatar_url(avatar_file)
        since = _since(member_since)
        self.since_ar, self.since_en = since["ar"], since["en"]


class SellerProfileState(PublicPerson, ReviewsList, SessionState):
    """What the seller page shows; no table row, only text."""

    level: str = ""
    level_ar: str = ""
    level_en: str = ""
    founding: bool = False
    verified: bool = False  # هوية موثّقة
    city_ar: str = ""
    city_en: str = ""
    languages: list[str] = []
    dialects_ar: str = ""
    dialects_en: str = ""
    bio: str = ""
    signals: list[dict[str, str]] = []  # on-time, completion and response rates, orders in queue
    results: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""

    def _fetch_reviews(self, session: Session, key: int, page: int) -> ReviewPage:
        catalog.get_seller_profile(session, seller_key=key)  # still a public seller
        return reviews.list_seller_reviews(session, seller_id=key, page=page)

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /sellers/<n>: the profile, one page of the seller's active gigs and the
        first page of their reviews."""
        self.reset()
        path = self.router.url.path
        key = seller_key_of(path)
        if key is None:
            self.loaded = self.not_found = True
            return
        try:
            with reading() as session:
                profile = catalog.get_seller_profile(session, seller_key=key)
                found = catalog.list_seller_cards(
                    session, seller_key=key, page=page_number(self.router.url.query_parameters), per_page=PER_PAGE
                )
                rating = reviews.seller_rating(session, seller_id=key)
                measured = seller_metrics(session, seller_id=key, now=clock.now())
                said = reviews.list_seller_reviews(session, seller_id=key)
        except CatalogError:
            self.loaded = self.not_found = True
            return
        self._show_person(key, profile.name, profile.avatar_file, profile.member_since)
        self.level = profile.level
        level = both(lambda lang: translate(f"level.{profile.level}", lang))
        self.level_ar, self.level_en = level["ar"], level["en"]
        self.founding = profile.founding
        self.verified = profile.verified
        self.city_ar, self.city_en = profile.city_ar, profile.city_en
        self.languages = list(profile.languages)
        self.dialects_ar, self.dialects_en = "، ".join(profile.dialects_ar), ", ".join(profile.dialects_en)
        self.bio = profile.bio
        self.signals = signal_rows(measured)
        show_cards(self, f"{SELLER_PREFIX}{key}", found)
        self._show_reviews(key, said, rating)
        self.loaded = True

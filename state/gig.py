"""The gig page /gig/<id>: the gig, its seller, packages, extras, FAQ and reviews as display strings.

The id comes from the route and must be a positive integer; anything else is "not found".
Gigs that are not active are shown only to their seller and to moderators and admins (``get_gig`` decides,
given the session's viewer). Ordering from this page (extras, quantity, «اطلب الآن») is
``state.checkout.OrderChoiceState``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx
from babel.dates import format_date
from sqlmodel import Session

from app import catalog, reviews
from app.catalog import CatalogError, media
from app.catalog.queries import ExtraView, GigDetail, PackageView
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.reviews import ReviewPage
from models.catalog import GigStatus
from state.catalog import DAYS, Counted, both, money_text
from state.gig_media import gallery_views
from state.reviews import ReviewsList
from state.seller import whole_number
from state.session import SessionState

GIG_PREFIX = "/gig/"
SELLER_PREFIX = "/sellers/"
MAX_GIG_ID = 2**63 - 1
REVISIONS = Counted("gig.revisions_one", "gig.revisions_two", "gig.revisions_few", "gig.revisions_many", zero="gig.revisions_zero")
WORDS = Counted("gig.words_one", "gig.words_two", "gig.words_few", "gig.words_many")
MINUTES = Counted("gig.minutes_one", "gig.minutes_two", "gig.minutes_few", "gig.minutes_many")
TIERS = {"basic": "gig.tier_basic", "standard": "gig.tier_standard", "premium": "gig.tier_premium", "custom": "gig.tier_custom"}
STATUSES = {
    GigStatus.DRAFT.value: "gig.status_draft",
    GigStatus.PENDING.value: "gig.status_pending",
    GigStatus.ACTIVE.value: "gig.status_active",
    GigStatus.PAUSED.value: "gig.status_paused",
    GigStatus.REJECTED.value: "gig.status_rejected",
    GigStatus.SUSPENDED.value: "gig.status_suspended",
}


def gig_id_of(path: object) -> int | None:
    """The id of a ``/gig/<id>`` path: ASCII digits only, positive, within a BIGINT."""
    if not isinstance(path, str) or not path.startswith(GIG_PREFIX):
        return None
    text = path[len(GIG_PREFIX) :].rstrip("/")
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_GIG_ID else None


def _since(moment: datetime) -> dict[str, str]:
    return both(lambda lang: format_date(moment, format="MMMM y", locale="ar" if lang == "ar" else "en"))


def _included(package: PackageView) -> dict[str, str]:
    if package.words_included:
        return both(lambda lang: WORDS.text(package.words_included or 0, lang))
    if package.minutes_included:
        return both(lambda lang: MINUTES.text(package.minutes_included or 0, lang))
    return {"ar": "—", "en": "—"}


def package_view(package: PackageView) -> dict[str, str]:
    key = TIERS.get(package.tier, TIERS["basic"])
    label = both(lambda lang: translate(key, lang))
    price = money_text(package.price_minor, package.currency)
    days = both(lambda lang: DAYS.text(package.delivery_days, lang))
    revisions = both(lambda lang: REVISIONS.text(package.revisions, lang))
    included = _included(package)
    return {
        "tier": package.tier,
        "label_ar": label["ar"],
        "label_en": label["en"],
        "name": "" if package.name in label.values() else package.name,  # imports name packages by their tier
        "description": package.description,
        "price_ar": price["ar"],
        "price_en": price["en"],
        "days_ar": days["ar"],
        "days_en": days["en"],
        "revisions_ar": revisions["ar"],
        "revisions_en": revisions["en"],
        "included_ar": included["ar"],
        "included_en": included["en"],
    }


def extra_view(extra: ExtraView) -> dict[str, str]:
    """An extra as the page shows it: what it adds to the price and to the delivery time."""
    price = money_text(extra.price.minor, extra.price.currency)
    days = both(
        lambda lang: translate("gig.extra_days", lang, days=DAYS.text(extra.added_days, lang))
        if extra.added_days
        else translate("gig.extra_no_days", lang)
    )
    return {
        "title": extra.title,
        "description": extra.description,
        "price_ar": f"+{price['ar']}",
        "price_en": f"+{price['en']}",
        "days_ar": days["ar"],
        "days_en": days["en"],
    }


class GigState(ReviewsList, SessionState):
    """What the gig page shows; no table row, only text. The reviews are the gig's revealed
    buyer reviews (``ReviewsList``), averaged in SQL."""

    loaded: bool = False
    not_found: bool = False
    title: str = ""
    gig_href: str = ""
    login_href: str = "/login"
    category_href: str = ""
    category_ar: str = ""
    category_en: str = ""
    city_ar: str = ""
    city_en: str = ""
    dialect_ar: str = ""
    dialect_en: str = ""
    description: str = ""
    tags: list[str] = []
    packages: list[dict[str, str]] = []
    extras: list[dict[str, str]] = []
    faqs: list[dict[str, str]] = []
    price_ar: str = ""
    price_en: str = ""
    rating: str = ""
    rating_count: int = 0
    seller_name: str = ""
    seller_level: str = ""
    seller_level_ar: str = ""
    seller_level_en: str = ""
    seller_founding: bool = False
    seller_verified: bool = False  # هوية موثّقة
    gig_key: str = ""  # the gig's number, for «إبلاغ»
    seller_city: str = ""
    seller_bio: str = ""
    seller_since_ar: str = ""
    seller_since_en: str = ""
    hidden: bool = False
    status_ar: str = ""
    status_en: str = ""
    moderation_note: str = ""
    seller_href: str = ""
    favourite: bool = False
    images: list[dict[str, str]] = []
    samples: list[dict[str, str]] = []
    shown_image: int = 0

    @rx.var
    def main_image(self) -> dict[str, str]:
        """The picture shown large: the one whose thumbnail was chosen, at first the cover."""
        if not self.images:
            return {"url": "", "caption": ""}
        return self.images[min(self.shown_image, len(self.images) - 1)]

    def _fill(self, gig: GigDetail) -> None:
        card = gig.card
        self.title = card.title
        self.gig_href = f"{GIG_PREFIX}{card.id}"
        self.gig_key = str(card.id)
        self.login_href = f"/login?next={GIG_PREFIX}{card.id}"
        self.category_href = f"/category/{card.category_slug}"
        self.category_ar, self.category_en = card.category_ar, card.category_en
        self.city_ar, self.city_en = card.city_ar, card.city_en
        self.dialect_ar, self.dialect_en = gig.dialect_ar, gig.dialect_en
        self.description = gig.description
        self.tags = list(gig.tags)
        self.packages = [package_view(p) for p in gig.packages]
        self.extras = [extra_view(e) for e in gig.extras]
        self.faqs = [{"question": f.question, "answer": f.answer} for f in gig.faqs]
        price = money_text(card.price_minor, card.currency)
        self.price_ar, self.price_en = price["ar"], price["en"]
        self.rating = f"{card.rating:.1f}" if card.rating_count else ""
        self.rating_count = card.rating_count
        self.seller_name = card.seller_name
        self.seller_href = f"{SELLER_PREFIX}{card.seller_id}"
        self.seller_level = card.seller_level
        level = both(lambda lang: translate(f"level.{card.seller_level}", lang))
        self.seller_level_ar, self.seller_level_en = level["ar"], level["en"]
        self.seller_city = gig.seller_city
        self.seller_founding = gig.seller_founding
        self.seller_verified = gig.seller_verified
        self.seller_bio = gig.seller_bio
        since = _since(gig.seller_since)
        self.seller_since_ar, self.seller_since_en = since["ar"], since["en"]
        self.hidden = gig.status != GigStatus.ACTIVE.value
        status = both(lambda lang: translate(STATUSES.get(gig.status, STATUSES[GigStatus.DRAFT.value]), lang))
        self.status_ar, self.status_en = status["ar"], status["en"]
        self.moderation_note = gig.moderation_note if self.hidden else ""

    def _fetch_reviews(self, session: Session, key: int, page: int) -> ReviewPage:
        viewer = self._viewer()
        # still visible to this viewer (raises CatalogError if the gig was hidden meanwhile)
        catalog.get_gig(session, key, viewer_id=viewer.id if viewer else None, is_admin=bool(viewer and viewer.is_moderator))
        return reviews.list_gig_reviews(session, gig_id=key, page=page)

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /gig/<id>: the gig, if it exists and this viewer may see it, and the
        first page of its reviews."""
        self.reset()
        viewer = self._viewer()
        gig_id = gig_id_of(self.router.url.path)
        if gig_id is None:
            self.loaded = self.not_found = True
            return
        try:
            with reading() as session:
                gig = catalog.get_gig(
                    session, gig_id, viewer_id=viewer.id if viewer else None, is_admin=bool(viewer and viewer.is_moderator)
                )
                favourite = viewer is not None and gig_id in catalog.favourite_ids(session, user_id=viewer.id, gig_ids=[gig_id])
                gallery = media.list_media(session, gig_id)
                rating = reviews.gig_rating(session, gig_id=gig_id)
                found = reviews.list_gig_reviews(session, gig_id=gig_id)
        except CatalogError:
            self.loaded = self.not_found = True
            return
        self._fill(gig)
        self._show_reviews(gig_id, found, rating)
        self.favourite = favourite
        self.images, self.samples = gallery_views(gallery)
        self.loaded = True

    @rx.event
    def show_image(self, index: Any):  # type: ignore[no-untyped-def]
        """A thumbnail clicked: show that picture large."""
        chosen = whole_number(index, len(self.images) - 1)
        if chosen is not None:
            self.shown_image = chosen

    @rx.event
    def toggle_favourite(self):  # type: ignore[no-untyped-def]
        """The heart button: save this page's gig to the viewer's favourites, or take it out."""
        gig_id = gig_id_of(self.router.url.path)
        try:
            viewer = self._require()
        except MihanError:
            return rx.redirect(f"/login?next={GIG_PREFIX}{gig_id}" if gig_id else "/login")
        if gig_id is None:
            return rx.toast.error(translate("gig.not_found", self._lang))
        try:
            with transaction() as session:
                favourite = catalog.toggle_favourite(session, user_id=viewer.id, gig_id=gig_id)
        except CatalogError as error:
            return rx.toast.error(self._message(error))
        self.favourite = favourite
        return rx.toast.success(translate("favourites.saved" if favourite else "favourites.removed", self._lang))

"""Read models of the public pages: only active gigs of active sellers, revealed reviews only.

The catalogue's and the reviews' own queries do the work (``app.catalog.queries``,
``app.reviews.queries``); this module decides what is public and what a missing page answers:
a gig that was published and is no longer live (paused, suspended, back in review, its seller
deactivated) is *gone* (410), anything never published or unknown is *not found* (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.catalog import queries as catalog
from app.catalog.errors import CatalogError
from app.catalog.media import media_url
from app.catalog.sellers import SellerProfileView, get_seller_profile, list_seller_cards
from app.catalog.taxonomy import Term, category_by_slug, list_categories, term_of
from app.core.errors import MihanError
from app.reviews import queries as reviews
from app.search.engine import Filters
from models.accounts import SellerProfile, User
from models.catalog import Category, Gig, GigMedia, GigStatus, MediaKind
from models.reviews import Review, ReviewSide

CATEGORY_PER_PAGE = 24
HOME_BEST = 12
PAGE_REVIEWS = 5


class PageMissing(MihanError):
    """A public page that does not exist (``seo.not_found``) or no longer does (``seo.gone``)."""

    @property
    def gone(self) -> bool:
        return self.key == "seo.gone"


def live() -> object:
    """The condition every public listing shares: an active gig of an active seller account."""
    return (col(Gig.status) == GigStatus.ACTIVE.value) & col(User.is_active).is_(True)


def live_gigs():  # type: ignore[no-untyped-def]
    """``SELECT gig.id`` of every live gig (join further to narrow it)."""
    return select(Gig.id).join(User, col(User.id) == Gig.seller_id).where(live())


@dataclass(frozen=True)
class GigPage:
    detail: catalog.GigDetail
    rating: reviews.RatingSummary
    reviews: tuple[reviews.ReviewLine, ...]
    images: tuple[str, ...]
    category: Term
    updated_at: datetime


@dataclass(frozen=True)
class SellerPage:
    profile: SellerProfileView
    gigs: catalog.Page
    rating: reviews.RatingSummary
    reviews: tuple[reviews.ReviewLine, ...]


@dataclass(frozen=True)
class CategoryPage:
    category: Term
    parent: Term | None
    children: tuple[Term, ...]
    gigs: catalog.Page


@dataclass(frozen=True)
class HomePage:
    categories: tuple[tuple[Term, int], ...]  # active top categories with their live gig counts
    best: tuple[catalog.GigCard, ...]


def get_gig_page(session: Session, gig_id: int) -> GigPage:
    """The public gig page.

    Raises:
        PageMissing: ``seo.not_found`` (unknown or never published), ``seo.gone`` (no longer live).
    """
    row = session.exec(
        select(Gig.status, Gig.published_at, Gig.updated_at, Gig.category_id, User.is_active)
        .join(User, col(User.id) == Gig.seller_id)
        .where(Gig.id == gig_id)
    ).first()
    if row is None:
        raise PageMissing("seo.not_found")
    status, published_at, updated_at, category_id, seller_active = row
    if status != GigStatus.ACTIVE.value or not seller_active:
        raise PageMissing("seo.gone" if published_at is not None else "seo.not_found")
    detail = catalog.get_gig(session, gig_id)
    images = session.exec(
        select(GigMedia.path).where(GigMedia.gig_id == gig_id, GigMedia.kind == MediaKind.IMAGE.value).order_by(col(GigMedia.position), col(GigMedia.id))
    ).all()
    category = session.get(Category, category_id)
    assert category is not None
    return GigPage(
        detail=detail,
        rating=reviews.gig_rating(session, gig_id=gig_id),
        reviews=reviews.list_gig_reviews(session, gig_id=gig_id, per_page=PAGE_REVIEWS).rows,
        images=tuple(media_url(path) for path in images),
        category=term_of(category),
        updated_at=updated_at,
    )


def get_seller_page(session: Session, seller_id: int) -> SellerPage:
    """The public seller page: a seller-mode, active account with at least one live gig.

    Raises:
        PageMissing: ``seo.not_found``.
    """
    try:
        profile = get_seller_profile(session, seller_key=seller_id)
    except CatalogError:
        raise PageMissing("seo.not_found") from None
    gigs = list_seller_cards(session, seller_key=seller_id, per_page=CATEGORY_PER_PAGE)
    if gigs.total == 0:
        raise PageMissing("seo.not_found")
    return SellerPage(
        profile=profile,
        gigs=gigs,
        rating=reviews.seller_rating(session, seller_id=seller_id),
        reviews=reviews.list_seller_reviews(session, seller_id=seller_id, per_page=PAGE_REVIEWS).rows,
    )


def get_category(session: Session, slug: str) -> tuple[Term, Term | None]:
    """An active category (with its parent, for a sub-category).

    Raises:
        PageMissing: ``seo.not_found``.
    """
    try:
        row = category_by_slug(session, slug)
    except CatalogError:
        raise PageMissing("seo.not_found") from None
    parent = session.get(Category, row.parent_id) if row.parent_id is not None else None
    return term_of(row, parent.slug if parent else ""), term_of(parent) if parent else None


def get_category_page(session: Session, slug: str, page: int = 1) -> CategoryPage:
    """A category's live gigs, best first, one page (an empty category is still a page).

    Raises:
        PageMissing: ``seo.not_found`` (unknown or hidden category, or a page past the last).
    """
    category, parent = get_category(session, slug)
    gigs = catalog.browse(session, Filters(category_id=category.id), sort="best", page=page, per_page=CATEGORY_PER_PAGE)
    if page != gigs.page:
        raise PageMissing("seo.not_found")
    children = tuple(term for term in list_categories(session) if term.parent == category.slug)
    return CategoryPage(category=category, parent=parent, children=children, gigs=gigs)


def _per_category(session: Session, aggregate: object) -> list[tuple[int, object]]:
    """``(category_id, aggregate)`` over each category's live gigs."""
    query = select(Gig.category_id, aggregate).join(User, col(User.id) == Gig.seller_id).where(live()).group_by(col(Gig.category_id))
    return list(session.exec(query).all())  # type: ignore[arg-type]


def get_home_page(session: Session) -> HomePage:
    counts = dict(_per_category(session, func.count()))
    tops = [term for term in list_categories(session) if not term.parent]
    best = catalog.browse(session, Filters(), sort="best", per_page=HOME_BEST).cards
    return HomePage(categories=tuple((term, counts.get(term.id, 0)) for term in tops), best=best)


# -- the sitemap's rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One public URL's subject: an id or slug, the text its slug comes from, and its lastmod."""

    key: int | str
    text: str
    lastmod: datetime | None


def _latest_review():  # type: ignore[no-untyped-def]
    return (
        select(Review.gig_id, func.max(Review.revealed_at).label("at"))
        .where(col(Review.revealed_at).is_not(None), Review.side == ReviewSide.BUYER.value)
        .group_by(col(Review.gig_id))
        .subquery()
    )


def _later(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present, key=lambda v: v.replace(tzinfo=None)) if present else None


def gig_entries(session: Session, *, offset: int = 0, limit: int | None = None) -> list[Entry]:
    """Live gigs by id, with the later of their last edit and their newest revealed review."""
    latest = _latest_review()
    query = (
        select(Gig.id, Gig.title, Gig.updated_at, latest.c.at)
        .join(User, col(User.id) == Gig.seller_id)
        .join(latest, latest.c.gig_id == Gig.id, isouter=True)
        .where(live())
        .order_by(col(Gig.id))
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [Entry(gig_id, title, _later(updated, reviewed)) for gig_id, title, updated, reviewed in session.exec(query)]


def gig_chunk_lastmods(session: Session, size: int) -> list[datetime | None]:
    """The lastmod of each run of ``size`` live gigs in id order (one gigs sitemap each), in one
    windowed query rather than one scan per file."""
    latest = _latest_review()
    ranked = (
        select(((func.row_number().over(order_by=col(Gig.id)) - 1) // size).label("chunk"), Gig.updated_at, latest.c.at)
        .join(User, col(User.id) == Gig.seller_id)
        .join(latest, latest.c.gig_id == Gig.id, isouter=True)
        .where(live())
        .subquery()
    )
    rows = session.exec(select(ranked.c.chunk, func.max(ranked.c.updated_at), func.max(ranked.c.at)).group_by(ranked.c.chunk).order_by(ranked.c.chunk))
    return [_later(updated, reviewed) for _, updated, reviewed in rows]


def seller_entries(session: Session) -> list[Entry]:
    """Sellers with a live gig, with the later of their profile's and their gigs' last change."""
    query = (
        select(User.id, User.name, User.updated_at, func.max(Gig.updated_at))
        .join(Gig, col(Gig.seller_id) == User.id)
        .join(SellerProfile, col(SellerProfile.user_id) == User.id)
        .where(live())
        .group_by(col(User.id), col(User.name), col(User.updated_at))
        .order_by(col(User.id))
    )
    return [Entry(user_id, name, _later(updated, gig_updated)) for user_id, name, updated, gig_updated in session.exec(query)]


def category_entries(session: Session) -> list[Entry]:
    """Active categories (a hidden parent hides its children), with their gigs' last change."""
    latest = dict(_per_category(session, func.max(Gig.updated_at)))
    return [Entry(term.slug, term.name_ar, latest.get(term.id)) for term in list_categories(session)]


__all__ = ["CategoryPage", "Entry", "GigPage", "HomePage", "PageMissing", "SellerPage"]

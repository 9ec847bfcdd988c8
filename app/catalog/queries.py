"""Read models for pages and the CLI: gig cards, the gig page, browsing and search pages.

Pagination happens in SQL for browsing; search ranks a bounded candidate set (see
``app.search.engine``) and loads only the page it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import exists, func, text
from sqlmodel import Session, select

from app.catalog.errors import CatalogError
from app.catalog.media import media_url
from app.core.money import Money
from app.search import engine
from models.accounts import SellerProfile, User
from models.catalog import Category, City, Dialect, Gig, GigExtra, GigFaq, GigMedia, GigPackage, GigRequirement, GigStatus, MediaKind, PackageTier

SORTS = ("best", "rating", "newest", "price_asc", "price_desc")
PER_PAGE = 24


@dataclass(frozen=True)
class GigCard:
    id: int
    ref: str
    title: str
    seller_id: int
    seller_name: str
    seller_level: str
    price_minor: int
    currency: str
    delivery_days: int
    rating: float
    rating_count: int
    orders_completed: int
    category_slug: str
    category_ar: str
    category_en: str
    city_ar: str
    city_en: str
    published_at: datetime | None
    score: float = 0.0
    cover_url: str = ""  # the gallery's first image, if any
    has_audio: bool = False


@dataclass(frozen=True)
class PackageView:
    tier: str
    name: str
    description: str
    price_minor: int
    currency: str
    delivery_days: int
    revisions: int
    words_included: int | None
    minutes_included: int | None


@dataclass(frozen=True)
class ExtraView:
    title: str
    description: str
    price: Money
    added_days: int


@dataclass(frozen=True)
class FaqView:
    question: str
    answer: str


@dataclass(frozen=True)
class RequirementView:
    question: str
    kind: str
    choices: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class GigDetail:
    card: GigCard
    description: str
    tags: tuple[str, ...]
    status: str
    moderation_note: str
    dialect_ar: str
    dialect_en: str
    packages: tuple[PackageView, ...]
    extras: tuple[ExtraView, ...]
    faqs: tuple[FaqView, ...]
    seller_bio: str
    seller_city: str
    seller_since: datetime
    seller_founding: bool  # بائع مؤسس
    seller_verified: bool  # هوية موثّقة: an admin checked the seller's identity


@dataclass(frozen=True)
class Page:
    cards: tuple[GigCard, ...]
    total: int
    page: int
    pages: int


def _card_query():  # type: ignore[no-untyped-def]
    # The cover and the "has a sample" flag are correlated subqueries (on gig_media's gig_id
    # index), so a page of cards stays one statement however many gigs it shows.
    cover = (
        select(GigMedia.path)
        .where(GigMedia.gig_id == Gig.id, GigMedia.kind == MediaKind.IMAGE.value)
        .order_by(GigMedia.position)
        .limit(1)
        .correlate(Gig)
        .scalar_subquery()
    )
    has_audio = exists().where(GigMedia.gig_id == Gig.id, GigMedia.kind == MediaKind.AUDIO.value).correlate(Gig)
    return (
        select(Gig, User.name, SellerProfile.level, Category, City, cover.label("cover"), has_audio.label("has_audio"))
        .join(User, User.id == Gig.seller_id)
        .join(SellerProfile, SellerProfile.user_id == Gig.seller_id, isouter=True)
        .join(Category, Category.id == Gig.category_id)
        .join(City, City.id == Gig.city_id, isouter=True)
    )


def _card(row, score: float = 0.0) -> GigCard:  # type: ignore[no-untyped-def]
    gig, seller_name, level, category, city, cover, has_audio = row
    return GigCard(
        id=gig.id,
        ref=gig.ref or "",
        title=gig.title,
        seller_id=gig.seller_id,
        seller_name=seller_name,
        seller_level=level or "new",
        price_minor=gig.price_minor,
        currency=gig.currency,
        delivery_days=gig.delivery_days,
        rating=round(gig.rating_sum / gig.rating_count, 1) if gig.rating_count else 0.0,
        rating_count=gig.rating_count,
        orders_completed=gig.orders_completed,
        category_slug=category.slug,
        category_ar=category.name_ar,
        category_en=category.name_en,
        city_ar=city.name_ar if city else "",
        city_en=city.name_en if city else "",
        published_at=gig.published_at,
        score=score,
        cover_url=media_url(cover) if cover else "",
        has_audio=bool(has_audio),
    )


def cards(session: Session, gig_ids: list[int], scores: dict[int, float] | None = None) -> list[GigCard]:
    """Cards for ``gig_ids`` in that order."""
    if not gig_ids:
        return []
    rows = {row[0].id: row for row in session.exec(_card_query().where(Gig.id.in_(gig_ids)))}
    scores = scores or {}
    return [_card(rows[i], scores.get(i, 0.0)) for i in gig_ids if i in rows]


def order_by(sort: str):  # type: ignore[no-untyped-def]
    """The ORDER BY terms of a browse sort (``best`` for an unknown one), over ``gig``."""
    return _order(sort if sort in SORTS else "best")


def _order(sort: str):  # type: ignore[no-untyped-def]
    rating = (Gig.rating_sum * 1.0 / func.nullif(Gig.rating_count, 0))
    return {
        "best": (Gig.orders_completed.desc(), rating.desc().nulls_last(), Gig.id.desc()),
        "rating": (rating.desc().nulls_last(), Gig.rating_count.desc(), Gig.id.desc()),
        "newest": (Gig.published_at.desc().nulls_last(), Gig.id.desc()),
        "price_asc": (Gig.price_minor.asc(), Gig.id.asc()),
        "price_desc": (Gig.price_minor.desc(), Gig.id.desc()),
    }[sort]


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def browse(session: Session, filters: engine.Filters, *, sort: str = "best", page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Active gigs matching ``filters``, one page, ordered in SQL."""
    sort = sort if sort in SORTS else "best"
    where, params = filters.sql()
    condition = text(where).bindparams(**params)
    total = session.exec(select(func.count()).select_from(Gig).where(condition)).one()
    pages = _pages(total, per_page)
    page = min(max(1, page), pages)
    # The page's ids first, from the gig table alone: the card query's joins and subqueries then
    # run for one page of gigs, not for every gig the sort has to look at.
    ids = browse_ids(session, filters, sort=sort, offset=(page - 1) * per_page, limit=per_page)
    return Page(cards=tuple(cards(session, ids)), total=total, page=page, pages=pages)


def browse_ids(session: Session, filters: engine.Filters, *, sort: str = "best", offset: int = 0, limit: int = PER_PAGE) -> list[int]:
    """The ids of the active gigs ``browse`` would show, in its order, without their cards."""
    where, params = filters.sql()
    query = select(Gig.id).where(text(where).bindparams(**params)).order_by(*_order(sort if sort in SORTS else "best"))
    return [i for i in session.exec(query.offset(offset).limit(limit)) if i is not None]


def search(session: Session, query: str, filters: engine.Filters, *, sort: str = "best", page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Ranked search results, one page; other sorts reorder the matching gigs."""
    hits = engine.search(session, query, filters)
    scores = {h.gig_id: h.score for h in hits}
    ordered = [h.gig_id for h in hits]
    if sort in SORTS and sort != "best" and ordered:
        ordered = [c.id for c in _sorted(cards(session, ordered, scores), sort)]
    pages = _pages(len(ordered), per_page)
    page = min(max(1, page), pages)
    window = ordered[(page - 1) * per_page : page * per_page]
    return Page(cards=tuple(cards(session, window, scores)), total=len(ordered), page=page, pages=pages)


def _sorted(items: list[GigCard], sort: str) -> list[GigCard]:
    keys = {
        "rating": lambda c: (-c.rating, -c.rating_count, -c.score),
        "newest": lambda c: (-(c.published_at.timestamp() if c.published_at else 0), -c.score),
        "price_asc": lambda c: (c.price_minor, -c.score),
        "price_desc": lambda c: (-c.price_minor, -c.score),
    }
    return sorted(items, key=keys[sort])


Row = TypeVar("Row", GigExtra, GigFaq, GigRequirement)


def gig_rows(session: Session, model: type[Row], gig_id: int) -> list[Row]:
    """A gig's extras, FAQ or questions (``model``) in the order the seller gave them."""
    return list(session.exec(select(model).where(model.gig_id == gig_id).order_by(model.position, model.id)))  # type: ignore[arg-type]


def list_requirements(session: Session, gig_id: int) -> tuple[RequirementView, ...]:
    """The questions a buyer answers after ordering ``gig_id`` (the caller has found the gig)."""
    return tuple(
        RequirementView(question=r.question, kind=r.kind, choices=tuple(r.choices.split("\n")) if r.choices else (), required=r.required)
        for r in gig_rows(session, GigRequirement, gig_id)
    )


def get_gig(session: Session, gig_id: int, *, viewer_id: int | None = None, is_admin: bool = False) -> GigDetail:
    """The gig page; gigs that are not active are shown only to their seller and admins.

    Raises:
        CatalogError: ``gig.not_found``.
    """
    row = session.exec(_card_query().where(Gig.id == gig_id)).first()
    if row is None:
        raise CatalogError("gig.not_found")
    gig: Gig = row[0]
    if gig.status != GigStatus.ACTIVE and not (is_admin or viewer_id == gig.seller_id):
        raise CatalogError("gig.not_found")
    seller = session.get(User, gig.seller_id)
    assert seller is not None
    dialect = session.get(Dialect, gig.dialect_id) if gig.dialect_id else None
    order = {tier.value: i for i, tier in enumerate(PackageTier)}
    packages = sorted(session.exec(select(GigPackage).where(GigPackage.gig_id == gig_id)), key=lambda p: order.get(p.tier, 9))
    marks = session.exec(
        select(SellerProfile.founding_since, SellerProfile.identity_verified_at).where(SellerProfile.user_id == gig.seller_id)
    ).first() or (None, None)
    return GigDetail(
        card=_card(row),
        description=gig.description,
        tags=tuple(t for t in gig.tags.split(",") if t),
        status=gig.status,
        moderation_note=gig.moderation_note,
        dialect_ar=dialect.name_ar if dialect else "",
        dialect_en=dialect.name_en if dialect else "",
        packages=tuple(
            PackageView(
                tier=p.tier, name=p.name, description=p.description, price_minor=p.price_minor, currency=p.currency,
                delivery_days=p.delivery_days, revisions=p.revisions, words_included=p.words_included,
                minutes_included=p.minutes_included,
            )
            for p in packages
        ),
        extras=tuple(
            ExtraView(title=e.title, description=e.description, price=Money(e.price_minor, e.currency), added_days=e.added_days)
            for e in gig_rows(session, GigExtra, gig_id)
        ),
        faqs=tuple(FaqView(question=f.question, answer=f.answer) for f in gig_rows(session, GigFaq, gig_id)),
        seller_bio=seller.bio,
        seller_city=seller.city,
        seller_since=seller.created_at,
        seller_founding=marks[0] is not None,
        seller_verified=marks[1] is not None,
    )

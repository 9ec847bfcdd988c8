"""Programmatic landing pages: a category in a city, or a category in a dialect.

A combination becomes a page only with real content: at least ``seo_landing_min_gigs`` live
gigs (settings), and best gigs that another page of the same category does not already show
(more than half of its shown gigs in common with a bigger page makes it a near-duplicate of
that page). Anything else is not linked, not in the sitemap, and answers 404.

Everything a page says comes from the data: its gigs, their revealed reviews, the minimum and
median price and delivery days, a FAQ answered with those numbers, related searches from the
search lexicon and the tags sellers chose, and links to the same category elsewhere and to
other categories here.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from app.catalog import queries as catalog
from app.catalog.taxonomy import Term, list_categories, term_of
from app.core.settings import get_settings
from app.reviews import queries as reviews
from app.search.analyzer import DEFAULT_LEXICON_ENTRIES, current_lexicon, stem, tokens
from app.search.engine import Filters
from app.seo.cache import SHARED, content_version
from app.seo.queries import PageMissing, live
from models.accounts import User
from models.catalog import City, Dialect, Gig, SearchTerm

KINDS = ("city", "dialect")
SHOWN = 12  # best gigs a landing page lists
MAX_OVERLAP = 1 / 3  # Jaccard of the shown gigs with a page already kept above which a page is a near-duplicate
TAG_SAMPLE = 200  # gigs whose tags feed the related searches
_FACETS = {"city": (City, Gig.city_id), "dialect": (Dialect, Gig.dialect_id)}


@dataclass(frozen=True)
class Landing:
    """One category × city (or dialect) combination and whether it is a generated page."""

    category: Term
    kind: str
    facet: Term
    count: int
    lastmod: datetime | None
    status: str  # "indexed" | "thin" (too few gigs) | "duplicate" (a bigger page shows the same gigs)
    shown: tuple[int, ...] = ()

    @property
    def indexed(self) -> bool:
        return self.status == "indexed"

    @property
    def filters(self) -> Filters:
        if self.kind == "city":
            return Filters(category_id=self.category.id, city_id=self.facet.id)
        return Filters(category_id=self.category.id, dialect_id=self.facet.id)


@dataclass(frozen=True)
class LandingPage:
    landing: Landing
    cards: tuple[catalog.GigCard, ...]
    price_min: int
    price_median: int
    currency: str
    days_min: int
    days_median: int
    rating: reviews.RatingSummary
    reviews: tuple[reviews.ReviewLine, ...]
    terms: tuple[str, ...]  # related searches
    elsewhere: tuple[Landing, ...]  # the same category in other cities / dialects
    nearby: tuple[Landing, ...]  # other categories in this city / dialect


def _jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    union = set(a) | set(b)
    return len(set(a) & set(b)) / len(union) if union else 0.0


def list_landings(session: Session, *, min_gigs: int | None = None) -> list[Landing]:
    """Every combination with at least one live gig, city pages first, each with its status.

    Computed once per content version (the home, category, landing pages and the sitemap all
    need it; at 100 000 gigs it costs a query per candidate page).
    """
    min_gigs = get_settings().seo_landing_min_gigs if min_gigs is None else min_gigs
    version = content_version(session)
    key = f"landings:{min_gigs}"
    found = SHARED.get(key, version) if version else None
    if found is None:
        found = _compute_landings(session, min_gigs)
        if version:
            SHARED.put(key, version, found)
    return list(found)  # type: ignore[call-overload]


def _best_ids(session: Session, column: object, keys: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, ...]]:
    """The SHOWN best live gigs of every (category, facet) in ``keys``, in one windowed query
    (the order is the category page's ``best``)."""
    rank = func.row_number().over(partition_by=(Gig.category_id, column), order_by=catalog.order_by("best")).label("rank")
    ranked = (
        select(Gig.category_id, column.label("facet"), Gig.id, rank)  # type: ignore[attr-defined]
        .join(User, col(User.id) == Gig.seller_id)
        .where(live(), col(column).is_not(None))
        .subquery()
    )
    shown: dict[tuple[int, int], list[int]] = {}
    top = select(ranked.c.category_id, ranked.c.facet, ranked.c.id).where(ranked.c.rank <= SHOWN).order_by(ranked.c.category_id, ranked.c.facet, ranked.c.rank)
    for category_id, facet_id, gig_id in session.exec(top):
        if (category_id, facet_id) in keys:
            shown.setdefault((category_id, facet_id), []).append(gig_id)
    return {key: tuple(ids) for key, ids in shown.items()}


def _compute_landings(session: Session, min_gigs: int) -> tuple[Landing, ...]:
    categories = {term.id: term for term in list_categories(session)}
    found: list[Landing] = []
    shown: dict[tuple[str, int, int], tuple[int, ...]] = {}
    for kind, (model, column) in _FACETS.items():
        facets = {row.id: term_of(row) for row in session.exec(select(model))}
        rows = session.exec(
            select(Gig.category_id, column, func.count(), func.max(Gig.updated_at))
            .join(User, col(User.id) == Gig.seller_id)
            .where(live(), col(column).is_not(None))
            .group_by(col(Gig.category_id), column)
        ).all()
        for category_id, facet_id, count, lastmod in rows:
            if category_id in categories and facet_id in facets:
                found.append(Landing(categories[category_id], kind, facets[facet_id], count, lastmod, "thin"))
        big = {(category_id, facet_id) for category_id, facet_id, count, _ in rows if count >= min_gigs}
        shown.update({(kind, *key): ids for key, ids in _best_ids(session, column, big).items()} if big else {})
    # city pages first (the «[service] في [city]» searches), bigger first within a kind
    found.sort(key=lambda item: (KINDS.index(item.kind), -item.count, item.category.slug, item.facet.slug))
    accepted: dict[int, list[Landing]] = {}
    out: list[Landing] = []
    for item in found:
        if item.count < min_gigs:
            out.append(item)
            continue
        ids = shown.get((item.kind, item.category.id, item.facet.id), ())
        same = accepted.setdefault(item.category.id, [])
        duplicate = any(_jaccard(ids, other.shown) > MAX_OVERLAP for other in same)
        item = Landing(item.category, item.kind, item.facet, item.count, item.lastmod, "duplicate" if duplicate else "indexed", ids)
        if not duplicate:
            same.append(item)
        out.append(item)
    return tuple(out)


def _related_terms(session: Session, category: Term, gig_ids: list[int]) -> tuple[str, ...]:
    """Lexicon terms of the category's concepts, then the tags sellers here use most."""
    lexicon = current_lexicon()
    concepts = {c for token in tokens(f"{category.name_ar} {category.name_en}") for c in lexicon.concepts_of(stem(token))}
    stored = session.exec(select(SearchTerm.term, SearchTerm.concept).where(col(SearchTerm.concept).in_(concepts))).all() if concepts else []
    lexical = [term for term, concept in (*DEFAULT_LEXICON_ENTRIES, *stored) if concept in concepts and any("\u0600" <= ch <= "\u06ff" for ch in term)]
    lines = session.exec(select(Gig.tags).where(col(Gig.id).in_(gig_ids[:TAG_SAMPLE]))).all() if gig_ids else []
    tags = Counter(tag.strip() for line in lines for tag in (line or "").split(",") if tag.strip())
    words = [*lexical[:4], *(tag for tag, _ in tags.most_common(8))]
    return tuple(dict.fromkeys(word for word in words if word != category.name_ar))[:10]


def get_landing_page(session: Session, *, category_slug: str, kind: str, facet_slug: str) -> LandingPage:
    """A generated landing page.

    Raises:
        PageMissing: ``seo.not_found`` for an unknown, thin or duplicate combination.
    """
    landings = list_landings(session)
    landing = next(
        (item for item in landings if item.kind == kind and item.category.slug == category_slug and item.facet.slug == facet_slug),
        None,
    )
    if landing is None or not landing.indexed:
        raise PageMissing("seo.not_found")
    where, params = landing.filters.sql()
    condition = (live(), text(where).bindparams(**params))
    matching = select(Gig.id).join(User, col(User.id) == Gig.seller_id).where(*condition)
    rows = session.exec(select(Gig.id, Gig.price_minor, Gig.currency, Gig.delivery_days).join(User, col(User.id) == Gig.seller_id).where(*condition)).all()
    currency = Counter(row[2] for row in rows).most_common(1)[0][0]
    prices = sorted(row[1] for row in rows if row[2] == currency)
    days = sorted(row[3] for row in rows)
    ids = [row[0] for row in rows]
    indexed = [item for item in landings if item.indexed and item is not landing]
    return LandingPage(
        landing=landing,
        cards=tuple(catalog.cards(session, list(landing.shown))),
        price_min=prices[0],
        price_median=int(statistics.median_low(prices)),
        currency=currency,
        days_min=days[0],
        days_median=int(statistics.median_low(days)),
        rating=reviews.gigs_rating(session, gig_ids=matching),
        reviews=reviews.list_gigs_reviews(session, gig_ids=matching, limit=5),
        terms=_related_terms(session, landing.category, ids),
        elsewhere=tuple(item for item in indexed if item.category.id == landing.category.id)[:12],
        nearby=tuple(item for item in indexed if item.kind == kind and item.facet.id == landing.facet.id)[:12],
    )

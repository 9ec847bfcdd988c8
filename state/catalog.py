"""Browsing and search: the /search and /category/<slug> pages and the header search box.

Everything a visitor controls (the query string, the filters form, the sort select, the text
typed in the search box) is untrusted: each value is parsed here against a range or a list
(slugs are looked up in the taxonomy) and dropped when it does not fit, so a junk URL shows
an unfiltered page instead of an error. Redirects are rebuilt from the cleaned values only.

Public vars hold display strings: each gig card is a ``dict[str, str]`` made from a
``GigCard``, with prices formatted in both languages so the language switch needs no reload.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import reflex as rx

from app import catalog
from app.catalog import GigCard, Term
from app.catalog.queries import SORTS
from app.core.db import reading
from app.core.i18n import LANGUAGES, translate
from app.core.money import Money, format_money
from app.search.engine import Filters, suggest
from state.session import SessionState

MAX_QUERY = 100
MAX_PRICE_SAR = 100_000
MAX_DAYS = 90
MAX_PAGE = 10_000
MAX_SUGGESTIONS = 8
LEVELS = ("new", "level1", "level2", "top")
LEVEL_KEYS = {level: f"level.{level}" for level in LEVELS}
DAY_CHOICES = ("1", "3", "7", "14")
RATING_CHOICES = ("4", "3", "2")
ANY = "any"  # the select value for "no filter" (Radix selects cannot hold an empty value)
# The query-string names, in the order they are written back.
PARAMS = ("q", "category", "min", "max", "days", "rating", "level", "city", "dialect", "sort", "page")
CATEGORY_PREFIX = "/category/"


@dataclass(frozen=True)
class Counted:
    """Catalogue keys of a counted noun in Arabic's number forms: 1, 2, 3-10, 11 and up (and 0)."""

    one: str
    two: str
    few: str
    many: str
    zero: str | None = None

    def text(self, n: int, lang: str) -> str:
        rest = n % 100
        if n == 0 and self.zero:
            key = self.zero
        else:
            key = self.one if n == 1 else self.two if n == 2 else self.few if 3 <= rest <= 10 else self.many
        return translate(key, lang, n=n)


DAYS = Counted("catalog.days_one", "catalog.days_two", "catalog.days_few", "catalog.days_many")


def both(make: Any) -> dict[str, str]:
    """``{"ar": make("ar"), "en": make("en")}``: display text for both languages at once."""
    return {lang: make(lang) for lang in LANGUAGES}


def money_text(minor: int, currency: str) -> dict[str, str]:
    return both(lambda lang: format_money(Money(minor, currency), lang))


def clean_text(value: object, limit: int = MAX_QUERY) -> str:
    """One line of visible text: no control or format characters, no lone surrogates, capped."""
    if not isinstance(value, str):
        return ""
    value = value[: limit * 4].encode("utf-8", "ignore").decode("utf-8")
    hidden = ("Cc", "Cf", "Cs", "Co", "Cn")  # controls, bidi/format marks, surrogates, unassigned
    kept = "".join(" " if ch.isspace() else ch for ch in value if ch.isspace() or unicodedata.category(ch) not in hidden)
    return " ".join(kept.split())[:limit].strip()


def _int(value: object, low: int, high: int) -> int | None:
    """A whole number typed or sent as text (Latin or Arabic-Indic digits), within the range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        if not text.isascii() or not text.isdigit() or len(text) > 7:
            return None
        number = int(text)
    else:
        return None
    return number if low <= number <= high else None


@dataclass(frozen=True)
class Taxonomy:
    """The lists the filters choose from, keyed by slug."""

    categories: dict[str, Term]
    cities: dict[str, Term]
    dialects: dict[str, Term]

    @classmethod
    def load(cls, session: Any) -> Taxonomy:
        return cls(
            categories={t.slug: t for t in catalog.list_categories(session)},
            cities={t.slug: t for t in catalog.list_cities(session)},
            dialects={t.slug: t for t in catalog.list_dialects(session)},
        )


def clean_params(raw: Mapping[str, object], terms: Taxonomy) -> dict[str, str]:
    """Keep the known parameters whose values make sense, in canonical text form."""
    out: dict[str, str] = {}
    query = clean_text(raw.get("q"))
    if query:
        out["q"] = query
    for name, known in (("category", terms.categories), ("city", terms.cities), ("dialect", terms.dialects)):
        value = raw.get(name)
        if isinstance(value, str) and value in known:
            out[name] = value
    low, high = _int(raw.get("min"), 0, MAX_PRICE_SAR), _int(raw.get("max"), 0, MAX_PRICE_SAR)
    if low is not None and high is not None and low > high:
        low, high = high, low
    if low:
        out["min"] = str(low)
    if high is not None:
        out["max"] = str(high)
    for name, top in (("days", MAX_DAYS), ("rating", 5)):
        number = _int(raw.get(name), 1, top)
        if number is not None:
            out[name] = str(number)
    level = raw.get("level")
    if isinstance(level, str) and level in LEVELS:
        out["level"] = level
    sort = raw.get("sort")
    if isinstance(sort, str) and sort in SORTS and sort != SORTS[0]:
        out["sort"] = sort
    page = _int(raw.get("page"), 2, MAX_PAGE)
    if page is not None:
        out["page"] = str(page)
    return out


def to_filters(params: Mapping[str, str], terms: Taxonomy) -> Filters:
    def number(name: str, scale: int = 1) -> int | None:
        return int(params[name]) * scale if name in params else None

    def term_id(name: str, known: dict[str, Term]) -> int | None:
        return known[params[name]].id if name in params else None

    return Filters(
        category_id=term_id("category", terms.categories),
        city_id=term_id("city", terms.cities),
        dialect_id=term_id("dialect", terms.dialects),
        price_min=number("min", 100),
        price_max=number("max", 100),
        max_days=number("days"),
        min_rating=number("rating"),
        level=params.get("level"),
    )


def page_url(path: str, params: Mapping[str, str], **changes: str | None) -> str:
    """``path`` with the cleaned ``params`` (and ``changes``; None removes) as its query string."""
    merged = {**params, **changes}
    query = urlencode([(name, merged[name]) for name in PARAMS if merged.get(name)], quote_via=quote)
    return f"{path}?{query}" if query else path


def card_view(card: GigCard) -> dict[str, str]:
    price = money_text(card.price_minor, card.currency)
    days = both(lambda lang: DAYS.text(card.delivery_days, lang))
    level = both(lambda lang: translate(f"level.{card.seller_level}", lang))
    return {
        "id": str(card.id),
        "title": card.title,
        "seller_name": card.seller_name,
        "level": card.seller_level,
        "level_ar": level["ar"],
        "level_en": level["en"],
        "price_ar": price["ar"],
        "price_en": price["en"],
        "days": str(card.delivery_days),
        "days_ar": days["ar"],
        "days_en": days["en"],
        "rating": f"{card.rating:.1f}" if card.rating_count else "",
        "rating_count": str(card.rating_count),
        "category_ar": card.category_ar,
        "category_en": card.category_en,
        "city_ar": card.city_ar,
        "city_en": card.city_en,
        "href": f"/gig/{card.id}",
        "seller_href": f"/sellers/{card.seller_id}",
        "cover": card.cover_url,
        "audio": "1" if card.has_audio else "",
    }


def term_options(terms: dict[str, Term]) -> list[dict[str, str]]:
    """Select options; a sub-category is named after its parent («إعلانات › إذاعية»)."""

    def name(term: Term, lang: str) -> str:
        parent = terms.get(term.parent) if term.parent else None
        own = getattr(term, f"name_{lang}")
        return f"{getattr(parent, f'name_{lang}')} › {own}" if parent else own

    return [{"slug": t.slug, "name_ar": name(t, "ar"), "name_en": name(t, "en")} for t in terms.values()]


def category_slug_of(path: object) -> str | None:
    """The slug of a ``/category/<slug>`` path (unchecked), or None for any other page."""
    if not isinstance(path, str) or not path.startswith(CATEGORY_PREFIX):
        return None
    slug = path[len(CATEGORY_PREFIX) :].strip("/")
    return slug if slug and len(slug) <= 60 and "/" not in slug else ""


class CatalogState(SessionState):
    """One page of gig cards with the filters that made it, and the header's suggestions."""

    results: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    query: str = ""
    category: str = ""
    city: str = ""
    dialect: str = ""
    min_price: str = ""
    max_price: str = ""
    max_days: str = ""
    min_rating: str = ""
    level: str = ""
    sort: str = SORTS[0]
    category_ar: str = ""
    category_en: str = ""
    not_found: bool = False
    loaded: bool = False
    base_path: str = "/search"
    prev_href: str = ""
    next_href: str = ""
    clear_href: str = "/search"
    filters_key: str = ""
    categories: list[dict[str, str]] = []
    cities: list[dict[str, str]] = []
    dialects: list[dict[str, str]] = []
    suggestions: list[str] = []

    # -- helpers (not callable from the browser) ------------------------------------------

    def _show_page(self, path: str, params: dict[str, str], found: catalog.Page, terms: Taxonomy) -> None:
        self.results = [card_view(card) for card in found.cards]
        self.total, self.page, self.pages = found.total, found.page, found.pages
        self.query = params.get("q", "")
        self.category = params.get("category", "")
        self.city = params.get("city", "")
        self.dialect = params.get("dialect", "")
        self.min_price = params.get("min", "")
        self.max_price = params.get("max", "")
        self.max_days = params.get("days", "")
        self.min_rating = params.get("rating", "")
        self.level = params.get("level", "")
        self.sort = params.get("sort", SORTS[0])
        self.base_path = path
        self.prev_href = page_url(path, params, page=str(found.page - 1) if found.page > 2 else None) if found.page > 1 else ""
        self.next_href = page_url(path, params, page=str(found.page + 1)) if found.page < found.pages else ""
        self.clear_href = page_url(path, {"q": params["q"]} if "q" in params else {})
        self.filters_key = page_url(path, params)
        self.categories = term_options(terms.categories)
        self.cities = term_options(terms.cities)
        self.dialects = term_options(terms.dialects)
        self.not_found = False
        self.loaded = True

    def _clear(self) -> None:
        self.results = []
        self.total, self.page, self.pages = 0, 1, 1
        self.prev_href = self.next_href = ""
        self.category_ar = self.category_en = ""
        self.not_found = False

    def _target(self, params: dict[str, str], terms: Taxonomy) -> str:
        """Where a filter change leads: a category page keeps its route, unless the category changed."""
        on_category = category_slug_of(self.router.url.path) is not None
        if on_category and "category" in params:
            slug = params.pop("category")
            params.pop("q", None)
            return page_url(CATEGORY_PREFIX + slug, params)
        if on_category:
            params.pop("q", None)
        return page_url("/search", params)

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_search(self):  # type: ignore[no-untyped-def]
        """On load of /search: the query and filters come from the URL; bad values are ignored."""
        self._clear()
        with reading() as session:
            terms = Taxonomy.load(session)
            params = clean_params(self.router.url.query_parameters, terms)
            filters = to_filters(params, terms)
            sort, number = params.get("sort", SORTS[0]), int(params.get("page", "1"))
            if "q" in params:
                found = catalog.search(session, params["q"], filters, sort=sort, page=number)
            else:
                found = catalog.browse(session, filters, sort=sort, page=number)
        self._show_page("/search", params, found, terms)

    @rx.event
    def open_category(self):  # type: ignore[no-untyped-def]
        """On load of /category/<slug>: the category's active gigs, with the same filters."""
        self._clear()
        slug = category_slug_of(self.router.url.path) or ""
        with reading() as session:
            terms = Taxonomy.load(session)
            category = terms.categories.get(slug)
            if category is None:
                self.loaded, self.not_found = True, True
                self.results = []
                return
            raw = {**self.router.url.query_parameters, "category": slug}
            raw.pop("q", None)
            params = clean_params(raw, terms)
            found = catalog.browse(session, to_filters(params, terms), sort=params.get("sort", SORTS[0]), page=int(params.get("page", "1")))
        params.pop("category")
        self._show_page(CATEGORY_PREFIX + slug, params, found, terms)
        self.category = slug
        self.category_ar, self.category_en = category.name_ar, category.name_en

    @rx.event
    def apply_filters(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The filters form: rebuild a clean URL from what was sent and go there."""
        raw = dict(form_data) if isinstance(form_data, dict) else {}
        raw.pop("page", None)
        with reading() as session:
            terms = Taxonomy.load(session)
        params = clean_params({name: value for name, value in raw.items() if value != ANY}, terms)
        return rx.redirect(self._target(params, terms))

    @rx.event
    def sort_by(self, value: Any):  # type: ignore[no-untyped-def]
        """The sort select: the current page's filters, the new order, back to page one."""
        with reading() as session:
            terms = Taxonomy.load(session)
        raw = dict(self.router.url.query_parameters)
        slug = category_slug_of(self.router.url.path)
        if slug:
            raw["category"] = slug
        raw["sort"] = value if isinstance(value, str) else ""
        raw.pop("page", None)
        params = clean_params(raw, terms)
        return rx.redirect(self._target(params, terms))

    @rx.event
    def submit(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The header search box: /search?q=<what was typed>."""
        query = clean_text(form_data.get("q") if isinstance(form_data, dict) else None)
        self.suggestions = []
        return rx.redirect(page_url("/search", {"q": query}))

    @rx.event
    def suggest(self, prefix: Any):  # type: ignore[no-untyped-def]
        """Type-ahead for the header box: titles of active gigs matching what was typed so far."""
        text = clean_text(prefix)
        # letters, digits and spaces only: a prefix needs nothing else, and the index syntax never sees it
        text = "".join(ch for ch in text if ch.isalnum() or ch == " " or unicodedata.category(ch) == "Mn").strip()
        if len(text) < 2:
            self.suggestions = []
            return
        with reading() as session:
            ids = suggest(session, text, limit=MAX_SUGGESTIONS)
            titles = [card.title for card in catalog.cards(session, ids)]
        self.suggestions = list(dict.fromkeys(titles))[:MAX_SUGGESTIONS]

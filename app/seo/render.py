"""HTML and JSON-LD of the public pages, with Jinja2 (autoescaped) templates beside this module.

Every page gets a unique title and description, an absolute canonical URL, hreflang ar / en /
x-default, Open Graph and Twitter tags with an absolute image, visible breadcrumbs with their
BreadcrumbList, and the JSON-LD its data supports: Service with an Offer per package,
AggregateRating and Review only from revealed reviews, Person, Organization, FAQPage.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_precision
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.catalog.queries import GigCard
from app.core.i18n import direction, translate
from app.core.money import Money, format_money
from app.niche import get_niche
from app.reviews.queries import RatingSummary, ReviewLine
from app.seo import urls
from app.seo.landing import Landing, LandingPage
from app.seo.queries import CategoryPage, GigPage, HomePage, SellerPage

TEMPLATES = Path(__file__).with_name("templates")
DESCRIPTION_LIMIT = 158
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})  # raw HTML in gig text is shown as text


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["urlpath"] = urls.url_path
    return env


def money(minor: int, currency: str, lang: str) -> str:
    return format_money(Money(minor, currency), lang)


def decimal_price(minor: int, currency: str) -> str:
    """A price as schema.org wants it: a plain decimal string (``150.00``)."""
    return str(Decimal(minor).scaleb(-get_currency_precision(currency)))


def _json_ld(data: dict[str, Any]) -> Markup:
    # "<" escaped so no text inside can close the script element
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))


def _clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.replace("#", " ").replace("*", " ").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _name(term: Any, lang: str) -> str:
    return term.name_en if lang == "en" and term.name_en else term.name_ar


class _Page:
    """What the base template needs, built once per page."""

    def __init__(self, lang: str, path: str, *, title: str, description: str, image: str = "", crumbs: Sequence[tuple[str, str]] = (), noindex: bool = False) -> None:
        self.lang = lang
        self.dir = direction(lang)
        self.path = path
        self.title = title
        self.description = _clip(description)
        self.canonical = urls.absolute(path)
        self.alternates = {code: urls.absolute(urls.other_lang(path, code)) for code in urls.LANGS}
        self.image = urls.absolute(image or "/logo.svg")
        self.crumbs = [(name, href) for name, href in crumbs]
        self.noindex = noindex
        self.ld: list[Markup] = [_json_ld(self._organization())]
        if self.crumbs:
            self.ld.append(_json_ld(self._breadcrumbs()))

    def t(self, key: str, **params: object) -> str:
        return translate(key, self.lang, **params)

    def _organization(self) -> dict[str, Any]:
        base = urls.absolute("/")
        return {"@context": "https://schema.org", "@type": "Organization", "name": translate("seo.site_name", self.lang), "url": base, "logo": urls.absolute("/logo.svg")}

    def _breadcrumbs(self) -> dict[str, Any]:
        items = [
            {"@type": "ListItem", "position": i, "name": name, "item": urls.absolute(href)}
            for i, (name, href) in enumerate(self.crumbs, start=1)
        ]
        return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}

    def add_ld(self, data: dict[str, Any]) -> None:
        self.ld.append(_json_ld({"@context": "https://schema.org", **data}))


def _render(template: str, page: _Page, **context: Any) -> str:
    helpers = {
        "page": page,
        "t": page.t,
        "lang": page.lang,
        "money": lambda minor, currency: money(minor, currency, page.lang),
        "name": lambda term: _name(term, page.lang),
        "gig_href": lambda card: urls.gig(page.lang, card.id, card.title),
        "seller_href": lambda seller_id, seller_name: urls.seller(page.lang, seller_id, seller_name),
        "category_href": lambda slug, number=1: urls.category(page.lang, slug, number),
        "landing_href": lambda item: urls.landing(page.lang, item.category.slug, item.kind, item.facet.slug),
        "landing_name": lambda item: landing_name(item, page.lang),
        "home_href": urls.home(page.lang),
        "stars": lambda value: f"{value:.1f}",
    }
    return _environment().get_template(template).render(**helpers, **context)


def _home_crumb(lang: str) -> tuple[str, str]:
    return translate("seo.home", lang), urls.home(lang)


def _person(name: str, url: str) -> dict[str, Any]:
    return {"@type": "Person", "name": name, "url": url}


def _aggregate(rating: RatingSummary) -> dict[str, Any] | None:
    """AggregateRating from revealed reviews only; ``None`` when there are none (no hidden scores)."""
    if not rating.count or rating.overall is None:
        return None
    return {"@type": "AggregateRating", "ratingValue": round(rating.overall, 2), "reviewCount": rating.count, "bestRating": 5, "worstRating": 1}


def _reviews_ld(lines: Sequence[ReviewLine]) -> list[dict[str, Any]]:
    return [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": line.author_name},
            "reviewRating": {"@type": "Rating", "ratingValue": line.overall, "bestRating": 5, "worstRating": 1},
            "reviewBody": line.text,
            **({"datePublished": line.revealed_at.date().isoformat()} if line.revealed_at else {}),
        }
        for line in lines
    ]


def _faq_ld(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@type": "FAQPage",
        "mainEntity": [{"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}} for q, a in pairs],
    }


def _item_list(lang: str, cards: Sequence[GigCard]) -> dict[str, Any]:
    return {
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "url": urls.absolute(urls.gig(lang, card.id, card.title)), "name": card.title}
            for i, card in enumerate(cards, start=1)
        ],
    }


# -- pages ---------------------------------------------------------------------------------------


def gig_page(data: GigPage, lang: str) -> str:
    card, detail = data.detail.card, data.detail
    path = urls.gig(lang, card.id, card.title)
    seller_url = urls.absolute(urls.seller(lang, card.seller_id, card.seller_name))
    page = _Page(
        lang,
        path,
        title=translate("seo.gig_title", lang, title=card.title, seller=card.seller_name),
        description=detail.description,
        image=data.images[0] if data.images else "",
        crumbs=[_home_crumb(lang), (_name(data.category, lang), urls.category(lang, data.category.slug)), (card.title, path)],
    )
    offers = [
        {
            "@type": "Offer",
            "name": package.name,
            "price": decimal_price(package.price_minor, package.currency),
            "priceCurrency": package.currency,
            "availability": "https://schema.org/InStock",
            "url": page.canonical,
        }
        for package in sorted(detail.packages, key=lambda p: p.price_minor)
    ]
    service: dict[str, Any] = {
        "@type": "Service",
        "name": card.title,
        "description": _clip(detail.description, 500),
        "url": page.canonical,
        "image": page.image,
        "category": _name(data.category, lang),
        "provider": _person(card.seller_name, seller_url),
        "offers": offers,
    }
    if card.city_ar:
        service["areaServed"] = card.city_en if lang == "en" and card.city_en else card.city_ar
    aggregate = _aggregate(data.rating)
    if aggregate:
        service["aggregateRating"] = aggregate
        service["review"] = _reviews_ld(data.reviews)
    page.add_ld(service)
    faqs = [(f.question, f.answer) for f in detail.faqs]
    if faqs:
        page.add_ld(_faq_ld(faqs))
    return _render(
        "public_gig.html",
        page,
        data=data,
        card=card,
        detail=detail,
        description_html=Markup(_MARKDOWN.render(detail.description)),
        seller_url=urls.seller(lang, card.seller_id, card.seller_name),
        order_url=f"/gig/{card.id}",
        images=[urls.absolute(i) for i in data.images],
        faqs=faqs,
    )


def seller_page(data: SellerPage, lang: str) -> str:
    profile = data.profile
    path = urls.seller(lang, profile.id, profile.name)
    page = _Page(
        lang,
        path,
        title=translate("seo.seller_title", lang, name=profile.name),
        description=profile.bio or translate("seo.seller_description", lang, name=profile.name, count=data.gigs.total),
        image=f"/media/{profile.avatar_file}" if profile.avatar_file else "",
        crumbs=[_home_crumb(lang), (profile.name, path)],
    )
    person: dict[str, Any] = {**_person(profile.name, page.canonical), "description": _clip(profile.bio, 300)}
    city = profile.city_en if lang == "en" else profile.city_ar
    if city:
        person["address"] = {"@type": "PostalAddress", "addressLocality": city}
    if profile.languages:
        person["knowsLanguage"] = list(profile.languages)
    page.add_ld(person)
    page.add_ld(_item_list(lang, data.gigs.cards))
    return _render("public_seller.html", page, data=data, profile=profile, city=city, app_url=f"/sellers/{profile.id}")


def category_page(data: CategoryPage, lang: str, landings: Sequence[Landing]) -> str:
    category = data.category
    path = urls.category(lang, category.slug, data.gigs.page)
    crumbs = [_home_crumb(lang)]
    if data.parent:
        crumbs.append((_name(data.parent, lang), urls.category(lang, data.parent.slug)))
    crumbs.append((_name(category, lang), urls.category(lang, category.slug)))
    suffix = translate("seo.page_suffix", lang, page=data.gigs.page) if data.gigs.page > 1 else ""
    description = category.description_en if lang == "en" and category.description_en else category.description_ar
    page = _Page(
        lang,
        path,
        title=translate("seo.category_title", lang, name=_name(category, lang), count=data.gigs.total) + suffix,
        description=translate("seo.category_description", lang, name=_name(category, lang), count=data.gigs.total, text=description) + suffix,
        crumbs=crumbs,
    )
    page.add_ld({"@type": "CollectionPage", "name": page.title, "url": page.canonical, "mainEntity": _item_list(lang, data.gigs.cards)})
    return _render(
        "public_category.html",
        page,
        data=data,
        category=category,
        description=description,
        landings=[item for item in landings if item.indexed and item.category.id == category.id],
        app_url=f"/category/{category.slug}",
    )


def landing_name(item: Landing, lang: str) -> str:
    return translate(f"seo.landing_{item.kind}", lang, category=_name(item.category, lang), place=_name(item.facet, lang))


def landing_faq(data: LandingPage, lang: str) -> list[tuple[str, str]]:
    """Questions answered from the page's own numbers (prices, days, ratings, sellers)."""
    subject = landing_name(data.landing, lang)
    pairs = [
        (
            translate("seo.faq_price_q", lang, subject=subject),
            translate(
                "seo.faq_price_a", lang, count=data.landing.count, subject=subject,
                min=money(data.price_min, data.currency, lang), median=money(data.price_median, data.currency, lang),
            ),
        ),
        (
            translate("seo.faq_days_q", lang, subject=subject),
            translate("seo.faq_days_a", lang, min=data.days_min, median=data.days_median),
        ),
    ]
    if data.rating.count and data.rating.overall is not None:
        pairs.append(
            (translate("seo.faq_rating_q", lang, subject=subject), translate("seo.faq_rating_a", lang, average=f"{data.rating.overall:.1f}", count=data.rating.count))
        )
    names = list(dict.fromkeys(card.seller_name for card in data.cards))[:3]
    if names:
        pairs.append((translate("seo.faq_who_q", lang, subject=subject), translate("seo.faq_who_a", lang, names="، ".join(names) if lang == "ar" else ", ".join(names))))
    return pairs


def landing_page(data: LandingPage, lang: str) -> str:
    item = data.landing
    path = urls.landing(lang, item.category.slug, item.kind, item.facet.slug)
    name = landing_name(item, lang)
    page = _Page(
        lang,
        path,
        title=translate("seo.landing_title", lang, name=name, count=item.count),
        description=translate(
            "seo.landing_description", lang, name=name, count=item.count, min=money(data.price_min, data.currency, lang), days=data.days_min
        ),
        image=data.cards[0].cover_url if data.cards and data.cards[0].cover_url else "",
        crumbs=[_home_crumb(lang), (_name(item.category, lang), urls.category(lang, item.category.slug)), (name, path)],
    )
    faq = landing_faq(data, lang)
    page.add_ld({"@type": "CollectionPage", "name": name, "url": page.canonical, "mainEntity": _item_list(lang, data.cards)})
    page.add_ld(_faq_ld(faq))
    return _render("public_landing.html", page, data=data, item=item, heading=name, faq=faq)


def home_page(data: HomePage, lang: str, landings: Sequence[Landing]) -> str:
    niche = get_niche()
    page = _Page(
        lang,
        urls.home(lang),
        title=translate("seo.home_title", lang, niche=niche.name_en if lang == "en" else niche.name_ar),
        description=niche.tagline_en if lang == "en" else niche.tagline_ar,
    )
    page.add_ld({"@type": "WebSite", "name": translate("seo.site_name", lang), "url": page.canonical, "inLanguage": lang})
    return _render(
        "public_home.html",
        page,
        data=data,
        niche_name=niche.name_en if lang == "en" else niche.name_ar,
        tagline=niche.tagline_en if lang == "en" else niche.tagline_ar,
        landings=[item for item in landings if item.indexed][:24],
    )


def missing_page(lang: str, *, gone: bool) -> str:
    key = "seo.gone" if gone else "seo.not_found"
    page = _Page(lang, urls.home(lang), title=translate(f"{key}_title", lang), description=translate(key, lang), noindex=True)
    return _render("public_missing.html", page, message=translate(key, lang))

"""Public URLs: language-prefixed, readable, absolute where a crawler needs them (MIHAN_BASE_URL)."""

from __future__ import annotations

from app.core.settings import get_settings
from app.seo.slugs import id_slug, url_path

LANGS = ("ar", "en")
FACET_SEGMENT = {"city": "cities", "dialect": "dialects"}


def home(lang: str) -> str:
    return f"/{lang}/"


def gig(lang: str, gig_id: int, title: str) -> str:
    return f"/{lang}/gigs/{id_slug(gig_id, title)}"


def seller(lang: str, seller_id: int, name: str) -> str:
    return f"/{lang}/sellers/{id_slug(seller_id, name)}"


def category(lang: str, slug: str, page: int = 1) -> str:
    return f"/{lang}/categories/{slug}" + (f"?page={page}" if page > 1 else "")


def landing(lang: str, category_slug: str, kind: str, facet_slug: str) -> str:
    return f"/{lang}/categories/{category_slug}/{FACET_SEGMENT[kind]}/{facet_slug}"


def other_lang(path: str, lang: str) -> str:
    """The same page in ``lang`` (every public path starts with its language)."""
    return f"/{lang}/" + path.split("/", 2)[2]


def absolute(path: str) -> str:
    return get_settings().base_url + url_path(path)

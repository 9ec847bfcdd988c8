"""The sitemap index and its per-type sitemaps, and robots.txt, computed from the data.

``/sitemap.xml`` lists ``/sitemaps/gigs-<n>.xml`` (GIGS_PER_FILE gigs each, so a file stays far
under the protocol's 50 000 URLs), ``sellers.xml``, ``categories.xml`` (with the two home pages)
and ``landings.xml``. Every URL is listed in Arabic and English with its hreflang alternates;
``lastmod`` is the newest change of what the page shows. They are served through the page cache,
so they are recomputed only after the content version moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from sqlmodel import Session

from app.seo import landing, queries, urls

GIGS_PER_FILE = 2000
TYPES = ("sellers", "categories", "landings")
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'

# Private areas of the interactive app and the plain HTTP routes no crawler should walk.
DISALLOWED = (
    "/account", "/orders", "/seller/", "/wallet", "/admin", "/checkout", "/favourites", "/sandbox",
    "/reset-password", "/verify-email", "/files/", "/payments/", "/_event", "/_upload", "/login", "/signup",
    "/forgot-password", "/search", "/gig/", "/sellers/", "/buyers/", "/category/",
)


def _date(value: datetime | None) -> str:
    return value.date().isoformat() if value is not None else ""


def _later(values: Iterable[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present, key=lambda v: v.replace(tzinfo=None)) if present else None


def _url(path_of: object, lastmod: datetime | None) -> str:
    """One ``<url>`` per language, each naming both languages as alternates."""
    paths = {lang: path_of(lang) for lang in urls.LANGS}  # type: ignore[operator]
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(urls.absolute(path))}/>' for lang, path in paths.items()
    ) + f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(urls.absolute(paths["ar"]))}/>'
    date = f"<lastmod>{_date(lastmod)}</lastmod>" if lastmod else ""
    return "".join(f"<url><loc>{escape(urls.absolute(path))}</loc>{date}{links}</url>\n" for path in paths.values())


def index(session: Session) -> str:
    """The sitemap index, each sitemap with its newest lastmod."""
    chunks = queries.gig_chunk_lastmods(session, GIGS_PER_FILE) or [None]
    names = [f"gigs-{n}" for n in range(1, len(chunks) + 1)]
    lastmods = dict(zip(names, chunks))
    lastmods["sellers"] = _later(e.lastmod for e in queries.seller_entries(session))
    lastmods["categories"] = _later(e.lastmod for e in queries.category_entries(session))
    lastmods["landings"] = _later(item.lastmod for item in landing.list_landings(session) if item.indexed)
    body = "".join(
        f"<sitemap><loc>{escape(urls.absolute(f'/sitemaps/{name}.xml'))}</loc>"
        + (f"<lastmod>{_date(lastmods[name])}</lastmod>" if lastmods[name] else "")
        + "</sitemap>\n"
        for name in [*names, *TYPES]
    )
    return _HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</sitemapindex>\n"


def sitemap(session: Session, name: str) -> str | None:
    """One per-type sitemap; ``None`` for a name that is not one."""
    if name.startswith("gigs-"):
        number = name.removeprefix("gigs-")
        if not number.isascii() or not number.isdigit() or len(number) > 6 or int(number) < 1:
            return None
        entries = queries.gig_entries(session, offset=(int(number) - 1) * GIGS_PER_FILE, limit=GIGS_PER_FILE)
        if not entries and number != "1":
            return None
        body = "".join(_url(lambda lang, e=e: urls.gig(lang, int(e.key), e.text), e.lastmod) for e in entries)
    elif name == "sellers":
        body = "".join(_url(lambda lang, e=e: urls.seller(lang, int(e.key), e.text), e.lastmod) for e in queries.seller_entries(session))
    elif name == "categories":
        entries = queries.category_entries(session)
        body = _url(urls.home, _later(e.lastmod for e in entries))
        body += "".join(_url(lambda lang, e=e: urls.category(lang, str(e.key)), e.lastmod) for e in entries)
    elif name == "landings":
        body = "".join(
            _url(lambda lang, i=item: urls.landing(lang, i.category.slug, i.kind, i.facet.slug), item.lastmod)
            for item in landing.list_landings(session)
            if item.indexed
        )
    else:
        return None
    return _HEAD + _URLSET + body + "</urlset>\n"


def robots() -> str:
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in DISALLOWED), "", f"Sitemap: {urls.absolute('/sitemap.xml')}", ""]
    return "\n".join(lines)

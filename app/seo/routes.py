"""Starlette routes of the public pages, mounted before Reflex's app (app/http.py), so these
paths are answered here on the single port and never by the frontend's catch-all.

Each handler runs its database work in a worker thread (the event loop is shared with Reflex),
reads the content version, and serves the cached rendering when it was made at that version.
A wrong or missing slug is a 301 to the canonical URL; an unknown page is a 404 and a gig that is
no longer live a 410, both with an HTML page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from app.core.db import reading
from app.seo import landing, queries, render, sitemap, urls
from app.seo.cache import PAGES, Rendered, content_version
from app.seo.queries import PageMissing
from app.seo.slugs import id_slug, parse_id_slug

HTML_CACHE = "public, max-age=60"
CSS = __file__.rsplit("/", 1)[0] + "/site.css"
XML = "application/xml; charset=utf-8"


def _html(body: str, status: int = 200) -> Rendered:
    return Rendered(status=status, body=body.encode())


def _redirect(path: str) -> Rendered:
    return Rendered(status=301, body=b"", location=urls.url_path(path))


def _serve(key: str, lang: str, build: Callable[[Session], Rendered]) -> Rendered:
    with reading() as session:
        version = content_version(session)
        page = PAGES.get(key, version)
        if page is None:
            try:
                page = build(session)
            except PageMissing as missing:
                page = _html(render.missing_page(lang, gone=missing.gone), 410 if missing.gone else 404)
            if page.status != 404:  # any path may be asked for: unknown ones must not evict real pages
                PAGES.put(key, version, page)
        return page


def _respond(page: Rendered) -> Response:
    if page.location:
        return RedirectResponse(page.location, status_code=page.status)
    return Response(page.body, status_code=page.status, media_type=page.media_type, headers={"Cache-Control": HTML_CACHE})


async def _answer(request: Request, build: Callable[[Session], Rendered], key: str = "") -> Response:
    """Serve ``build``'s page, cached under ``key`` (default: the path; query strings such as
    tracking parameters never make another copy)."""
    lang = request.url.path.split("/", 2)[1] if request.url.path.startswith(("/ar/", "/en/")) else "ar"
    return _respond(await run_in_threadpool(_serve, key or request.url.path, lang, build))


def _id_page(kind: str, lang: str, key: str, load: Callable[[Session, int], object], title_of: Callable[[object], str], draw: Callable[[object, str], str]) -> Callable[[Session], Rendered]:
    def build(session: Session) -> Rendered:
        parsed = parse_id_slug(key)
        if parsed is None:
            raise PageMissing("seo.not_found")
        item_id, slug = parsed
        data = load(session, item_id)
        canonical = id_slug(item_id, title_of(data))
        if key != canonical:
            return _redirect(f"/{lang}/{kind}/{canonical}")
        return _html(draw(data, lang))

    return build


async def gig(request: Request) -> Response:
    lang, key = request.path_params["lang"], request.path_params["key"]
    build = _id_page("gigs", lang, key, queries.get_gig_page, lambda d: d.detail.card.title, render.gig_page)  # type: ignore[attr-defined, arg-type]
    return await _answer(request, build)


async def seller(request: Request) -> Response:
    lang, key = request.path_params["lang"], request.path_params["key"]
    build = _id_page("sellers", lang, key, queries.get_seller_page, lambda d: d.profile.name, render.seller_page)  # type: ignore[attr-defined, arg-type]
    return await _answer(request, build)


def _page_number(request: Request) -> int | None:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else None


async def category(request: Request) -> Response:
    lang, slug = request.path_params["lang"], request.path_params["slug"]
    number = _page_number(request)
    if number == 1 and request.url.query:  # ?page=1, tracking parameters: one canonical URL
        return RedirectResponse(urls.url_path(urls.category(lang, slug)), status_code=301)

    def build(session: Session) -> Rendered:
        if number is None:
            raise PageMissing("seo.not_found")
        data = queries.get_category_page(session, slug, number)
        return _html(render.category_page(data, lang, landing.list_landings(session)))

    return await _answer(request, build, key=f"{request.url.path}?page={number}")


async def landing_page(request: Request) -> Response:
    params = request.path_params
    kind = {segment: kind for kind, segment in urls.FACET_SEGMENT.items()}.get(params["facets"])

    def build(session: Session) -> Rendered:
        if kind is None:
            raise PageMissing("seo.not_found")
        data = landing.get_landing_page(session, category_slug=params["slug"], kind=kind, facet_slug=params["facet"])
        return _html(render.landing_page(data, params["lang"]))

    return await _answer(request, build)


async def home(request: Request) -> Response:
    lang = request.path_params["lang"]
    return await _answer(request, lambda session: _html(render.home_page(queries.get_home_page(session), lang, landing.list_landings(session))))


async def to_home(request: Request) -> Response:
    return RedirectResponse(urls.home(request.path_params["lang"]), status_code=301)


def _xml(text: str | None) -> Rendered:
    if text is None:
        raise PageMissing("seo.not_found")
    return Rendered(status=200, body=text.encode(), media_type=XML)


async def sitemap_index(request: Request) -> Response:
    return await _answer(request, lambda session: _xml(sitemap.index(session)))


async def sitemap_file(request: Request) -> Response:
    name = request.path_params["name"]
    return await _answer(request, lambda session: _xml(sitemap.sitemap(session, name)))


async def robots(_request: Request) -> Response:
    return Response(sitemap.robots(), media_type="text/plain; charset=utf-8", headers={"Cache-Control": HTML_CACHE})


async def stylesheet(_request: Request) -> FileResponse:
    return FileResponse(CSS, media_type="text/css", headers={"Cache-Control": "public, max-age=86400"})


PAGES_BY_PATH = (
    ("/", "home", home),
    ("/gigs/{key}", "gig", gig),
    ("/sellers/{key}", "seller", seller),
    ("/categories/{slug}", "category", category),
    ("/categories/{slug}/{facets}/{facet}", "landing", landing_page),
)


def public_routes() -> list[BaseRoute]:
    """The public pages in both languages, the sitemaps, robots.txt and the stylesheet."""
    routes: list[BaseRoute] = [
        Route("/robots.txt", robots),
        Route("/sitemap.xml", sitemap_index),
        Route("/sitemaps/{name}.xml", sitemap_file),
        Route("/seo/site.css", stylesheet),
    ]
    for lang in urls.LANGS:
        routes += [Route(f"/{lang}{path}", _with_lang(endpoint, lang), name=f"seo_{name}_{lang}") for path, name, endpoint in PAGES_BY_PATH]
        routes.append(Route(f"/{lang}", _with_lang(to_home, lang), name=f"seo_to_home_{lang}"))
    return routes


def _with_lang(endpoint: Callable[[Request], Awaitable[Response]], lang: str) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint with ``lang`` among its path parameters (each language has its own routes)."""

    async def handler(request: Request) -> Response:
        request.scope["path_params"] = {**request.path_params, "lang": lang}
        return await endpoint(request)

    return handler

"""The server-rendered public pages, fetched with a plain HTTP client (no JavaScript) through the
Starlette app the single-port server mounts, on SQLite and Postgres."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app import reviews
from app.catalog import change_status, parse_gig, update_gig
from app.core import db
from app.core.settings import get_settings
from app.http import build_routes
from app.seo import cache
from app.seo.cache import PAGES
from models.catalog import Gig, GigFaq
from tests.integration.orderkit import act, completed, now, shop  # noqa: F401  (fixtures)
from tests.integration.test_catalog_state import make_gig, make_seller

GOOD = {"overall": 4, "communication": 5, "quality": 4, "on_time": 5}


@pytest.fixture
def client() -> Iterator[TestClient]:
    cache.clear()  # each test's database restarts the content version
    with TestClient(build_routes(), follow_redirects=False) as http:
        yield http
    cache.clear()


def fetch(client: TestClient, path: str) -> tuple[int, str, str]:
    """GET ``path``, following one canonical redirect: (status, final path, body)."""
    response = client.get(path)
    if response.status_code == 301:
        path = unquote(response.headers["location"])
        response = client.get(path)
    return response.status_code, path, response.text


def json_ld(html: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def of_type(html: str, kind: str) -> dict:  # type: ignore[type-arg]
    (found,) = [block for block in json_ld(html) if block["@type"] == kind]
    return found


class _Text(HTMLParser):
    """The visible text of a page: what is inside <body>, outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._body = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._body = self._body or tag == "body"
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self._body and not self._skip:
            self.parts.append(data)


def visible_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts).split()


def shingles(words: list[str], size: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b)


def review_order(shop: dict[str, int], **ratings: int) -> None:  # noqa: F811
    """A completed order reviewed by both sides, so both reviews are revealed."""
    order_id = completed(shop)
    act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], text="صوت رائع وتسليم سريع", **{**GOOD, **ratings})
    act(reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5, text="مشترٍ واضح")


def test_gig_page_is_crawlable_arabic_html_with_structured_data(shop: dict[str, int], client: TestClient) -> None:  # noqa: F811
    # given a live gig with two packages and a FAQ, and no revealed review yet
    with db.transaction() as session:
        session.add(GigFaq(gig_id=shop["gig"], position=0, question="هل تسجل بالفصحى؟", answer="نعم، وبالنجدية."))
    # when a crawler asks for it by id alone
    status, path, html = fetch(client, f"/ar/gigs/{shop['gig']}")
    # then it is redirected to the readable canonical URL and gets the whole page as HTML
    assert status == 200
    assert path == f"/ar/gigs/{shop['gig']}-تعليق-صوتي-احترافي-لإعلانك-باللهجة-النجدية"
    assert '<html lang="ar" dir="rtl">' in html
    assert "<title>تعليق صوتي احترافي لإعلانك باللهجة النجدية — فهد العتيبي | مِهَن</title>" in html
    assert "<h1>تعليق صوتي احترافي لإعلانك باللهجة النجدية</h1>" in html
    base = get_settings().base_url
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)  # type: ignore[union-attr]
    assert canonical.startswith(base) and unquote(urlsplit(canonical).path) == path
    hreflang = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(hreflang) == {"ar", "en", "x-default"}
    assert unquote(hreflang["en"]).endswith(path.replace("/ar/", "/en/", 1)) and hreflang["x-default"] == canonical
    assert re.search(r'<meta property="og:image" content="https?://[^"]+">', html)
    service = of_type(html, "Service")
    cheapest = service["offers"][0]
    assert (cheapest["price"], cheapest["priceCurrency"]) == ("100.00", "SAR")
    assert min(float(o["price"]) for o in service["offers"]) == 100.0
    assert service["provider"] == {"@type": "Person", "name": "فهد العتيبي", "url": f"{base}/ar/sellers/{shop['seller']}-فهد-العتيبي".replace("فهد-العتيبي", "%D9%81%D9%87%D8%AF-%D8%A7%D9%84%D8%B9%D8%AA%D9%8A%D8%A8%D9%8A")}
    assert "aggregateRating" not in service and "review" not in service  # no revealed review: no score at all
    assert of_type(html, "FAQPage")["mainEntity"][0]["name"] == "هل تسجل بالفصحى؟"
    assert [item["name"] for item in of_type(html, "BreadcrumbList")["itemListElement"]] == ["الرئيسية", "إعلانات", "تعليق صوتي احترافي لإعلانك باللهجة النجدية"]
    assert of_type(html, "Organization")["url"] == f"{base}/"
    assert f'href="/gig/{shop["gig"]}"' in html  # ordering happens in the interactive app


def test_rating_appears_once_reviews_are_revealed_and_equals_them(shop: dict[str, int], client: TestClient) -> None:  # noqa: F811
    # given a buyer review still hidden (the seller has not reviewed yet)
    order_id = completed(shop)
    act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], text="صوت رائع", **GOOD)
    html = fetch(client, f"/ar/gigs/{shop['gig']}")[2]
    assert "aggregateRating" not in of_type(html, "Service") and "صوت رائع" not in html
    # when the seller's review reveals both
    act(reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5, text="مشترٍ واضح")
    html = fetch(client, f"/ar/gigs/{shop['gig']}")[2]
    # then the page (re-rendered: the content version moved) carries exactly the revealed one
    service = of_type(html, "Service")
    assert service["aggregateRating"]["reviewCount"] == 1 and service["aggregateRating"]["ratingValue"] == 4
    assert [r["reviewRating"]["ratingValue"] for r in service["review"]] == [4]
    assert "صوت رائع" in html


def test_english_page_has_its_own_url(shop: dict[str, int], client: TestClient) -> None:  # noqa: F811
    status, path, html = fetch(client, f"/en/gigs/{shop['gig']}")
    assert status == 200 and path.startswith("/en/gigs/")
    assert '<html lang="en" dir="ltr">' in html and "Packages" in html


def test_missing_and_gone_pages(shop: dict[str, int], client: TestClient) -> None:  # noqa: F811
    assert client.get("/ar/gigs/999999").status_code == 404
    assert client.get("/ar/gigs/abc").status_code == 404
    assert client.get("/ar/sellers/999999").status_code == 404
    assert client.get("/ar/categories/no-such-category").status_code == 404
    assert client.get("/ar/categories/ads?page=99").status_code == 404
    wrong = client.get(f"/ar/gigs/{shop['gig']}-slug-qadim")
    assert wrong.status_code == 301 and "/ar/gigs/" in wrong.headers["location"]
    gig_path = fetch(client, f"/ar/gigs/{shop['gig']}")[1]
    assert gig_path in sitemap_paths(client)
    # when the seller pauses the gig
    act(change_status, seller_id=shop["seller"], gig_id=shop["gig"], action="pause")
    # then its page is gone (410, with an HTML page) and it leaves the sitemap
    response = client.get(gig_path)
    assert response.status_code == 410 and '<html lang="ar" dir="rtl">' in response.text and "noindex" in response.text
    assert gig_path not in sitemap_paths(client)


def sitemap_paths(client: TestClient) -> set[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index.headers["content-type"].startswith("application/xml")
    paths: set[str] = set()
    for loc in re.findall(r"<loc>([^<]+)</loc>", index.text):
        part = client.get(urlsplit(loc).path)
        assert part.status_code == 200
        paths |= {unquote(urlsplit(url).path) for url in re.findall(r"<loc>([^<]+)</loc>", part.text)}
    return paths


def test_every_sitemap_url_answers_and_robots_points_at_it(shop: dict[str, int], client: TestClient) -> None:  # noqa: F811
    paths = sitemap_paths(client)
    assert {"/ar/", "/en/", "/ar/categories/ads", "/en/categories/ads"} <= paths
    assert any(p.startswith("/ar/sellers/") for p in paths)
    for path in paths:
        assert client.get(path).status_code == 200, path
    robots = client.get("/robots.txt").text
    assert "Allow: /\n" in robots and f"Sitemap: {get_settings().base_url}/sitemap.xml" in robots
    for private in ("/account", "/orders", "/wallet", "/admin", "/checkout", "/files/", "/payments/"):
        assert f"Disallow: {private}\n" in robots


CITY_GIGS = {
    "riyadh": ["إعلان إذاعي بصوت سعودي جهوري", "فويس اوفر لإعلانات العقار الفاخرة", "صوت نسائي نجدي لإعلانات المطاعم", "إعلانات سناب شات بصوت شبابي"],
    "jeddah": ["تعليق صوتي حجازي لإعلانات المقاهي", "إعلانات تلفزيونية بصوت رخيم", "صوت بنت جداوية لإعلانات الأزياء"],
    "dammam": ["إعلان صوتي للمعارض التجارية", "برومو إذاعي للحملات الموسمية"],  # two gigs: too thin for a page
}


@pytest.fixture
def landings(migrated_database: str) -> dict[str, int]:
    sellers = {city: make_seller(f"{city}@example.com", name) for city, name in (("riyadh", "نايف الحربي"), ("jeddah", "هالة باعشن"), ("dammam", "سلمان الدوسري"))}
    ids = {}
    for city, titles in CITY_GIGS.items():
        for n, title in enumerate(titles):
            ids[title] = make_gig(sellers[city], title, city=city, dialect="najdi" if city == "riyadh" else None, price=str(100 + 50 * n), days=2 + n, tags=(title.split()[0], city))
    return ids


def test_landing_pages_only_with_enough_content_and_never_near_duplicates(landings: dict[str, int], client: TestClient) -> None:
    generated = {p for p in sitemap_paths(client) if "/cities/" in p or "/dialects/" in p}
    # Riyadh and Jeddah have enough gigs; Dammam has two; the Najdi page would show Riyadh's gigs again
    assert generated == {f"/{lang}/categories/ads/cities/{city}" for lang in ("ar", "en") for city in ("riyadh", "jeddah")}
    assert client.get("/ar/categories/ads/cities/dammam").status_code == 404
    assert client.get("/ar/categories/ads/dialects/najdi").status_code == 404
    assert "/ar/categories/ads/cities/dammam" not in client.get("/ar/categories/ads").text
    status, _, html = fetch(client, "/ar/categories/ads/cities/riyadh")
    assert status == 200 and "<h1>إعلانات في الرياض</h1>" in html
    faq = of_type(html, "FAQPage")["mainEntity"]
    price = faq[0]["acceptedAnswer"]["text"]
    assert "100.00" in price and "150.00" in price  # minimum and (lower) median of 100, 150, 200, 250
    assert all(title in html for title in CITY_GIGS["riyadh"])
    texts = {path: shingles(visible_words(fetch(client, path)[2])) for path in generated}
    for a in texts:
        for b in texts:
            if a < b:
                assert jaccard(texts[a], texts[b]) <= 0.5, (a, b, jaccard(texts[a], texts[b]))


def test_cache_serves_until_a_gig_changes(shop: dict[str, int], client: TestClient) -> None:  # noqa: F811
    path = fetch(client, f"/ar/gigs/{shop['gig']}")[1]
    hits = PAGES.hits
    assert client.get(path).status_code == 200 and PAGES.hits == hits + 1  # unchanged: served from the cache
    # when the seller raises the basic package's price
    data = parse_gig({
        "title": "تعليق صوتي احترافي لإعلانك باللهجة النجدية", "category": "ads",
        "description": "تسجيل احترافي في استوديو معزول مع تنقية الصوت والمونتاج، وتسليم بصيغ عالية الجودة جاهزة للنشر. **جودة مضمونة**.",
        "packages": [{"tier": "basic", "name": "أساسية", "price": "120", "delivery_days": 2}],
    })
    with db.transaction() as session:
        title = session.exec(select(Gig.title).where(Gig.id == shop["gig"])).one()
        assert title
        update_gig(session, seller_id=shop["seller"], gig_id=shop["gig"], data=data)
    # then the next request renders the new price
    html = client.get(path).text
    assert of_type(html, "Service")["offers"][0]["price"] == "120.00"


def test_demo_landing_pages_are_distinct(migrated_database: str, client: TestClient) -> None:
    """On the realistic demo catalogue (168 gigs, 30 sellers), every generated page differs."""
    from app.demo import seed_demo

    with db.transaction() as session:
        seed_demo(session)
    paths = sorted(p for p in sitemap_paths(client) if p.startswith("/ar/categories/") and p.count("/") == 5)
    assert len(paths) >= 10
    texts = {path: shingles(visible_words(client.get(path).text)) for path in paths}
    worst = max((jaccard(texts[a], texts[b]), a, b) for a in paths for b in paths if a < b)
    assert worst[0] <= 0.5, worst


def test_cli_lists_the_landing_pages(landings: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    cache.clear()
    # when the founder lists the landing pages
    assert main(["seo", "pages", "--json"]) == 0
    rows = {row["path"]: row for row in json.loads(capsys.readouterr().out)}
    # then every combination is there with its count and whether it is generated
    assert rows["/ar/categories/ads/cities/riyadh"] == {
        "path": "/ar/categories/ads/cities/riyadh", "category": "ads", "kind": "city", "facet": "riyadh", "gigs": 4, "status": "indexed", "indexed": True,
    }
    assert (rows["/ar/categories/ads/cities/dammam"]["status"], rows["/ar/categories/ads/cities/dammam"]["gigs"]) == ("thin", 2)
    assert rows["/ar/categories/ads/dialects/najdi"]["status"] == "duplicate"
    assert main(["seo", "pages"]) == 0
    assert "2 صفحة هبوط مولَّدة من 4 تركيبة (الحد الأدنى 3 خدمات)." in capsys.readouterr().out

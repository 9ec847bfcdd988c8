"""The real single-port server answers the public pages itself: plain HTTP, no JavaScript.

Reflex's frontend would answer these paths with its empty SPA shell (or its 404); the
Starlette routes mounted before it must win, and the interactive app must still be served.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urlsplit

import httpx

from app.seo.slugs import slugify
from tests.e2e.conftest import Server

GIG = {
    "ref": "seo-e2e-1",
    "seller": "seo-e2e@example.com",
    "title": "تعليق صوتي لإعلانات المتاجر بصوت نجدي دافئ",
    "category": "ads",
    "description": "أسجل إعلانك في استوديو منزلي معزول وأسلمه بصيغة WAV وMP3 خلال يومين.",
    "packages": [{"tier": "basic", "price": "150", "delivery_days": 2}],
}


def test_public_pages_are_server_rendered_html(server: Server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # given one imported gig on the real server
    lines = tmp_path / "gigs.jsonl"
    lines.write_text(json.dumps(GIG, ensure_ascii=False) + "\n", encoding="utf-8")
    server.cli("catalog", "import", str(lines))
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        # when a crawler reads the sitemap and follows it
        index = http.get("/sitemap.xml")
        assert index.status_code == 200 and "<sitemapindex" in index.text
        gigs = http.get(urlsplit(re.findall(r"<loc>([^<]+/gigs-1\.xml)</loc>", index.text)[0]).path)
        # (the shared server holds the other journeys' gigs too: follow this gig's own entry)
        slug = slugify(GIG["title"])
        gig_url = next(loc for loc in re.findall(r"<loc>([^<]+)</loc>", gigs.text) if "/ar/gigs/" in loc and unquote(loc).endswith(slug))
        assert gig_url.startswith(server.base_url)
        page = http.get(urlsplit(gig_url).path)
        # then the gig page is complete HTML from the server, not the app's empty shell
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<html lang="ar" dir="rtl">' in page.text
        assert f"<h1>{GIG['title']}</h1>" in page.text and "150.00" in page.text
        assert unquote(urlsplit(gig_url).path).endswith("تعليق-صوتي-لإعلانات-المتاجر-بصوت-نجدي-دافئ")
        for path in ("/ar/", "/en/", "/ar/categories/ads"):
            response = http.get(path)
            assert response.status_code == 200 and "<h1>" in response.text, path
        missing = http.get("/ar/gigs/987654")
        assert missing.status_code == 404 and '<html lang="ar" dir="rtl">' in missing.text
        assert "Sitemap: " in http.get("/robots.txt").text
        assert http.get("/seo/site.css").headers["content-type"].startswith("text/css")
        # and the interactive app is still the one answering its own routes
        assert "<title>مِهَن" in http.get("/").text

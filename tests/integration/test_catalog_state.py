"""Browsing, search and the gig page through their real Reflex handlers, on SQLite and Postgres.

Gigs are made with the catalogue services (a seller signs up, turns seller, creates gigs that
are published), then each test opens a page the way the browser would: a ``Browser`` tab on
the URL, the page's on_load handler, and a look at the display vars it filled.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from sqlmodel import select

from app import catalog
from app.accounts import SignUpInput
from app.accounts.profile import become_seller
from app.accounts.registration import create_user
from app.core import db
from models.accounts import Role, SellerProfile
from models.catalog import Category, City, Dialect, GigStatus
from state.catalog import CatalogState
from state.gig import GigState
from tests.integration.statekit import Browser, add_session, ar, fast_password_hashing, redirects

PER_PAGE = 24


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_password_hashing(monkeypatch)


# -- data -----------------------------------------------------------------------------------

CATEGORIES = [("ads", "إعلانات", "Ads"), ("audiobooks", "كتب صوتية", "Audiobooks"), ("ivr", "رد آلي", "IVR")]
CITIES = [("riyadh", "الرياض", "Riyadh"), ("jeddah", "جدة", "Jeddah")]
DIALECTS = [("najdi", "نجدية", "Najdi"), ("hijazi", "حجازية", "Hijazi")]
DESCRIPTION = "تسجيل احترافي في استوديو معزول مع تنقية الصوت والمونتاج، وتسليم بصيغ عالية الجودة جاهزة للنشر. **جودة مضمونة**."


def seed_taxonomy() -> None:
    with db.transaction() as session:
        for model, rows in ((Category, CATEGORIES), (City, CITIES), (Dialect, DIALECTS)):
            for position, (slug, name_ar, name_en) in enumerate(rows):
                session.add(model(slug=slug, name_ar=name_ar, name_en=name_en, position=position))


def make_seller(email: str, name: str, *, level: str = "new") -> int:
    with db.transaction() as session:
        user = create_user(session, SignUpInput(name=name, email=email, password="seller-password-1"), role=Role.USER, verified=True)
        assert user.id is not None
        become_seller(session, user_id=user.id)
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == user.id)).one()
        profile.level = level
        session.add(profile)
        return user.id


def make_gig(
    seller_id: int,
    title: str,
    *,
    category: str = "ads",
    price: str = "150",
    days: int = 3,
    city: str | None = None,
    dialect: str | None = None,
    rating: tuple[int, int] = (0, 0),
    status: GigStatus = GigStatus.ACTIVE,
    packages: list[dict[str, Any]] | None = None,
    tags: tuple[str, ...] = ("تعليق صوتي", "إعلان"),
    rows: dict[str, Any] | None = None,
) -> int:
    data = catalog.parse_gig(
        {
            "title": title,
            "category": category,
            "description": DESCRIPTION,
            "tags": list(tags),
            "city": city,
            "dialect": dialect,
            "packages": packages or [{"tier": "basic", "name": "الباقة الأساسية", "price": price, "delivery_days": days}],
            **(rows or {}),
        }
    )
    with db.transaction() as session:
        gig = catalog.create_gig(session, seller_id=seller_id, data=data)
        if status != GigStatus.DRAFT:
            catalog.publish(session, gig)
        gig.status = status.value
        gig.rating_sum, gig.rating_count = rating[0], rating[1]
        session.add(gig)
        session.flush()
        assert gig.id is not None
        return gig.id


@pytest.fixture
def market(database: str) -> dict[str, int]:
    """Two sellers and a handful of gigs: voice-over ads, an audiobook, a paused and a draft gig."""
    seed_taxonomy()
    fahad = make_seller("fahad@example.com", "فهد العتيبي", level="top")
    noura = make_seller("noura@example.com", "نورة الشمري", level="level1")
    return {
        "fahad": fahad,
        "noura": noura,
        "ad_riyadh": make_gig(fahad, "تعليق صوتي احترافي لإعلانك باللهجة النجدية", price="150", days=2, city="riyadh",
                              dialect="najdi", rating=(48, 10)),
        "ad_jeddah": make_gig(noura, "تعليق صوتي حجازي دافئ للإعلانات والسوشال ميديا", price="80", days=5, city="jeddah",
                              dialect="hijazi", rating=(35, 10)),
        "ad_cheap": make_gig(noura, "تعليق صوتي سريع لإعلان قصير خلال يوم واحد", price="40", days=1, city="jeddah"),
        "audiobook": make_gig(fahad, "قراءة كتاب صوتي كامل بصوت رخيم وأداء درامي", category="audiobooks", price="900", days=14,
                              tags=("كتاب صوتي",)),
        "paused": make_gig(fahad, "تعليق صوتي لإعلان متوقف مؤقتًا عن البيع", status=GigStatus.PAUSED),
        "draft": make_gig(noura, "تعليق صوتي في مسودة لم تنشر بعد للمشترين", status=GigStatus.DRAFT),
    }


def open_search(url: str, **kwargs: Any) -> Any:
    tab = Browser(path=url, **kwargs)
    tab.call(CatalogState, "open_search")
    return tab.state(CatalogState)


def ids(state: Any) -> set[int]:
    return {int(card["id"]) for card in state.results}


# -- search ---------------------------------------------------------------------------------


def test_search_shows_the_matching_active_gigs_as_display_cards(market: dict[str, int]) -> None:
    # given active, paused and draft gigs that all say تعليق
    # when a visitor searches for it
    state = open_search(f"/search?q={quote('تعليق')}")
    # then only the active matches are shown, counted and paged
    assert ids(state) == {market["ad_riyadh"], market["ad_jeddah"], market["ad_cheap"]}
    assert (state.total, state.page, state.pages, state.query) == (3, 1, 1, "تعليق")
    assert state.loaded and not state.not_found
    # and each card is plain strings, ready for display in both languages
    card = next(c for c in state.results if c["id"] == str(market["ad_riyadh"]))
    assert all(isinstance(value, str) for c in state.results for value in c.values())
    assert card["href"] == f"/gig/{market['ad_riyadh']}"
    assert card["seller_name"] == "فهد العتيبي" and card["level"] == "top" and card["level_ar"] == ar("level.top")
    assert "150" in card["price_ar"] and "ر.س" in card["price_ar"] and "SAR" in card["price_en"]
    assert (card["rating"], card["rating_count"]) == ("4.8", "10")
    assert card["days_ar"] == ar("catalog.days_two")
    assert (card["category_ar"], card["city_ar"], card["city_en"]) == ("إعلانات", "الرياض", "Riyadh")
    # and the filter lists come from the taxonomy
    assert [c["slug"] for c in state.categories] == ["ads", "audiobooks", "ivr"]
    assert [c["slug"] for c in state.cities] == ["riyadh", "jeddah"]
    assert [d["name_ar"] for d in state.dialects] == ["نجدية", "حجازية"]


def test_search_without_a_query_lists_every_active_gig(market: dict[str, int]) -> None:
    state = open_search("/search")
    assert ids(state) == {market["ad_riyadh"], market["ad_jeddah"], market["ad_cheap"], market["audiobook"]}
    assert state.query == "" and state.total == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("city=riyadh", {"ad_riyadh"}),
        ("city=jeddah&dialect=hijazi", {"ad_jeddah"}),
        ("max=100", {"ad_jeddah", "ad_cheap"}),
        ("min=50&max=100", {"ad_jeddah"}),
        ("min=100&max=50", {"ad_jeddah"}),  # reversed bounds are swapped, not an empty page
        ("days=1", {"ad_cheap"}),
        ("rating=4", {"ad_riyadh"}),
        ("level=level1", {"ad_jeddah", "ad_cheap"}),
        ("category=audiobooks", set()),
        ("min=%D9%A5%D9%A0&max=%D9%A1%D9%A0%D9%A0", {"ad_jeddah"}),  # Arabic-Indic digits: ٥٠ to ١٠٠
    ],
)
def test_search_filters_narrow_the_results(market: dict[str, int], params: str, expected: set[str]) -> None:
    # given the market
    # when a search comes with filters
    state = open_search(f"/search?q={quote('تعليق')}&{params}")
    # then only the gigs that pass them are shown
    assert ids(state) == {market[name] for name in expected}


def test_filters_without_a_query_browse_the_catalogue(market: dict[str, int]) -> None:
    state = open_search("/search?category=audiobooks&sort=price_desc")
    assert ids(state) == {market["audiobook"]}
    assert (state.category, state.sort) == ("audiobooks", "price_desc")


@pytest.mark.parametrize(
    ("sort", "first"),
    [("price_asc", "ad_cheap"), ("price_desc", "ad_riyadh"), ("rating", "ad_riyadh")],
)
def test_sorts_reorder_the_results(market: dict[str, int], sort: str, first: str) -> None:
    state = open_search(f"/search?q={quote('تعليق')}&sort={sort}")
    assert int(state.results[0]["id"]) == market[first]
    assert state.sort == sort


JUNK_URLS = [
    "/search?min=abc&max=-5&days=999&rating=9&level=boss&sort=evil&page=zero&category=nope&city=%3Cscript%3E&dialect=x",
    "/search?min=1e9&max=0x10&days=1.5&rating=-1&page=-3&sort=price_asc%00",
    "/search?q=%00%01&page=99999999999999999999&min=%F0%9F%98%80",
    "/search?category=ads%27%20OR%201%3D1%20--&city[]=riyadh&level=TOP",
]


@pytest.mark.parametrize("url", JUNK_URLS)
def test_junk_query_parameters_are_ignored(market: dict[str, int], url: str) -> None:
    # given a hand-made URL full of junk
    # when the search page opens
    state = open_search(url)
    # then nothing is filtered: the whole active catalogue, page one, nothing echoed back
    assert ids(state) == {market["ad_riyadh"], market["ad_jeddah"], market["ad_cheap"], market["audiobook"]}
    assert (state.page, state.sort, state.query) == (1, "best", "")
    assert [state.category, state.city, state.dialect, state.min_price, state.max_price, state.max_days,
            state.min_rating, state.level] == [""] * 8


def test_an_overlong_query_is_cut_to_a_hundred_characters(market: dict[str, int]) -> None:
    state = open_search("/search?q=" + quote("تعليق " * 60))
    assert len(state.query) <= 100 and state.query.startswith("تعليق")


def test_pagination_pages_through_the_results(database: str) -> None:
    # given more gigs than fit on one page
    seed_taxonomy()
    seller = make_seller("many@example.com", "بائع كثير الخدمات")
    made = [make_gig(seller, f"تعليق صوتي لإعلان رقم {n} بجودة عالية", price=str(20 + n)) for n in range(PER_PAGE + 3)]
    # when the first page opens
    first = open_search(f"/search?q={quote('تعليق')}&sort=price_asc&city=nowhere")
    # then it shows a full page and links to the next one with the same (clean) filters
    assert (first.total, first.page, first.pages, len(first.results)) == (PER_PAGE + 3, 1, 2, PER_PAGE)
    assert first.prev_href == ""
    assert first.next_href == f"/search?q={quote('تعليق')}&sort=price_asc&page=2"
    assert [int(c["id"]) for c in first.results] == made[:PER_PAGE]
    # when the next link is followed
    second = open_search(first.next_href)
    # then the rest is shown, with a link back to page one (which has no page parameter)
    assert (second.page, len(second.results), second.next_href) == (2, 3, "")
    assert [int(c["id"]) for c in second.results] == made[PER_PAGE:]
    assert second.prev_href == f"/search?q={quote('تعليق')}&sort=price_asc"
    # and a page past the end shows the last page
    assert open_search(f"/search?q={quote('تعليق')}&sort=price_asc&page=40").page == 2
    # browsing without a query pages in SQL the same way
    browse = open_search("/search?sort=price_asc&page=2")
    assert [int(c["id"]) for c in browse.results] == made[PER_PAGE:]


def test_no_results_leave_an_empty_page(market: dict[str, int]) -> None:
    state = open_search(f"/search?q={quote('طبخ')}")
    assert state.results == [] and state.total == 0 and state.pages == 1 and state.loaded
    assert state.clear_href == f"/search?q={quote('طبخ')}"


# -- category pages -------------------------------------------------------------------------


def open_category(path: str, **kwargs: Any) -> Any:
    tab = Browser(path=path, **kwargs)
    tab.call(CatalogState, "open_category")
    return tab.state(CatalogState)


def test_category_page_lists_its_active_gigs_under_its_name(market: dict[str, int]) -> None:
    state = open_category("/category/ads")
    assert ids(state) == {market["ad_riyadh"], market["ad_jeddah"], market["ad_cheap"]}
    assert (state.category_ar, state.category_en, state.category) == ("إعلانات", "Ads", "ads")
    assert not state.not_found and state.base_path == "/category/ads"
    # with the same filters, sorting and links as the search page
    cheap = open_category("/category/ads?max=100&sort=price_asc&q=ignored")
    assert [int(c["id"]) for c in cheap.results] == [market["ad_cheap"], market["ad_jeddah"]]
    assert cheap.query == "" and cheap.clear_href == "/category/ads"
    assert cheap.filters_key == "/category/ads?max=100&sort=price_asc"


@pytest.mark.parametrize("path", ["/category/nope", "/category/", "/category/ADS", "/category/%3Cscript%3E", "/category/" + "a" * 300])
def test_unknown_category_shows_not_found(market: dict[str, int], path: str) -> None:
    state = open_category(path)
    assert state.not_found and state.loaded
    assert state.results == [] and state.total == 0


def test_an_inactive_category_is_not_found(market: dict[str, int]) -> None:
    with db.transaction() as session:
        ivr = session.exec(select(Category).where(Category.slug == "ivr")).one()
        ivr.is_active = False
        session.add(ivr)
    assert open_category("/category/ivr").not_found


# -- the filters form, the sort select, the header box --------------------------------------


@pytest.mark.parametrize(
    ("page", "form", "target"),
    [
        ("/search?q=x", {"q": "تعليق", "category": "any", "min": "50", "max": "", "days": "3", "rating": "any",
                         "level": "top", "city": "riyadh", "dialect": "any", "sort": "rating", "page": "7"},
         f"/search?q={quote('تعليق')}&min=50&days=3&level=top&city=riyadh&sort=rating"),
        ("/search", {"q": "<b>", "category": "ads'--", "min": "-1", "max": "1e5", "days": "0", "rating": "6",
                     "level": "boss", "city": ["riyadh"], "dialect": {"$ne": 1}, "sort": "drop table"},
         f"/search?q={quote('<b>')}"),
        ("/category/ads", {"category": "ads", "max": "100", "q": "ignored"}, "/category/ads?max=100"),
        ("/category/ads", {"category": "audiobooks", "days": "7"}, "/category/audiobooks?days=7"),
        ("/category/ads", {"category": "any", "level": "new"}, "/search?level=new"),
        ("/search", None, "/search"),
        ("/search", "junk", "/search"),
    ],
)
def test_apply_filters_redirects_to_a_clean_url(market: dict[str, int], page: str, form: Any, target: str) -> None:
    tab = Browser(path=page)
    result = tab.call(CatalogState, "apply_filters", form)
    assert redirects(result) == [target]


def test_sort_select_keeps_the_filters_and_goes_back_to_page_one(market: dict[str, int]) -> None:
    tab = Browser(path=f"/search?q={quote('تعليق')}&city=riyadh&page=2&bogus=1")
    assert redirects(tab.call(CatalogState, "sort_by", "price_desc")) == [f"/search?q={quote('تعليق')}&city=riyadh&sort=price_desc"]
    assert redirects(tab.call(CatalogState, "sort_by", "best")) == [f"/search?q={quote('تعليق')}&city=riyadh"]
    assert redirects(tab.call(CatalogState, "sort_by", {"$ne": 1})) == [f"/search?q={quote('تعليق')}&city=riyadh"]
    on_category = Browser(path="/category/ads?days=3")
    assert redirects(on_category.call(CatalogState, "sort_by", "newest")) == ["/category/ads?days=3&sort=newest"]


@pytest.mark.parametrize(
    ("form", "target"),
    [
        ({"q": "  تعليق   صوتي "}, f"/search?q={quote('تعليق صوتي')}"),
        ({"q": "a\u202eb\x00c"}, "/search?q=abc"),
        ({"q": "\ud800x"}, "/search?q=x"),
        ({"q": 5}, "/search"),
        (None, "/search"),
    ],
)
def test_header_search_box_goes_to_the_search_page(database: str, form: Any, target: str) -> None:
    assert redirects(Browser().call(CatalogState, "submit", form)) == [target]


def test_suggestions_are_titles_of_active_gigs(market: dict[str, int]) -> None:
    tab = Browser()
    tab.call(CatalogState, "suggest", "تعليق صو")
    titles = tab.state(CatalogState).suggestions
    assert titles and all(isinstance(t, str) for t in titles)
    assert "تعليق صوتي احترافي لإعلانك باللهجة النجدية" in titles
    assert not any("مسودة" in t or "متوقف" in t for t in titles)
    # too short, junk or hostile prefixes give nothing (and never an error)
    for junk in ("ت", "", None, 5, ["تعليق"], '"*', "' OR 1=1 --", "x" * 100_000, "\ud800"):
        tab.call(CatalogState, "suggest", junk)
        assert isinstance(tab.state(CatalogState).suggestions, list)
    tab.call(CatalogState, "suggest", "ت")
    assert tab.state(CatalogState).suggestions == []


# -- the gig page ---------------------------------------------------------------------------


def open_gig(gig_id: object, *, token: str = "") -> Any:
    tab = Browser(path=f"/gig/{gig_id}", token=token)
    tab.call(GigState, "open_page")
    return tab


def test_gig_page_shows_the_gig_its_seller_and_packages(market: dict[str, int]) -> None:
    # given a gig with three packages
    gig_id = make_gig(
        market["fahad"],
        "تعليق صوتي لإعلان تلفزيوني بثلاث باقات",
        city="riyadh",
        dialect="najdi",
        packages=[
            {"tier": "basic", "name": "إعلان قصير", "price": "100", "delivery_days": 1, "revisions": 0, "words": 50},
            {"tier": "standard", "name": "إعلان متوسط", "price": "250", "delivery_days": 3, "revisions": 2, "words": 150},
            {"tier": "premium", "name": "إعلان كامل", "price": "600.50", "delivery_days": 5, "revisions": 5, "minutes": 11,
             "description": "مع موسيقى ومؤثرات"},
        ],
    )
    # when a visitor opens its page
    state = open_gig(gig_id).state(GigState)
    # then it shows the gig
    assert state.loaded and not state.not_found and not state.hidden
    assert state.title == "تعليق صوتي لإعلان تلفزيوني بثلاث باقات"
    assert (state.category_href, state.category_ar) == ("/category/ads", "إعلانات")
    assert (state.seller_name, state.seller_level, state.seller_level_ar) == ("فهد العتيبي", "top", ar("level.top"))
    assert state.seller_since_ar and state.seller_since_en
    assert state.description == DESCRIPTION and state.tags == ["تعليق صوتي", "إعلان"]
    assert (state.dialect_ar, state.city_en) == ("نجدية", "Riyadh")
    assert state.login_href == f"/login?next=/gig/{gig_id}"
    assert state.rating == "" and state.rating_count == 0
    # and its packages side by side, in tier order, as display strings
    assert [p["label_ar"] for p in state.packages] == [ar("gig.tier_basic"), ar("gig.tier_standard"), ar("gig.tier_premium")]
    basic, standard, premium = state.packages
    assert basic["revisions_ar"] == ar("gig.revisions_zero") and standard["revisions_ar"] == ar("gig.revisions_two")
    assert premium["revisions_ar"] == ar("gig.revisions_few", n=5)
    assert basic["days_ar"] == ar("catalog.days_one") and premium["days_ar"] == ar("catalog.days_few", n=5)
    assert basic["included_ar"] == ar("gig.words_many", n=50) and premium["included_ar"] == ar("gig.minutes_many", n=11)
    assert "600.50" in premium["price_ar"] and premium["description"] == "مع موسيقى ومؤثرات"
    assert all(isinstance(value, str) for p in state.packages for value in p.values())


def test_gig_page_shows_extras_and_faq_in_both_languages(market: dict[str, int]) -> None:
    # given a gig with two extras and two FAQ entries (and a question only the order flow reads)
    gig_id = make_gig(
        market["fahad"],
        "تعليق صوتي لإعلانك مع تطويرات اختيارية",
        rows={
            "extras": [
                {"title": "تسليم سريع خلال 24 ساعة", "price": "50", "description": "قبل موعد التسليم بيومين"},
                {"title": "ملف مصدر بدون موسيقى", "price": "25.50", "added_days": 2},
            ],
            "faqs": [
                {"question": "هل تسجل بالفصحى؟", "answer": "نعم،\nوبالنجدية أيضًا."},
                {"question": "ما صيغة الملف؟", "answer": "WAV وMP3."},
            ],
            "requirements": [{"question": "أرسل النص المطلوب تسجيله"}],
        },
    )
    # when a visitor opens its page
    state = open_gig(gig_id).state(GigState)
    # then the extras show what they add to the price and the delivery time, in both languages
    fast, source = state.extras
    assert (fast["title"], fast["description"]) == ("تسليم سريع خلال 24 ساعة", "قبل موعد التسليم بيومين")
    assert fast["price_ar"].startswith("+") and "50.00" in fast["price_ar"] and "SAR" in fast["price_en"]
    assert (fast["days_ar"], fast["days_en"]) == (ar("gig.extra_no_days"), "No extra time")
    assert "25.50" in source["price_ar"] and source["days_ar"] == ar("gig.extra_days", days=ar("catalog.days_two"))
    assert all(isinstance(value, str) for extra in state.extras for value in extra.values())
    # and the FAQ in the seller's order, line breaks kept
    assert state.faqs == [
        {"question": "هل تسجل بالفصحى؟", "answer": "نعم،\nوبالنجدية أيضًا."},
        {"question": "ما صيغة الملف؟", "answer": "WAV وMP3."},
    ]
    # and the buyer's questions stay off the page until the order
    assert "أرسل النص المطلوب تسجيله" not in open_gig(gig_id).client_json()
    # while a gig without them shows neither section
    plain = open_gig(market["ad_riyadh"]).state(GigState)
    assert plain.extras == [] and plain.faqs == []


@pytest.mark.parametrize("status", [GigStatus.PAUSED, GigStatus.DRAFT, GigStatus.PENDING, GigStatus.SUSPENDED])
def test_a_gig_that_is_not_active_is_shown_only_to_its_seller_and_admins(market: dict[str, int], status: GigStatus) -> None:
    # given a gig that is not listed
    gig_id = make_gig(market["fahad"], "تعليق صوتي لخدمة غير منشورة حاليًا", status=status)
    stranger = make_seller("stranger@example.com", "غريب")
    with db.transaction() as session:
        admin = create_user(session, SignUpInput(name="مدير", email="admin@example.com", password="admin-password-1"),
                            role=Role.ADMIN, verified=True).id
    # when others open it, it does not exist for them
    for token in ("", add_session(stranger)):
        state = open_gig(gig_id, token=token).state(GigState)
        assert state.not_found and state.title == "" and state.packages == []
    # while its seller (and an admin) see it, marked as hidden with its status
    for viewer in (market["fahad"], admin):
        state = open_gig(gig_id, token=add_session(viewer)).state(GigState)
        assert not state.not_found and state.hidden
        assert state.title == "تعليق صوتي لخدمة غير منشورة حاليًا"
        assert state.status_ar == ar(f"gig.status_{status.value}")


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", "٣", "99999999999999999999", "", "1/extra", "%20"])
def test_a_bad_or_unknown_gig_id_is_not_found(market: dict[str, int], raw: str) -> None:
    state = open_gig(raw).state(GigState)
    assert state.loaded and state.not_found and state.title == ""


def test_an_unknown_gig_is_not_found(market: dict[str, int]) -> None:
    assert open_gig(10_000).state(GigState).not_found


def test_a_new_page_forgets_the_previous_gig(market: dict[str, int]) -> None:
    tab = open_gig(market["ad_riyadh"])
    assert tab.state(GigState).title
    tab.visit("/gig/999999")
    tab.call(GigState, "open_page")
    assert tab.state(GigState).not_found and tab.state(GigState).title == "" and tab.state(GigState).packages == []

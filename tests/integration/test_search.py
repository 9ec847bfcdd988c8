"""Full-text search on both backends: how buyers phrase voice-over, index upkeep, junk queries.

Each test runs on a database built by the migrations (``migrated_database``): the full-text
index (an FTS5 table on SQLite, a tsvector column on Postgres) exists only there. The catalogue
is small and hand-made, so every expectation is about one gig that should or should not be found.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from app import catalog
from app.accounts import SignUpInput
from app.accounts.profile import become_seller
from app.accounts.registration import create_user
from app.core.db import reading, transaction
from app.search import engine
from models.accounts import Role, SellerProfile
from models.catalog import Category
from tests.passwords import use_fast_password_hashing

# Deliberately free of تعليق/صوت/فويس: the voice-over gig must be found by its title alone.
DESCRIPTION = "تسليم سريع بجودة استوديو مع مراجعة مجانية حتى ترضى عن النتيجة، وملفات WAV وMP3 جاهزة للنشر على كل المنصات."
VOICE_OVER_TITLE = "سأسجل تعليقًا صوتيًا لإعلانك باللهجة النجدية"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sellers are created per test; production argon2 would dominate the run time."""
    use_fast_password_hashing(monkeypatch)


@dataclass(frozen=True)
class Market:
    seller: int
    voice_over: int
    education: int
    ivr: int
    express: int
    poetry: int


def form(title: str, category: str = "ads", price: str = "100") -> dict[str, object]:
    return {
        "title": title,
        "category": category,
        "description": DESCRIPTION,
        "packages": [{"tier": "basic", "name": "الباقة الأساسية", "price": price, "delivery_days": 2}],
    }


def publish(session, seller_id: int, title: str, category: str = "ads", price: str = "100") -> int:  # type: ignore[no-untyped-def]
    gig = catalog.create_gig(session, seller_id=seller_id, data=catalog.parse_gig(form(title, category, price)))
    catalog.publish(session, gig)
    assert gig.id is not None
    return gig.id


@pytest.fixture
def market(migrated_database: str) -> Market:
    """One seller with five active gigs: the voice-over ad, a real education gig and three neighbours."""
    with transaction() as session:
        user = create_user(session, SignUpInput(name="فهد العتيبي", email="fahad@example.com", password="seller-password-1"),
                           role=Role.USER, verified=True)
        assert user.id is not None
        become_seller(session, user_id=user.id)
        return Market(
            seller=user.id,
            voice_over=publish(session, user.id, VOICE_OVER_TITLE),
            education=publish(session, user.id, "تعليم الأطفال القراءة والحروف بدروس مبسطة", "e-learning"),
            ivr=publish(session, user.id, "رد آلي لعيادات الأسنان بصوت نسائي هادئ", "ivr", "60"),
            express=publish(session, user.id, "تسجيل إعلان صوتي سريع خلال 24 ساعة", "ads", "250"),
            poetry=publish(session, user.id, "إلقاء قصائد نبطية في ٤٨ ساعة فقط", "audiobooks", "400"),
        )


def hits(query: str) -> list[engine.Hit]:
    with reading() as session:
        return engine.search(session, query)


def found(query: str) -> list[int]:
    return [h.gig_id for h in hits(query)]


def suggested(prefix: str) -> list[int]:
    with reading() as session:
        return engine.suggest(session, prefix)


# --- how buyers say voice-over ---------------------------------------------------------------


VOICE_OVER_QUERIES = ["التعليق الصوتي", "معلق صوتي", "تعليقات صوتية", "فويس اوفر", "فويس أوفر", "voice over", "Voice-Over"]


def test_the_voice_over_gig_is_found_by_every_way_buyers_say_it(market: Market) -> None:
    """Buyers write the craft as a noun, a person, a plural, an Arabised loanword or in English;
    a title written with tanween (تعليقًا صوتيًا) must meet all of them at the strict tier."""
    # given an active gig titled «سأسجل تعليقًا صوتيًا لإعلانك باللهجة النجدية»
    for query in VOICE_OVER_QUERIES:
        # when a buyer searches one of the phrasings
        result = hits(query)
        # then that gig comes first, as a full (not "related") match
        assert result, query
        assert result[0].gig_id == market.voice_over, (query, result)
        assert not result[0].related, (query, result)


def test_education_does_not_drag_in_the_voice_over_gig(market: Market) -> None:
    """تعليم (education) and تعليق (voice-over) share letters but not meaning; with a real
    education gig present, the voice-over gig must not be among the results."""
    # given an education gig beside the voice-over gig
    # when a buyer searches «تعليم»
    result = found("تعليم")
    # then the education gig leads and the voice-over gig is not listed
    assert result[0] == market.education
    assert market.voice_over not in result[:3]


def test_arabic_indic_digits_tashkeel_and_tatweel_in_the_query_still_match(market: Market) -> None:
    """Phones type ٢٤ and some keyboards add marks or stretch letters; none of it may change the results."""
    # given a gig saying «24 ساعة» in Latin digits and one saying «٤٨ ساعة» in Arabic-Indic digits
    # when buyers search with the other digit system, or with tashkeel and tatweel
    # then the same gigs are found as with the plain spelling
    assert found("٢٤ ساعة")[0] == market.express
    assert found("48 ساعة")[0] == market.poetry
    assert found("تَعْلِيقٌ صـــوتيّ") == found("تعليق صوتي")
    assert found("تَعْلِيقٌ صـــوتيّ")[0] == market.voice_over
    assert found("تعـــليق")[0] == market.voice_over


def test_search_results_respect_filters_and_sorts(market: Market) -> None:
    """The search page filters and re-sorts the ranked matches; pagination counts only what matched."""
    # given the market and the ads category
    with reading() as session:
        ads = session.exec(select(Category.id).where(Category.slug == "ads")).one()
        # when «صوت» is searched within ads, cheapest first
        page = catalog.search(session, "صوت", engine.Filters(category_id=ads), sort="price_asc")
        # and within a 200 SAR cap (prices are in halalas)
        capped = catalog.search(session, "صوت", engine.Filters(price_max=20000))
    # then only ads gigs are listed, in price order, and the cap excludes the 250 SAR gig
    assert [c.id for c in page.cards] == [market.voice_over, market.express]
    assert page.total == 2 and page.pages == 1
    assert market.express not in {c.id for c in capped.cards}
    assert {market.voice_over, market.ivr} <= {c.id for c in capped.cards}


def test_search_within_a_seller_lists_only_that_sellers_gigs(market: Market) -> None:
    """A seller's (or a category's) gigs are listed by an index, and matches are checked against
    that list rather than gig by gig."""
    # given the market's seller and an id no seller has
    with reading() as session:
        # when «صوت» is searched within each
        own = {h.gig_id for h in engine.search(session, "صوت", engine.Filters(seller_id=market.seller))}
        nobody = engine.search(session, "صوت", engine.Filters(seller_id=market.seller + 1000))
    # then the seller's voice gigs are found, and nothing for the other
    assert {market.voice_over, market.ivr, market.express} <= own
    assert nobody == []


# --- the index follows the gig ---------------------------------------------------------------


def test_updating_a_title_reindexes_old_words_out_and_new_words_in(market: Market) -> None:
    """The FTS5 index is contentless: removing a gig's old terms needs the exact old values.
    Two edits in a row check that the delete path really removes what was indexed."""
    # given the voice-over gig, found by its own title words
    assert market.voice_over in found("النجدية")
    assert market.voice_over in found("سأسجل")
    for new_title, old_word, new_word in (
        ("قراءة قصص الأطفال قبل النوم بنبرة دافئة", "النجدية", "النوم"),
        ("شيلة زواج باسم العريس والعائلتين", "النوم", "العريس"),
    ):
        # when the seller edits the title (back to review) and an admin approves it again
        with transaction() as session:
            catalog.update_gig(session, seller_id=market.seller, gig_id=market.voice_over,
                               data=catalog.parse_gig(form(new_title)))
        # then while it waits for review it is not searchable at all
        assert market.voice_over not in found(new_word)
        with transaction() as session:
            catalog.moderate(session, gig_id=market.voice_over, action="approve")
        # and once active again, the old word no longer finds it and the new one does
        assert market.voice_over not in found(old_word), (new_title, old_word)
        assert market.voice_over not in found("سأسجل")
        assert found(new_word)[0] == market.voice_over, (new_title, new_word)
    # and the other gigs' entries were not disturbed
    assert found("تعليم")[0] == market.education


def test_a_paused_gig_leaves_search_and_returns_after_resume(market: Market) -> None:
    """Pausing is how a busy seller stops orders; the gig must vanish from search and suggestions
    at once and come back unchanged."""
    # given the voice-over gig found by search and suggestions
    assert found("معلق صوتي")[0] == market.voice_over
    assert market.voice_over in suggested("سأس")
    # when the seller pauses it
    with transaction() as session:
        catalog.change_status(session, seller_id=market.seller, gig_id=market.voice_over, action="pause")
    # then neither search nor suggestions show it, while the others still show
    assert market.voice_over not in found("معلق صوتي")
    assert market.voice_over not in found("النجدية")
    assert suggested("سأس") == []
    assert found("تعليم")[0] == market.education
    with reading() as session:
        assert market.voice_over not in {c.id for c in catalog.search(session, "تعليق", engine.Filters()).cards}
    # when it is resumed
    with transaction() as session:
        catalog.change_status(session, seller_id=market.seller, gig_id=market.voice_over, action="resume")
    # then it is back first for the same query
    assert found("معلق صوتي")[0] == market.voice_over
    assert market.voice_over in suggested("سأس")


# --- queries that must never break -----------------------------------------------------------

JUNK = [
    "", "   ", '"', '""', "*", "AND", "OR NOT", "NOT", "NEAR", "NEAR(", ")(", "(", "'", "''", "\\", "\\'", "^", ":", ":*",
    "!", "&", "|", "&|!", "<->", "-", "+", "{t_exact}:x", "t_exact:تعليق", '"تعليق', 'تعليق"', "تعليق*", "*تعليق",
    "تعليق' OR '1'='1", "تعليق\"); DROP TABLE gig; --", "\x00", "تعليق\x00صوتي", "\u202e", "🎙️", "؟؟؟", "،", "ـــ",
    "في من على", "the and of", "و", "ال", "a", "١", "3.5", "1e999", "%", "_", "$1", ":q", "?", "null",
    "تعليق " * 50, " ".join(f"كلمة{i}" for i in range(60)),
]


def test_junk_and_stop_word_queries_never_raise(market: Market) -> None:
    """Whatever reaches the search box (query syntax of FTS5 or tsquery, quotes, NUL, bidi controls,
    stop words alone) is text to search for, never syntax that raises."""
    # given the market
    with reading() as session:
        for query in JUNK:
            # when each junk query is searched, suggested and paged
            result = engine.search(session, query)
            suggestions = engine.suggest(session, query)
            page = catalog.search(session, query, engine.Filters(), sort="price_desc", page=3)
            # then each returns (possibly empty) results of active gigs only
            assert isinstance(result, list) and isinstance(suggestions, list), repr(query)
            assert page.page == min(3, page.pages), repr(query)
            assert {h.gig_id for h in result} <= {market.voice_over, market.education, market.ivr, market.express, market.poetry}


def test_empty_queries_return_nothing(market: Market) -> None:
    """An empty box is not a search (the page browses instead); the engine answers with no hits."""
    # given the market
    # when searching for nothing, blanks or punctuation only
    # then there are no hits
    for query in ("", "   ", '"', "*", ")(", "'", "\\", "؟"):
        assert found(query) == [], repr(query)


# --- suggestions -------------------------------------------------------------------------------


def test_suggest_returns_active_gig_ids_for_a_three_letter_prefix(market: Market) -> None:
    """Type-ahead starts at three letters and offers gigs whose title words start with them."""
    # given the market
    # when a buyer has typed the start of a title word
    # then the gigs whose titles start a word with it are suggested, and only those
    assert suggested("سأس") == [market.voice_over]
    assert set(suggested("تعل")) == {market.voice_over, market.education}
    assert suggested("قصا") == [market.poetry]
    assert suggested("تعليق صو") == [market.voice_over]  # whole words before the prefix narrow it
    assert suggested("ززز") == []
    assert suggested("ت") == []
    assert len(suggested("تعل")) <= 8
    with reading() as session:
        assert engine.suggest(session, "تعل", limit=1) in ([market.voice_over], [market.education])


def test_a_higher_level_breaks_a_tie_between_equal_matches(market: Market) -> None:
    """Two sellers with the same gig: the one the nightly job made top ranks first."""
    with transaction() as session:
        rival = create_user(session, SignUpInput(name="سعد القحطاني", email="saad@example.com", password="seller-password-1"),
                            role=Role.USER, verified=True)
        assert rival.id is not None
        become_seller(session, user_id=rival.id)
        twin = publish(session, rival.id, VOICE_OVER_TITLE)
    first = [g for g in found(VOICE_OVER_TITLE) if g in (market.voice_over, twin)]
    with transaction() as session:
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == (rival.id if first[0] == market.voice_over else market.seller))).one()
        profile.level = "top"
        session.add(profile)
    promoted = twin if first[0] == market.voice_over else market.voice_over
    assert [g for g in found(VOICE_OVER_TITLE) if g in (market.voice_over, twin)] == [promoted, first[0]]

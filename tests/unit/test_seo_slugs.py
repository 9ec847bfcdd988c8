"""Readable slugs for the public URLs (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.seo.slugs import MAX_LENGTH, id_slug, parse_id_slug, slugify, url_path


def test_arabic_titles_become_readable_hyphenated_slugs() -> None:
    assert slugify("تعليقٌ صوتيّ  احترافي — لإعلانك!") == "تعليق-صوتي-احترافي-لإعلانك"
    assert slugify("فويس اوفــــر (Voice Over) 30 ثانية") == "فويس-اوفر-voice-over-30-ثانية"
    assert slugify("!!!") == ""
    assert id_slug(12, "!!!") == "12"


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("كلمة " * 40)
    assert len(slug) <= MAX_LENGTH and not slug.endswith("-") and set(slug.split("-")) == {"كلمة"}


def test_keys_parse_to_their_id() -> None:
    assert parse_id_slug("12-تعليق-صوتي") == (12, "تعليق-صوتي")
    assert parse_id_slug("12") == (12, "")
    for bad in ("", "abc", "-12", "0-x", "١٢-x", "9" * 19):
        assert parse_id_slug(bad) is None


def test_paths_are_percent_encoded_for_links() -> None:
    assert url_path("/ar/gigs/1-صوت") == "/ar/gigs/1-%D8%B5%D9%88%D8%AA"
    assert url_path("/ar/categories/ads?page=2") == "/ar/categories/ads?page=2"


@given(st.integers(min_value=1, max_value=10**12), st.text(max_size=200))
def test_any_title_gives_a_key_that_parses_back(gig_id: int, title: str) -> None:
    key = id_slug(gig_id, title)
    assert parse_id_slug(key) == (gig_id, slugify(title))
    assert not any(ch.isspace() or ch in "/?#%" for ch in key)
    assert slugify(slugify(title)) == slugify(title)

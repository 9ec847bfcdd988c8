"""Admins' lexicon terms reach search in every process, and bad terms change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.accounts import SignUpInput
from app.accounts.profile import become_seller
from app.accounts.registration import create_user
from app.catalog import create_gig, parse_gig, publish
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.search import lexicon
from app.search.analyzer import DEFAULT_LEXICON_ENTRIES, Lexicon, set_lexicon
from app.search.engine import search
from models.accounts import Role
from models.catalog import SearchTerm
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def fresh_lexicon(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    use_fast_password_hashing(monkeypatch)
    monkeypatch.setattr(lexicon, "_loaded", None)
    yield
    set_lexicon(Lexicon(DEFAULT_LEXICON_ENTRIES))
    lexicon._loaded = None


def _gig(title: str) -> int:
    with transaction() as session:
        user = create_user(session, SignUpInput(name="بائع", email="s@example.com", password="password1"), role=Role.USER, verified=True)
        assert user.id is not None
        become_seller(session, user_id=user.id)
        gig = create_gig(
            session,
            seller_id=user.id,
            data=parse_gig({
                "title": title, "category": "ads", "description": "إعلان قصير لمتجر إلكتروني على منصات التواصل الاجتماعي " * 2,
                "packages": [{"tier": "basic", "name": "أساسية", "price": "100", "delivery_days": 2}],
            }),
        )
        publish(session, gig)
        assert gig.id is not None
        return gig.id


def test_an_added_synonym_finds_gigs_that_never_use_the_word(migrated_database: str) -> None:
    # given a gig about a jingle, and a buyer word the lexicon does not know
    gig_id = _gig("تسجيل جنجل قصير لمتجرك")
    with reading() as session:
        assert gig_id not in [h.gig_id for h in search(session, "زقزقة")]
    # when an admin adds the word to the gig's concept
    with transaction() as session:
        lexicon.add_term(session, term="زقزقة", concept="jingle")
    lexicon._loaded = None  # another process starts from scratch
    # then the search finds it
    with reading() as session:
        assert gig_id in [h.gig_id for h in search(session, "زقزقة")]


@pytest.mark.parametrize(
    ("term", "concept", "key"),
    [("", "ad", "search.invalid_term"), ("***", "ad", "search.invalid_term"), ("ستوري", "Ad!", "search.invalid_concept"), ("ستوري", "", "search.invalid_concept")],
)
def test_bad_terms_are_refused_and_change_nothing(migrated_database: str, term: str, concept: str, key: str) -> None:
    with transaction() as session, pytest.raises(MihanError) as refused:
        lexicon.add_term(session, term=term, concept=concept)
    assert refused.value.key == key
    with reading() as session:
        assert session.exec(select(SearchTerm)).all() == []


def test_a_term_is_added_once(migrated_database: str) -> None:
    with transaction() as session:
        lexicon.add_term(session, term="ستوري", concept="ad")
    with transaction() as session, pytest.raises(MihanError) as refused:
        lexicon.add_term(session, term="ستوري", concept="ad")
    assert refused.value.key == "search.term_exists"

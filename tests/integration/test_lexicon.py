"""Admins' lexicon terms reach search in every process (added or removed), and bad terms change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.search import lexicon
from app.search.engine import search
from models.catalog import GigSearchDoc, SearchTerm
from tests.integration.statekit import add_published_gig
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fresh(fresh_lexicon: None, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def test_an_added_synonym_finds_gigs_that_never_use_the_word(migrated_database: str) -> None:
    # given a gig about a jingle, and a buyer word the lexicon does not know
    gig_id = add_published_gig("تسجيل جنجل قصير لمتجرك")
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


def found(query: str) -> list[int]:
    with reading() as session:
        return [h.gig_id for h in search(session, query)]


def test_a_removed_synonym_stops_finding_the_gig_and_only_touched_gigs_are_reindexed(migrated_database: str) -> None:
    # given a term an admin added, which finds a jingle gig, and an unrelated gig
    jingle = add_published_gig("تسجيل جنجل قصير لمتجرك")
    other = add_published_gig("تعليق صوتي وثائقي هادئ")
    with transaction() as session:
        lexicon.add_term(session, term="زقزقة", concept="jingle")
        lexicon.add_term(session, term="جنجل", concept="sfx")  # a second concept for the jingle's word
    assert jingle in found("زقزقة") and jingle in found("مؤثرات")
    with reading() as session:
        untouched = session.get(GigSearchDoc, other).model_dump()
    # when the admin removes the word that tied the gig to sound effects
    with transaction() as session:
        lexicon.remove_term(session, term="جنجل", concept="sfx")
    lexicon._loaded = None
    # then the gig loses that concept (in the index, not just the analyzer), keeps the others,
    # and the gig without the word was not re-analyzed
    assert jingle not in found("مؤثرات")
    assert jingle in found("زقزقة")
    with reading() as session:
        assert "sfx" not in session.get(GigSearchDoc, jingle).t_concept.split()
        assert session.get(GigSearchDoc, other).model_dump() == untouched


def test_removing_refuses_built_in_and_unknown_terms(migrated_database: str) -> None:
    # given the bundled «دبلجة → dubbing» and nothing in the table
    for term, concept, key in [("دبلجة", "dubbing", "search.term_bundled"), ("زقزقة", "jingle", "search.term_missing"), ("  ", "ad", "search.invalid_term"), ("زقزقة", None, "search.invalid_concept")]:
        # when it is removed
        with transaction() as session, pytest.raises(MihanError) as refused:
            lexicon.remove_term(session, term=term, concept=concept)  # type: ignore[arg-type]
        # then the refusal names why
        assert refused.value.key == key


def test_a_built_in_pair_is_not_added_again(migrated_database: str) -> None:
    # given a spelling of a bundled term (hamza and taa marbuta folded by the analyzer)
    with transaction() as session, pytest.raises(MihanError) as refused:
        lexicon.add_term(session, term="دبلجه", concept="dubbing")
    assert refused.value.key == "search.term_exists"


def test_the_list_pages_in_sql_and_filters_by_term_or_concept(migrated_database: str) -> None:
    # given 25 terms of two concepts
    with transaction() as session:
        for n in range(25):
            lexicon.add_term(session, term=f"كلمة{n} تجربة", concept="jingle" if n % 2 else "sfx_test")
    with reading() as session:
        # when pages are read, newest first
        first = lexicon.list_terms(session, limit=10)
        third = lexicon.list_terms(session, limit=10, offset=20)
        by_concept = lexicon.list_terms(session, query="SFX_", limit=50)
        by_term = lexicon.list_terms(session, query="كلمة2", limit=50)
        wildcard = lexicon.list_terms(session, query="%", limit=50)
    # then totals count every match and pages hold their share
    assert first.total == third.total == 25
    assert [e.term for e in first.entries][:2] == ["كلمة24 تجربة", "كلمة23 تجربة"]
    assert len(third.entries) == 5 and not any(e.bundled for e in third.entries)
    assert by_concept.total == 13 and {e.concept for e in by_concept.entries} == {"sfx_test"}
    assert {e.term for e in by_term.entries} == {"كلمة2 تجربة", *(f"كلمة{n} تجربة" for n in range(20, 25))}
    assert wildcard.total == 0


def test_bundled_terms_are_listed_read_only_in_any_spelling() -> None:
    # given a query spelled with a hamza the bundled list writes plainly, and a concept
    dubbing = lexicon.list_bundled("دبلجة")
    voiceover = lexicon.list_bundled("voiceover", limit=3)
    # then the matches are marked bundled, capped by the limit but counted in full
    assert {e.concept for e in dubbing.entries} == {"dubbing"} and all(e.bundled for e in dubbing.entries)
    assert len(voiceover.entries) == 3 and voiceover.total > 3


def test_explain_shows_what_a_query_maps_to(migrated_database: str) -> None:
    # given an admin's term
    with transaction() as session:
        lexicon.add_term(session, term="زقزقة", concept="jingle")
    lexicon._loaded = None
    # when a query is explained
    with reading() as session:
        terms = lexicon.explain(session, "فويس أوفر في زقزقات")
    # then each kept word has its normalised form and stem, phrases and admins' terms give concepts
    assert [t.exact for t in terms] == ["فويس", "اوفر", "زقزقات"]
    assert "voiceover" in terms[0].concepts and "voiceover" in terms[1].concepts
    assert terms[2].concepts == ("jingle",)
    with reading() as session:
        assert lexicon.explain(session, None) == []  # type: ignore[arg-type]


def test_a_removed_then_re_added_newest_row_reaches_other_processes(migrated_database: str) -> None:
    """SQLite gives a new row the id of a deleted newest one; the signature must still change."""
    with transaction() as session:
        lexicon.add_term(session, term="زقزقة", concept="jingle")
    with reading() as session:
        lexicon.ensure_current(session)
    with transaction() as session:
        lexicon.remove_term(session, term="زقزقة", concept="jingle")
    # another process adds a different word in the freed slot
    loaded = lexicon._loaded
    with transaction() as session:
        lexicon.add_term(session, term="تغريدة", concept="jingle")
    lexicon._loaded = loaded  # this process never saw the removal or the addition
    with reading() as session:
        lexicon.ensure_current(session)
        assert lexicon._loaded != loaded

"""The pieces of the fast search that must not change what is found or how it is scored.

* The match expressions leave out implied alternatives and groups: they must find exactly the
  gigs the full expressions find.
* On SQLite, BM25 is computed in Python for the candidates: it must equal FTS5's ``bm25()`` to
  the last bit while document frequencies are counted, and stay close when they are estimated.
* A tier with more matches than it scores takes the title matches first.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.core.db import reading, transaction
from app.search import bm25, engine
from app.search.analyzer import analyze_query
from app.search.bm25 import Phrase
from app.search.index import index_gig
from models.catalog import Gig
from tests.search.judged import queries

EXTRA_QUERIES = ["3.5", "3", "صوت", "صوتي صوت", "مكساج", "voice over", "ماسترنج وتعليق"]


def _full_fts(terms, *, roots: bool, any_term: bool) -> str:  # type: ignore[no-untyped-def]
    groups = ["(" + " OR ".join(p.fts() for p in engine._alternatives(t, roots=roots)) + ")" for t in terms]
    return (" OR " if any_term else " AND ").join(groups)


# FTS5's bm25() and its column filters exist on SQLite only: these tests take that backend alone.
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_match_expressions_find_the_same_gigs_as_every_alternative(demo_catalogue: str) -> None:
    sqlite = demo_catalogue.startswith("sqlite")
    with reading() as session:
        engine.ensure_current(session)
        for query in [q for _, q, _ in queries()] + EXTRA_QUERIES:
            terms = analyze_query(query)
            for roots, any_term in engine.TIERS:
                # given a query and a tier, when its gigs are found with and without the shortcuts
                if sqlite:
                    statement = "SELECT rowid FROM gig_fts WHERE gig_fts MATCH :q"
                    full, short = _full_fts(terms, roots=roots, any_term=any_term), engine._fts_match(terms, roots=roots, any_term=any_term)
                else:
                    statement = "SELECT gig_id FROM gig_search_doc WHERE tsv @@ CAST(:q AS tsquery)"
                    full, short = engine._tsquery(terms, roots=roots, any_term=any_term), engine._ts_match(terms, roots=roots, any_term=any_term)
                everyone = set(session.exec(text(statement).bindparams(q=full)).scalars())  # type: ignore[call-overload]
                shortcut = set(session.exec(text(statement).bindparams(q=short)).scalars())  # type: ignore[call-overload]
                # then they are the same gigs
                assert shortcut == everyone, (query, roots, any_term)


def _assert_scores_equal_fts5(session, queries_: list[str]) -> int:  # type: ignore[no-untyped-def]
    weights = ", ".join(str(w) for w in engine.BM25_WEIGHTS)
    compared = 0
    for query in queries_:
        terms = analyze_query(query)
        for roots, any_term in engine.TIERS:
            fts = dict(session.exec(text(  # type: ignore[call-overload]
                f"SELECT rowid, -bm25(gig_fts, {weights}) FROM gig_fts WHERE gig_fts MATCH :q"
            ).bindparams(q=_full_fts(terms, roots=roots, any_term=any_term))).all())
            phrases = [p for t in terms for p in engine._alternatives(t, roots=roots)]
            ours = bm25.score(session, phrases, engine.BM25_WEIGHTS, list(fts))
            assert ours == fts, (query, roots, any_term)
            compared += len(fts)
    return compared


@sqlite_only
def test_scores_equal_fts5_bm25_on_the_judged_queries(demo_catalogue: str) -> None:
    # given the demo catalogue, when every judged query is scored both ways, then the scores match
    with reading() as session:
        engine.ensure_current(session)
        assert _assert_scores_equal_fts5(session, [q for _, q, _ in queries()]) > 1000


@sqlite_only
def test_scores_equal_fts5_bm25_where_the_index_splits_analyzer_tokens(demo_catalogue: str) -> None:
    """Decimals (3.5), concept ids (sound_engineering), Arabic signs glued to a word (صوت٪) and
    repeated words are where counting the stored text could part from FTS5's tokens."""
    # given a gig whose text has all of them
    with transaction() as session:
        gig = session.get(Gig, 1)
        assert gig is not None
        gig.title = "تعليق صوتي صوتي 3.5 صوت٪ مكساج وماسترنج"
        gig.description = "صوت صوت صوت ٪صوت 3.5 دقيقة voice over voice over مكساج مكساج"
        session.add(gig)
        index_gig(session, gig)
    # when queries for those words are scored both ways, then the scores match
    with reading() as session:
        assert _assert_scores_equal_fts5(session, EXTRA_QUERIES) > 0


@sqlite_only
def test_large_document_frequencies_are_estimated_close_to_the_count(demo_catalogue: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # given frequencies counted only up to 20
    monkeypatch.setattr(bm25, "EXACT_FREQUENCY", 20)
    monkeypatch.setattr(bm25, "_frequencies", {})
    with reading() as session:
        index = bm25._index(session)
        for phrase in (Phrase("concept", "voice"), Phrase("stem", "صوت"), Phrase("concept", "voiceover")):
            counted = session.exec(text("SELECT count(*) FROM gig_fts WHERE gig_fts MATCH :q").bindparams(q=phrase.fts())).scalar()  # type: ignore[call-overload]
            assert counted > 20
            # when a common phrase's frequency is asked for, then the estimate is of the right size
            # (20 of the demo's newest gigs are a small, category-ordered sample)
            assert counted / 2 < bm25.document_frequency(session, phrase, index) < counted * 2


@sqlite_only
def test_a_tier_with_more_matches_than_it_scores_takes_title_matches_first(demo_catalogue: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a search that scores at most five gigs a tier, and a word many demo titles have
    monkeypatch.setattr(engine, "CANDIDATES", 5)
    terms = analyze_query("صوت")
    with reading() as session:
        titles = session.exec(text(  # type: ignore[call-overload]
            "SELECT rowid FROM gig_fts WHERE gig_fts MATCH :q ORDER BY rowid DESC"
        ).bindparams(q=engine._fts_match(terms, roots=False, fields=("t",)))).scalars().all()
        assert len(titles) > 5
        # when it is searched
        hits = [h for h in engine.search(session, "صوت") if not h.related]
    # then the five scored are the newest gigs with the word in their title
    assert sorted(h.gig_id for h in hits) == sorted(titles[:5])

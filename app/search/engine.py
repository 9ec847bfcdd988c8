"""Ranked search over active gigs, on SQLite FTS5 or Postgres full-text, behind one function.

Every query term must match at some level: exact, stem or concept (the curated lexicon). When
that finds too few gigs, two looser tiers follow, their hits marked related: roots join the
levels, then any term may match (long multi-word queries rarely match every word).
Each tier scores its matches (BM25 on SQLite, ``ts_rank`` on Postgres, with title > description
and exact > stem > concept > root); a rerank adds a small quality term (rating, completed orders)
that breaks ties without drowning relevance.

Scoring is what costs at scale (docs/benchmarks.md): at 100 000 gigs a niche-wide word matches
a third of the catalogue, and both databases score a match by reading its whole index entry. So
a tier scores at most CANDIDATES matches, picked without scoring:

* every match, when there are no more (a catalogue the size of the demo always gets this, and
  the same ranking as scoring everything);
* else the gigs that match every term in their title (the title weighs most in the score)
  first, then the newest matches. SQLite finds all the title matches with FTS5 column filters;
  on Postgres they are looked for among the first TITLE_POOL matches, in the short title
  columns (the GIN index cannot tell title lexemes apart).

Matches are found with the alternatives and terms that others imply left out (a gig with a word
also has its stem, a stem with concepts also has them; a term whose alternatives include all of
another's adds nothing): the same gigs through fewer and shorter posting lists. SQLite scores the
candidates with FTS5's BM25 formula in :mod:`app.search.bm25`, without ``bm25()``'s count over
every phrase's whole posting list; Postgres runs ``ts_rank`` on the candidates only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.search import bm25
from app.search.analyzer import QueryTerm, analyze_query, current_lexicon
from app.search.bm25 import Phrase
from app.search.index import is_sqlite, lexeme
from app.search.lexicon import ensure_current
from models.accounts import SellerProfile
from models.catalog import Gig

CANDIDATES = 300
TITLE_POOL = 1000
NARROW_IDS = 20000
MIN_RESULTS = 20
QUALITY_WEIGHT = 0.12
# a seller's level (the nightly job's) lifts their gigs a little: enough to break near-ties,
# never enough to outrank a clearly better text match
LEVEL_BONUS = {"new": 0.0, "level1": 0.01, "level2": 0.02, "top": 0.03}
RELATED_PENALTY = 0.5
# (roots, any term) of each tier, strictest first
TIERS = ((False, False), (True, False), (False, True))
# bm25 column weights: t_exact, t_stem, t_concept, t_root, d_exact, d_stem, d_concept, d_root
BM25_WEIGHTS = (6.0, 4.0, 3.0, 0.5, 1.5, 1.0, 0.75, 0.1)
# ts_rank weights {D, C, B, A}
TS_WEIGHTS = "{0.02, 0.1, 0.3, 1.0}"
_TS_TAG = {"exact": "", "stem": "s:", "concept": "c:", "root": "r:"}


@dataclass(frozen=True)
class Filters:
    """Browse and search filters; None means "any". Prices in minor units."""

    category_id: int | None = None
    city_id: int | None = None
    dialect_id: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    max_days: int | None = None
    min_rating: int | None = None  # whole stars, 1-5
    level: str | None = None
    seller_id: int | None = None

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A WHERE fragment over ``gig`` (and ``seller_profile sp``) with its bound values."""
        clauses = ["gig.status = 'active'"]
        params: dict[str, Any] = {}
        for column, value, op in (
            ("category_id", self.category_id, "="),
            ("city_id", self.city_id, "="),
            ("dialect_id", self.dialect_id, "="),
            ("price_minor", self.price_min, ">="),
            ("price_minor", self.price_max, "<="),
            ("delivery_days", self.max_days, "<="),
            ("seller_id", self.seller_id, "="),
        ):
            if value is not None:
                name = f"f{len(params)}"
                clauses.append(f"gig.{column} {op} :{name}")
                params[name] = value
        if self.min_rating is not None:
            clauses.append("gig.rating_count > 0 AND gig.rating_sum >= :min_rating * gig.rating_count")
            params["min_rating"] = self.min_rating
        if self.level is not None:
            clauses.append("EXISTS (SELECT 1 FROM seller_profile sp WHERE sp.user_id = gig.seller_id AND sp.level = :level)")
            params["level"] = self.level
        return " AND ".join(clauses), params

    @property
    def narrow(self) -> bool:
        """Whether an index lists the few gigs these filters keep (a category's, a seller's), so
        that matches are better checked against that list than gig by gig."""
        return self.category_id is not None or self.seller_id is not None


@dataclass(frozen=True)
class Hit:
    gig_id: int
    score: float
    related: bool = False


@dataclass
class Candidate:
    gig_id: int
    text_score: float
    rating_sum: int
    rating_count: int
    orders: int
    related: bool = False
    level: str = "new"
    extra: dict[str, Any] = field(default_factory=dict)


def _alternatives(term: QueryTerm, *, roots: bool) -> list[Phrase]:
    """Every level a term is scored at: exact, stem, its concepts, and its root when ``roots``."""
    phrases = [Phrase("exact", term.exact), Phrase("stem", term.stem), *(Phrase("concept", c) for c in term.concepts)]
    if roots:
        phrases.append(Phrase("root", term.root))
    return list(dict.fromkeys(phrases))


def _matching(term: QueryTerm, *, roots: bool) -> frozenset[Phrase]:
    """The alternatives that decide whether a gig matches a term, the implied ones left out.

    A gig's levels are aligned token by token, so a gig with the word has its stem (and root),
    and the index gives every stem the concepts the lexicon lists for it: when the stem has
    concepts, they alone match the same gigs.
    """
    implied = bool(current_lexicon().concepts_of(term.stem))
    phrases = {Phrase("concept", c) for c in term.concepts} | (set() if implied else {Phrase("stem", term.stem)})
    return frozenset(phrases | ({Phrase("root", term.root)} if roots else set()))


def _match_groups(terms: list[QueryTerm], *, roots: bool, any_term: bool) -> list[list[Phrase]]:
    """What a gig must match: one alternative of every group (of any group with ``any_term``).

    Same gigs as the full expression, fewer and shorter posting lists to walk: implied
    alternatives are left out, and so are groups another group implies (with every term required,
    a group holding all of another's alternatives; with any term, a group inside another).
    """
    groups = list(dict.fromkeys(_matching(term, roots=roots) for term in terms))
    implied = [g for g in groups if any(o < g if not any_term else g < o for o in groups)]
    return [sorted(g, key=lambda p: (p.level, p.text)) for g in groups if g not in implied]


def _fts_match(terms: list[QueryTerm], *, roots: bool, any_term: bool = False, fields: tuple[str, ...] = ("t", "d")) -> str:
    """The FTS5 expression matching ``terms`` in ``fields`` (``("t",)``: titles only)."""
    groups = _match_groups(terms, roots=roots, any_term=any_term)
    return (" OR " if any_term else " AND ").join("(" + " OR ".join(p.fts(fields) for p in g) + ")" for g in groups)


def _tsquery(terms: list[QueryTerm], *, roots: bool, any_term: bool = False) -> str:
    """The tsquery ``ts_rank`` scores with: every alternative of every term, in query order."""
    parts = ["(" + " | ".join(_ts_lexeme(p) for p in _alternatives(term, roots=roots)) + ")" for term in terms]
    return (" | " if any_term else " & ").join(parts)


def _ts_match(terms: list[QueryTerm], *, roots: bool, any_term: bool = False) -> str:
    """The tsquery matching ``terms`` (the same gigs as :func:`_tsquery`, found more cheaply)."""
    groups = _match_groups(terms, roots=roots, any_term=any_term)
    return (" | " if any_term else " & ").join("(" + " | ".join(_ts_lexeme(p) for p in g) + ")" for g in groups)


def _ts_lexeme(phrase: Phrase) -> str:
    return lexeme(_TS_TAG[phrase.level] + phrase.text)


def _fts_found(session: Session, match: str, filters: Filters, limit: int) -> list[Candidate]:
    """Gigs matching an FTS5 expression and the filters, newest first, without scoring them.

    The index drives the join (CROSS JOIN keeps it outside), so LIMIT stops the scan early. Narrow
    filters are checked against the list of gigs they keep (``+`` keeps FTS5 from looking each
    one up), which skips reading the gig rows of the many matches they reject.
    """
    where, params = filters.sql()
    if filters.narrow:
        where = f"+gig_fts.rowid IN (SELECT gig.id FROM gig WHERE {where})"
    statement = (
        "SELECT gig.id, gig.rating_sum, gig.rating_count, gig.orders_completed FROM gig_fts "
        f"CROSS JOIN gig ON gig.id = gig_fts.rowid WHERE gig_fts MATCH :match AND {where} "
        f"ORDER BY gig_fts.rowid DESC LIMIT {limit}"
    )
    rows = session.exec(text(statement).bindparams(match=match, **params)).all()  # type: ignore[call-overload]
    return [Candidate(gig_id=r[0], rating_sum=r[1], rating_count=r[2], orders=r[3], text_score=0.0) for r in rows]


def _pg_in_title(terms: list[QueryTerm], *, roots: bool, any_term: bool) -> tuple[str, dict[str, str]]:
    """A condition on ``gig_search_doc`` true when ``terms`` match the title, with its bound values.

    It reads the short title columns, stored inline, not the tsvector: the GIN index cannot tell
    the title's lexemes (weights) apart without unpacking it.
    """
    params: dict[str, str] = {}
    groups = []
    for group in _match_groups(terms, roots=roots, any_term=any_term):
        alternatives = []
        for phrase in group:
            name = f"t{len(params)}"
            params[name] = f" {phrase.text} "
            alternatives.append(f"position(:{name} in ' ' || t_{phrase.level} || ' ') > 0")
        groups.append("(" + " OR ".join(alternatives) + ")")
    return (" OR " if any_term else " AND ").join(groups), params


def _pg_ranked(session: Session, terms: list[QueryTerm], filters: Filters, *, roots: bool, any_term: bool) -> list[Candidate]:
    """Up to CANDIDATES gigs matching ``terms`` and the filters with their ``ts_rank``: every
    match when there are no more, else title matches first among the first TITLE_POOL matches in
    storage order (``ts_rank`` unpacks the whole tsvector, so it runs on those rows only).

    The planner sees ``@@`` as cheap, where it means unpacking a tsvector of a few kilobytes, so
    it is steered for this statement (``SET LOCAL``, then back to the defaults): no sequential
    scans, or it would unpack every tsvector instead of reading the GIN index; with a narrow
    filter (at most NARROW_IDS gigs) no plain index scans either, or it would walk the filter's
    gigs and unpack theirs instead of intersecting their ids with the GIN matches (a BitmapAnd).
    The lateral joins (``OFFSET 0`` keeps them) look each gig up as its match arrives, so LIMIT
    stops the scan where a merge or hash join would read every match first.
    """
    where, params = filters.sql()
    in_title, title_params = _pg_in_title(terms, roots=roots, any_term=any_term)
    narrowed = ""
    if filters.narrow:
        count, ids = session.exec(  # type: ignore[call-overload]
            text(f"SELECT count(*), string_agg(id::text, ',') FROM (SELECT gig.id FROM gig WHERE {where} LIMIT {NARROW_IDS + 1}) kept")
            .bindparams(**params)
        ).one()
        if count <= NARROW_IDS:  # else the filter keeps enough gigs for the matches to pass it often
            params["narrowed"] = "{" + (ids or "") + "}"  # an array literal: one value each way
            narrowed = "AND gig_id = ANY(CAST(:narrowed AS integer[]))"
    statement = (
        f"WITH matching AS MATERIALIZED (SELECT gig_id, {in_title} AS in_title FROM gig_search_doc "
        f"WHERE tsv @@ CAST(:match AS tsquery) {narrowed}), "
        "pool AS MATERIALIZED (SELECT g.*, m.in_title FROM matching m, LATERAL (SELECT gig.id, gig.rating_sum, "
        f"gig.rating_count, gig.orders_completed FROM gig WHERE gig.id = m.gig_id AND {where} OFFSET 0) g LIMIT {TITLE_POOL}), "
        f"found AS MATERIALIZED (SELECT * FROM pool ORDER BY in_title DESC, id DESC LIMIT {CANDIDATES}) "
        "SELECT found.id, found.rating_sum, found.rating_count, found.orders_completed, r.rank FROM found, LATERAL "
        f"(SELECT ts_rank('{TS_WEIGHTS}', d.tsv, CAST(:query AS tsquery)) AS rank FROM gig_search_doc d "
        "WHERE d.gig_id = found.id OFFSET 0) r"
    )
    match, query = _ts_match(terms, roots=roots, any_term=any_term), _tsquery(terms, roots=roots, any_term=any_term)
    steered = ["enable_seqscan", "enable_indexscan"] if narrowed else ["enable_seqscan"]
    session.exec(text("SELECT set_config(name, 'off', true) FROM pg_settings WHERE name = ANY(:names)").bindparams(names=steered))  # type: ignore[call-overload]
    try:
        rows = session.exec(text(statement).bindparams(match=match, query=query, **params, **title_params)).all()  # type: ignore[call-overload]
    finally:
        session.exec(text("SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(:names)").bindparams(names=steered))  # type: ignore[call-overload]
    return [Candidate(gig_id=r[0], rating_sum=r[1], rating_count=r[2], orders=r[3], text_score=float(r[4])) for r in rows]


def _candidates(
    session: Session, terms: list[QueryTerm], filters: Filters, *, roots: bool, any_term: bool = False
) -> list[Candidate]:
    """The tier's matches with their text scores, best first: every match when there are at most
    CANDIDATES of them, else CANDIDATES picked without scoring (see the module docstring)."""
    if is_sqlite(session):

        def find(fields: tuple[str, ...], limit: int) -> list[Candidate]:
            return _fts_found(session, _fts_match(terms, roots=roots, any_term=any_term, fields=fields), filters, limit)

        found = find(("t",), CANDIDATES)
        if len(found) < CANDIDATES:  # every title match is in: add the newest others
            everywhere = find(("t", "d"), CANDIDATES + 1)
            found = everywhere if len(everywhere) <= CANDIDATES else list({c.gig_id: c for c in [*found, *everywhere]}.values())[:CANDIDATES]
        phrases = [p for term in terms for p in _alternatives(term, roots=roots)]
        scores = bm25.score(session, phrases, BM25_WEIGHTS, [c.gig_id for c in found])
        for c in found:
            c.text_score = scores[c.gig_id]
    else:
        found = _pg_ranked(session, terms, filters, roots=roots, any_term=any_term)
    return sorted(found, key=lambda c: (-c.text_score, c.gig_id))


def quality(candidate: Candidate) -> float:
    """0..1 from the average rating (shrunk towards 4 stars while reviews are few) and orders."""
    prior, weight = 4.0, 3
    average = (candidate.rating_sum + prior * weight) / (candidate.rating_count + weight)
    return 0.7 * (average / 5) + 0.3 * min(1.0, math.log1p(candidate.orders) / math.log1p(200))


def with_levels(session: Session, candidates: list[Candidate]) -> list[Candidate]:
    """``candidates`` with their sellers' levels, read in one query by primary key."""
    if not candidates:
        return candidates
    levels = dict(
        session.exec(  # type: ignore[call-overload]
            select(Gig.id, SellerProfile.level)
            .join(SellerProfile, col(SellerProfile.user_id) == Gig.seller_id)
            .where(col(Gig.id).in_([c.gig_id for c in candidates]))
        ).all()
    )
    for c in candidates:
        c.level = levels.get(c.gig_id, "new")
    return candidates


def rank(candidates: list[Candidate], *, related: bool = False) -> list[Hit]:
    """Blend the normalised text score with quality (one tier at a time)."""
    if not candidates:
        return []
    top = max(c.text_score for c in candidates) or 1.0
    hits = []
    for c in candidates:
        score = (1 - QUALITY_WEIGHT) * (c.text_score / top) + QUALITY_WEIGHT * quality(c) + LEVEL_BONUS.get(c.level, 0.0)
        hits.append(Hit(gig_id=c.gig_id, score=round(score * (RELATED_PENALTY if related else 1), 6), related=related))
    return sorted(hits, key=lambda h: (-h.score, h.gig_id))


def search(session: Session, query: str, filters: Filters | None = None) -> list[Hit]:
    """All matching active gigs (at most a few hundred candidates), best first, strict tier first."""
    ensure_current(session)
    terms = analyze_query(query)
    if not terms:
        return []
    filters = filters or Filters()
    hits: list[Hit] = []
    seen: set[int] = set()
    for tier, (roots, any_term) in enumerate(TIERS):
        if tier and (len(hits) >= MIN_RESULTS or (any_term and len(terms) == 1)):
            break
        fresh = [c for c in _candidates(session, terms, filters, roots=roots, any_term=any_term) if c.gig_id not in seen]
        ranked = rank(with_levels(session, fresh), related=tier > 0)
        if hits and ranked:  # a looser tier always ranks below the stricter ones
            ceiling = min(h.score for h in hits)
            ranked = [Hit(h.gig_id, round(min(h.score, ceiling * 0.999), 6), h.related) for h in ranked]
        hits.extend(ranked)
        seen.update(h.gig_id for h in ranked)
    return hits


def suggest(session: Session, prefix: str, limit: int = 8) -> list[int]:
    """Gig ids whose words start with what the buyer has typed so far (2+ letters in the last word)."""
    ensure_current(session)
    terms = analyze_query(prefix)
    if not terms or len(terms[-1].exact) < 2:
        return []
    *whole, last = terms
    if is_sqlite(session):
        match = " AND ".join(
            ["(" + " OR ".join(p.fts() for p in _alternatives(t, roots=False)) + ")" for t in whole]
            + [f'{{t_exact t_stem}} : "{last.exact}"*']
        )
        statement = (
            "SELECT gig.id FROM gig_fts JOIN gig ON gig.id = gig_fts.rowid "
            "WHERE gig_fts MATCH :q AND gig.status = 'active' ORDER BY bm25(gig_fts) LIMIT :limit"
        )
        params: dict[str, Any] = {"q": match, "limit": limit}
    else:
        query = " & ".join([_tsquery([t], roots=False) for t in whole] + [f"({lexeme(last.exact)}:* | {lexeme('s:' + last.exact)}:*)"])
        statement = (
            "SELECT gig.id FROM gig_search_doc d JOIN gig ON gig.id = d.gig_id "
            "WHERE d.tsv @@ CAST(:q AS tsquery) AND gig.status = 'active' "
            f"ORDER BY ts_rank('{TS_WEIGHTS}', d.tsv, CAST(:q AS tsquery)) DESC LIMIT :limit"
        )
        params = {"q": query, "limit": limit}
    return [row[0] for row in session.exec(text(statement).bindparams(**params)).all()]  # type: ignore[call-overload]

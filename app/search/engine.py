"""Ranked search over active gigs, on SQLite FTS5 or Postgres full-text, behind one function.

Every query term must match at some level: exact, stem or concept (the curated lexicon). When
that finds too few gigs, two looser tiers follow, their hits marked related: roots join the
levels, then any term may match (long multi-word queries rarely match every word).
The database returns scored candidates (bm25 / ts_rank with title > description and
exact > stem > concept > root); a rerank adds a small quality term (rating, completed orders)
that breaks ties without drowning relevance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.search.analyzer import QueryTerm, analyze_query
from app.search.index import is_sqlite, lexeme
from app.search.lexicon import ensure_current

CANDIDATES = 300
MIN_RESULTS = 20
QUALITY_WEIGHT = 0.12
RELATED_PENALTY = 0.5
# (roots, any term) of each tier, strictest first
TIERS = ((False, False), (True, False), (False, True))
# bm25 column weights: t_exact, t_stem, t_concept, t_root, d_exact, d_stem, d_concept, d_root
BM25_WEIGHTS = (6.0, 4.0, 3.0, 0.5, 1.5, 1.0, 0.75, 0.1)
# ts_rank weights {D, C, B, A}
TS_WEIGHTS = "{0.02, 0.1, 0.3, 1.0}"


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
    extra: dict[str, Any] = field(default_factory=dict)


def _fts_phrase(columns: str, term: str) -> str:
    return f'{{{columns}}} : "{term.replace(chr(34), chr(34) * 2)}"'


def _fts_match(terms: list[QueryTerm], *, roots: bool, any_term: bool = False) -> str:
    parts = []
    for term in terms:
        alternatives = [_fts_phrase("t_exact d_exact", term.exact), _fts_phrase("t_stem d_stem", term.stem)]
        alternatives += [_fts_phrase("t_concept d_concept", c) for c in term.concepts]
        if roots:
            alternatives.append(_fts_phrase("t_root d_root", term.root))
        parts.append("(" + " OR ".join(dict.fromkeys(alternatives)) + ")")
    return (" OR " if any_term else " AND ").join(parts)


def _tsquery(terms: list[QueryTerm], *, roots: bool, any_term: bool = False) -> str:
    parts = []
    for term in terms:
        alternatives = [lexeme(term.exact), lexeme("s:" + term.stem)]
        alternatives += [lexeme("c:" + c) for c in term.concepts]
        if roots:
            alternatives.append(lexeme("r:" + term.root))
        parts.append("(" + " | ".join(dict.fromkeys(alternatives)) + ")")
    return (" | " if any_term else " & ").join(parts)


def _candidates(
    session: Session, terms: list[QueryTerm], filters: Filters, *, roots: bool, any_term: bool = False
) -> list[Candidate]:
    where, params = filters.sql()
    columns = "gig.id, gig.rating_sum, gig.rating_count, gig.orders_completed"
    if is_sqlite(session):
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        statement = (
            f"SELECT {columns}, -bm25(gig_fts, {weights}) AS score FROM gig_fts "
            f"JOIN gig ON gig.id = gig_fts.rowid WHERE gig_fts MATCH :match AND {where} "
            f"ORDER BY bm25(gig_fts, {weights}) LIMIT {CANDIDATES}"
        )
        params["match"] = _fts_match(terms, roots=roots, any_term=any_term)
    else:
        statement = (
            f"SELECT {columns}, ts_rank('{TS_WEIGHTS}', d.tsv, CAST(:query AS tsquery)) AS score "
            f"FROM gig_search_doc d JOIN gig ON gig.id = d.gig_id "
            f"WHERE d.tsv @@ CAST(:query AS tsquery) AND {where} ORDER BY score DESC LIMIT {CANDIDATES}"
        )
        params["query"] = _tsquery(terms, roots=roots, any_term=any_term)
    rows = session.exec(text(statement).bindparams(**params)).all()  # type: ignore[call-overload]
    return [Candidate(gig_id=r[0], rating_sum=r[1], rating_count=r[2], orders=r[3], text_score=float(r[4])) for r in rows]


def quality(candidate: Candidate) -> float:
    """0..1 from the average rating (shrunk towards 4 stars while reviews are few) and orders."""
    prior, weight = 4.0, 3
    average = (candidate.rating_sum + prior * weight) / (candidate.rating_count + weight)
    return 0.7 * (average / 5) + 0.3 * min(1.0, math.log1p(candidate.orders) / math.log1p(200))


def rank(candidates: list[Candidate], *, related: bool = False) -> list[Hit]:
    """Blend the normalised text score with quality (one tier at a time)."""
    if not candidates:
        return []
    top = max(c.text_score for c in candidates) or 1.0
    hits = []
    for c in candidates:
        score = (1 - QUALITY_WEIGHT) * (c.text_score / top) + QUALITY_WEIGHT * quality(c)
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
        ranked = rank(fresh, related=tier > 0)
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
            [_fts_match([t], roots=False) for t in whole]
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

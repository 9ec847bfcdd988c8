"""The curated lexicon in the database: admins' terms merged over the bundled defaults.

Every process (web workers, the CLI) notices a change by a cheap signature of the table (row
count, newest id, newest creation time: SQLite reuses the id of a deleted newest row) before
it analyzes, so an edit made in one worker reaches the others at their next search. Concepts
are part of the index, so adding or removing a term re-indexes, in the same transaction, the
gigs that contain the term's words: only they can gain or lose its concept.

The bundled defaults (``DEFAULT_LEXICON_ENTRIES``) are code, versioned with the analyzer: they
are listed for admins but cannot be removed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from threading import Lock

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.core import clock
from app.core.errors import MihanError
from app.search.analyzer import DEFAULT_LEXICON_ENTRIES, Lexicon, QueryTerm, analyze_query, normalize, set_lexicon, stem, tokens
from models.catalog import SearchTerm

_CONCEPT = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_TERM = 80
MAX_TRY = 200  # characters of the analyzer try-out
_loaded: tuple[object, ...] | None = None
_lock = Lock()


@dataclass(frozen=True)
class LexiconEntry:
    """A term and its concept; ``bundled`` ones ship with the code and are read-only."""

    term: str
    concept: str
    bundled: bool = False


@dataclass(frozen=True)
class LexiconPage:
    entries: list[LexiconEntry]
    total: int


def _signature(session: Session) -> tuple[object, ...]:
    return tuple(session.exec(select(func.count(SearchTerm.id), func.max(SearchTerm.id), func.max(SearchTerm.created_at))).one())


def ensure_current(session: Session) -> None:
    """Load the admins' terms into the analyzer when the table changed since the last load."""
    global _loaded
    signature = _signature(session)
    if signature == _loaded:
        return
    with _lock:
        rows = session.exec(select(SearchTerm.term, SearchTerm.concept)).all()
        set_lexicon(Lexicon([*DEFAULT_LEXICON_ENTRIES, *rows]))
        _loaded = signature


def list_terms(session: Session, *, query: str = "", limit: int | None = 20, offset: int = 0) -> LexiconPage:
    """Admins' terms, newest first, whose term or concept contains ``query`` (one SQL page)."""
    found = select(SearchTerm)
    needle = " ".join(query.split()).lower() if isinstance(query, str) else ""
    if needle:
        found = found.where(or_(func.lower(SearchTerm.term).contains(needle, autoescape=True), col(SearchTerm.concept).contains(needle, autoescape=True)))
    total = session.exec(select(func.count()).select_from(found.subquery())).one()
    rows = session.exec(found.order_by(col(SearchTerm.id).desc()).offset(max(offset, 0)).limit(limit))
    return LexiconPage([LexiconEntry(row.term, row.concept) for row in rows], int(total))


def list_bundled(query: str = "", limit: int | None = None) -> LexiconPage:
    """The bundled defaults whose term (in any spelling) or concept contains ``query``."""
    needle = normalize(" ".join(query.split())) if isinstance(query, str) else ""
    matches = [
        LexiconEntry(term, concept, bundled=True)
        for term, concept in DEFAULT_LEXICON_ENTRIES
        if needle in normalize(term) or needle in concept
    ]
    return LexiconPage(matches[:limit], len(matches))


def add_term(session: Session, *, term: str, concept: str) -> SearchTerm:
    """Add a synonym or derivation (e.g. «فويس اوفر» → voiceover) and re-index the gigs it touches.

    Raises:
        MihanError: ``search.invalid_term``, ``search.invalid_concept``, ``search.term_exists``.
    """
    term, concept, key = _checked(term, concept)
    if _stored(session, term, concept) is not None or (key, concept) in _bundled_keys():
        raise MihanError("search.term_exists")
    row = SearchTerm(term=term, concept=concept, created_at=clock.now())
    session.add(row)
    session.flush()
    _reindex(session, key)
    return row


def remove_term(session: Session, *, term: str, concept: str) -> None:
    """Remove an admin's term from a concept and re-index the gigs it touched.

    Raises:
        MihanError: ``search.invalid_term``, ``search.invalid_concept``, ``search.term_bundled``,
        ``search.term_missing``.
    """
    term, concept, key = _checked(term, concept)
    row = _stored(session, term, concept)
    if row is None:
        raise MihanError("search.term_bundled" if (key, concept) in _bundled_keys() else "search.term_missing")
    session.delete(row)
    session.flush()
    _reindex(session, key)


def explain(session: Session, text: str) -> list[QueryTerm]:
    """What the search makes of ``text``: each kept word's normalised form, stem, root and concepts."""
    ensure_current(session)
    return analyze_query(text[:MAX_TRY]) if isinstance(text, str) else []


# -- helpers ----------------------------------------------------------------------------------


def _checked(term: object, concept: object) -> tuple[str, str, tuple[str, ...]]:
    """The term with its blanks collapsed, the concept, and the term's stems (its lexicon key)."""
    text = " ".join(term.split())[:MAX_TERM] if isinstance(term, str) else ""
    key = _key(text)
    if not key:
        raise MihanError("search.invalid_term")
    if not isinstance(concept, str) or not _CONCEPT.match(concept):
        raise MihanError("search.invalid_concept")
    return text, concept, key


def _key(term: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in tokens(term))


@cache
def _bundled_keys() -> frozenset[tuple[tuple[str, ...], str]]:
    return frozenset((_key(term), concept) for term, concept in DEFAULT_LEXICON_ENTRIES)


def _stored(session: Session, term: str, concept: str) -> SearchTerm | None:
    return session.exec(select(SearchTerm).where(SearchTerm.term == term, SearchTerm.concept == concept)).first()


def _reindex(session: Session, key: tuple[str, ...]) -> None:
    from app.search.index import gigs_with_stems, reindex_gigs

    ensure_current(session)
    reindex_gigs(session, gigs_with_stems(session, key))

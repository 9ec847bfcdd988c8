"""The curated lexicon in the database: admins' terms merged over the bundled defaults.

Every process (web workers, the CLI) notices a change by a cheap signature of the table
(row count and newest id) before it analyzes, so an edit made in one worker reaches the others
at their next search. Concepts are part of the index, so an edit re-indexes the catalogue.
"""

from __future__ import annotations

import re
from threading import Lock

from sqlalchemy import func
from sqlmodel import Session, select

from app.core import clock
from app.core.errors import MihanError
from app.search.analyzer import DEFAULT_LEXICON_ENTRIES, Lexicon, set_lexicon, tokens
from models.catalog import SearchTerm

_CONCEPT = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_loaded: tuple[int, int] | None = None
_lock = Lock()


def _signature(session: Session) -> tuple[int, int]:
    count, newest = session.exec(select(func.count(SearchTerm.id), func.max(SearchTerm.id))).one()
    return int(count), int(newest or 0)


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


def add_term(session: Session, *, term: str, concept: str) -> SearchTerm:
    """Add a synonym or derivation (e.g. «فويس اوفر» → voiceover) and re-index the catalogue.

    Raises:
        MihanError: ``search.invalid_term``, ``search.invalid_concept``, ``search.term_exists``.
    """
    from app.search.index import rebuild

    term = " ".join(term.split())[:80] if isinstance(term, str) else ""
    if not tokens(term):
        raise MihanError("search.invalid_term")
    if not isinstance(concept, str) or not _CONCEPT.match(concept):
        raise MihanError("search.invalid_concept")
    if session.exec(select(SearchTerm.id).where(SearchTerm.term == term, SearchTerm.concept == concept)).first():
        raise MihanError("search.term_exists")
    row = SearchTerm(term=term, concept=concept, created_at=clock.now())
    session.add(row)
    session.flush()
    ensure_current(session)
    rebuild(session)
    return row

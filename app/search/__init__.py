"""Catalogue search: the Arabic-first text analyzer shared by indexing and querying.

``analyze_field`` turns a gig's title or description into its index levels (exact, stem, concept,
root); ``analyze_query`` turns a search box into terms that each must match at some level. The
analyzer is plain Python (no database, no Reflex) and deterministic across processes; the index is
rebuilt when ``ANALYZER_VERSION`` changes.
"""

from app.search.analyzer import (
    ANALYZER_VERSION,
    DEFAULT_LEXICON_ENTRIES,
    STOP_WORDS,
    FieldTerms,
    Lexicon,
    QueryTerm,
    analyze_field,
    analyze_query,
    concepts,
    current_lexicon,
    normalize,
    root,
    set_lexicon,
    stem,
    tokens,
)

__all__ = [
    "ANALYZER_VERSION",
    "DEFAULT_LEXICON_ENTRIES",
    "STOP_WORDS",
    "FieldTerms",
    "Lexicon",
    "QueryTerm",
    "analyze_field",
    "analyze_query",
    "concepts",
    "current_lexicon",
    "normalize",
    "root",
    "set_lexicon",
    "stem",
    "tokens",
]

"""Keep the full-text index in step with gigs (same transaction as the change).

Each gig's analyzed text is stored in ``gig_search_doc``; from it, SQLite feeds a contentless
FTS5 table (whose deletes need the old values: we have them in the doc row) and Postgres a
tagged tsvector (``s:`` stem, ``c:`` concept, ``r:`` root; weights A title, B description,
C title concept/root, D description concept/root).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, select

from app.search.analyzer import ANALYZER_VERSION, FieldTerms, analyze_field
from models.catalog import Category, Gig, GigSearchDoc

COLUMNS = ("t_exact", "t_stem", "t_concept", "t_root", "d_exact", "d_stem", "d_concept", "d_root")
_MAX_POSITIONS = 16383  # tsvector's position limit


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fields(session: Session, gig: Gig) -> tuple[FieldTerms, FieldTerms]:
    category = session.get(Category, gig.category_id)
    names = f"{category.name_ar} {category.name_en}" if category else ""
    return analyze_field(gig.title), analyze_field(f"{gig.description} {gig.tags.replace(',', ' ')} {names}")


def _values(doc: GigSearchDoc) -> dict[str, str]:
    return {column: getattr(doc, column) for column in COLUMNS}


def _fts_write(session: Session, gig_id: int, values: dict[str, str], *, delete: bool) -> None:
    columns = ", ".join(COLUMNS)
    params = ", ".join(f":{c}" for c in COLUMNS)
    if delete:
        statement = f"INSERT INTO gig_fts(gig_fts, rowid, {columns}) VALUES('delete', :rowid, {params})"
    else:
        statement = f"INSERT INTO gig_fts(rowid, {columns}) VALUES(:rowid, {params})"
    session.exec(text(statement).bindparams(rowid=gig_id, **values))  # type: ignore[call-overload]


def lexeme(term: str) -> str:
    """Quote a term as a tsvector/tsquery lexeme, taken literally (no parser, no dictionary)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: FieldTerms, body: FieldTerms) -> str:
    """The tagged tsvector of a gig, positions and weights included."""
    positions: dict[str, list[str]] = {}

    def add(terms: tuple[str, ...], tag: str, weight: str, start: int) -> None:
        for i, term in enumerate(terms):
            position = min(start + i + 1, _MAX_POSITIONS)
            positions.setdefault(tag + term, []).append(f"{position}{weight}")

    add(title.exact, "", "A", 0)
    add(title.stem, "s:", "A", 0)
    add(title.concept, "c:", "C", 0)
    add(title.root, "r:", "C", 0)
    add(body.exact, "", "B", 1000)
    add(body.stem, "s:", "B", 1000)
    add(body.concept, "c:", "D", 1000)
    add(body.root, "r:", "D", 1000)
    return " ".join(f"{lexeme(lex)}:{','.join(pos[:256])}" for lex, pos in positions.items())


def index_gig(session: Session, gig: Gig) -> None:
    """(Re)index one gig after its text changed."""
    assert gig.id is not None
    title, body = _fields(session, gig)
    doc = session.get(GigSearchDoc, gig.id)
    sqlite = is_sqlite(session)
    if doc is not None and sqlite:
        _fts_write(session, gig.id, _values(doc), delete=True)
    if doc is None:
        doc = GigSearchDoc(gig_id=gig.id, analyzer_version=ANALYZER_VERSION)
    doc.analyzer_version = ANALYZER_VERSION
    for prefix, terms in (("t", title), ("d", body)):
        for level in ("exact", "stem", "concept", "root"):
            setattr(doc, f"{prefix}_{level}", " ".join(getattr(terms, level)))
    session.add(doc)
    session.flush()
    if sqlite:
        _fts_write(session, gig.id, _values(doc), delete=False)
    else:
        session.exec(  # type: ignore[call-overload]
            text("UPDATE gig_search_doc SET tsv = CAST(:tsv AS tsvector) WHERE gig_id = :gig_id").bindparams(
                tsv=tsvector_literal(title, body), gig_id=gig.id
            )
        )


def rebuild(session: Session) -> int:
    """Re-analyze every gig (after an analyzer or lexicon change); returns how many."""
    if is_sqlite(session):
        session.exec(text("INSERT INTO gig_fts(gig_fts) VALUES('delete-all')"))  # type: ignore[call-overload]
        session.exec(text("DELETE FROM gig_search_doc"))  # type: ignore[call-overload]
        session.expunge_all()
    count = 0
    for gig in session.exec(select(Gig)).all():
        index_gig(session, gig)
        count += 1
    return count

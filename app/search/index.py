"""Keep the full-text index in step with gigs (same transaction as the change).

Each gig's analyzed text is stored in ``gig_search_doc``; from it, SQLite feeds a contentless
FTS5 table (whose deletes need the old values: we have them in the doc row) and Postgres a
tagged tsvector (``s:`` stem, ``c:`` concept, ``r:`` root; weights A title, B description,
C title concept/root, D description concept/root).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import literal, text
from sqlmodel import Session, select

from app.search.analyzer import ANALYZER_VERSION, FieldTerms, analyze_field
from app.search.lexicon import ensure_current
from models.catalog import Category, Gig, GigSearchDoc

COLUMNS = ("t_exact", "t_stem", "t_concept", "t_root", "d_exact", "d_stem", "d_concept", "d_root")
_MAX_POSITIONS = 16383  # tsvector's position limit


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fields(session: Session, gig: Gig) -> tuple[FieldTerms, FieldTerms]:
    ensure_current(session)
    return analyze_field(gig.title), analyze_field(body_text(gig.description, gig.tags, session.get(Category, gig.category_id)))


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


def body_text(description: str, tags: str, category: Category | None) -> str:
    """What the description field indexes: description, tags and the category's names."""
    names = f"{category.name_ar} {category.name_en}" if category else ""
    return f"{description} {tags.replace(',', ' ')} {names}"


def index_new(session: Session, items: Iterable[tuple[int, str, str]]) -> int:
    """Index gigs that have no search document yet, in bulk: ``(gig id, title, body text)``."""
    ensure_current(session)
    sqlite = is_sqlite(session)
    docs, extras = [], []
    for gig_id, title_text, body in items:
        title, description = analyze_field(title_text), analyze_field(body)
        row: dict[str, object] = {"gig_id": gig_id, "analyzer_version": ANALYZER_VERSION}
        for prefix, terms in (("t", title), ("d", description)):
            for level in ("exact", "stem", "concept", "root"):
                row[f"{prefix}_{level}"] = " ".join(getattr(terms, level))
        docs.append(row)
        extras.append({"rowid": gig_id, **{c: row[c] for c in COLUMNS}} if sqlite else {"gig_id": gig_id, "tsv": tsvector_literal(title, description)})
    if not docs:
        return 0
    connection = session.connection()
    connection.execute(GigSearchDoc.__table__.insert(), docs)  # type: ignore[attr-defined]
    if sqlite:
        columns = ", ".join(COLUMNS)
        params = ", ".join(f":{c}" for c in COLUMNS)
        connection.execute(text(f"INSERT INTO gig_fts(rowid, {columns}) VALUES(:rowid, {params})"), extras)
    else:
        connection.execute(text("UPDATE gig_search_doc SET tsv = CAST(:tsv AS tsvector) WHERE gig_id = :gig_id"), extras)
    return len(docs)


def rebuild(session: Session) -> int:
    """Re-analyze every gig (after an analyzer or lexicon change); returns how many."""
    if is_sqlite(session):
        session.exec(text("INSERT INTO gig_fts(gig_fts) VALUES('delete-all')"))  # type: ignore[call-overload]
    session.exec(text("DELETE FROM gig_search_doc"))  # type: ignore[call-overload]
    session.expunge_all()
    categories = {c.id: c for c in session.exec(select(Category))}
    rows = session.exec(select(Gig.id, Gig.title, Gig.description, Gig.tags, Gig.category_id)).all()
    return index_new(
        session,
        ((gig_id, title, body_text(d, tags, categories.get(cat))) for gig_id, title, d, tags, cat in rows),
    )


def reindex_gigs(session: Session, gig_ids: Iterable[int]) -> int:
    """Re-analyze some gigs (those a lexicon or category edit touches); returns how many."""
    count = 0
    for gig_id in dict.fromkeys(gig_ids):
        gig = session.get(Gig, gig_id)
        if gig is not None:
            index_gig(session, gig)
            count += 1
    return count


def gigs_with_stems(session: Session, stems: Iterable[str]) -> list[int]:
    """Gigs whose title or description has every one of ``stems`` (a lexicon term's words).

    Only these can gain or lose a concept when that term is added or removed, so only these
    are re-indexed.
    """
    padded = literal(" ") + GigSearchDoc.t_stem + " " + GigSearchDoc.d_stem + " "
    wanted = [padded.contains(f" {s} ", autoescape=True) for s in dict.fromkeys(stems)]
    if not wanted:
        return []
    return list(session.exec(select(GigSearchDoc.gig_id).where(*wanted)).all())

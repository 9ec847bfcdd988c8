"""Categories, cities and dialects: the lists pages show and the slugs inputs refer to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.catalog.errors import CatalogError
from models.catalog import Category, City, Dialect


@dataclass(frozen=True)
class Term:
    """A taxonomy row as plain data for pages."""

    id: int
    slug: str
    name_ar: str
    name_en: str
    icon: str = ""
    description_ar: str = ""
    description_en: str = ""
    parent: str = ""  # the parent category's slug, for a sub-category


def term_of(row: Category | City | Dialect, parent: str = "") -> Term:
    """The row as plain data; ``parent`` is a sub-category's parent slug."""
    assert row.id is not None
    return Term(
        id=row.id,
        slug=row.slug,
        name_ar=row.name_ar,
        name_en=row.name_en,
        icon=getattr(row, "icon", ""),
        description_ar=getattr(row, "description_ar", ""),
        description_en=getattr(row, "description_en", ""),
        parent=parent,
    )


def list_categories(session: Session) -> list[Term]:
    """Active categories, each followed by its active sub-categories (hidden with their parent)."""
    rows = list(session.exec(select(Category).where(Category.is_active.is_(True)).order_by(Category.position, Category.id)))
    tops = [row for row in rows if row.parent_id is None]
    out: list[Term] = []
    for top in tops:
        out.append(term_of(top))
        out.extend(term_of(row, top.slug) for row in rows if row.parent_id == top.id)
    return out


def list_cities(session: Session) -> list[Term]:
    return [term_of(row) for row in session.exec(select(City).order_by(City.position, City.id))]


def list_dialects(session: Session) -> list[Term]:
    return [term_of(row) for row in session.exec(select(Dialect).order_by(Dialect.position, Dialect.id))]


def category_by_slug(session: Session, slug: str) -> Category:
    """Raise ``gig.invalid_category`` for an unknown or hidden category (inactive, or its parent is)."""
    row = session.exec(select(Category).where(Category.slug == slug, Category.is_active.is_(True))).first()
    parent = session.get(Category, row.parent_id) if row is not None and row.parent_id is not None else None
    if row is None or (parent is not None and not parent.is_active):
        raise CatalogError("gig.invalid_category")
    return row


def ensure_category(session: Session, slug: str) -> Category:
    """Return the category, creating a placeholder named by its slug (import --create-categories)."""
    row = session.exec(select(Category).where(Category.slug == slug)).first()
    if row is None:
        row = Category(slug=slug, name_ar=slug, name_en=slug, position=1000)
        session.add(row)
        session.flush()
    return row


def id_by_slug(session: Session, model: type[City] | type[Dialect], slug: str | None, error: str) -> int | None:
    if slug is None:
        return None
    row_id = session.exec(select(model.id).where(model.slug == slug)).first()
    if row_id is None:
        raise CatalogError(error)
    return row_id

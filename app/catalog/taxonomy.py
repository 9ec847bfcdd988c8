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


def _term(row: Category | City | Dialect) -> Term:
    assert row.id is not None
    return Term(
        id=row.id,
        slug=row.slug,
        name_ar=row.name_ar,
        name_en=row.name_en,
        icon=getattr(row, "icon", ""),
        description_ar=getattr(row, "description_ar", ""),
        description_en=getattr(row, "description_en", ""),
    )


def list_categories(session: Session) -> list[Term]:
    rows = session.exec(select(Category).where(Category.is_active.is_(True)).order_by(Category.position, Category.id))
    return [_term(row) for row in rows]


def list_cities(session: Session) -> list[Term]:
    return [_term(row) for row in session.exec(select(City).order_by(City.position, City.id))]


def list_dialects(session: Session) -> list[Term]:
    return [_term(row) for row in session.exec(select(Dialect).order_by(Dialect.position, Dialect.id))]


def category_by_slug(session: Session, slug: str) -> Category:
    """Raise ``gig.invalid_category`` for an unknown or inactive category."""
    row = session.exec(select(Category).where(Category.slug == slug, Category.is_active.is_(True))).first()
    if row is None:
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

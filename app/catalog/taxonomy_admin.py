"""Admins edit the niche's taxonomy: categories (one level of sub-categories), cities, dialects.

A slug is permanent once created: it is in links (``/category/<slug>``), saved filters and
import files, so a row is found by its slug and an edit changes everything else. A category
with gigs is never deleted, only deactivated: it leaves the home page, the filters and the
editor's list, while its gigs keep it. Cities and dialects have no active flag (the tables
predate the console), so they are deleted instead, and only while no gig uses them.
Renaming a category re-indexes its gigs, whose search text includes the category's names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.inputs import clean_text
from app.catalog.errors import TaxonomyError
from app.catalog.inputs import Slug, _Input, _no_bidi_or_emoji
from app.catalog.taxonomy import Term, term_of
from app.search.index import reindex_gigs
from models.catalog import Category, City, Dialect, Gig

KINDS: dict[str, type[Category] | type[City] | type[Dialect]] = {"category": Category, "city": City, "dialect": Dialect}
# The gig column that points at each kind: a row some gig points at cannot be deleted.
_GIG_COLUMN = {"category": Gig.category_id, "city": Gig.city_id, "dialect": Gig.dialect_id}

# Lucide icons (kebab-case, as in the niche file) a category may show; pages render them from
# this list, so an icon outside it could never appear.
CATEGORY_ICONS: tuple[str, ...] = (
    "mic", "megaphone", "book-open", "phone", "clapperboard", "music", "film", "graduation-cap",
    "pen-line", "sliders-horizontal", "languages", "headphones", "radio", "video", "tv", "podcast",
    "audio-lines", "speech", "drama", "baby", "presentation", "newspaper", "gamepad-2", "guitar",
    "piano", "volume-2", "users",
)


def _one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


def _none_if_blank(value: Any) -> Any:
    return None if value in ("", None) else value


def _known_icon(value: str) -> str:
    if value not in CATEGORY_ICONS:
        raise ValueError("icon")
    return value


Name = Annotated[str, BeforeValidator(_no_bidi_or_emoji), AfterValidator(_one_line), StringConstraints(min_length=2, max_length=80)]
Description = Annotated[str, BeforeValidator(_no_bidi_or_emoji), AfterValidator(_one_line), StringConstraints(max_length=300)]
Icon = Annotated[str, AfterValidator(_known_icon)]


class TermInput(_Input):
    """A city or a dialect as the console's form sends it."""

    slug: Slug
    name_ar: Name
    name_en: Name


class CategoryInput(TermInput):
    """A category: a top-level one (no ``parent``) or a sub-category of a top-level one."""

    parent: Annotated[Slug | None, BeforeValidator(_none_if_blank)] = None
    icon: Icon = "mic"
    description_ar: Description = ""
    description_en: Description = ""


_FIELDS = {"slug", "name_ar", "name_en", "parent", "icon", "description_ar", "description_en"}


def parse_term(kind: str, data: Any) -> TermInput:
    """Validate the console's form for ``kind``.

    Raises:
        TaxonomyError: ``taxonomy.invalid_kind``, ``taxonomy.invalid``, ``taxonomy.invalid_<field>``.
    """
    model = _model_of(kind)
    if not isinstance(data, dict):
        raise TaxonomyError("taxonomy.invalid")
    schema = CategoryInput if model is Category else TermInput
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        location = exc.errors()[0].get("loc", ())
        field = str(location[0]) if location else ""
        raise TaxonomyError(f"taxonomy.invalid_{field}" if field in _FIELDS else "taxonomy.invalid") from None


@dataclass(frozen=True)
class AdminTerm(Term):
    """A row as the console lists it (inactive ones too), with what depends on it."""

    is_active: bool = True
    gigs: int = 0
    children: int = 0


def list_terms(session: Session, kind: str) -> list[AdminTerm]:
    """Every row of ``kind`` in display order (each category followed by its sub-categories)."""
    model = _model_of(kind)
    counts = dict(session.exec(select(_GIG_COLUMN[kind], func.count()).group_by(_GIG_COLUMN[kind])).all())
    rows = list(session.exec(select(model).order_by(model.position, model.id)))
    by_id = {r.id: r for r in rows}
    if model is Category:
        rows.sort(key=lambda r: _tree_key(r, by_id))

    def admin_term(row: Category | City | Dialect) -> AdminTerm:
        parent = by_id[row.parent_id].slug if isinstance(row, Category) and row.parent_id in by_id else ""
        return AdminTerm(
            **asdict(term_of(row, parent)),
            is_active=getattr(row, "is_active", True),
            gigs=counts.get(row.id, 0),
            children=sum(1 for r in rows if getattr(r, "parent_id", None) == row.id),
        )

    return [admin_term(row) for row in rows]


def create_term(session: Session, *, kind: str, data: TermInput) -> Category | City | Dialect:
    """Add a category, sub-category, city or dialect at the end of its list.

    Raises:
        TaxonomyError: ``taxonomy.invalid_kind``, ``taxonomy.slug_taken``, ``taxonomy.unknown_parent``,
        ``taxonomy.too_deep``.
    """
    model = _model_of(kind)
    if session.exec(select(model.id).where(model.slug == data.slug)).first() is not None:
        raise TaxonomyError("taxonomy.slug_taken")
    row = model(slug=data.slug, name_ar=data.name_ar, name_en=data.name_en)
    _apply(session, row, data)
    session.add(row)
    session.flush()
    return row


def update_term(session: Session, *, kind: str, data: TermInput) -> Category | City | Dialect:
    """Change the names (and a category's parent, icon, descriptions) of the row with ``data.slug``.

    Raises:
        TaxonomyError: ``taxonomy.not_found``, ``taxonomy.unknown_parent``, ``taxonomy.invalid_parent``
        (itself), ``taxonomy.too_deep``, ``taxonomy.has_children``.
    """
    row = _get(session, kind, data.slug)
    renamed = (row.name_ar, row.name_en) != (data.name_ar, data.name_en)
    row.name_ar, row.name_en = data.name_ar, data.name_en
    _apply(session, row, data)
    session.add(row)
    session.flush()
    if renamed and isinstance(row, Category):
        reindex_gigs(session, session.exec(select(Gig.id).where(Gig.category_id == row.id)).all())
    return row


def set_category_active(session: Session, *, slug: str, active: bool) -> Category:
    """Show or hide a category (and with it its sub-categories) for buyers and sellers.

    Raises:
        TaxonomyError: ``taxonomy.invalid``, ``taxonomy.not_found``.
    """
    if not isinstance(active, bool):
        raise TaxonomyError("taxonomy.invalid")
    row = _get(session, "category", slug)
    assert isinstance(row, Category)
    row.is_active = active
    session.add(row)
    session.flush()
    return row


def delete_term(session: Session, *, kind: str, slug: str) -> None:
    """Delete a row no gig uses (and, for a category, with no sub-categories).

    Raises:
        TaxonomyError: ``taxonomy.not_found``, ``taxonomy.in_use``, ``taxonomy.has_children``.
    """
    row = _get(session, kind, slug)
    if session.exec(select(Gig.id).where(_GIG_COLUMN[kind] == row.id)).first() is not None:
        raise TaxonomyError("taxonomy.in_use")
    if isinstance(row, Category) and _has_children(session, row):
        raise TaxonomyError("taxonomy.has_children")
    session.delete(row)
    session.flush()


def move_term(session: Session, *, kind: str, slug: str, step: int) -> None:
    """Move a row one place up (``step=-1``) or down (``+1``) among its siblings.

    Positions are rewritten as 0, 1, 2… for the siblings, so rows seeded or imported with equal
    positions still move one place at a time.

    Raises:
        TaxonomyError: ``taxonomy.invalid``, ``taxonomy.not_found``.
    """
    if type(step) is not int or step not in (-1, 1):
        raise TaxonomyError("taxonomy.invalid")
    row = _get(session, kind, slug)
    model = type(row)
    query = select(model).order_by(model.position, model.id)
    if isinstance(row, Category):
        query = query.where(Category.parent_id == row.parent_id if row.parent_id else col(Category.parent_id).is_(None))
    siblings = list(session.exec(query))
    at = siblings.index(row)
    to = min(max(at + step, 0), len(siblings) - 1)
    siblings.insert(to, siblings.pop(at))
    for position, sibling in enumerate(siblings):
        sibling.position = position
        session.add(sibling)
    session.flush()


# -- helpers ----------------------------------------------------------------------------------


def _model_of(kind: str) -> type[Category] | type[City] | type[Dialect]:
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise TaxonomyError("taxonomy.invalid_kind")
    return model


def _get(session: Session, kind: str, slug: str) -> Category | City | Dialect:
    model = _model_of(kind)
    row = session.exec(select(model).where(model.slug == slug)).first() if isinstance(slug, str) else None
    if row is None:
        raise TaxonomyError("taxonomy.not_found")
    return row


def _has_children(session: Session, row: Category) -> bool:
    return session.exec(select(Category.id).where(Category.parent_id == row.id)).first() is not None


def _tree_key(row: Category, by_id: dict[int | None, Category]) -> tuple[int, int, int, int, int]:
    """Sort key putting each sub-category right after its parent, both by position."""
    parent = by_id.get(row.parent_id) if row.parent_id is not None else None
    if parent is None:
        return (row.position, row.id or 0, 0, 0, 0)
    return (parent.position, parent.id or 0, 1, row.position, row.id or 0)


def _apply(session: Session, row: Category | City | Dialect, data: TermInput) -> None:
    """Set a category's own fields and parent; a new or re-parented row goes last in its list."""
    if not isinstance(row, Category):
        if row.id is None:
            row.position = _next_position(session, type(row))
        return
    assert isinstance(data, CategoryInput)
    parent_id = _parent_id(session, row, data.parent)
    if row.id is None or parent_id != row.parent_id:
        row.position = _next_position(session, Category, parent_id)
    row.parent_id = parent_id
    row.icon, row.description_ar, row.description_en = data.icon, data.description_ar, data.description_en


def _parent_id(session: Session, row: Category, parent: str | None) -> int | None:
    """The parent's id, checked: a top-level category, and ``row`` has no sub-categories itself."""
    if parent is None:
        return None
    found = session.exec(select(Category).where(Category.slug == parent)).first()
    if found is None:
        raise TaxonomyError("taxonomy.unknown_parent")
    if found.id == row.id:
        raise TaxonomyError("taxonomy.invalid_parent")
    if found.parent_id is not None:
        raise TaxonomyError("taxonomy.too_deep")
    if row.id is not None and _has_children(session, row):
        raise TaxonomyError("taxonomy.has_children")
    return found.id


def _next_position(session: Session, model: type[Category] | type[City] | type[Dialect], parent_id: int | None = None) -> int:
    query = select(func.max(model.position))
    if model is Category:
        query = query.where(Category.parent_id == parent_id if parent_id else col(Category.parent_id).is_(None))
    top = session.exec(query).one()
    return 0 if top is None else int(top) + 1
